from django_filters import rest_framework as filters

from core.api.filters import RegisterFilterSet
from sources.choices import SourceKind
from sources.models import Source


class SourceFilterSet(RegisterFilterSet):
    search_fields = ("title", "publisher", "id")

    kind = filters.ChoiceFilter(choices=SourceKind.choices, help_text="Only sources of this kind.")

    class Meta:
        model = Source
        fields = ["q", "kind"]
