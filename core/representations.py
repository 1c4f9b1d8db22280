"""Stored representations: each public record's JSON exactly as the API serves it, with its
ETag, kept current in the same transaction as every write that changes it. Lists and details
are then served without rendering, and a conditional request is answered from the ETag alone.

Each app registers the records its API serves (``represent``): the read serializer, the
queryset that renders it, and ``embeds``, the relations through which other records appear in
the representation, each with the fields of theirs it shows (None: all of them).

Every change-feed row a write makes (core.history) reports the changed record here. The record
and every registered record that embeds it (through a relation whose shown fields changed) are
then rendered again at the end of the write (the outermost ``change_reason`` block, inside its
transaction); a change made outside such a block drops the stored copies at once, and the next
read renders them again. A representation whose derived values depend on today's date (a
treaty's status) carries the day it may change (``stale_on``) and is rendered again from then.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from core.choices import ChangeAction

BATCH = 500


def etag_of(text: str) -> str:
    """A strong ETag for exactly this text."""
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def representation_etag(data: Any) -> str:
    """A strong ETag: the hash of the record's full JSON representation (keys sorted, so
    that it does not depend on how the JSON was laid out)."""
    return etag_of(json.dumps(data, sort_keys=True, default=str, separators=(",", ":")))


@dataclass(frozen=True)
class Representer:
    """How one kind of record is represented, and what appears in its representation."""

    model: type[Model]
    serializer: type
    queryset: Callable[[], QuerySet]
    embeds: dict[str, frozenset[str] | None] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return _fingerprint(self.serializer)


_representers: dict[type[Model], Representer] = {}
_code_version: str | None = None  # code_version(), once computed


def represent(
    model: type[Model],
    *,
    serializer: type,
    queryset: Callable[[], QuerySet],
    embeds: dict[str, Iterable[str] | None] | None = None,
) -> None:
    """Serve ``model``'s public representation from the store (called from an app's ready())."""
    shown = {
        path: None if names is None else frozenset(names) for path, names in (embeds or {}).items()
    }
    for path in shown:
        _path_model(model, path)  # a misspelt path fails at start-up, not on a write
    _representers[model] = Representer(model, serializer, queryset, shown)
    global _code_version
    _code_version = None


def representer(model: type[Model]) -> Representer | None:
    return _representers.get(model)


def code_version() -> str:
    """A digest of every registered representation's shape: it changes when a deployment
    changes what the API shows (computed once; ``represent`` forgets it)."""
    global _code_version
    if _code_version is None:
        shapes = sorted(f"{m._meta.label}:{spec.version}" for m, spec in _representers.items())
        _code_version = hashlib.sha256("|".join(shapes).encode()).hexdigest()[:16]
    return _code_version


@functools.cache
def _fingerprint(serializer: type) -> str:
    """A digest of the serializer's fields (names and kinds, nested ones too): a stored
    representation made by another shape of serializer is not served."""

    def shape(fields) -> list:
        out = []
        for name, item in fields.items():
            inner = getattr(item, "child", None) or item
            nested = getattr(inner, "fields", None)
            out.append([name, type(item).__name__, shape(nested) if nested is not None else None])
        return out

    text = json.dumps(shape(serializer().fields), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@functools.cache  # asked on every change, for every embedded relation
def _path_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split(LOOKUP_SEP):
        model = model._meta.get_field(name).related_model
    return model


def stale_on(instance: Model, today: dt.date) -> dt.date | None:
    """The first day after ``today`` on which a comparison of the record's own partial dates
    with the date of the day can turn out differently (None: none can)."""
    days = []
    for name in getattr(instance, "partial_dates", ()):
        value = instance.get_partial_safe(name)
        if value is not None:
            days += [value.start, value.end + dt.timedelta(days=1)]
    later = [day for day in days if day > today]
    return min(later) if later else None


# --- Rendering --------------------------------------------------------------------------


def render(model: type[Model], pks: Iterable, *, keep: bool = True) -> dict[str, tuple[str, str]]:
    """Render and store the public representation of the ``model`` records ``pks``; drop the
    stored copy of any that is no longer public. Returns {pk: (body, etag)} of the public ones
    (with ``keep``; else {pk: None}, so that a large batch is not held in memory)."""
    from core.models import Representation
    from core.visibility import public_view

    spec = _representers[model]
    content_type = ContentType.objects.get_for_model(model)
    today = timezone.localdate()
    renderer = JSONRenderer()
    result: dict[str, tuple[str, str]] = {}
    wanted = sorted({str(pk) for pk in pks})
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        rows = []
        instances = list(public_view(spec.queryset()).filter(pk__in=batch))
        # One serializer for the batch: building a serializer's fields costs more than using them.
        for instance, data in zip(
            instances, spec.serializer(instances, many=True).data, strict=True
        ):
            body = renderer.render(data).decode()
            etag = representation_etag(data)
            result[str(instance.pk)] = (body, etag) if keep else None
            rows.append(
                Representation(
                    content_type=content_type,
                    object_id=str(instance.pk),
                    body=body,
                    etag=etag,
                    version=spec.version,
                    stale_on=stale_on(instance, today),
                )
            )
        Representation.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["content_type", "object_id"],
            update_fields=["body", "etag", "version", "stale_on"],
        )
        gone = set(batch) - result.keys()
        if gone:
            _drop(content_type, gone)
    return result


def _drop(content_type: ContentType, pks: Iterable[str]) -> None:
    from core.models import Representation

    Representation.objects.filter(content_type=content_type, object_id__in=list(pks)).delete()


def current_q(model: type[Model], prefix: str = "") -> Q:
    """Stored representations of ``model`` that may be served today."""
    today = timezone.localdate()
    return Q(**{f"{prefix}version": _representers[model].version}) & (
        Q(**{f"{prefix}stale_on__isnull": True}) | Q(**{f"{prefix}stale_on__gt": today})
    )


def stored(model: type[Model], pks: list[str]) -> dict[str, tuple[str, str]]:
    """{pk: (body, etag)} of the current stored representations of ``pks`` (one query)."""
    from core.models import Representation

    rows = Representation.objects.filter(
        current_q(model),
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=pks,
    ).values_list("object_id", "body", "etag")
    return {pk: (body, etag) for pk, body, etag in rows}


def stored_body(model: type[Model]) -> Subquery:
    """An annotation for a ``model`` queryset: each row's current stored body (null where
    none is stored), so that a batch of rows comes with its bodies in one query."""
    from core.models import Representation

    record = OuterRef("pk")
    if not isinstance(model._meta.pk, CharField):
        record = Cast(record, CharField())  # object_id is text; an integer id is compared as text
    return Subquery(
        Representation.objects.filter(
            current_q(model),
            content_type=ContentType.objects.get_for_model(model),
            object_id=record,
        ).values("body")
    )


def served(model: type[Model], pks: list[str]) -> dict[str, tuple[str, str]]:
    """{pk: (body, etag)} for the public records among ``pks``: stored, or rendered (and
    stored) where there is no current stored copy."""
    found = stored(model, pks)
    missing = [pk for pk in pks if pk not in found]
    if missing:
        found |= render(model, missing)
    return found


# --- Keeping them current -----------------------------------------------------------------

_state = threading.local()


@dataclass
class Pending:
    """What one write changed: the records to render again when it ends, and the records it
    created in bulk (an import's new records), which are rendered on their first read."""

    changed: dict[type[Model], set[str]] = field(default_factory=lambda: defaultdict(set))
    created: dict[type[Model], set[str]] = field(default_factory=lambda: defaultdict(set))


def begin() -> Pending:
    """Start collecting the records one write changes (core.history.change_reason)."""
    pending = Pending()
    _state.pending = pending
    return pending


def finish(pending: Pending | None, *, render_now: bool) -> None:
    """End the write: render again what it changed (``render_now``), or forget it (a failed
    write, rolled back).

    Records created in bulk are not rendered here: a list import creates thousands, and
    rendering them would double its time for records nobody may read soon. They have no stored
    copy (any left by an earlier record of the same id is dropped), so their first read
    renders and stores them (``served``), and ``render_representations`` can fill the store
    ahead of readers."""
    _state.pending = None
    if pending is None or not render_now:
        return
    for model, pks in pending.created.items():
        content_type, ordered = ContentType.objects.get_for_model(model), sorted(pks)
        for start in range(0, len(ordered), BATCH):
            _drop(content_type, ordered[start : start + BATCH])
    for model, pks in pending.changed.items():
        render(model, pks - pending.created.get(model, set()), keep=False)


def records_changed(
    model: type[Model],
    instances: list[Model],
    *,
    action: str,
    changed_fields: Iterable[str] = (),
    before: list[Model] = (),
    bulk: bool = False,
) -> None:
    """Note that ``instances`` of ``model`` were created, changed or deleted (``before``: their
    previous versions, whose links say where they used to appear; ``bulk``: created in bulk,
    to be rendered on first read)."""
    if not _representers or not instances:
        return
    pending = getattr(_state, "pending", None)
    if bulk and pending is not None and model in _representers:
        pending.created[model] |= {str(instance.pk) for instance in instances}
    affected = _affected(model, instances, action, set(changed_fields), list(before))
    for kind, pks in affected.items():
        _note(kind, pks)


def links_changed(model: type[Model], field_name: str, pks: Iterable) -> None:
    """A many-to-many link of a ``model`` record to the records ``pks`` was added or removed:
    a record that shows its side of the link in reverse is represented anew."""
    related = model._meta.get_field(field_name)
    target = representer(related.related_model)
    if target is None:
        return
    if related.remote_field.get_accessor_name() in target.embeds:
        _note(target.model, {str(pk) for pk in pks})


def _note(model: type[Model], pks: set[str]) -> None:
    """Inside a write, remember to render them at its end; outside one, drop them now."""
    if not pks:
        return
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.changed[model] |= pks
    else:
        _drop(ContentType.objects.get_for_model(model), pks)


def _affected(
    model: type[Model],
    instances: list[Model],
    action: str,
    changed: set[str],
    before: list[Model],
) -> dict[type[Model], set[str]]:
    """The registered records to represent anew: the changed ones, and those that embed them
    through a relation that shows a changed field."""
    out: dict[type[Model], set[str]] = defaultdict(set)
    pks = [instance.pk for instance in instances]
    if model in _representers:
        out[model] |= {str(pk) for pk in pks}
    for spec in _representers.values():
        for path, shown in spec.embeds.items():
            if _path_model(spec.model, path) is not model:
                continue
            if action == ChangeAction.CHANGED and shown is not None and not shown & changed:
                continue
            if _owned(spec.model, path):
                # A part (or citation) names its holder itself: no join over the batch.
                out[spec.model] |= _holders(spec.model, path, instances)
                if before:
                    out[spec.model] |= _holders(spec.model, path, before, moved=changed)
            else:
                records = spec.model._default_manager.filter(**{f"{path}__in": pks})
                out[spec.model] |= {str(pk) for pk in records.values_list("pk", flat=True)}
    return out


@functools.cache
def _owned(record: type[Model], path: str) -> bool:
    """Whether the last step of ``path`` is a link the embedded row holds (a reverse foreign
    key or a generic relation), so that the row itself says where it appears."""
    head, _, last = path.rpartition(LOOKUP_SEP)
    relation = (_path_model(record, head) if head else record)._meta.get_field(last)
    return isinstance(relation, GenericRelation) or (relation.one_to_many and not relation.concrete)


def _holders(
    record: type[Model], path: str, instances: list[Model], *, moved: set[str] | None = None
) -> set[str]:
    """The ``record`` rows that hold ``instances`` over ``path``, going by the instances' own
    links (so a deleted part is found too); with ``moved`` (the changed fields of previous
    versions), only where a link changed: where a moved part used to be."""
    head, _, last = path.rpartition(LOOKUP_SEP)
    parent = _path_model(record, head) if head else record
    relation = parent._meta.get_field(last)
    if isinstance(relation, GenericRelation):
        links = {relation.content_type_field_name, relation.object_id_field_name}
    elif relation.one_to_many and not relation.concrete:
        links = {relation.field.name}
    else:
        return set()  # a forward link: the join finds its holders
    if moved is not None and not links & moved:
        return set()
    parents: set[str] = set()
    content_type = ContentType.objects.get_for_model(parent)
    for instance in instances:
        if isinstance(relation, GenericRelation):
            if getattr(instance, relation.content_type_field_name + "_id", None) == content_type.pk:
                parents.add(str(getattr(instance, relation.object_id_field_name)))
        elif relation.one_to_many and not relation.concrete:  # a reverse foreign key
            value = getattr(instance, relation.field.attname, None)
            if value is not None:
                parents.add(str(value))
    if not parents or not head:
        return parents
    rows = record._default_manager.filter(**{f"{head}__in": parents})
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


def refresh_all(models: Iterable[type[Model]] | None = None) -> Iterator[tuple[str, int]]:
    """Render every public record of ``models`` (default: all registered) again; yields
    (model label, count) as each kind is done."""
    for model in models or list(_representers):
        pks = list(model._default_manager.values_list("pk", flat=True))
        done = render(model, pks, keep=False)
        yield model._meta.label, len(done)
