"""Reads with business meaning for sources and citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from core.visibility import RelatedCount
from sources.models import Citation, Source


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


def sources_for_api():
    """Sources with how many citations quote each (in a public view, how many public ones)."""
    return Source.objects.annotate(citation_count=RelatedCount(Citation, "source"))


def citations_for_api():
    """Citations with their source's title and their record's kind, without source texts."""
    return Citation.objects.select_related("source", "content_type").defer("source__text")
