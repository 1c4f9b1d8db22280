from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api.examples import example
from core.api.renderers import FastJSONRenderer
from register.api.serializers import RelationsSerializer
from register.selectors import relations_timeline
from treaties.selectors import parties_resolve


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
    # Its data is text, booleans, null, lists and dicts: the same bytes, rendered faster.
    renderer_classes = [
        FastJSONRenderer,
        *(kind for kind in api_settings.DEFAULT_RENDERER_CLASSES if kind is not JSONRenderer),
    ]

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
        resolved = parties_resolve([id, other])
        parties = {"id": resolved[id], "other": resolved[other]}
        if parties["id"] is not None and parties["id"] == parties["other"]:
            raise ValidationError({"other": ["Give two different parties."]}, code="invalid")
        for name, ref in (("id", id), ("other", other)):
            if parties[name] is None:
                raise NotFound(f"No party with id or ISO alpha-2 code {ref!r}.")
        on = query.validated_data.get("on")
        timeline = relations_timeline(party=parties["id"], other=parties["other"], on=on)
        data = {"party": parties["id"], "other": parties["other"], "on": on, "timeline": timeline}
        # The representation alone: ``.data`` would keep the serializer, and through it the
        # timeline's entries, in a reference cycle that only the garbage collector frees.
        return Response(RelationsSerializer().to_representation(data))
