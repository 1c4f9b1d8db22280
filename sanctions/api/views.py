from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from core.api.examples import example
from core.api.views import INCLUDE_DRAFTS, RegisterViewSet, write_schema
from sanctions.api.filters import DesignationFilterSet, RegimeFilterSet
from sanctions.api.serializers import DesignationSerializer, RegimeSerializer
from sanctions.api.write_serializers import DesignationWriteSerializer, RegimeWriteSerializer
from sanctions.selectors import designations_for_api, regimes_for_api
from sanctions.services import designation_delete


@extend_schema_view(
    list=extend_schema(
        tags=["regimes"],
        parameters=[INCLUDE_DRAFTS],
        summary="List sanctions regimes",
        description="Sanctions regimes with issuer, targets, legal basis, dates, measures and citations. `issuer` and "
        "`target` accept a party id or ISO alpha-2 code; `active_on` only reports regimes whose start is known.",
        examples=[
            OpenApiExample(
                "UN sanctions on North Korea", value=example("regime-un-dprk"), response_only=True
            )
        ],
    ),
    retrieve=extend_schema(
        tags=["regimes"],
        parameters=[INCLUDE_DRAFTS],
        summary="Get a sanctions regime",
        description="One regime by id (e.g. `un-dprk`), with the quoted evidence for each fact.",
        examples=[
            OpenApiExample(
                "UN sanctions on North Korea", value=example("regime-un-dprk"), response_only=True
            )
        ],
    ),
    **write_schema("sanctions regime", "regimes"),
)
class RegimeViewSet(RegisterViewSet):
    queryset = regimes_for_api()
    serializer_class = RegimeSerializer
    write_serializer_class = RegimeWriteSerializer
    filterset_class = RegimeFilterSet
    ordering_fields = ["key", "name", "started_on", "ended_on", "id"]
    ordering = ["key"]


@extend_schema_view(
    list=extend_schema(
        tags=["designations"],
        parameters=[INCLUDE_DRAFTS],
        summary="List designations",
        description="People, entities, vessels and aircraft listed under sanctions regimes. `q` searches names, "
        "aliases and reference numbers; a delisted record stays, with its delisting date.",
    ),
    retrieve=extend_schema(
        tags=["designations"],
        parameters=[INCLUDE_DRAFTS],
        summary="Get a designation",
        description="One designation by id, with its aliases, regimes, dates and source list file.",
    ),
    **write_schema("designation", "designations"),
)
class DesignationViewSet(RegisterViewSet):
    queryset = designations_for_api()
    serializer_class = DesignationSerializer
    write_serializer_class = DesignationWriteSerializer
    filterset_class = DesignationFilterSet
    ordering_fields = ["name", "listed_on", "delisted_on", "reference_number", "id"]
    ordering = ["name"]

    def perform_destroy(self, instance):
        designation_delete(designation=instance)
