"""Writes with business rules for sources and citations."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.services import record_save, record_validate
from sources.models import Citation, QuoteNotFound, Source, locate_quote


def source_validate(*, source: Source, text: str | None = None) -> None:
    """Every rule a source must meet; a new ``text`` must keep every citation's quote at its
    offsets."""
    broken = source.citations_broken_by(text) if text is not None else []
    record_validate(
        source,
        rules={
            "text": broken
            and f"The new text breaks {len(broken)} citation(s) (ids {broken[:10]}); fix them first."
        },
    )


def source_write(*, source: Source, text: str | None = None) -> bool:
    """Create or change a source; a ``text`` typed or pasted in gets its SHA-256 computed.
    True when anything changed."""
    source_validate(source=source, text=text)
    if text is not None:
        source.set_text(text)
    return record_save(source)


def citation_validate(*, citation: Citation) -> None:
    """Every rule a citation must meet: its record exists, its quote occurs verbatim in the
    source (which sets its offsets), the field exists, and it is not cited twice."""
    rules: dict[str, str | None] = {}
    model = citation.content_type.model_class() if citation.content_type_id else None
    if model is not None and citation.object_id:
        try:
            exists = model._default_manager.filter(pk=citation.object_id).exists()
        except (ValueError, ValidationError):  # e.g. "abc" for a numeric id
            exists = False
        if not exists:
            rules["object_id"] = f"No {model._meta.verbose_name} with id {citation.object_id!r}."
    if citation.source_id and citation.quote:
        try:
            citation.start, citation.end = locate_quote(
                citation.source.text, citation.quote, hint=citation.start
            )
        except QuoteNotFound as exc:
            rules["quote"] = str(exc)
    if not rules.get("quote") and citation_exists(citation):
        rules["quote"] = (
            "This quote from this source is already cited for this field of the record."
        )
    located = citation.start is not None and not rules.get("quote")
    # Offsets come from the quote: when it is not found, say so once, not as missing offsets.
    record_validate(citation, exclude=[] if located else ["start", "end"], rules=rules)


def citation_write(*, citation: Citation) -> bool:
    """Create or change a citation, its offsets found in the source text; True when it wrote."""
    citation_validate(citation=citation)
    return record_save(citation)


# What makes two citations the same evidence (the database's uniqueness constraint).
CITATION_IDENTITY = ("content_type_id", "object_id", "field", "source_id", "start", "end", "stance")


def citation_exists(citation: Citation) -> bool:
    """Another stored citation is the same evidence: same record, field, source, offsets, stance."""
    if citation.start is None or not citation.content_type_id:
        return False
    same = Citation.objects.filter(**{name: getattr(citation, name) for name in CITATION_IDENTITY})
    return same.exclude(pk=citation.pk).exists() if citation.pk else same.exists()
