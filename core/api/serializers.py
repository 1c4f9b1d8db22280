"""Serializer fields shared by every app's API."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.partial_dates import PartialDate, PartialDateError
from core.services import problems_of

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


class UnknownIsNullMixin:
    """Unknown arrives and renders as null, and is stored as "" (Django keeps text columns
    non-null)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None

    def validate_empty_values(self, data):
        if data is None and not self.read_only:
            return (True, "")
        return super().validate_empty_values(data)


class TextOrNullField(UnknownIsNullMixin, serializers.CharField):
    """Optional text: an empty value renders as null (unknown), never as ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class ChoiceOrNullField(UnknownIsNullMixin, serializers.ChoiceField):
    """An optional choice: an enum value, or null when unknown."""


class ModelDerivedFieldsMixin:
    """Fields built from the model, declared once there: a partial date (with its
    ``_precision`` twin) becomes one PartialDateField; optional text is null when unknown;
    an optional choice is an enum or null. Labels and help text come from the model field."""

    def build_standard_field(self, field_name, model_field):
        model = self.Meta.model
        common = {"required": False, "help_text": model_field.help_text or None}
        if field_name in getattr(model, "partial_dates", ()):
            return PartialDateField, {**common, "read_only": False}
        if model_field.blank and model_field.choices and not model_field.primary_key:
            choices = [(value, label) for value, label in model_field.choices if value]
            return ChoiceOrNullField, {**common, "choices": choices}
        if isinstance(model_field, models.JSONField) and model_field.default is list:
            child = serializers.CharField()
            return serializers.ListField, {**common, "child": child}
        text = isinstance(model_field, (models.CharField, models.TextField))
        if model_field.blank and not model_field.null and text:
            kwargs = {**common, "read_only": False}
            if model_field.max_length:
                kwargs["max_length"] = model_field.max_length
            return TextOrNullField, kwargs
        return super().build_standard_field(field_name, model_field)


def model_help_text(model: type[models.Model], name: str) -> str:
    """The help text the model declares for a field; "" for reverse and unknown names."""
    try:
        return str(getattr(model._meta.get_field(name), "help_text", "") or "")
    except FieldDoesNotExist:
        return ""


class RecordReadSerializer(ModelDerivedFieldsMixin, serializers.ModelSerializer):
    """A read representation: every field read-only, built as the write side builds it.

    A field the model declares takes its help text from the model, declared fields (nested
    records, renamed sources) included, so a field's description is written once, on the
    model; only what the model does not hold (derived values, reverse relations) says its own.
    """

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra.setdefault(name, {})["read_only"] = True
        return extra

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if not field.help_text:
                source = field.source if field.source and field.source != "*" else name
                field.help_text = model_help_text(self.Meta.model, source) or None
                # A to-many field's items say it too, as when declared with many=True.
                for item in (getattr(field, "child_relation", None), getattr(field, "child", None)):
                    if item is not None and not item.help_text:
                        item.help_text = field.help_text
        return fields


class PartWriteSerializer(ModelDerivedFieldsMixin, serializers.ModelSerializer):
    """A nested part of a record (e.g. a treaty's participation), validated by the record's
    write service together with the record."""


class RecordWriteSerializer(ModelDerivedFieldsMixin, serializers.ModelSerializer):
    """Input for a record, written through the record's one write service, so the API
    enforces exactly the rules the admin, the loader and the importers do.

    Subclasses implement ``write(instance, **related)`` (calling the service) and name in
    ``related_fields`` the inputs passed to it (links, nested parts) rather than set on the
    record. The service's problems become a 400 naming each field.
    """

    related_fields: tuple[str, ...] = ()
    # Service field names that the API calls differently.
    renamed_fields: dict[str, str] = {}

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        id_kwargs = extra.setdefault("id", {})
        id_kwargs.setdefault("help_text", "Stable identifier (slug); cannot change once created.")
        return extra

    def validate_id(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError(
                "The id of an existing record cannot change.", code="invalid"
            )
        return value

    def write(self, instance, **related) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say which service writes it")

    def create(self, validated_data):
        return self._write(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._write(instance, validated_data)

    def _write(self, instance, data: dict):
        related = {name: data.pop(name) for name in self.related_fields if name in data}
        for name, value in data.items():
            setattr(instance, name, value)
        try:
            self.write(instance, **related)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(self._errors_of(exc)) from None
        return instance

    def _errors_of(self, exc: DjangoValidationError) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for name, messages in problems_of(exc).items():
            key = "non_field_errors" if name == NON_FIELD_ERRORS else name
            errors.setdefault(self.renamed_fields.get(key, key), []).extend(messages)
        return errors
