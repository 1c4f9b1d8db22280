"""Serializers for a record's history and the change feed."""

from rest_framework import serializers

from core.choices import ChangeAction
from core.history import ACTIONS
from core.models import Change
from core.visibility import public_pks


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field that changed.")
    old = serializers.JSONField(allow_null=True, help_text="Its value before.")
    new = serializers.JSONField(allow_null=True, help_text="Its value after.")


class VersionSerializer(serializers.Serializer):
    """One historical version of a record."""

    history_id = serializers.IntegerField(help_text="Id of this version.")
    action = serializers.ChoiceField(choices=ChangeAction.choices, help_text="What happened.")
    changed_at = serializers.DateTimeField(help_text="When.")
    user = serializers.CharField(allow_null=True, help_text="Who (null for commands and imports).")
    reason = serializers.CharField(allow_null=True, help_text="Why.")
    changes = FieldChangeSerializer(
        many=True, help_text="What changed compared with the version before."
    )


class ChangeSerializer(serializers.ModelSerializer):
    """One change to a curated record."""

    model = serializers.CharField(
        source="content_type.model", read_only=True, help_text="The kind of record, e.g. 'treaty'."
    )
    record_id = serializers.CharField(
        source="object_id", read_only=True, help_text="The record's id."
    )
    user = serializers.CharField(
        read_only=True, allow_null=True, help_text="Who (null for commands and imports)."
    )
    reason = serializers.CharField(read_only=True, help_text="Why.")

    class Meta:
        model = Change
        fields = [
            "id",
            "model",
            "record_id",
            "action",
            "changed_at",
            "user",
            "reason",
            "changed_fields",
            "history_id",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["user"] = data["user"] or None
        return data


def versions(instance, *, public: bool = False) -> list[dict]:
    """The record's historical versions, newest first, each with its changes; with ``public``,
    references to records the public may not see are left out of the changes."""
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    result = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": change.field,
                        "old": _plain(change.old, field),
                        "new": _plain(change.new, field),
                    }
                )
        result.append(
            {
                "history_id": record.history_id,
                "action": ACTIONS[record.history_type],
                "changed_at": record.history_date,
                "user": record.history_user.get_username() if record.history_user else None,
                "reason": record.history_change_reason or None,
                "changes": changes,
            }
        )
    if public:
        _hide_private_references(model, result)
    return result


def _plain(value, field):
    if field.many_to_many:  # the through rows, as dicts of ids: keep the related record's
        target = field.m2m_reverse_field_name()
        return sorted(str(v[target]) if isinstance(v, dict) else str(v) for v in value or [])
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _hide_private_references(model, result: list[dict]) -> None:
    """Leave out of the changes the ids of related records the public may not see."""
    changes = [change for version in result for change in version["changes"]]
    referenced: dict = {}
    for change in changes:
        related = model._meta.get_field(change["field"]).related_model
        if related is not None:
            for value in (change["old"], change["new"]):
                values = value if isinstance(value, list) else [value]
                referenced.setdefault(related, set()).update(v for v in values if v is not None)
    visible = {related: public_pks(related, pks) for related, pks in referenced.items()}
    for version in result:
        kept = []
        for change in version["changes"]:
            related = model._meta.get_field(change["field"]).related_model
            if related is not None:
                for side in ("old", "new"):
                    value = change[side]
                    if isinstance(value, list):
                        change[side] = [v for v in value if v in visible[related]]
                    elif value is not None and str(value) not in visible[related]:
                        change[side] = None
            if change["old"] != change["new"]:  # a change to a draft link alone is no change
                kept.append(change)
        version["changes"] = kept
