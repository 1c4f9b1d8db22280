"""Input and output of screening (``match/``), in the shape of yente's ``POST /match``."""

from __future__ import annotations

import pycountry
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.names import identifier_normalise
from core.partial_dates import PartialDate, PartialDateError
from sanctions.api.serializers import DesignationSerializer
from sanctions.matching import (
    DEFAULT_LIMIT,
    DEFAULT_THRESHOLD,
    MAX_LIMIT,
    MAX_QUERIES,
    SCHEMA_KINDS,
    EntityQuery,
)

MAX_VALUES = 20  # values of one property
IDENTIFIER_PROPERTIES = ("idNumber", "passportNumber", "imoNumber")
_NO_NUL = RegexValidator(r"^[^\x00]*$", "NUL characters are not allowed.")
# YYYY, YYYY-MM or a real calendar day (so the schema's pattern and the check agree).
_PARTIAL_DATE = RegexValidator(
    r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2]))?$"
    r"|^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"
    r"|^[1-9][0-9]{3}-(0[13-9]|1[0-2])-(29|30)$"
    r"|^[1-9][0-9]{3}-(0[13578]|1[02])-31$"
    r"|^([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29$",
    "Use YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date.",
)
# ISO 3166 alpha-2 codes, in either case (FollowTheMoney writes them in lower case).
COUNTRY_CODES = sorted(
    {c.alpha_2 for c in pycountry.countries} | {c.alpha_2.lower() for c in pycountry.countries}
)


class TextField(serializers.CharField):
    """A string, and only a string (DRF's CharField would take the number 0 as "0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _values(help_text: str, max_length: int = 200, validator=_NO_NUL) -> serializers.ListField:
    """Strings; blank ones are ignored, except where the pattern refuses them (dates)."""
    blank = validator is _NO_NUL
    return serializers.ListField(
        child=TextField(max_length=max_length, validators=[validator], allow_blank=blank),
        required=False,
        max_length=MAX_VALUES,
        help_text=help_text,
    )


def _countries(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=COUNTRY_CODES),
        required=False,
        max_length=MAX_VALUES,
        help_text=help_text,
    )


class EntityPropertiesSerializer(serializers.Serializer):
    """FollowTheMoney-style properties of an example entity; others are accepted and ignored."""

    name = _values("Names in any script (at most 20).", max_length=300)
    birthDate = _values(
        "Birth dates as YYYY, YYYY-MM or YYYY-MM-DD.", max_length=10, validator=_PARTIAL_DATE
    )
    nationality = _countries("Nationalities: ISO 3166 alpha-2 codes, either case.")
    country = _countries("Countries (of residence, registration, ...): ISO 3166 alpha-2 codes.")
    idNumber = _values("Identification numbers of any type (national id, tax, registration).")
    passportNumber = _values("Passport numbers.")
    imoNumber = _values("IMO ship numbers.")

    def validate_birthDate(self, values: list[str]) -> list[PartialDate]:
        dates = []
        for value in values:
            try:
                dates.append(PartialDate.parse(value))
            except PartialDateError as exc:
                raise serializers.ValidationError(str(exc), code="invalid") from None
        return dates

    def validate_nationality(self, values: list[str]) -> list[str]:
        return [value.upper() for value in values]

    def validate_country(self, values: list[str]) -> list[str]:
        return [value.upper() for value in values]


class EntityQuerySerializer(serializers.Serializer):
    """An example entity to screen: its schema and properties."""

    schema = serializers.ChoiceField(
        choices=list(SCHEMA_KINDS),
        help_text="Person, Organization, Company, LegalEntity (a person or an organisation), Vessel or Airplane.",
    )
    properties = EntityPropertiesSerializer(help_text="What is known of the entity.")


def entity_query(data: dict) -> EntityQuery:
    """A checked query (EntityQuerySerializer's validated data), for sanctions.matching."""
    properties = data["properties"]
    return EntityQuery(
        schema=data["schema"],
        names=tuple(n for n in properties.get("name", []) if n.strip()),
        birth_dates=tuple(properties.get("birthDate", [])),
        countries=frozenset(properties.get("nationality", []) + properties.get("country", [])),
        identifiers=frozenset(
            normalised
            for prop in IDENTIFIER_PROPERTIES
            for value in properties.get(prop, [])
            if (normalised := _identifier(prop, value))
        ),
    )


def _identifier(prop: str, value: str) -> str:
    """The normalised identifier; an IMO number without its "IMO" prefix, as lists store it."""
    normalised = identifier_normalise(value)
    return normalised.removeprefix("IMO") if prop == "imoNumber" else normalised


class MatchRequestSerializer(serializers.Serializer):
    """A batch of example entities, each under a key of the caller's choosing."""

    queries = serializers.DictField(
        child=EntityQuerySerializer(),
        help_text=f"Example entities by key (at most {MAX_QUERIES}); each response comes under the same key.",
    )

    def validate_queries(self, queries: dict) -> dict:
        if len(queries) > MAX_QUERIES:
            raise serializers.ValidationError(
                f"At most {MAX_QUERIES} queries per request ({len(queries)} given).",
                code="max_length",
            )
        long_keys = [key for key in queries if len(key) > 100]
        if long_keys:
            raise serializers.ValidationError(
                "A query key has at most 100 characters.", code="max_length"
            )
        return queries


class MatchParametersSerializer(serializers.Serializer):
    """The query string of ``match/``."""

    threshold = serializers.FloatField(
        min_value=0.0,
        max_value=1.0,
        default=DEFAULT_THRESHOLD,
        help_text=f"Score from which a result is a match (default {DEFAULT_THRESHOLD}).",
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=f"Results per query (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}).",
    )
    regime = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=20,
        help_text="Only designations under one of these regimes (id or key; repeatable).",
    )
    include_delisted = serializers.BooleanField(
        default=False, help_text="Also screen against delisted designations (default false)."
    )


class FeatureSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="The feature's signed contribution to the score.")
    detail = serializers.CharField(help_text="What matched, in words.")


@extend_schema_field(DesignationSerializer)
class StoredDesignationField(serializers.Field):
    """A designation's stored representation (core.representations), already as JSON data."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value


class MatchResultSerializer(serializers.Serializer):
    """A designation the entity may be, with its score and the evidence."""

    id = serializers.CharField(source="designation_id", help_text="The designation's id.")
    caption = serializers.CharField(help_text="The designation's primary name.")
    schema = serializers.CharField(help_text="Person, Organization, Vessel or Airplane.")
    score = serializers.FloatField(help_text="0 to 1, deterministic.")
    match = serializers.BooleanField(help_text="Whether the score reaches the threshold.")
    explanations = serializers.DictField(
        child=FeatureSerializer(),
        help_text="The features that produced the score: name, birthDate, country, identifier.",
    )
    designation = StoredDesignationField(help_text="The designation, as designations/ lists it.")


class TotalSerializer(serializers.Serializer):
    value = serializers.IntegerField(help_text="Candidates that scored above zero.")
    relation = serializers.ChoiceField(choices=["eq"], help_text="Always eq: the count is exact.")


class QueryResponseSerializer(serializers.Serializer):
    """The ranked results for one query."""

    status = serializers.IntegerField(help_text="200.")
    query = serializers.DictField(help_text="The query as given.")
    total = TotalSerializer()
    results = MatchResultSerializer(many=True, help_text="Best first; ties by id.")


class MatchResponseSerializer(serializers.Serializer):
    """Results for every query, under the query's key."""

    responses = serializers.DictField(child=QueryResponseSerializer())
    limit = serializers.IntegerField(help_text="Results per query asked for.")


class MatchErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. invalid, invalid_choice, max_length, max_value.")
    detail = serializers.CharField(help_text="What is wrong, in words.")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The parameter or the field, with the query's key: e.g. `limit` or "
        "`queries.q1.properties.birthDate.0`; null when the body is not JSON.",
    )


class MatchErrorResponseSerializer(serializers.Serializer):
    """The register's error shape; attr names the query key and the property."""

    type = serializers.ChoiceField(
        choices=["validation_error", "client_error"],
        help_text="validation_error, or client_error for a body that is not JSON.",
    )
    errors = MatchErrorSerializer(many=True)
