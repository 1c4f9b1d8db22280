from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = "Sanctions"

    def ready(self) -> None:
        from core.vocabulary import keep_complete_after_migrate
        from sanctions import selectors  # noqa: F401 (creates its register names)
        from sanctions.api import representations
        from sanctions.choices import Measure

        keep_complete_after_migrate(self, "MeasureType", Measure)
        representations.register()
