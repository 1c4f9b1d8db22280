"""The change feed: every change to a curated record, oldest first, for clients that sync."""

import datetime as dt

from django.apps import apps
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny

from core.api.exports import export_schema
from core.api.filters import RegisterFilterSet, text_filter
from core.api.history import ChangeSerializer
from core.api.views import RegisterReadOnlyViewSet
from core.models import Change


def _tracked_models() -> list[tuple[str, str]]:
    names = sorted(
        {
            m._meta.model_name
            for m in apps.get_models()
            if hasattr(m, "history") and not m._meta.model_name.startswith("historical")
        }
    )
    return [(name, name) for name in names]


class ChangeFilterSet(RegisterFilterSet):
    search_fields = ("reason", "object_id")

    since = filters.IsoDateTimeFilter(
        method="filter_since",
        help_text="Only changes after this time (ISO 8601, e.g. 2026-11-22T10:00:00Z).",
    )
    model = filters.ChoiceFilter(
        choices=_tracked_models(),
        method="filter_model",
        help_text="Only changes to this kind of record.",
    )
    record_id = text_filter(
        field_name="object_id", help_text="Only changes to the record with this id."
    )

    class Meta:
        model = Change
        fields = ["q", "since", "model", "record_id"]

    def filter_since(self, queryset, name, value):
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 strings may carry.
        return queryset.filter(changed_at__gt=value.astimezone(dt.UTC))

    def filter_model(self, queryset, name, value):
        return queryset.filter(content_type__model=value)


@extend_schema_view(
    list=extend_schema(
        tags=["changes"],
        summary="List changes",
        description="Who changed which record, when and why, oldest first. Poll with `since` set to the "
        "`changed_at` of the last change you saw to sync.",
    ),
    retrieve=extend_schema(
        tags=["changes"], summary="Get a change", description="One change by id."
    ),
    export=export_schema("changes", "changes"),
)
class ChangeViewSet(RegisterReadOnlyViewSet):
    queryset = Change.objects.select_related("content_type")
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    permission_classes = [AllowAny]  # read-only: the feed of public history
    ordering_fields = ["changed_at", "id"]
    ordering = ["changed_at"]
    lookup_value_regex = r"[0-9]+"
