"""Filter and ordering bases shared by every list endpoint."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """`ordering`: comma-separated fields, `-` for descending; an unknown field is a 400.

    The primary key is always appended as a tie-breaker so pages never skip or repeat rows.
    """

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            terms = [term.strip() for term in params.split(",") if term.strip()]
            allowed = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [term for term in terms if term.lstrip("-") not in allowed]
            if unknown or not terms:
                raise APIValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown ordering field {(unknown or [params])[0]!r}; use one of: {', '.join(sorted(allowed))}."
                        ]
                    }
                )
            return terms
        return self.get_default_ordering(view)

    def filter_queryset(self, request, queryset, view):
        terms = list(self.get_ordering(request, queryset, view) or queryset.query.order_by or [])
        if "pk" not in terms and "-pk" not in terms:
            terms.append("pk")
        # Unknown values (nulls) sort last either way, on SQLite and PostgreSQL alike.
        return queryset.order_by(*(_nulls_last(term) for term in terms))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [name for name, _ in self.get_valid_fields(view.get_queryset(), view, {})]
        names = "|".join(sorted(fields, key=len, reverse=True))
        for parameter in parameters:
            parameter["schema"]["pattern"] = rf"^(-?({names})(,-?({names}))*)?$"
            parameter["description"] = (
                "Sort by these fields, comma-separated; prefix '-' for descending. "
                f"One of: {', '.join(fields)}. Ties are broken by id."
            )
        return parameters


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


def pattern_filter(pattern: str, **kwargs) -> filters.CharFilter:
    """A text filter whose value must match ``pattern`` (documented in the schema); else a 400."""

    @extend_schema_field({"type": "string", "pattern": pattern})
    class PatternFilter(filters.CharFilter):
        field_class = forms.RegexField

    return PatternFilter(regex=pattern, **kwargs)


def text_filter(**kwargs) -> filters.CharFilter:
    """Free text: any characters but NUL (which the database cannot store or compare)."""
    return pattern_filter(r"^[^\x00]*$", **kwargs)


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

    q = text_filter(method="search", label="Search", help_text="Case-insensitive text search.")

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
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition).distinct() if value else queryset
