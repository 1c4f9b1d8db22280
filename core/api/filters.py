"""Filter and ordering bases shared by every list endpoint."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError
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
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown ordering field {(unknown or [params])[0]!r}; use one of: {', '.join(sorted(allowed))}."
                        ]
                    }
                )
            return terms
        return self.get_default_ordering(view)

    def filter_queryset(self, request, queryset, view):
        ordering = list(self.get_ordering(request, queryset, view) or queryset.query.order_by or [])
        if "pk" not in ordering and "-pk" not in ordering:
            ordering.append("pk")
        return queryset.order_by(*ordering)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [name for name, _ in self.get_valid_fields(view.get_queryset(), view, {})]
        for parameter in parameters:
            parameter["description"] = (
                "Sort by these fields, comma-separated; prefix '-' for descending. "
                f"One of: {', '.join(fields)}. Ties are broken by id."
            )
        return parameters


class SearchFilterSet(filters.FilterSet):
    """A FilterSet with `q`: case-insensitive substring search over ``search_fields``."""

    search_fields: tuple[str, ...] = ()

    q = filters.CharFilter(
        method="search", label="Search", help_text="Case-insensitive text search."
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition).distinct() if value else queryset
