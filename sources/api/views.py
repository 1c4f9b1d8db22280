from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from core.api.examples import example
from core.api.views import RegisterReadOnlyViewSet
from sources.api.filters import SourceFilterSet
from sources.api.serializers import SourceDetailSerializer, SourceSerializer
from sources.selectors import sources_for_api


@extend_schema_view(
    list=extend_schema(
        tags=["sources"],
        summary="List sources",
        description="The documents facts come from: seed articles, official list files, datasets. Each has the "
        "SHA-256 of its exact bytes.",
        examples=[
            OpenApiExample("A seed article", value=example("source-list-item"), response_only=True)
        ],
    ),
    retrieve=extend_schema(
        tags=["sources"],
        summary="Get a source",
        description="One source by id, with its full text: every citation's `start` and `end` index into `text`.",
    ),
)
class SourceViewSet(RegisterReadOnlyViewSet):
    queryset = sources_for_api()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    ordering_fields = ["title", "published_on", "id"]
    ordering = ["id"]

    def get_serializer_class(self):
        return SourceDetailSerializer if self.action == "retrieve" else SourceSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        # The full text is only needed (and only sent) on the detail view.
        return queryset if self.action == "retrieve" else queryset.defer("text")
