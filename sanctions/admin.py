from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path

from core.admin import ReadOnlyAdmin, RegisterAdmin, VersionedForm, partial
from core.history import change_reason
from sanctions.models import (
    Designation,
    DesignationAddress,
    DesignationAlias,
    DesignationIdentifier,
    MeasureType,
    SanctionsRegime,
)
from sanctions.screening import screening_view
from sanctions.services import (
    designation_create,
    designation_delete,
    designation_update,
    designation_validate,
    designation_write,
    regime_validate,
    regime_write,
)
from sources.admin import CitationInline


@admin.register(MeasureType)
class MeasureTypeAdmin(ReadOnlyAdmin):
    """The fixed measure vocabulary: readable, not editable."""

    list_display = ["code", "__str__"]


class RegimeForm(VersionedForm):
    writer, validator = regime_write, regime_validate
    record_keyword, related_fields = "regime", ("targets", "measures")


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
    fields = ["name", "quality", "script"]
    readonly_fields = ["script"]  # derived from the name by the designation service


class IdentifierInline(admin.TabularInline):
    """Identifiers as the list import wrote them: read here, written by the import."""

    model = DesignationIdentifier
    extra = 0
    can_delete = False
    fields = ["type", "value", "normalised", "country", "issued", "expires", "note"]
    readonly_fields = fields
    issued = partial("issued_on", "issued")
    expires = partial("expires_on", "expires")

    def has_add_permission(self, request, obj=None):
        return False


class AddressInline(admin.TabularInline):
    """Addresses and places of birth as the list import wrote them: read here."""

    model = DesignationAddress
    extra = 0
    can_delete = False
    fields = ["kind", "text", "street", "city", "state_province", "postal_code", "country", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DesignationForm(VersionedForm):
    """Checks a designation with the designation service's own rules (e.g. a regime).

    The admin's save writes it with its aliases (DesignationAdmin.save_related); ``writer``
    is what the publish and unpublish actions call."""

    writer, record_keyword = designation_write, "designation"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regimes"].required = False  # the service says why one is needed

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            designation_validate(
                designation=self.instance,
                regimes=self.cleaned_data.get("regimes") or [],
                aliases=(),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = field.removesuffix("_precision")
                self.add_error(name if name in self.fields else None, messages)


@admin.register(Designation)
class DesignationAdmin(RegisterAdmin):
    """Designations are written by the designation service, with their regimes and aliases."""

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
    inlines = [AliasInline, IdentifierInline, AddressInline, CitationInline]
    listed = partial("listed_on", "listed")
    delisted = partial("delisted_on", "delisted")

    def get_urls(self):
        screen = self.admin_site.admin_view(lambda request: screening_view(self, request))
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_screen"
        return [path("screen/", screen, name=name), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related writes the designation with its regimes and aliases."""

    def save_related(self, request, form, formsets, change):
        reason = form.cleaned_data.get("change_reason") or (
            "changed in the admin" if change else "added in the admin"
        )
        alias_formset = next(f for f in formsets if f.model is DesignationAlias)
        alias_formset.save(commit=False)  # lists what changed, for the admin's log message
        aliases = [
            (f.cleaned_data["name"], f.cleaned_data.get("quality", ""))
            for f in alias_formset.forms
            if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]
        regimes = form.cleaned_data.get("regimes") or []
        with change_reason(reason):
            if change:
                designation_update(designation=form.instance, regimes=regimes, aliases=aliases)
            else:
                values = {
                    f.attname: getattr(form.instance, f.attname)
                    for f in Designation._meta.concrete_fields
                    if f.name not in ("created_at", "updated_at")
                }
                designation_create(values=values, regimes=regimes, aliases=aliases)
            for formset in formsets:
                if formset is not alias_formset:
                    self.save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        with change_reason("deleted in the admin"):
            designation_delete(designation=obj)

    def delete_queryset(self, request, queryset):
        with change_reason("deleted in the admin"):
            for designation in queryset:
                designation_delete(designation=designation)
