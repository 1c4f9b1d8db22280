import re

from django_filters import rest_framework as filters

from core.api.filters import DateFilter, RegisterFilterSet, text_filter
from core.names import identifier_normalise
from core.partial_dates import ends_by, starts_on_or_after
from sanctions.choices import DesignationKind, DesignationStatus, Measure, RegimeStatus
from sanctions.models import Designation, DesignationIdentifier, SanctionsRegime
from sanctions.selectors import active_q, designation_status_q, regime_names, regime_status_q
from treaties.api.filters import PartyFilter


class RegimeFilterSet(RegisterFilterSet):
    search_fields = ("key", "name", "legal_basis", "reason", "id")

    issuer = PartyFilter(field_name="issuer", help_text="Issuer: party id or ISO alpha-2 code.")
    target = PartyFilter(field_name="targets", help_text="A target: party id or ISO alpha-2 code.")
    active_on = DateFilter(
        method="filter_active_on",
        help_text="Active on this date (YYYY-MM-DD): start known and on or before it, not ended by then.",
    )
    measure = filters.ChoiceFilter(
        choices=Measure.choices, method="filter_measure", help_text="Imposes this measure."
    )
    status = filters.ChoiceFilter(
        choices=RegimeStatus.choices, method="filter_status", help_text="Status as of today."
    )

    class Meta:
        model = SanctionsRegime
        fields = ["q", "issuer", "target", "active_on", "measure", "status"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(active_q(value))

    def filter_measure(self, queryset, name, value):
        return queryset.filter(pk__in=SanctionsRegime.objects.filter(measures=value).values("pk"))

    def filter_status(self, queryset, name, value):
        return queryset.filter(regime_status_q(value))


class DesignationFilterSet(RegisterFilterSet):
    search_fields = ("name", "aliases__name", "reference_number")

    regime = text_filter(
        method="filter_regime", help_text="Listed under this regime: its id or key (e.g. UN-DPRK)."
    )
    kind = filters.ChoiceFilter(choices=DesignationKind.choices, help_text="What is listed.")
    status = filters.ChoiceFilter(
        choices=DesignationStatus.choices, method="filter_status", help_text="listed or delisted."
    )
    nationality = PartyFilter(
        field_name="nationality", help_text="Nationality: party id or ISO alpha-2 code."
    )
    listed_after = DateFilter(
        method="filter_listed_after", help_text="Listed on or after this date (YYYY-MM-DD)."
    )
    listed_before = DateFilter(
        method="filter_listed_before", help_text="Listed on or before this date (YYYY-MM-DD)."
    )
    reference_number = text_filter(
        field_name="reference_number",
        lookup_expr="iexact",
        help_text="Exact reference number, any case.",
    )
    identifier = text_filter(
        method="filter_identifier",
        help_text="An identifier (passport, national id, IMO number, ...), compared normalised: "
        "'OA 454044' finds 'OA454044'.",
    )

    class Meta:
        model = Designation
        fields = [
            "q",
            "regime",
            "kind",
            "status",
            "nationality",
            "listed_after",
            "listed_before",
            "reference_number",
            "identifier",
        ]

    def filter_identifier(self, queryset, name, value):
        normalised = identifier_normalise(value)
        # An IMO number is stored without its prefix: "IMO 9187629" finds 9187629.
        imo = re.fullmatch(r"IMO(\d{7})", normalised)
        values = [normalised, imo[1]] if imo else [normalised]
        holders = DesignationIdentifier.objects.filter(normalised__in=values)
        return queryset.filter(pk__in=holders.values("designation_id"))

    def filter_regime(self, queryset, name, value):
        # Like party references: a draft regime names nothing, so a filter cannot reveal it.
        # Resolved first (the names come with the version): the database plans with the ids as constants.
        ids = regime_names().resolve(value)
        links = Designation.regimes.through.objects.filter(sanctionsregime_id__in=ids)
        return queryset.filter(pk__in=links.values("designation_id"))

    def filter_status(self, queryset, name, value):
        return queryset.filter(designation_status_q(value))

    def filter_listed_after(self, queryset, name, value):
        return queryset.filter(starts_on_or_after("listed_on", value))

    def filter_listed_before(self, queryset, name, value):
        return queryset.filter(ends_by("listed_on", value))
