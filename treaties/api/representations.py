"""The stored representations of parties and treaties, and what appears in them."""

from core.representations import represent
from sources.api.representations import CITATIONS
from treaties.api.serializers import PartySerializer, TreatySerializer
from treaties.models import Party, Treaty
from treaties.selectors import parties_for_api, treaties_for_api

# The fields of a party or treaty that another record shows (review_status: whether it shows).
PARTY_BRIEF = ("id", "name", "kind", "iso_alpha2", "review_status")
TREATY_BRIEF = ("id", "title", "signed_on", "signed_on_precision", "review_status")


def register() -> None:
    represent(
        Party,
        serializer=PartySerializer,
        queryset=parties_for_api,
        embeds={"successors": PARTY_BRIEF, "predecessors": PARTY_BRIEF, **CITATIONS},
    )
    represent(
        Treaty,
        serializer=TreatySerializer,
        queryset=treaties_for_api,
        embeds={
            "participations": None,
            "participations__party": PARTY_BRIEF,
            "provisions": None,
            **{
                f"{part}__{path}": shown
                for part in ("participations", "provisions")
                for path, shown in CITATIONS.items()
            },
            **{link: TREATY_BRIEF for link in ("replaces", "replaced_by", "amends", "amended_by")},
            **CITATIONS,
        },
    )
