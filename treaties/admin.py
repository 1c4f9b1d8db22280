from django import forms
from django.contrib import admin
from django.db import models

from core.admin import (
    ReadOnlyAdmin,
    RegisterAdmin,
    RegisterForm,
    RegisterInlineMixin,
    VersionedForm,
    partial,
)
from core.models import curated_fields
from sources.admin import CitationInline
from treaties.models import ObligationType, Participation, Party, Provision, Treaty
from treaties.services import (
    participation_write,
    party_validate,
    party_write,
    provision_write,
    treaty_validate,
    treaty_write,
)


class PartyForm(VersionedForm):
    writer, validator = party_write, party_validate
    record_keyword, related_fields = "party", ("successors",)


class TreatyForm(VersionedForm):
    writer, validator = treaty_write, treaty_validate
    record_keyword, related_fields = "treaty", ("replaces", "amends")


class ParticipationForm(RegisterForm):
    writer, record_keyword = participation_write, "participation"


class ParticipationAdminForm(VersionedForm):
    writer, record_keyword = participation_write, "participation"


class ProvisionForm(RegisterForm):
    writer, record_keyword, related_fields = provision_write, "provision", ("obligations",)


class ProvisionAdminForm(VersionedForm):
    writer, record_keyword, related_fields = provision_write, "provision", ("obligations",)


@admin.register(Party)
class PartyAdmin(RegisterAdmin):
    form = PartyForm
    list_display = ["name", "id", "kind", "iso_alpha2", "iso_alpha3", "review_status"]
    list_filter = ["kind", "review_status"]
    search_fields = ["id", "name", "aliases", "iso_alpha2", "iso_alpha3"]
    autocomplete_fields = ["successors"]
    inlines = [CitationInline]


@admin.register(ObligationType)
class ObligationTypeAdmin(ReadOnlyAdmin):
    """The fixed obligation vocabulary: readable, not editable."""

    list_display = ["code", "__str__"]


class ParticipationInline(RegisterInlineMixin, admin.TabularInline):
    model = Participation
    form = ParticipationForm
    extra = 0
    autocomplete_fields = ["party"]
    show_change_link = True  # its citations are edited on its own page
    fields = [
        "party",
        "signed_on",
        "signatory_name",
        "signatory_office",
        "consent_type",
        "consented_on",
        "withdrew_on",
    ]


class ProvisionInline(admin.StackedInline):
    model = Provision
    form = ProvisionForm
    extra = 0
    show_change_link = True
    fields = curated_fields(Provision)
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


@admin.register(Treaty)
class TreatyAdmin(RegisterAdmin):
    form = TreatyForm
    list_display = ["title", "id", "kind", "signed", "in_force", "ended", "review_status"]
    list_filter = ["kind", "review_status", "signed_on_precision"]
    search_fields = ["id", "title", "aliases", "summary"]
    autocomplete_fields = ["replaces", "amends"]
    inlines = [ParticipationInline, ProvisionInline, CitationInline]
    signed = partial("signed_on", "signed")
    in_force = partial("entered_into_force_on", "in force")
    ended = partial("ended_on", "ended")


@admin.register(Participation)
class ParticipationAdmin(RegisterAdmin):
    form = ParticipationAdminForm
    list_display = ["treaty", "party", "signatory_name", "consent_type"]
    list_filter = ["consent_type"]
    search_fields = ["treaty__title", "party__name", "signatory_name"]
    autocomplete_fields = ["treaty", "party"]
    inlines = [CitationInline]


@admin.register(Provision)
class ProvisionAdmin(RegisterAdmin):
    form = ProvisionAdminForm
    list_display = ["treaty", "label", "automatic"]
    list_filter = ["obligations", "automatic"]
    search_fields = ["treaty__title", "label", "summary"]
    autocomplete_fields = ["treaty"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [CitationInline]
