from django.contrib import admin

from core.admin import ReadOnlyAdmin, RegisterAdmin, VersionedForm, partial
from sanctions.models import Designation, DesignationAlias, MeasureType, SanctionsRegime
from sanctions.services import designation_write, regime_validate, regime_write
from sources.admin import CitationInline


@admin.register(MeasureType)
class MeasureTypeAdmin(ReadOnlyAdmin):
    """The fixed measure vocabulary: readable, not editable."""

    list_display = ["code", "__str__"]


class RegimeForm(VersionedForm):
    writer, validator = regime_write, regime_validate
    record_keyword, related_fields = "regime", ("targets", "measures")


class DesignationForm(VersionedForm):
    writer, record_keyword, related_fields = designation_write, "designation", ("regimes",)


@admin.register(SanctionsRegime)
class SanctionsRegimeAdmin(RegisterAdmin):
    form = RegimeForm
    list_display = ["key", "name", "issuer", "started", "ended", "review_status"]
    list_filter = ["review_status", "measures", "issuer"]
    search_fields = ["id", "key", "name", "legal_basis", "reason"]
    autocomplete_fields = ["issuer", "targets"]
    filter_horizontal = ["measures"]
    inlines = [CitationInline]
    started = partial("started_on", "started")
    ended = partial("ended_on", "ended")


class AliasInline(admin.TabularInline):
    model = DesignationAlias
    extra = 0
    fields = ["name", "quality"]


@admin.register(Designation)
class DesignationAdmin(RegisterAdmin):
    form = DesignationForm
    list_display = [
        "name",
        "reference_number",
        "kind",
        "nationality",
        "listed",
        "delisted",
        "review_status",
    ]
    list_filter = ["kind", "review_status", "regimes"]
    search_fields = ["id", "name", "reference_number", "aliases__name"]
    autocomplete_fields = ["regimes", "nationality", "source"]
    inlines = [AliasInline, CitationInline]
    listed = partial("listed_on", "listed")
    delisted = partial("delisted_on", "delisted")
