from django.apps import AppConfig


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = "Treaties"

    def ready(self) -> None:
        from core.vocabulary import keep_complete_after_migrate
        from treaties import selectors  # noqa: F401 (creates its register names)
        from treaties.api import representations
        from treaties.choices import Obligation

        keep_complete_after_migrate(self, "ObligationType", Obligation)
        representations.register()
