"""What refers to a record through many-to-many links (e.g. designations listed under a
regime, treaties that replace a treaty). Foreign keys already PROTECT; these links would
otherwise vanish silently with the record, so a delete is refused while any exist."""

from __future__ import annotations

from django.db import models, router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector


def linking_records(instance: models.Model, *, limit: int = 11) -> list[models.Model]:
    """Up to ``limit`` other records whose many-to-many links point at ``instance``."""
    found: list[models.Model] = []
    for relation in instance._meta.related_objects:
        if not relation.many_to_many or relation.related_model._meta.model_name.startswith(
            "historical"
        ):
            continue
        accessor = relation.get_accessor_name()
        if accessor:
            found.extend(getattr(instance, accessor).all()[: limit - len(found)])
        if len(found) >= limit:
            break
    return found


def describe(records: list[models.Model], *, shown: int = 10) -> str:
    names = sorted({f"{r._meta.verbose_name} '{r}'" for r in records})
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def blocking_records(instance: models.Model) -> list[models.Model]:
    """Everything that stops ``instance`` from being deleted without losing data: records
    whose protected foreign keys or many-to-many links point at it."""
    blockers = linking_records(instance)
    collector = Collector(using=router.db_for_write(type(instance), instance=instance))
    try:
        collector.collect([instance])
    except ProtectedError as exc:
        blockers.extend(exc.protected_objects)
    except RestrictedError as exc:
        blockers.extend(exc.restricted_objects)
    return blockers
