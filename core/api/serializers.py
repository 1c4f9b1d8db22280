"""Serializer fields shared by every app's API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.partial_dates import PartialDate

PARTIAL_DATE_SCHEMA = {
    "type": "string",
    "nullable": True,
    "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
    "example": "1961",
    "description": (
        "Partial ISO 8601 date: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' as far as it is known; "
        "null when unknown. A partial date covers the whole year or month it names."
    ),
}


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class PartialDateField(serializers.Field):
    """Renders a stored (date, precision) pair as "1961", "1961-07" or "1961-07-06", or null."""

    def __init__(self, date_field: str | None = None, **kwargs):
        self.date_field = date_field
        kwargs.setdefault("read_only", True)
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.date_field = self.date_field or field_name

    def to_representation(self, instance):
        start = getattr(instance, self.date_field)
        value = PartialDate.from_columns(start, getattr(instance, f"{self.date_field}_precision"))
        return value.isoformat() if value else None


class TextOrNullField(serializers.CharField):
    """Optional text: an empty value renders as null (unknown), never as ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None
