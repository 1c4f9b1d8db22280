"""Who changed what, when and why: reasons for django-simple-history, and the change feed.

Every historical record also writes a row to core.Change, one table that clients sync from
(`changes/`), whatever model changed. The rows are made here and nowhere else: by the signal
handler for single saves, and by history_bulk_created for bulk inserts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from simple_history.signals import post_create_historical_record, pre_create_historical_record
from simple_history.utils import get_history_manager_for_model, get_m2m_reverse_field_name

from core import register_state, representations
from core.choices import ChangeAction

_state = threading.local()

# django-simple-history's history_type -> the change's action.
ACTIONS = {"+": ChangeAction.CREATED, "~": ChangeAction.CHANGED, "-": ChangeAction.DELETED}


@contextmanager
def change_reason(reason: str) -> Iterator[None]:
    """Record ``reason`` on every historical record made inside the block (unless one is set).

    The outermost block is one write, in one transaction: however many versions a record gets
    inside it (its fields, then its many-to-many links), the change feed holds one row for it,
    and the stored representations it changed are rendered again once, before it commits.
    """
    previous = getattr(_state, "reason", None)
    if getattr(_state, "changes", None) is not None:  # inside a write: only the reason
        _state.reason = reason
        try:
            yield
        finally:
            _state.reason = previous
        return
    _state.reason, _state.changes, _state.dirty, _state.names = reason, {}, False, False
    pending = representations.begin()
    done = False
    try:
        with transaction.atomic(), register_state.writing():
            yield
            representations.finish(pending, render_now=True)
            if _state.dirty:
                register_state.advance(names=_state.names)
            done = True
    finally:
        if not done:
            representations.finish(pending, render_now=False)
        _state.reason, _state.changes, _state.dirty, _state.names = previous, None, False, False


def current_reason() -> str | None:
    return getattr(_state, "reason", None)


def _apply_reason(sender, instance, history_instance, **kwargs) -> None:
    if not history_instance.history_change_reason and current_reason():
        history_instance.history_change_reason = current_reason()


def _record_change(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    previous = history_instance.prev_record if history_instance.history_type == "~" else None
    changed_fields = []
    if previous is not None:
        delta = history_instance.diff_against(previous)
        changed_fields = sorted(delta.changed_fields)
        if not changed_fields:
            return  # a save that changed nothing is no change
        _links_changed(type(instance), delta.changes)
    representations.records_changed(
        type(instance),
        [instance],
        action=ACTIONS[history_instance.history_type],
        changed_fields=changed_fields,
        before=[previous] if previous is not None else [],
    )
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    key = (content_type.pk, str(instance.pk))
    changes = getattr(_state, "changes", None)
    earlier = changes.get(key) if changes is not None else None
    if earlier is not None and earlier.action != ChangeAction.DELETED:
        # The same write changed the record again (e.g. its links after its fields): one row.
        earlier.history_id = history_instance.history_id
        earlier.changed_at = history_instance.history_date
        if history_instance.history_type == "-":
            earlier.action = ChangeAction.DELETED
        if earlier.action == ChangeAction.CHANGED:
            earlier.changed_fields = sorted(set(earlier.changed_fields) | set(changed_fields))
        earlier.save(update_fields=["history_id", "changed_at", "action", "changed_fields"])
        return
    change = _change_row(content_type, instance.pk, history_instance, history_user)
    change.changed_fields = changed_fields
    change.save()
    if changes is not None:
        changes[key] = change
    _register_changed(type(instance))


def _register_changed(model) -> None:
    """A change-feed row of a ``model`` record was written: inside a write, its version moves
    once when the write ends; outside one, now. With it the register's names, where such a
    record is one they are read from."""
    names = register_state.Names.moved_by(model)
    if getattr(_state, "changes", None) is not None:
        _state.dirty = True
        _state.names = _state.names or names
    else:
        register_state.advance(names=names)


def _links_changed(model, changes) -> None:
    """Tell the stored representations which records gained or lost a many-to-many link."""
    for change in changes:
        field = model._meta.get_field(change.field)
        if field.many_to_many:
            column = get_m2m_reverse_field_name(field)
            rows = [*(change.old or []), *(change.new or [])]
            representations.links_changed(model, change.field, {row[column] for row in rows})


def _change_row(content_type: ContentType, object_id, version, user=None):
    """The change-feed row for one historical version (unsaved)."""
    from core.models import Change

    return Change(
        content_type=content_type,
        object_id=str(object_id),
        history_id=version.history_id,
        action=ACTIONS[version.history_type],
        changed_at=version.history_date,
        user=user.get_username() if user else "",
        reason=version.history_change_reason or "",
    )


BATCH = 500
# Objects whose versions are built and held at once: an import of 15,000 designations held
# every version, change-feed row and link copy together (60 MB of its 300 MB peak).
CHUNK = 2_000


def history_bulk_created(model, objs: list, *, m2m_links: dict[str, list] | None = None) -> None:
    """Write the "created" version and change-feed row of each bulk-created object, with the
    current change_reason; ``m2m_links`` (field name -> through rows already saved) gives each
    version its copy of the links. Written ``CHUNK`` objects at a time."""
    from core.models import Change

    reason = current_reason() or ""
    manager = get_history_manager_for_model(model)
    pk_name = model._meta.pk.attname
    content_type = ContentType.objects.get_for_model(model)
    owner = f"{model._meta.model_name}_id"
    link_tables = []  # (the table of each version's copy of its links, the links by owner)
    for field_name, links in (m2m_links or {}).items():
        column = get_m2m_reverse_field_name(model._meta.get_field(field_name))
        representations.links_changed(
            model, field_name, {getattr(link, f"{column}_id") for link in links}
        )
        # django-simple-history keeps each version's own copy of its links in this table.
        link_history = manager.model._meta.get_field(
            f"historical{model._meta.model_name}_{field_name}"
        ).related_model
        by_owner: dict[object, list] = {}
        for link in links:
            by_owner.setdefault(getattr(link, owner), []).append(link)
        link_tables.append((link_history, by_owner))
    for start in range(0, len(objs), CHUNK):
        versions = manager.bulk_history_create(
            objs[start : start + CHUNK], batch_size=BATCH, default_change_reason=reason
        )
        by_pk = {getattr(v, pk_name): v for v in versions}
        Change.objects.bulk_create(
            [_change_row(content_type, pk, version) for pk, version in by_pk.items()],
            batch_size=BATCH,
        )
        for link_history, by_owner in link_tables:
            link_history.objects.bulk_create(
                [
                    link_history(
                        **{f.attname: getattr(link, f.attname) for f in link._meta.concrete_fields},
                        history_id=version.history_id,
                    )
                    for pk, version in by_pk.items()
                    for link in by_owner.get(pk, ())
                ],
                batch_size=BATCH,
            )
    if objs:
        _register_changed(model)
    representations.records_changed(model, objs, action=ChangeAction.CREATED, bulk=True)


def connect() -> None:
    pre_create_historical_record.connect(_apply_reason, dispatch_uid="core.history.reason")
    post_create_historical_record.connect(_record_change, dispatch_uid="core.history.change")


LOADER_REASON = "load_records"


def edited_since_loaded(instance) -> bool:
    """True when someone other than load_records (a curator, an import) made the record's
    latest version: the loader must then leave it as it is."""
    if instance._state.adding or not hasattr(instance, "history"):
        return False
    reason = (
        instance.history.order_by("-history_date", "-history_id")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    return reason is not None and not reason.startswith(LOADER_REASON)
