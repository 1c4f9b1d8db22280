from django_filters import rest_framework as filters

from core.api.filters import RegisterFilterSet, text_filter
from sources.api.serializers import CITABLE
from sources.choices import SourceKind, Stance
from sources.models import Citation, Source


class SourceFilterSet(RegisterFilterSet):
    search_fields = ("title", "publisher", "id")

    kind = filters.ChoiceFilter(choices=SourceKind.choices, help_text="Only sources of this kind.")

    class Meta:
        model = Source
        fields = ["q", "kind"]


class CitationFilterSet(RegisterFilterSet):
    search_fields = ("quote", "note")

    record_type = filters.ChoiceFilter(
        choices=[(name, name) for name in sorted(CITABLE)],
        method="filter_record_type",
        help_text="Kind of record.",
    )
    record_id = text_filter(field_name="object_id", help_text="The record's id (with record_type).")
    source = text_filter(field_name="source_id", help_text="The source's id.")
    field = text_filter(field_name="field", help_text="The record field cited for.")
    stance = filters.ChoiceFilter(choices=Stance.choices, help_text="supports or disputes.")

    class Meta:
        model = Citation
        fields = ["q", "record_type", "record_id", "source", "field", "stance"]

    def filter_record_type(self, queryset, name, value):
        app_label, model = CITABLE[value]
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
