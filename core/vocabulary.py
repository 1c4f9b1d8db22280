"""Fixed vocabularies stored as rows (obligation and measure codes), so that records can link
to them and filter by them; their codes come from a TextChoices class, declared once."""

from __future__ import annotations

from django.apps import AppConfig
from django.db import models
from django.db.models.signals import post_migrate


def vocabulary_complete(
    *, model: type[models.Model], codes: list[str], using: str = "default"
) -> int:
    """Add the rows missing from a vocabulary model; returns how many were added."""
    rows = model._default_manager.using(using)
    existing = set(rows.values_list("code", flat=True))
    missing = [model(code=code) for code in codes if code not in existing]
    rows.bulk_create(missing)
    return len(missing)


def keep_complete_after_migrate(
    app_config: AppConfig, model_name: str, choices: type[models.TextChoices]
) -> None:
    """Complete the vocabulary after every migrate, also after a flush (which empties it)."""

    def complete(sender, using="default", **kwargs) -> None:
        model = app_config.get_model(model_name)
        vocabulary_complete(model=model, codes=list(choices.values), using=using)

    post_migrate.connect(
        complete, sender=app_config, weak=False, dispatch_uid=f"{app_config.label}.vocabulary"
    )
