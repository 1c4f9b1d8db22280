"""Write primitives that every record's service builds on: validate, save only what changed,
delete only what nothing references.

A record's service (``treaty_write``, ``citation_write``...) is the one write path for that
record, called alike by the API, the admin, the record loader and the importers. Problems are
raised as one ``django.core.exceptions.ValidationError`` keyed by field name (nested parts as
``participations.2.signed_on``), which each caller turns into its own error shape: a 400 naming
the field, a form error, or a loader/import error naming the file, record and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError

from core.references import blocking_records, describe

# Stamps and bookkeeping that do not make a record "changed" on their own.
UNTRACKED = {"created_at", "updated_at"}
# Paths under a collection that are not records (`{collection}/export/`): a record with such
# an id could never be read at `{collection}/{id}/`.
RESERVED_IDS = frozenset({"export"})


class RecordReferenced(Exception):
    """The record cannot be deleted: others reference it (nothing was deleted)."""

    def __init__(self, record: models.Model, blockers: list[models.Model]) -> None:
        self.record, self.blockers = record, blockers
        name = record._meta.verbose_name.capitalize()
        super().__init__(
            f"{name} '{record}' is referenced by {describe(blockers)}; nothing was deleted."
        )


def problems_of(exc: ValidationError, *, prefix: str = "") -> dict[str, list[str]]:
    """A ValidationError's messages keyed by field (``_precision`` twins folded into their
    date field), each key prefixed with ``prefix`` for a nested part."""
    errors: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        key = NON_FIELD_ERRORS if name == NON_FIELD_ERRORS else name.removesuffix("_precision")
        errors.setdefault(f"{prefix}{key}", []).extend(messages)
    return errors


def record_validate(
    record: models.Model,
    *,
    exclude: Iterable[str] = (),
    rules: Mapping[str, str | None] | None = None,
    prefix: str = "",
) -> None:
    """Run the model's full validation (fields, clean(), uniqueness and constraints) plus the
    service's own ``rules`` (field -> problem or None); raise every problem at once."""
    errors: dict[str, list[str]] = {}
    try:
        record.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors = problems_of(exc, prefix=prefix)
    if record._state.adding and str(record.pk) in RESERVED_IDS:
        errors.setdefault(f"{prefix}{record._meta.pk.name}", []).append(
            f"'{record.pk}' names a path of the API, not a record: choose another id."
        )
    for name, problem in (rules or {}).items():
        if problem:
            errors.setdefault(f"{prefix}{name}", []).append(problem)
    if errors:
        raise ValidationError(errors)


def changed_fields(record: models.Model) -> list[str]:
    """The stored fields whose value differs from the database row (all of them when new)."""
    names = [
        f.attname
        for f in record._meta.concrete_fields
        if f.attname not in UNTRACKED and not f.primary_key
    ]
    if record._state.adding:
        return names
    stored = type(record)._default_manager.filter(pk=record.pk).values(*names).first()
    if stored is None:
        return names
    return [name for name in names if stored[name] != getattr(record, name)]


def record_save(record: models.Model) -> bool:
    """Save ``record`` if it is new or any stored value changed; True when it wrote."""
    if record._state.adding or changed_fields(record):
        record.save()
        return True
    return False


def m2m_set(manager: Any, wanted: Iterable[Any]) -> bool:
    """Make a many-to-many relation hold exactly ``wanted`` (records or ids); True when it
    changed. Nothing is written when it already does."""
    ids = {str(getattr(item, "pk", item)) for item in wanted}
    current = {str(pk) for pk in manager.values_list("pk", flat=True)}
    if ids == current:
        return False
    manager.set(sorted(ids))
    return True


def missing_ids(model: type[models.Model], wanted: Iterable[Any]) -> list[str]:
    """The ids among ``wanted`` (records or ids) that no ``model`` record has, sorted."""
    ids = {str(getattr(item, "pk", item)) for item in wanted}
    found = {
        str(pk) for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
    }
    return sorted(ids - found)


def unknown_problem(model: type[models.Model], wanted: Iterable[Any] | None) -> str | None:
    """ "unknown party 'x'" for the first of ``wanted`` that does not exist, else None."""
    missing = missing_ids(model, wanted or [])
    return f"unknown {model._meta.verbose_name} {missing[0]!r}" if missing else None


def record_delete(*, record: models.Model) -> None:
    """Delete ``record`` unless anything references it (then RecordReferenced, nothing
    deleted); the deletion is kept in history like any change."""
    with transaction.atomic():
        if blockers := blocking_records(record):
            raise RecordReferenced(record, blockers)
        try:
            with transaction.atomic():
                record.delete()
        except (ProtectedError, RestrictedError) as exc:  # referenced since the check above
            blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
            raise RecordReferenced(record, list(blockers)) from None
