"""Who changed what, when and why: reasons for django-simple-history, and the change feed.

Every historical record also writes a row to core.Change, one table that clients sync from
(`changes/`), whatever model changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from core.choices import ChangeAction

_state = threading.local()

# django-simple-history's history_type -> the change's action.
ACTIONS = {"+": ChangeAction.CREATED, "~": ChangeAction.CHANGED, "-": ChangeAction.DELETED}


@contextmanager
def change_reason(reason: str) -> Iterator[None]:
    """Record ``reason`` on every historical record made inside the block (unless one is set).

    The outermost block is one write: however many versions a record gets inside it (its
    fields, then its many-to-many links), the change feed holds one row for it.
    """
    previous = getattr(_state, "reason", None)
    outermost = getattr(_state, "changes", None) is None
    _state.reason = reason
    if outermost:
        _state.changes = {}
    try:
        yield
    finally:
        _state.reason = previous
        if outermost:
            _state.changes = None


def current_reason() -> str | None:
    return getattr(_state, "reason", None)


def _apply_reason(sender, instance, history_instance, **kwargs) -> None:
    if not history_instance.history_change_reason and current_reason():
        history_instance.history_change_reason = current_reason()


def _record_change(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    from core.models import Change

    previous = history_instance.prev_record if history_instance.history_type == "~" else None
    changed_fields = []
    if previous is not None:
        changed_fields = sorted(history_instance.diff_against(previous).changed_fields)
        if not changed_fields:
            return  # a save that changed nothing is no change
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
    change = Change.objects.create(
        content_type=content_type,
        object_id=str(instance.pk),
        history_id=history_instance.history_id,
        action=ACTIONS[history_instance.history_type],
        changed_at=history_instance.history_date,
        user=history_user.get_username() if history_user else "",
        reason=history_instance.history_change_reason or "",
        changed_fields=changed_fields,
    )
    if changes is not None:
        changes[key] = change


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
