from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = "Register"

    def ready(self) -> None:
        # Sent per app in INSTALLED_APPS order; register is last, so every permission exists.
        post_migrate.connect(_curators_sync, sender=self, dispatch_uid="register.curators")


def _curators_sync(sender, **kwargs) -> None:
    """Keep the curators group in step with the models' permissions."""
    from register.curators import curators_group_sync

    curators_group_sync()
