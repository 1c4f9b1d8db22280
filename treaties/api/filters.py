"""Filters for parties and treaties. Party filters accept a party id or an ISO alpha-2 code."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from core.api.filters import (
    MAX_REF_LENGTH,
    MAX_REPEATS,
    BooleanFilter,
    DateFilter,
    PatternField,
    RegisterFilterSet,
    pattern_filter,
    python_regex,
)
from core.partial_dates import ends_by, starts_on_or_after
from treaties.choices import Obligation, PartyKind, TreatyKind, TreatyStatus
from treaties.models import Participation, Party, Provision, Treaty
from treaties.selectors import (
    in_force_q,
    party_lineage,
    party_names,
    status_q,
)

PARTY_REF_PATTERN = r"^([A-Za-z0-9][A-Za-z0-9_.-]*)?$"
_PARTY_REF_SCHEMA = {
    "type": "string",
    "pattern": PARTY_REF_PATTERN,
    "maxLength": MAX_REF_LENGTH,
    "description": "A party id (e.g. 'north-korea') or ISO 3166 alpha-2 code (e.g. 'KP').",
}


class PartyRefSyntaxField(PatternField):
    """A well-formed party id or ISO alpha-2 code, as sent (no surrounding whitespace)."""

    default_error_messages = {"invalid": "Enter a party id or ISO 3166 alpha-2 code."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_REF_LENGTH)
        kwargs.setdefault("strip", False)
        super().__init__(python_regex(PARTY_REF_PATTERN), **kwargs)


class PartyRefField(PartyRefSyntaxField):
    """A party id or ISO alpha-2 code, cleaned to the party's id. Malformed is an error;
    well-formed but unknown resolves to None, which matches no record (like any other value
    nothing has)."""

    def clean(self, value):
        value = super().clean(value)
        return party_names().resolve(value) if value else UNSET


UNSET = object()  # the parameter was not given (or given empty): no filtering


class PartyRefsField(forms.Field):
    """One or more party references (the parameter repeated, at most ``MAX_REPEATS`` times).

    Cleans to the distinct parties' ids (None for a reference that names no party).
    """

    widget = forms.SelectMultiple
    # The codes a single value's check raises too, named here so that the schema declares them.
    default_error_messages = {
        "invalid": "Enter a party id or ISO 3166 alpha-2 code.",
        "null_characters_not_allowed": "Null characters are not allowed.",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # On the values as given, as the schema's maxItems counts them.
        self.validators.append(
            MaxLengthValidator(
                MAX_REPEATS, message="Give at most %(limit_value)d values (got %(show_value)d)."
            )
        )

    def clean(self, value):
        values = list(value or [])
        self.run_validators(values)
        syntax = PartyRefSyntaxField(required=False)
        refs = list(dict.fromkeys(syntax.clean(ref) for ref in values))
        refs = [ref for ref in refs if ref]
        if not refs:
            return UNSET
        names = party_names()
        return list(dict.fromkeys(names.resolve(ref) for ref in refs))  # RU, ru, russia: one


def filter_by_party(queryset: QuerySet, lookup: str, party: str | None) -> QuerySet:
    """Records whose ``lookup`` relation holds the party with id ``party``; none when the
    party is unknown (None)."""
    if party is None:
        return queryset.none()
    field = queryset.model._meta.get_field(lookup) if "__" not in lookup else None
    if field is not None and field.many_to_one:
        # A foreign key on the row itself: a plain condition, which an index can serve in
        # the list's order (a subquery here makes the database check it row by row).
        return queryset.filter(**{lookup: party})
    return queryset.filter(pk__in=queryset.model.objects.filter(**{lookup: party}).values("pk"))


@extend_schema_field(_PARTY_REF_SCHEMA)
class PartyFilter(filters.Filter):
    """Filter on a party relation (``field_name``) by party id or ISO alpha-2 code."""

    field_class = PartyRefField
    blank_means_unset = True

    def filter(self, queryset, value):
        return queryset if value is UNSET else filter_by_party(queryset, self.field_name, value)


@extend_schema_field({"type": "array", "items": _PARTY_REF_SCHEMA, "maxItems": MAX_REPEATS})
class PartiesFilter(filters.Filter):
    """Repeatable party filter: records tied to every one of the given parties."""

    field_class = PartyRefsField
    blank_means_unset = True


class PartyFilterSet(RegisterFilterSet):
    search_fields = ("name", "aliases_text", "iso_alpha2", "iso_alpha3", "id")

    kind = filters.ChoiceFilter(choices=PartyKind.choices, help_text="Only parties of this kind.")
    code = pattern_filter(
        r"^([A-Za-z]{2,3})?$",
        max_length=3,
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
        help_text=f"Party id or ISO alpha-2 code. Repeat the parameter (at most {MAX_REPEATS} times) to require all of the given parties.",
    )
    include_predecessors = BooleanFilter(
        method="filter_noop",
        help_text="With `party`: also match treaties of the parties' predecessor states (e.g. the Soviet Union for RU).",
    )
    kind = filters.ChoiceFilter(choices=TreatyKind.choices, help_text="Bilateral or multilateral.")
    signed_after = DateFilter(
        method="filter_signed_after",
        help_text="Signed on or after this date (YYYY-MM-DD): the whole partial signing date must be.",
    )
    signed_before = DateFilter(
        method="filter_signed_before",
        help_text="Signed on or before this date (YYYY-MM-DD): the whole partial signing date must be.",
    )
    in_force_on = DateFilter(
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

    def filter_party(self, queryset: QuerySet, name: str, ids) -> QuerySet:
        if ids is UNSET:
            return queryset
        if None in ids:
            return queryset.none()
        follow = self.form.cleaned_data.get("include_predecessors")
        lineages = [set(party_lineage(pk)) if follow else {pk} for pk in ids]
        # The treaties are those of participations of the first party (or its lineage) whose
        # treaty also has participations of each other party: one condition on the treaties,
        # the others nested in it (at most MAX_REPEATS: a bounded plan). As one condition per
        # party on the treaties, PostgreSQL read all 100,000 treaties at 100k to hash-join
        # them to North Korea's 938 participations (22 ms for RU and KP); nested, it probes
        # the participations' (treaty, party) index from the rarer party's rows (3 ms). The
        # participations' own treaty ids, not a join back to treaties, which hid from the
        # planner how few they are (it sorted all 100,000 treaties, then probed each).
        first, *others = lineages
        participants = Participation.objects.filter(party__in=first)
        for lineage in others:
            participants = participants.filter(
                treaty_id__in=Participation.objects.filter(party__in=lineage).values("treaty_id")
            )
        return queryset.filter(pk__in=participants.values("treaty_id"))

    def filter_signed_after(self, queryset, name, value):
        return queryset.filter(starts_on_or_after("signed_on", value))

    def filter_signed_before(self, queryset, name, value):
        return queryset.filter(ends_by("signed_on", value))

    def filter_in_force_on(self, queryset, name, value):
        return queryset.filter(in_force_q(value))

    def filter_obligation(self, queryset, name, value):
        return queryset.filter(
            pk__in=Provision.objects.filter(obligations=value).values("treaty_id")
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value))
