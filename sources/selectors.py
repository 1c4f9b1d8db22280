"""Reads with business meaning for sources and citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count

from core import register_state
from core.visibility import RelatedCount, public_q
from sources.models import Citation, Source

# Writes through the services replace the register version at once; this bounds what a write
# that bypasses them (raw SQL) can leave stale, as for list counts (core.api.pagination).
CITATION_COUNTS_SECONDS = 300


@dataclass(frozen=True)
class CitationProblem:
    citation: Citation
    problem: str


def citations_failing_verification() -> Iterator[CitationProblem]:
    """Citations whose quote is not at its offsets in the stored source text, or whose
    source text no longer matches the source's recorded sha256."""
    tampered = {
        source.pk
        for source in Source.objects.only("pk", "text", "sha256").iterator()
        if source.text and source.text_sha256() != source.sha256
    }
    citations = Citation.objects.select_related("source", "content_type").order_by("pk")
    for citation in citations.iterator(chunk_size=500):
        text = citation.source.text
        if citation.source_id in tampered:
            yield CitationProblem(citation, "the source text no longer matches its recorded sha256")
        elif text[citation.start : citation.end] != citation.quote:
            where = "elsewhere in the source" if citation.quote in text else "nowhere in the source"
            yield CitationProblem(
                citation,
                f"the quote is not at [{citation.start}:{citation.end}] (it occurs {where})",
            )


def sources_with_citation_counts():
    """Sources with how many citations quote each, drafts included (a curator's view)."""
    return Source.objects.annotate(citation_count=RelatedCount(Citation, "source"))


def public_citation_counts() -> dict[str, int]:
    """How many public citations quote each source, kept per register version.

    One grouped count over every citation: at 1M designations (2.3M citations) counting them
    for each page of sources took 1.4 s a request; now once per write."""

    def count() -> dict[str, int]:
        rows = Citation.objects.filter(public_q(Citation)).order_by().values("source_id")
        return dict(rows.annotate(n=Count("pk")).values_list("source_id", "n"))

    return register_state.kept("public-citation-counts", count, CITATION_COUNTS_SECONDS)


def citations_for_api():
    """Citations with their source's title and their record's kind, without source texts."""
    return Citation.objects.select_related("source", "content_type").defer("source__text")
