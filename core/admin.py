"""Admin building blocks shared by every app: partial-date inputs, change reasons, safe
concurrent edits, and publish/unpublish actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.admin import SimpleHistoryAdmin

from core.choices import ReviewStatus
from core.history import change_reason
from core.models import Change
from core.partial_dates import PartialDate, PartialDateError
from core.references import linking_records
from core.services import problems_of, record_delete


class PartialDateFormField(forms.CharField):
    """One text box for a partial date: "1961", "1961-07" or "1961-07-06"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "YYYY, YYYY-MM or YYYY-MM-DD, as far as the sources state it; blank if unknown.",
        )
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"size": 12, "placeholder": "YYYY[-MM[-DD]]"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except PartialDateError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class RegisterForm(forms.ModelForm):
    """A model form where each partial date is one text box, saved through the record's one
    write service.

    ``writer`` is that service and ``record_keyword`` its keyword for the record; the form
    fields in ``related_fields`` (links, a pasted text) are passed to it rather than set on
    the record. ``validator``, when set, runs the service's rules as the form validates, so a
    refusal is a form error, never a failed save.
    """

    writer = None
    validator = None
    record_keyword = ""
    related_fields: tuple[str, ...] = ()

    def related_values(self) -> dict:
        return {n: self.cleaned_data[n] for n in self.related_fields if n in self.cleaned_data}

    def _post_clean(self):
        super()._post_clean()
        if self.validator is None or self.errors:
            return
        try:
            type(self).validator(**{self.record_keyword: self.instance}, **self.related_values())
        except ValidationError as exc:
            for name, messages in problems_of(exc).items():
                self.add_error(name if name in self.fields else None, messages)

    def write(self) -> None:
        """Save the record (and its related values) through its service."""
        if self.writer is None:
            self.instance.save()
            self.save_m2m()
            return
        type(self).writer(**{self.record_keyword: self.instance}, **self.related_values())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in getattr(self._meta.model, "partial_dates", ()):
            if name in self.fields:
                self.fields[name] = PartialDateFormField(label=self.fields[name].label)
                value = self.instance.get_partial(name) if self.instance.pk else None
                self.initial[name] = value.isoformat() if value else ""

    def clean(self):
        cleaned = super().clean()
        for name in getattr(self._meta.model, "partial_dates", ()):
            if name in self.fields and name not in self.errors:
                value = cleaned.get(name)
                cleaned[name] = value.start if value else None
                setattr(self.instance, f"{name}_precision", value.precision if value else "")
        return cleaned


class VersionedForm(RegisterForm):
    """Refuses to save over a change made since the form was opened."""

    change_reason = forms.CharField(
        required=False,
        max_length=500,
        help_text="Why you are making this change; kept in the record's history.",
        widget=forms.TextInput(attrs={"size": 80}),
    )
    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and hasattr(self.instance, "updated_at"):
            self.initial["opened_version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk and opened and hasattr(self.instance, "updated_at"):
            # Row lock: nobody can slip a change in between this check and our save.
            current = (
                type(self.instance)
                .objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current is not None and current.isoformat() != opened:
                raise ValidationError(
                    "Someone changed this record after you opened it. Your edits were not saved: "
                    "open the record again to see the current version, then redo your change.",
                    code="stale",
                )
        return cleaned


@admin.action(description="Publish the selected records", permissions=["change"])
def publish(modeladmin, request, queryset):
    _set_review_status(modeladmin, request, queryset, ReviewStatus.PUBLISHED)


@admin.action(description="Unpublish the selected records (back to draft)", permissions=["change"])
def unpublish(modeladmin, request, queryset):
    _set_review_status(modeladmin, request, queryset, ReviewStatus.DRAFT)


def _set_review_status(modeladmin, request, queryset, status: str) -> None:
    """Each record through its service, one by one (each change kept in history); a record
    its service refuses is left as it was and named in an error message."""
    changed = 0
    form = modeladmin.form
    with change_reason(
        f"{'published' if status == ReviewStatus.PUBLISHED else 'unpublished'} in the admin"
    ):
        for record in queryset.exclude(review_status=status):
            record.review_status = status
            try:
                with transaction.atomic():
                    if form.writer is None:
                        record.save()
                    else:
                        form.writer(**{form.record_keyword: record})
            except ValidationError as exc:
                problems = "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in problems_of(exc).items()
                )
                modeladmin.message_user(
                    request, f"{record} was not changed: {problems}", messages.ERROR
                )
                continue
            changed += 1
    modeladmin.message_user(request, f"{changed} record(s) now {status}.", messages.SUCCESS)


def partial(field: str, label: str | None = None):
    """A list column (a ModelAdmin method) showing a partial date as "1961" or "1961-07-06"."""

    @admin.display(description=label or field.replace("_", " "), ordering=field)
    def column(modeladmin, obj):
        value = obj.get_partial(field)
        return value.isoformat() if value else "—"

    return column


def precision_fields(model) -> list[str]:
    """The *_precision twins, which the partial-date text boxes fill in."""
    return [f"{name}_precision" for name in getattr(model, "partial_dates", ())]


class RegisterInlineMixin:
    """For inlines of models with partial dates."""

    form = RegisterForm

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *precision_fields(self.model)]


class RegisterAdmin(SimpleHistoryAdmin):
    """Admin for a curated model: history, change reasons, version checks, publishing."""

    form = VersionedForm
    # https is the default scheme from Django 6; say so now, for 5.2 too.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_per_page = 50
    save_on_top = True

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if hasattr(model, "review_status"):  # drafts and published records
            self.actions = [*self.actions, publish, unpublish]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *precision_fields(self.model)]

    def get_readonly_fields(self, request, obj=None):
        stamps = [f for f in ("created_at", "updated_at") if hasattr(self.model, f)]
        return [*super().get_readonly_fields(request, obj), *stamps]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The record and its inlines are one write: one change row per record, all or nothing.
        reason = request.POST.get("change_reason") or (
            "changed in the admin" if object_id else "added in the admin"
        )
        with change_reason(reason[:500]):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        form.write()

    def save_related(self, request, form, formsets, change):
        if form.writer is None:
            form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """Each inline record through its own write service; removed ones only if nothing
        references them. An inline whose form names no service saves as Django does."""
        if not issubclass(formset.form, RegisterForm):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for record in formset.deleted_objects:
            record_delete(record=record)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            inline_form.write()

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Many-to-many links from other records would vanish silently: treat them as protecting.
        for obj in objs:
            protected.extend(
                f"{r._meta.verbose_name.capitalize()}: {r} (links to {obj})"
                for r in linking_records(obj)
            )
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        with change_reason("deleted in the admin"):
            record_delete(record=obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For fixed vocabularies and logs: curators can read them, nobody edits them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    """The change log."""

    list_display = ["changed_at", "content_type", "object_id", "action", "user", "reason"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_id", "reason", "user"]
    date_hierarchy = "changed_at"
