"""Writes with business rules for sources and citations."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from core.choices import ReviewStatus
from core.fixture_files import FixtureRecord, keys_check, partial_date_values, values_set, written
from core.history import edited_since_loaded
from core.services import record_delete, record_save, record_validate
from sources.choices import Stance
from sources.models import Citation, QuoteNotFound, Source, locate_quote


@dataclass(frozen=True)
class CitationSpec:
    """A citation as a curator writes it: offsets are computed, never given."""

    source_id: str
    field: str
    quote: str
    stance: str = Stance.SUPPORTS
    note: str = ""


def file_text_and_sha256(path: Path) -> tuple[str, str]:
    """The UTF-8 text of a file and the SHA-256 of its exact bytes."""
    data = path.read_bytes()
    return data.decode("utf-8"), hashlib.sha256(data).hexdigest()


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


def citations_sync(
    *, record: models.Model, specs: list[CitationSpec], where: FixtureRecord
) -> bool:
    """Make ``record``'s citations exactly ``specs`` (the loader's), each written through
    citation_write. Returns True when anything was added, changed or removed.
    """
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
    existing = {
        (c.source_id, c.field, c.start, c.end, c.stance): c
        for c in Citation.objects.filter(content_type=content_type, object_id=str(record.pk))
    }
    sources = Source.objects.in_bulk({spec.source_id for spec in specs})
    changed = False
    seen: set[tuple] = set()
    for index, spec in enumerate(specs):
        here = where.child(f"citation {index + 1} ({spec.field})")
        source = sources.get(spec.source_id)
        if source is None:
            raise here.error("source", f"unknown source {spec.source_id!r}")
        citation = Citation(
            source=source,
            content_type=content_type,
            object_id=str(record.pk),
            field=spec.field,
            quote=spec.quote,
            stance=spec.stance,
            note=spec.note,
        )
        try:
            citation.start, citation.end = locate_quote(source.text, spec.quote)
        except QuoteNotFound as exc:
            raise here.error("quote", str(exc)) from None
        key = (citation.source_id, citation.field, citation.start, citation.end, citation.stance)
        if key in seen:
            raise here.error("quote", "the same quote is cited twice for this field")
        seen.add(key)
        current = existing.pop(key, None)
        if current is None:
            changed = written(here, citation_write, citation=citation) or changed
        elif (current.note != citation.note or current.quote != citation.quote) and not here.keep(
            current
        ):
            current.note, current.quote = citation.note, citation.quote
            changed = written(here, citation_write, citation=current) or changed
    for stale in existing.values():
        if not edited_since_loaded(stale):  # a curator's own citation stays
            record_delete(record=stale)
            changed = True
    return changed


CITATION_KEYS = ("source", "field", "quote", "stance", "note")


def citation_specs(spec: dict, where: FixtureRecord) -> list[CitationSpec]:
    """Read a record's ``citations`` list from a fixture."""
    raw = spec.get("citations", [])
    if not isinstance(raw, list):
        raise where.error("citations", "must be a list of {source, field, quote} tables")
    specs = []
    for index, item in enumerate(raw):
        here = where.child(f"citation {index + 1}")
        if not isinstance(item, dict):
            raise here.error(None, "must be a table with source, field and quote")
        keys_check(item, here, CITATION_KEYS, required=("source", "field", "quote"))
        if item.get("stance", Stance.SUPPORTS) not in Stance.values:
            raise here.error("stance", f"must be one of {', '.join(Stance.values)}")
        specs.append(
            CitationSpec(
                source_id=item["source"],
                field=item["field"],
                quote=item["quote"],
                stance=item.get("stance", Stance.SUPPORTS),
                note=item.get("note", ""),
            )
        )
    return specs


def citations_cover(
    *, known: dict[str, object], specs: list[CitationSpec], where: FixtureRecord
) -> None:
    """Every known fact in ``known`` (field -> value) has at least one citation for that field."""
    cited = {spec.field for spec in specs}
    for field, value in known.items():
        if value not in (None, "", [], ()) and field not in cited:
            raise where.error(
                field, "has a value but no citation: every fact needs a quote as evidence"
            )


def source_upsert(*, spec: dict, where: FixtureRecord, seeds_dir: Path) -> bool:
    """Create or update a seed-article Source from its fixture, checking the file's sha256.

    The source's own facts (publisher, publication date) cite its own text.
    """
    keys_check(spec, where, SOURCE_KEYS, required=("id", "kind", "title", "file", "sha256"))
    path = seeds_dir / spec["file"]
    if not path.is_file():
        raise where.error("file", f"{spec['file']!r} is not a file in {seeds_dir.name}/")
    text, digest = file_text_and_sha256(path)
    if digest != spec["sha256"]:
        raise where.error(
            "sha256",
            f"{spec['file']} has sha256 {digest}, not the recorded {spec['sha256']}: the source changed",
        )
    source = Source.objects.filter(pk=spec["id"]).first() or Source(pk=spec["id"])
    created = source._state.adding
    values_set(
        source,
        {
            "kind": spec["kind"],
            "review_status": ReviewStatus.PUBLISHED,
            "title": spec["title"],
            "publisher": spec.get("publisher", ""),
            "url": spec.get("url", ""),
            "file_name": spec["file"],
            "sha256": digest,
            "text": text,
            **partial_date_values(spec, "published_on", where),
        },
    )
    written(where, source_validate, source=source)
    specs = citation_specs(spec, where)
    citations_cover(
        known={"publisher": source.publisher, "published_on": source.published_on},
        specs=specs,
        where=where,
    )
    if where.keep(source):
        return False
    changed = written(where, source_write, source=source)
    return citations_sync(record=source, specs=specs, where=where) or changed or created


SOURCE_KEYS = (
    "id",
    "kind",
    "title",
    "publisher",
    "published_on",
    "url",
    "file",
    "sha256",
    "citations",
)
