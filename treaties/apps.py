from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = "Treaties"

    def ready(self) -> None:
        post_migrate.connect(_ensure_vocabulary, sender=self, dispatch_uid="treaties.vocabulary")


def _ensure_vocabulary(sender, using="default", **kwargs) -> None:
    """Keep the obligation vocabulary complete, also after a flush (which empties it)."""
    from treaties.choices import Obligation
    from treaties.models import ObligationType

    for code in Obligation.values:
        ObligationType.objects.using(using).get_or_create(code=code)
