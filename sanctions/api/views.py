from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.examples import example
from core.api.views import INCLUDE_DRAFTS, RegisterViewSet, write_schema
from sanctions.api.filters import DesignationFilterSet, RegimeFilterSet
from sanctions.api.serializers import DesignationSerializer, RegimeSerializer, RelationsSerializer
from sanctions.api.write_serializers import DesignationWriteSerializer, RegimeWriteSerializer
from sanctions.selectors import designations_for_api, regimes_for_api, relations_timeline
from sanctions.services import designation_delete
from treaties.selectors import party_resolve


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


class RelationsQuerySerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, help_text="Only what was in force or active on this date (YYYY-MM-DD)."
    )


@extend_validation_errors(["invalid"], field_name="on", methods=["get"])
@extend_validation_errors(["invalid"], field_name="other", methods=["get"])
class RelationsView(APIView):
    """The treaties and regimes that tie two parties, following state succession."""

    serializer_class = RelationsSerializer
    permission_classes = [AllowAny]  # read-only: it defines GET alone

    @extend_schema(
        tags=["parties"],
        summary="Relations between two parties",
        description="A dated timeline of every treaty and sanctions regime that ties the two parties, following "
        "state succession: asking about Russia (`RU`) and North Korea (`KP`) includes the Soviet Union's 1961 "
        "treaty, marked in `via_succession`. Parties may be given by id or ISO alpha-2 code. With `on`, only "
        "entries in force (treaties) or active (regimes) on that date.",
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="First party: id or ISO alpha-2 code.",
            ),
            OpenApiParameter(
                "other",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Second party: id or ISO alpha-2 code.",
            ),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="A date (YYYY-MM-DD)."
            ),
        ],
        responses=RelationsSerializer,
        examples=[
            OpenApiExample(
                "Russia and North Korea", value=example("relations-ru-kp"), response_only=True
            )
        ],
    )
    def get(self, request, id: str, other: str):
        if request.query_params.get("on") == "":
            raise ValidationError(
                {"on": ["Give a date (YYYY-MM-DD), or leave the parameter out."]}, code="invalid"
            )
        query = RelationsQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        if party_resolve(id) is not None and party_resolve(id) == party_resolve(other):
            raise ValidationError({"other": ["Give two different parties."]}, code="invalid")
        parties = {}
        for name, ref in (("id", id), ("other", other)):
            parties[name] = party_resolve(ref)
            if parties[name] is None:
                raise NotFound(f"No party with id or ISO alpha-2 code {ref!r}.")
        on = query.validated_data.get("on")
        timeline = relations_timeline(party=parties["id"], other=parties["other"], on=on)
        data = {"party": parties["id"], "other": parties["other"], "on": on, "timeline": timeline}
        return Response(RelationsSerializer(data).data)
