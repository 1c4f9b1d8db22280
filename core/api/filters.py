"""Filter and ordering bases shared by every list endpoint.

Every parameter's cost is bounded (docs/api.md, Limits): text is at most ``MAX_SEARCH_LENGTH``
(`q`) or ``MAX_REF_LENGTH`` (ids, codes, references) characters, a repeatable parameter takes
at most ``MAX_REPEATS`` values, `ordering` at most ``MAX_ORDERING_TERMS`` terms. The schema
declares each limit (maxLength, maxItems, pattern), and the API refuses exactly what it does.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.filters import OrderingFilter

from core.lookups import AmongSubquery

MAX_SEARCH_LENGTH = 200  # `q`: free-text search
MAX_REF_LENGTH = 100  # ids, codes, keys, reference numbers, field names
MAX_REPEATS = 10  # values of one repeatable parameter (e.g. treaties' `party`)
MAX_ORDERING_TERMS = 3


def python_regex(pattern: str) -> str:
    """``pattern`` (the schema's, ECMA semantics) for Python: `$` must not match before a
    trailing newline, or `KP%0A` would pass a check the schema says it fails."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern


class StrictOrderingFilter(OrderingFilter):
    """`ordering`: comma-separated fields, `-` for descending, at most ``MAX_ORDERING_TERMS``,
    each field once; anything else (an unknown or empty term, `--title`, `title,-title`) is a 400.

    The primary key is always appended as a tie-breaker so pages never skip or repeat rows.
    """

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        allowed = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
        terms = params.split(",")
        if problem := _ordering_problem(terms, allowed):
            raise APIValidationError({self.ordering_param: [problem]})
        return terms

    def filter_queryset(self, request, queryset, view):
        terms = list(self.get_ordering(request, queryset, view) or queryset.query.order_by or [])
        if "pk" not in terms and "-pk" not in terms:
            terms.append("pk")
        # Unknown values (nulls) sort last either way, on SQLite and PostgreSQL alike.
        return queryset.order_by(*(_nulls_last(term) for term in terms))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [name for name, _ in self.get_valid_fields(view.get_queryset(), view, {})]
        for parameter in parameters:
            parameter["schema"]["pattern"] = ordering_pattern(fields)
            parameter["description"] = (
                "Sort by these fields, comma-separated; prefix '-' for descending. "
                f"One of: {', '.join(fields)}; at most {MAX_ORDERING_TERMS} terms, each field "
                "once. Ties are broken by id."
            )
        return parameters


def _ordering_problem(terms: list[str], allowed: set[str]) -> str | None:
    """Why these ordering terms are refused, or None when they are fine."""
    if len(terms) > MAX_ORDERING_TERMS:
        return f"Give at most {MAX_ORDERING_TERMS} ordering terms (got {len(terms)})."
    seen: set[str] = set()
    for term in terms:
        name = term[1:] if term.startswith("-") else term
        if name not in allowed:
            return f"Unknown ordering field {term!r}; use one of: {', '.join(sorted(allowed))}."
        if name in seen:
            return f"Ordering names {name!r} more than once."
        seen.add(name)
    return None


def ordering_pattern(fields: list[str]) -> str:
    """The schema's pattern for `ordering`: what ``_ordering_problem`` accepts, no more or less."""
    names = "|".join(re.escape(name) for name in sorted(fields, key=len, reverse=True))
    term = rf"-?(?:{names})"
    repeated = rf"(?!(?:[^,]*,)*-?({names}),(?:[^,]*,)*-?\1(?:,|$))"
    return rf"^{repeated}({term}(?:,{term}){{0,{MAX_ORDERING_TERMS - 1}}})?$"


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than silently ignored."""

    default_error_messages = {"invalid": "Use true or false."}
    _values = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self._values[str(value).lower()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field({"type": "boolean"})
class BooleanFilter(filters.Filter):
    field_class = StrictBooleanField


class PatternField(forms.RegexField):
    """Text matching a pattern, at most ``max_length`` characters as sent: the length is
    checked before surrounding whitespace is stripped, as the schema's maxLength counts it."""

    def to_python(self, value):
        if isinstance(value, str) and self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                f"Give at most {self.max_length} characters (got {len(value)}).",
                code="max_length",
            )
        return super().to_python(value)


def pattern_filter(
    pattern: str, *, max_length: int = MAX_REF_LENGTH, strip: bool = False, **kwargs
) -> filters.CharFilter:
    """A text filter whose value must match ``pattern`` and be at most ``max_length``
    characters (both documented in the schema); else a 400 naming it."""

    @extend_schema_field({"type": "string", "pattern": pattern, "maxLength": max_length})
    class PatternFilter(filters.CharFilter):
        field_class = PatternField

    return PatternFilter(regex=python_regex(pattern), max_length=max_length, strip=strip, **kwargs)


def text_filter(*, max_length: int = MAX_REF_LENGTH, **kwargs) -> filters.CharFilter:
    """Free text: any characters but NUL (which the database cannot store or compare);
    surrounding whitespace is ignored."""
    return pattern_filter(r"^[^\x00]*$", max_length=max_length, strip=True, **kwargs)


class IsoDateField(forms.DateField):
    """A full date as YYYY-MM-DD in ASCII digits; Django's other input formats (10/25/2006)
    and non-ASCII digits are refused, as the schema's `format: date` does."""

    _iso = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

    def to_python(self, value):
        if isinstance(value, str) and value and not self._iso.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def strptime(self, value, format):
        return dt.datetime.strptime(value, "%Y-%m-%d").date()


class DateFilter(filters.DateFilter):
    """A date parameter (YYYY-MM-DD only)."""

    field_class = IsoDateField


def _nulls_last(term):
    if not isinstance(term, str):
        return term
    return (
        F(term[1:]).desc(nulls_last=True) if term.startswith("-") else F(term).asc(nulls_last=True)
    )


class RegisterFilterSet(filters.FilterSet):
    """A FilterSet with `q` (case-insensitive substring search over ``search_fields``) that
    refuses an empty value for a typed parameter: `in_force_on=` is an error, not "no filter"."""

    search_fields: tuple[str, ...] = ()

    q = text_filter(
        max_length=MAX_SEARCH_LENGTH,
        method="search",
        label="Search",
        help_text=f"Case-insensitive text search (at most {MAX_SEARCH_LENGTH} characters).",
    )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            # Free text and references are strings: an empty one just means "no filter".
            stringly = isinstance(filter_, filters.CharFilter) or getattr(
                filter_, "blank_means_unset", False
            )
            if not stringly and "" in self.data.getlist(name):
                message = "Give a value, or leave the parameter out."
                code = (
                    "invalid_choice"
                    if "invalid_choice" in self.form.fields[name].error_messages
                    else "invalid"
                )
                self.form.add_error(name, ValidationError(message, code=code))
                valid = False
        return valid

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        condition = Q()
        own = [field for field in self.search_fields if LOOKUP_SEP not in field]
        for field in own:
            condition |= Q(**{f"{field}__icontains": value})
        related = [field for field in self.search_fields if LOOKUP_SEP in field]
        if not related:
            return queryset.filter(condition)
        # One search per table, their ids combined: an OR across a join would read every row
        # (and need DISTINCT) instead of using each column's index.
        model = queryset.model
        matches = model._default_manager.filter(condition).order_by().values("pk")
        for path in related:
            matches = matches.union(_related_matches(model, path, value))
        return queryset.filter(AmongSubquery(F("pk"), matches))


def _related_matches(model, path: str, value: str) -> QuerySet:
    """Ids of ``model`` rows whose related ``path`` contains ``value`` (any case)."""
    first, _, rest = path.partition(LOOKUP_SEP)
    relation = model._meta.get_field(first)
    if relation.one_to_many and not relation.concrete:  # a reverse foreign key: its table only
        rows = relation.related_model._default_manager.filter(**{f"{rest}__icontains": value})
        return rows.order_by().values(relation.field.attname)
    return model._default_manager.filter(**{f"{path}__icontains": value}).order_by().values("pk")
