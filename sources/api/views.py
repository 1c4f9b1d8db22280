from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from core.api.examples import example
from core.api.exports import export_schema
from core.api.views import INCLUDE_DRAFTS, RegisterViewSet, write_schema
from sources.api.filters import CitationFilterSet, SourceFilterSet
from sources.api.serializers import (
    CitationDetailSerializer,
    SourceDetailSerializer,
    SourceSerializer,
)
from sources.api.write_serializers import CitationWriteSerializer, SourceWriteSerializer
from sources.models import Source
from sources.selectors import (
    citations_for_api,
    public_citation_counts,
    sources_with_citation_counts,
)


@extend_schema_view(
    list=extend_schema(
        tags=["sources"],
        parameters=[INCLUDE_DRAFTS],
        summary="List sources",
        description="The documents facts come from: seed articles, official list files, datasets. Each has the "
        "SHA-256 of its exact bytes.",
        examples=[
            OpenApiExample("A seed article", value=example("source-list-item"), response_only=True)
        ],
    ),
    retrieve=extend_schema(
        tags=["sources"],
        parameters=[INCLUDE_DRAFTS],
        summary="Get a source",
        description="One source by id, with its full text: every citation's `start` and `end` index into `text`.",
    ),
    export=export_schema(
        "sources", "sources", parameters=[INCLUDE_DRAFTS], example=example("source-list-item")
    ),
    **write_schema("source", "sources"),
)
class SourceViewSet(RegisterViewSet):
    queryset = sources_with_citation_counts()  # a curator's view; the public's: published_only
    serializer_class = SourceSerializer
    write_serializer_class = SourceWriteSerializer
    filterset_class = SourceFilterSet
    ordering_fields = ["title", "published_on", "id"]
    ordering = ["id"]

    def get_serializer_class(self):
        return (
            SourceDetailSerializer if self.action == "retrieve" else super().get_serializer_class()
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        # The full text is only needed (and only sent) on the detail view.
        return queryset if self.action == "retrieve" else queryset.defer("text")

    def published_only(self, queryset):
        # Without the per-row count: the public counts come from the serializer's context,
        # counted once per register version (public_citation_counts). The class queryset
        # keeps the annotation for curators' views and for the responses to writes
        # (RegisterViewSet._represent reads it without this view's get_queryset).
        return super().published_only(Source.objects.all())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and not self._drafts_requested():
            context["citation_counts"] = public_citation_counts()  # kept per register version
        return context


@extend_schema_view(
    list=extend_schema(
        tags=["citations"],
        summary="List citations",
        description="Evidence: each citation ties a verbatim quote (with its offsets in the source text) to one "
        "field of one record. Filter by `record_type` and `record_id`, `source`, `field` or `stance`.",
    ),
    retrieve=extend_schema(
        tags=["citations"], summary="Get a citation", description="One citation by id."
    ),
    export=export_schema("citations", "citations"),
    **write_schema("citation", "citations"),
)
class CitationViewSet(RegisterViewSet):
    queryset = citations_for_api()
    serializer_class = CitationDetailSerializer
    write_serializer_class = CitationWriteSerializer
    filterset_class = CitationFilterSet
    ordering_fields = ["id", "field", "start"]
    ordering = ["id"]
    lookup_value_regex = r"[0-9]+"
