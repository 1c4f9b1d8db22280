from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from core.api.examples import example
from core.api.exports import export_schema
from core.api.views import INCLUDE_DRAFTS, RegisterViewSet, write_schema
from treaties.api.filters import PartyFilterSet, TreatyFilterSet
from treaties.api.serializers import PartySerializer, TreatySerializer
from treaties.api.write_serializers import PartyWriteSerializer, TreatyWriteSerializer
from treaties.selectors import parties_for_api, treaties_for_api


@extend_schema_view(
    list=extend_schema(
        tags=["parties"],
        parameters=[INCLUDE_DRAFTS],
        summary="List parties",
        description="States, former states and international organisations, with aliases and succession links. "
        "Filter by `kind` or ISO `code`; `q` searches names, aliases and codes.",
        examples=[
            OpenApiExample("North Korea", value=example("party-north-korea"), response_only=True)
        ],
    ),
    retrieve=extend_schema(
        tags=["parties"],
        parameters=[INCLUDE_DRAFTS],
        summary="Get a party",
        description="One party by id (e.g. `north-korea`), with the citations for its facts.",
        examples=[
            OpenApiExample("North Korea", value=example("party-north-korea"), response_only=True)
        ],
    ),
    export=export_schema(
        "parties", "parties", parameters=[INCLUDE_DRAFTS], example=example("party-north-korea")
    ),
    **write_schema("party", "parties"),
)
class PartyViewSet(RegisterViewSet):
    queryset = parties_for_api()
    serializer_class = PartySerializer
    write_serializer_class = PartyWriteSerializer
    filterset_class = PartyFilterSet
    ordering_fields = ["name", "id", "kind", "iso_alpha2"]
    ordering = ["name"]


@extend_schema_view(
    list=extend_schema(
        tags=["treaties"],
        parameters=[INCLUDE_DRAFTS],
        summary="List treaties",
        description="Treaties with their participations, provisions and citations. `party` (repeatable, all must "
        "take part) accepts a party id or ISO alpha-2 code; `in_force_on` only reports treaties whose entry into "
        "force is known. Partial dates filter by the whole interval they cover.",
        examples=[
            OpenApiExample(
                "The 2024 Russia-North Korea treaty",
                value=example("treaty-russia-dprk-2024"),
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(
        tags=["treaties"],
        parameters=[INCLUDE_DRAFTS],
        summary="Get a treaty",
        description="One treaty by id (e.g. `russia-dprk-2024`): dates, derived status, parties and their acts, "
        "provisions and obligations, and the quoted evidence for each fact. An alliance imported from ATOP "
        "(`atop-<id>`) has ATOP's entry into force and end, and an `ATOP obligations` provision with ATOP's "
        "further detail (`conditional`, `military_aid`, `integrated_command`, `bases`, `secret_articles`, "
        "`renunciation_terms`).",
        examples=[
            OpenApiExample(
                "The 2024 Russia-North Korea treaty",
                value=example("treaty-russia-dprk-2024"),
                response_only=True,
            ),
            OpenApiExample(
                "An ATOP alliance (Russia and Tajikistan, 1993)",
                value=example("treaty-atop-4470"),
                response_only=True,
            ),
        ],
    ),
    export=export_schema(
        "treaties",
        "treaties",
        parameters=[INCLUDE_DRAFTS],
        example=example("treaty-russia-dprk-2024"),
    ),
    **write_schema("treaty", "treaties"),
)
class TreatyViewSet(RegisterViewSet):
    queryset = treaties_for_api()
    serializer_class = TreatySerializer
    write_serializer_class = TreatyWriteSerializer
    filterset_class = TreatyFilterSet
    ordering_fields = ["signed_on", "entered_into_force_on", "ended_on", "title", "id"]
    ordering = ["signed_on"]
