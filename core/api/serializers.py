"""Serializer fields shared by every app's API."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.partial_dates import PartialDate, PartialDateError

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

    def to_internal_value(self, data):
        precision = f"{self.date_field}_precision"
        if data is None:
            return {self.date_field: None, precision: ""}
        try:
            value = PartialDate.parse(data)
        except PartialDateError as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from None
        return {self.date_field: value.start, precision: value.precision}

    def validate_empty_values(self, data):
        # null is a value here ("unknown"), not an absence.
        if data is None:
            return (False, None)
        return super().validate_empty_values(data)


class TextOrNullField(serializers.CharField):
    """Optional text: an empty value renders as null (unknown), never as ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None

    def validate_empty_values(self, data):
        # Unknown arrives as null and is stored as "" (Django keeps text columns non-null).
        if data is None and not self.read_only:
            return (True, "")
        return super().validate_empty_values(data)


class ValidatedModelSerializer(serializers.ModelSerializer):
    """A write serializer that runs the model's full_clean, so the API enforces exactly the
    rules the admin does. Many-to-many and nested values are applied by the caller."""

    def validate_id(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError(
                "The id of an existing record cannot change.", code="invalid"
            )
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = model() if self.instance is None else model.objects.get(pk=self.instance.pk)
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=[f.name for f in model._meta.many_to_many])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc)) from None
        return attrs


class NestedValidatedSerializer(serializers.ModelSerializer):
    """A nested item (e.g. a treaty's participation) checked with its model's full_clean,
    leaving out the parent link and many-to-many values the parent sets."""

    parent_field = "treaty"

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        instance = model(**{k: v for k, v in attrs.items() if k not in m2m})
        try:
            instance.full_clean(exclude=[self.parent_field, *m2m], validate_unique=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc)) from None
        return attrs


def _field_errors(exc: DjangoValidationError) -> dict:
    errors: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        key = "non_field_errors" if field == "__all__" else field.removesuffix("_precision")
        errors.setdefault(key, []).extend(messages)
    return errors
