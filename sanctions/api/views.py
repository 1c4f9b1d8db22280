import json

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.examples import example
from core.api.exports import export_schema
from core.api.views import INCLUDE_DRAFTS, RegisterViewSet, write_schema
from core.representations import served
from sanctions.api.filters import DesignationFilterSet, RegimeFilterSet
from sanctions.api.ftm import designations_entities, ftm_example, regimes_entities
from sanctions.api.match_serializers import (
    MatchErrorResponseSerializer,
    MatchParametersSerializer,
    MatchRequestSerializer,
    MatchResponseSerializer,
    entity_query,
)
from sanctions.api.serializers import DesignationSerializer, RegimeSerializer
from sanctions.api.write_serializers import DesignationWriteSerializer, RegimeWriteSerializer
from sanctions.matching import (
    DEFAULT_LIMIT,
    DEFAULT_THRESHOLD,
    MAX_LIMIT,
    MatchOptions,
    QueryOutcome,
    entities_match,
)
from sanctions.models import Designation
from sanctions.selectors import designations_for_api, regimes_for_api
from sanctions.services import designation_delete

# A designation as the API serves it (from the screening example): the exports' example.
_LISTED = example("match-response")["responses"]["q1"]["results"][0]["designation"]


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
    export=export_schema(
        "regimes",
        "regimes",
        parameters=[INCLUDE_DRAFTS],
        example=example("regime-un-dprk"),
        ftm_example=ftm_example(_LISTED, example("regime-un-dprk")),
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

    def ftm_export(self, batches):
        return regimes_entities(batches, detail_url=_detail_url(self.request, "designation"))


@extend_schema_view(
    list=extend_schema(
        tags=["designations"],
        parameters=[INCLUDE_DRAFTS],
        summary="List designations",
        description="People, entities, vessels and aircraft listed under sanctions regimes. `q` searches names, "
        "aliases and reference numbers; `identifier` finds any identifier (passport, tax id, IMO, MMSI, "
        "SWIFT/BIC, website, e-mail, ...) compared normalised; a delisted record stays, with its delisting date.",
        examples=[
            OpenApiExample(
                "An OFAC-listed tanker",
                value=example("designation-ofac-vessel"),
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(
        tags=["designations"],
        parameters=[INCLUDE_DRAFTS],
        summary="Get a designation",
        description="One designation by id, with its aliases (and their type and script), regimes, dates, "
        "identifiers (with issuing country, issue and expiry dates), addresses, places of birth, a vessel's "
        "flag, type and tonnage, and its source list file.",
        examples=[
            OpenApiExample(
                "An OFAC-listed tanker",
                value=example("designation-ofac-vessel"),
                response_only=True,
            )
        ],
    ),
    export=export_schema(
        "designations",
        "designations",
        parameters=[INCLUDE_DRAFTS],
        example=_LISTED,
        ftm_example=ftm_example(_LISTED, example("regime-un-dprk")),
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

    def ftm_export(self, batches):
        return designations_entities(batches, detail_url=_detail_url(self.request, "designation"))


def _detail_url(request, basename: str):
    """pk -> the absolute URL of the record's detail (an FtM entity's `sourceUrl`)."""
    prefix = request.build_absolute_uri(reverse(f"{basename}-list"))
    return lambda pk: f"{prefix}{pk}/"


@extend_schema(
    tags=["designations"],
    summary="Screen entities against the designations",
    description="Screening in the request and response shape of yente's `POST /match/{dataset}`: a batch of example "
    "entities (at most 50, each under a key of your choosing, with a `schema` and FollowTheMoney-style "
    "`properties`) in; for each, the designations it may be, best first, with a deterministic `score` (0 to 1), "
    "`match` (the score reaches `threshold`) and the `explanations` of the features that produced it. Names are "
    "compared across case, accents, punctuation, word order, spacing, hyphens, typos (in proportion to length), "
    "scripts (Cyrillic, Arabic, Hangul, Chinese, ...) and company legal forms; birth dates, countries and "
    "identifiers add evidence. Only published designations; delisted ones with `include_delisted=true`. "
    "How scores are made: docs/matching.md.",
    parameters=[
        OpenApiParameter(
            "regime",
            {
                "type": "array",
                "items": {"type": "string", "maxLength": 100, "pattern": "^[^\\x00]*$"},
            },
            OpenApiParameter.QUERY,
            explode=True,
            description="Only designations under one of these regimes: id or key (repeatable).",
        ),
        OpenApiParameter(
            "threshold",
            {"type": "number", "format": "double", "minimum": 0, "maximum": 1},
            OpenApiParameter.QUERY,
            description=f"Score from which a result is a match, 0 to 1 (default {DEFAULT_THRESHOLD}).",
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            OpenApiParameter.QUERY,
            description=f"Results per query, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
        ),
        OpenApiParameter(
            "include_delisted",
            OpenApiTypes.BOOL,
            OpenApiParameter.QUERY,
            description="Also screen against delisted designations (default false).",
        ),
    ],
    request=MatchRequestSerializer,
    responses={200: MatchResponseSerializer, 400: MatchErrorResponseSerializer},
    examples=[
        OpenApiExample("Screen a person", value=example("match-request"), request_only=True),
        OpenApiExample("Screen a person", value=example("match-response"), response_only=True),
    ],
)
class MatchView(APIView):
    """Screening: ranked designations for a batch of example entities (sanctions.matching)."""

    permission_classes = [AllowAny]  # a read, though it is a POST: it changes nothing

    def post(self, request):
        options = _options(request.query_params)
        body = MatchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entities = {key: entity_query(data) for key, data in body.validated_data["queries"].items()}
        outcomes = entities_match(queries=entities, options=options)
        return Response(
            MatchResponseSerializer(_responses(request.data["queries"], outcomes, options)).data
        )


def _options(params) -> MatchOptions:
    """The query string, checked (a 400 names the parameter); blank regimes are left out."""
    given = {k: params[k] for k in ("threshold", "limit", "include_delisted") if k in params}
    regimes = [ref for ref in params.getlist("regime") if ref.strip()]
    parameters = MatchParametersSerializer(data={**given, "regime": regimes})
    parameters.is_valid(raise_exception=True)
    data = parameters.validated_data
    return MatchOptions(
        threshold=data["threshold"],
        limit=data["limit"],
        regimes=tuple(data["regime"]),
        include_delisted=data["include_delisted"],
    )


def _responses(raw_queries: dict, outcomes: dict[str, QueryOutcome], options: MatchOptions) -> dict:
    """The response body: each query's results with its designations as designations/ lists them."""
    ids = sorted({m.designation_id for outcome in outcomes.values() for m in outcome.results})
    # The same bodies designations/ serves: stored, rendered only where none is stored yet.
    designations = {pk: json.loads(body) for pk, (body, _) in served(Designation, ids).items()}
    responses = {}
    for key, outcome in outcomes.items():
        results = [
            {**vars(m), "designation": designations[m.designation_id]}
            for m in outcome.results
            if m.designation_id in designations
        ]
        responses[key] = {
            "status": 200,
            "query": raw_queries[key],
            "total": {"value": outcome.total, "relation": "eq"},
            "results": results,
        }
    return {"responses": responses, "limit": options.limit}
