"""The curators' screening page in the admin: one entity in, ranked designations out, with
the explanation of every score (the same matcher as POST /api/v1/match/)."""

from __future__ import annotations

import pycountry
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from core.names import identifier_normalise
from core.partial_dates import PartialDate, PartialDateError
from sanctions.matching import (
    DEFAULT_THRESHOLD,
    SCHEMA_KINDS,
    EntityQuery,
    MatchOptions,
    entities_match,
)
from sanctions.models import Designation

COUNTRIES = [
    ("", "any"),
    *sorted(
        ((c.alpha_2, f"{c.name} ({c.alpha_2})") for c in pycountry.countries), key=lambda c: c[1]
    ),
]


class ScreeningForm(forms.Form):
    """What a curator knows of the entity to screen."""

    name = forms.CharField(max_length=300, help_text="In any script.")
    schema = forms.ChoiceField(
        choices=[(s, s) for s in SCHEMA_KINDS], initial="LegalEntity", help_text="What it is."
    )
    birth_date = forms.CharField(
        max_length=10, required=False, help_text="YYYY, YYYY-MM or YYYY-MM-DD (optional)."
    )
    country = forms.ChoiceField(choices=COUNTRIES, required=False, help_text="Optional.")
    identifier = forms.CharField(
        max_length=200, required=False, help_text="Passport, national id, IMO number (optional)."
    )
    include_delisted = forms.BooleanField(required=False)

    def clean_birth_date(self) -> PartialDate | None:
        raw = self.cleaned_data["birth_date"].strip()
        try:
            return PartialDate.parse(raw) if raw else None
        except PartialDateError as exc:
            raise forms.ValidationError(str(exc)) from None

    def entity(self) -> EntityQuery:
        """The checked form as a matcher query."""
        data = self.cleaned_data
        identifier = identifier_normalise(data["identifier"])
        return EntityQuery(
            schema=data["schema"],
            names=(data["name"],),
            birth_dates=(data["birth_date"],) if data["birth_date"] else (),
            countries=frozenset([data["country"]]) if data["country"] else frozenset(),
            identifiers=frozenset({identifier, identifier.removeprefix("IMO")} - {""}),
        )


def screening_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """The screening page: the form, and with a name the ten best designations."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = ScreeningForm(request.GET or None)
    rows = []
    if form.is_valid():
        options = MatchOptions(limit=10, include_delisted=form.cleaned_data["include_delisted"])
        outcome = entities_match(queries={"q": form.entity()}, options=options)["q"]
        designations = Designation.objects.in_bulk([m.designation_id for m in outcome.results])
        rows = [(match, designations[match.designation_id]) for match in outcome.results]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Screen a name against the designations",
        "form": form,
        "rows": rows,
        "threshold": DEFAULT_THRESHOLD,
        "searched": form.is_bound and form.is_valid(),
    }
    return TemplateResponse(request, "admin/sanctions/designation/screen.html", context)
