"""Serializers for a record's history and the change feed."""

from rest_framework import serializers

from core.choices import ChangeAction
from core.history import ACTIONS
from core.models import Change


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


def versions(instance) -> list[dict]:
    """The record's historical versions, newest first, each with its changes."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    result = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                changes.append(
                    {"field": change.field, "old": _plain(change.old), "new": _plain(change.new)}
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
    return result


def _plain(value):
    if isinstance(value, list):  # many-to-many: a list of dicts of ids
        return sorted(
            str(v) if not isinstance(v, dict) else str(next(iter(v.values()))) for v in value
        )
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
