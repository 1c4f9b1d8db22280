from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = "Sanctions"

    def ready(self) -> None:
        from core.vocabulary import keep_complete_after_migrate
        from sanctions.api import representations
        from sanctions.choices import Measure

        keep_complete_after_migrate(self, "MeasureType", Measure)
        representations.register()
