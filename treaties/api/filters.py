"""Filters for parties and treaties. Party filters accept a party id or an ISO alpha-2 code."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api.filters import SearchFilterSet
from core.partial_dates import ends_by, starts_on_or_after
from treaties.choices import Obligation, PartyKind, TreatyKind, TreatyStatus
from treaties.models import Party, Treaty
from treaties.selectors import in_force_q, party_lineage, party_resolve, status_q


class PartyRefField(forms.CharField):
    """A party id or ISO alpha-2 code, resolved to the Party; an unknown one is an error."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        party = party_resolve(value)
        if party is None:
            raise forms.ValidationError(
                f"Unknown party {value!r}: give a party id or an ISO 3166 alpha-2 code.",
                code="unknown_party",
            )
        return party


class PartyRefsField(forms.Field):
    """One or more party references (the parameter repeated)."""

    widget = forms.SelectMultiple

    def clean(self, value):
        refs = [v for v in (value or []) if v]
        return [PartyRefField().clean(ref) for ref in refs]


@extend_schema_field(OpenApiTypes.STR)
class PartyFilter(filters.Filter):
    field_class = PartyRefField


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class PartiesFilter(filters.Filter):
    field_class = PartyRefsField


class PartyFilterSet(SearchFilterSet):
    search_fields = ("name", "aliases_text", "iso_alpha2", "iso_alpha3", "id")

    kind = filters.ChoiceFilter(choices=PartyKind.choices, help_text="Only parties of this kind.")
    code = filters.CharFilter(
        method="filter_code", help_text="ISO 3166 alpha-2 or alpha-3 code (any case)."
    )

    class Meta:
        model = Party
        fields = ["q", "kind", "code"]

    def filter_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().upper()
        return (
            queryset.filter(iso_alpha2=code) if len(code) == 2 else queryset.filter(iso_alpha3=code)
        )


class TreatyFilterSet(SearchFilterSet):
    search_fields = ("title", "aliases_text", "summary", "id")

    party = PartiesFilter(
        method="filter_party",
        help_text="Party id or ISO alpha-2 code. Repeat the parameter to require all of the given parties.",
    )
    include_predecessors = filters.BooleanFilter(
        method="filter_noop",
        help_text="With `party`: also match treaties of the parties' predecessor states (e.g. the Soviet Union for RU).",
    )
    kind = filters.ChoiceFilter(choices=TreatyKind.choices, help_text="Bilateral or multilateral.")
    signed_after = filters.DateFilter(
        method="filter_signed_after",
        help_text="Signed on or after this date (YYYY-MM-DD): the whole partial signing date must be.",
    )
    signed_before = filters.DateFilter(
        method="filter_signed_before",
        help_text="Signed on or before this date (YYYY-MM-DD): the whole partial signing date must be.",
    )
    in_force_on = filters.DateFilter(
        method="filter_in_force_on",
        help_text="In force on this date (YYYY-MM-DD): entry into force known and certainly on or before it, and not ended by then.",
    )
    obligation = filters.ChoiceFilter(
        choices=Obligation.choices,
        method="filter_obligation",
        help_text="Has a provision creating this obligation.",
    )
    status = filters.ChoiceFilter(
        choices=TreatyStatus.choices,
        method="filter_status",
        help_text="Status as of today, derived from the dates.",
    )

    class Meta:
        model = Treaty
        fields = [
            "q",
            "party",
            "include_predecessors",
            "kind",
            "signed_after",
            "signed_before",
            "in_force_on",
            "obligation",
            "status",
        ]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_party(self, queryset: QuerySet, name: str, parties: list[Party]) -> QuerySet:
        for party in parties:
            ids = (
                list(party_lineage(party))
                if self.form.cleaned_data.get("include_predecessors")
                else [party.pk]
            )
            queryset = queryset.filter(
                pk__in=Treaty.objects.filter(participations__party__in=ids).values("pk")
            )
        return queryset

    def filter_signed_after(self, queryset, name, value):
        return queryset.filter(starts_on_or_after("signed_on", value))

    def filter_signed_before(self, queryset, name, value):
        return queryset.filter(ends_by("signed_on", value))

    def filter_in_force_on(self, queryset, name, value):
        return queryset.filter(in_force_q(value))

    def filter_obligation(self, queryset, name, value):
        return queryset.filter(
            pk__in=Treaty.objects.filter(provisions__obligations=value).values("pk")
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value))
