"""The stored representations of regimes and designations, and what appears in them."""

from core.representations import represent
from sanctions.api.serializers import DesignationSerializer, RegimeSerializer
from sanctions.models import Designation, SanctionsRegime
from sanctions.selectors import designations_for_api, regimes_for_api
from sources.api.representations import CITATIONS, SOURCE_BRIEF
from treaties.api.representations import PARTY_BRIEF

# The fields of a regime that a designation shows (review_status: whether it shows).
REGIME_BRIEF = ("id", "key", "name", "review_status")


def register() -> None:
    represent(
        SanctionsRegime,
        serializer=RegimeSerializer,
        queryset=regimes_for_api,
        embeds={"issuer": PARTY_BRIEF, "targets": PARTY_BRIEF, **CITATIONS},
    )
    represent(
        Designation,
        serializer=DesignationSerializer,
        queryset=designations_for_api,
        embeds={
            "regimes": REGIME_BRIEF,
            "nationality": PARTY_BRIEF,
            "source": SOURCE_BRIEF,
            "aliases": None,
            "identifiers": None,
            "addresses": None,
            "addresses__country": PARTY_BRIEF,
            "vessel_flag": PARTY_BRIEF,
            **CITATIONS,
        },
    )
