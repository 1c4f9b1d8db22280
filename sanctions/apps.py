from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = "Sanctions"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="sanctions.post_migrate")


def _after_migrate(sender, using="default", **kwargs) -> None:
    """Keep the measure vocabulary complete, also after a flush (which empties it)."""
    from sanctions.choices import Measure
    from sanctions.models import MeasureType

    for code in Measure.values:
        MeasureType.objects.using(using).get_or_create(code=code)
