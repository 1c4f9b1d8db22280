"""The stored representations of citations, and what every record's citations show."""

from core.representations import represent
from sources.api.serializers import CitationDetailSerializer
from sources.models import Citation
from sources.selectors import citations_for_api

# The fields of a source that a citation shows (review_status: whether the citation shows).
SOURCE_BRIEF = ("id", "title", "review_status")
# What a record's embedded citations show: each citation, and its source's brief.
CITATIONS = {"citations": None, "citations__source": SOURCE_BRIEF}


def register() -> None:
    # Sources are rendered per request: a source's citation_count changes with every
    # citation, and with the publication of every record cited (there are few sources).
    represent(
        Citation,
        serializer=CitationDetailSerializer,
        queryset=citations_for_api,
        embeds={"source": SOURCE_BRIEF},
    )
