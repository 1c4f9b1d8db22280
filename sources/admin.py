from itertools import pairwise

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from core.admin import RegisterAdmin, RegisterForm, VersionedForm
from sources.models import Citation, Source
from sources.services import citation_validate, citation_write, source_validate, source_write


class CitationForm(RegisterForm):
    """Pick a source and paste a quote: offsets are found in the source text, or the form
    says the quote is not there."""

    writer, record_keyword = citation_write, "citation"

    class Meta:
        model = Citation
        fields = ["field", "source", "quote", "stance", "note"]
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "note": forms.Textarea(attrs={"rows": 2, "cols": 40}),
        }


class CitationFormSet(BaseGenericInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Tell the citation which record it is for before it validates its field name.
        if self.instance.pk is not None:
            form.instance.content_type = self.ct_field.related_model.objects.get_for_model(
                self.instance
            )
            form.instance.object_id = str(self.instance.pk)
        return form


class CitationInline(GenericTabularInline):
    """The evidence for a record, edited on the record's own page."""

    model = Citation
    form = CitationForm
    formset = CitationFormSet
    extra = 0
    autocomplete_fields = ["source"]
    readonly_fields = ["start", "end"]
    fields = ["field", "source", "quote", "stance", "note", "start", "end"]


def _record_link(citation: Citation) -> str | None:
    model = citation.content_type.model_class()
    if model is None:
        return None
    try:
        return reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[citation.object_id],
        )
    except NoReverseMatch:
        return None


def highlighted_text(source: Source) -> str:
    """The source text with each cited quote marked and linked to the record it supports."""
    citations = list(source.citations.select_related("content_type").order_by("start", "end"))
    bounds = sorted(
        {0, len(source.text), *(c.start for c in citations), *(c.end for c in citations)}
    )
    parts = []
    for begin, end in pairwise(bounds):
        segment = source.text[begin:end]
        covering = [c for c in citations if c.start <= begin and end <= c.end]
        if not covering:
            parts.append(format_html("{}", segment))
            continue
        first = covering[0]
        title = "; ".join(
            f"{c.content_type.model} {c.object_id}: {c.field} ({c.stance})" for c in covering
        )
        link = _record_link(first)
        css = "disputes" if any(c.stance == "disputes" for c in covering) else "supports"
        if link:
            parts.append(
                format_html(
                    '<mark class="{}" title="{}"><a href="{}">{}</a></mark>',
                    css,
                    title,
                    link,
                    segment,
                )
            )
        else:
            parts.append(format_html('<mark class="{}" title="{}">{}</mark>', css, title, segment))
    return format_html(
        '<div style="white-space: pre-wrap; max-width: 60em; line-height: 1.5">{}</div>'
        "<style>mark.disputes {{ background: #f8c9c9 }} mark.supports {{ background: #fff2a8 }}</style>",
        format_html_join("", "{}", ((p,) for p in parts)),
    )


class SourceForm(VersionedForm):
    writer, validator = source_write, source_validate
    record_keyword, related_fields = "source", ("text",)


class CitationAdminForm(VersionedForm):
    writer, validator, record_keyword = citation_write, citation_validate, "citation"


@admin.register(Source)
class SourceAdmin(RegisterAdmin):
    form = SourceForm
    list_display = [
        "id",
        "title",
        "kind",
        "publisher",
        "published_display",
        "review_status",
        "citation_count",
    ]
    list_filter = ["kind", "review_status"]
    search_fields = ["id", "title", "publisher"]
    readonly_fields = ["sha256", "cited_text"]
    inlines = [CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "id",
                    "kind",
                    "title",
                    "publisher",
                    "published_on",
                    "url",
                    "file_name",
                    "review_status",
                    "change_reason",
                    "opened_version",
                ]
            },
        ),
        ("Text", {"fields": ["text", "sha256"], "classes": ["collapse"]}),
        ("Cited passages", {"fields": ["cited_text"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_citation_count=Count("citations"))
            .order_by("id")
        )

    @admin.display(description="published", ordering="published_on")
    def published_display(self, source):
        value = source.get_partial("published_on")
        return value.isoformat() if value else "—"

    @admin.display(description="citations", ordering="_citation_count")
    def citation_count(self, source):
        return source._citation_count

    @admin.display(
        description="Text with every cited quote highlighted (hover for what it supports; click to open it)"
    )
    def cited_text(self, source):
        return highlighted_text(source) if source.pk else "—"


@admin.register(Citation)
class CitationAdmin(RegisterAdmin):
    form = CitationAdminForm
    list_display = ["id", "content_type", "object_id", "field", "source", "stance", "short_quote"]
    list_filter = ["stance", "content_type", "source"]
    search_fields = ["quote", "note", "object_id"]
    autocomplete_fields = ["source"]
    readonly_fields = ["start", "end"]
    fields = [
        "content_type",
        "object_id",
        "field",
        "source",
        "quote",
        "stance",
        "note",
        "start",
        "end",
        "change_reason",
        "opened_version",
    ]

    @admin.display(description="quote")
    def short_quote(self, citation):
        return citation.quote if len(citation.quote) <= 80 else citation.quote[:77] + "…"
