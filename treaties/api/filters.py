"""Filters for parties and treaties. Party filters accept a party id or an ISO alpha-2 code."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from core.api.filters import BooleanFilter, RegisterFilterSet, pattern_filter
from core.partial_dates import ends_by, starts_on_or_after
from treaties.choices import Obligation, PartyKind, TreatyKind, TreatyStatus
from treaties.models import Party, Treaty
from treaties.selectors import in_force_q, party_lineage, party_resolve, status_q

PARTY_REF_PATTERN = r"^([A-Za-z0-9][A-Za-z0-9_.-]*)?$"
_PARTY_REF_SCHEMA = {
    "type": "string",
    "pattern": PARTY_REF_PATTERN,
    "description": "A party id (e.g. 'north-korea') or ISO 3166 alpha-2 code (e.g. 'KP').",
}


class PartyRefField(forms.RegexField):
    """A party id or ISO alpha-2 code. Malformed is an error; well-formed but unknown
    resolves to None, which matches no record (like any other value nothing has)."""

    default_error_messages = {"invalid": "Enter a party id or ISO 3166 alpha-2 code."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(PARTY_REF_PATTERN, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return party_resolve(value) if value else UNSET


UNSET = object()  # the parameter was not given (or given empty): no filtering


class PartyRefsField(forms.Field):
    """One or more party references (the parameter repeated)."""

    widget = forms.SelectMultiple
    default_error_messages = {"invalid": "Enter a party id or ISO 3166 alpha-2 code."}

    def clean(self, value):
        field = PartyRefField(required=False)
        try:
            parties = [field.clean(ref) for ref in (value or []) if ref]
        except forms.ValidationError:  # any malformed reference (too long too): the one code
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return parties or UNSET


def filter_by_party(queryset: QuerySet, lookup: str, party: Party | None) -> QuerySet:
    """Records whose ``lookup`` relation holds ``party``; none when the party is unknown."""
    if party is None:
        return queryset.none()
    return queryset.filter(pk__in=queryset.model.objects.filter(**{lookup: party.pk}).values("pk"))


@extend_schema_field(_PARTY_REF_SCHEMA)
class PartyFilter(filters.Filter):
    """Filter on a party relation (``field_name``) by party id or ISO alpha-2 code."""

    field_class = PartyRefField
    blank_means_unset = True

    def filter(self, queryset, value):
        return queryset if value is UNSET else filter_by_party(queryset, self.field_name, value)


@extend_schema_field({"type": "array", "items": _PARTY_REF_SCHEMA})
class PartiesFilter(filters.Filter):
    """Repeatable party filter: records tied to every one of the given parties."""

    field_class = PartyRefsField
    blank_means_unset = True


class PartyFilterSet(RegisterFilterSet):
    search_fields = ("name", "aliases_text", "iso_alpha2", "iso_alpha3", "id")

    kind = filters.ChoiceFilter(choices=PartyKind.choices, help_text="Only parties of this kind.")
    code = pattern_filter(
        r"^([A-Za-z]{2,3})?$",
        method="filter_code",
        help_text="ISO 3166 alpha-2 or alpha-3 code (any case).",
    )

    class Meta:
        model = Party
        fields = ["q", "kind", "code"]

    def filter_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().upper()
        return (
            queryset.filter(iso_alpha2=code) if len(code) == 2 else queryset.filter(iso_alpha3=code)
        )


class TreatyFilterSet(RegisterFilterSet):
    search_fields = ("title", "aliases_text", "summary", "id")

    party = PartiesFilter(
        method="filter_party",
        help_text="Party id or ISO alpha-2 code. Repeat the parameter to require all of the given parties.",
    )
    include_predecessors = BooleanFilter(
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

    def filter_party(self, queryset: QuerySet, name: str, parties) -> QuerySet:
        if parties is UNSET:
            return queryset
        follow = self.form.cleaned_data.get("include_predecessors")
        for party in parties:
            if party is None:
                return queryset.none()
            ids = list(party_lineage(party)) if follow else [party.pk]
            participants = Treaty.objects.filter(participations__party__in=ids)
            queryset = queryset.filter(pk__in=participants.values("pk"))
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
