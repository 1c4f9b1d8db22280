"""Reading the curated records from fixtures/: one reader per kind of record (source, party,
treaty, regime), each checking the fixture's keys and its citations, then writing the record
through its app's one write service. Every problem names the file, the record and the field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Model

from core.choices import ReviewStatus
from core.fixture_files import FixtureRecord, keys_check, partial_date_values, values_set, written
from core.history import edited_since_loaded
from core.models import curated_fields
from core.services import record_delete, unknown_problem
from sanctions.models import SanctionsRegime
from sanctions.services import regime_validate, regime_write
from sources.choices import Stance
from sources.models import Citation, QuoteNotFound, Source, locate_quote
from sources.services import citation_write, source_validate, source_write
from treaties.models import Participation, Party, Provision, Treaty
from treaties.services import party_validate, party_write, treaty_validate, treaty_write


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


def record_keys_check(spec: dict[str, Any], where: FixtureRecord, model: type[Model], *extra: str):
    """Refuse a key that is not one of the model's curated fields, ``citations`` or ``extra``
    (a typo), and a missing field the model requires: the fields are declared once, on the
    model."""
    fields = curated_fields(model)
    required = [name for name in fields if not model._meta.get_field(name).blank]
    keys_check(spec, where, (*fields, "citations", *extra), required=required)


def party_upsert(*, spec: dict[str, Any], where: FixtureRecord) -> bool:
    """Load a party from its fixture (not its successor links: see party_successors_sync)."""
    record_keys_check(spec, where, Party)
    party = Party.objects.filter(pk=spec["id"]).first() or Party(pk=spec["id"])
    created = party._state.adding
    values_set(
        party,
        {
            "name": spec["name"],
            "kind": spec["kind"],
            "review_status": ReviewStatus.PUBLISHED,
            "aliases": spec.get("aliases", []),
            "iso_alpha2": spec.get("iso_alpha2") or None,
            "iso_alpha3": spec.get("iso_alpha3") or None,
            "wikidata_qid": spec.get("wikidata_qid", ""),
        },
    )
    written(where, party_validate, party=party)
    specs = citation_specs(spec, where)
    citations_cover(
        known={"name": party.name, "aliases": party.aliases, "successors": spec.get("successors")},
        specs=specs,
        where=where,
    )
    if where.keep(party):
        return False
    changed = written(where, party_write, party=party)
    return citations_sync(record=party, specs=specs, where=where) or changed or created


def party_successors_sync(*, spec: dict[str, Any], where: FixtureRecord) -> bool:
    """Link a loaded party to its successors; every named successor must exist."""
    party = Party.objects.get(pk=spec["id"])
    if edited_since_loaded(party):
        return False
    return written(where, party_write, party=party, successors=spec.get("successors", []))


def treaty_upsert(*, spec: dict[str, Any], where: FixtureRecord) -> bool:
    """Load a treaty with its participations and provisions from its fixture."""
    # A treaty's parts are TOML arrays of tables: one [[participation]] or [[provision]] each.
    record_keys_check(spec, where, Treaty, "participation", "provision")
    treaty = Treaty.objects.filter(pk=spec["id"]).first() or Treaty(pk=spec["id"])
    created = treaty._state.adding
    values = {
        "title": spec["title"],
        "review_status": ReviewStatus.PUBLISHED,
        "aliases": spec.get("aliases", []),
        "kind": spec["kind"],
        "summary": spec.get("summary", ""),
        "signed_at": spec.get("signed_at", ""),
        "end_cause": spec.get("end_cause", ""),
        **partial_date_values(spec, "signed_on", where),
        **partial_date_values(spec, "entered_into_force_on", where),
        **partial_date_values(spec, "ended_on", where),
    }
    values_set(treaty, values)
    participations = [_participation_item(item, where) for item in spec.get("participation", [])]
    provisions = [_provision_item(item, where) for item in spec.get("provision", [])]
    arguments = {
        "treaty": treaty,
        "replaces": spec.get("replaces", []),
        "amends": spec.get("amends", []),
        "participations": [values for values, _, _ in participations],
        "provisions": [values for values, _, _ in provisions],
    }
    parts = {
        "participations": [label for _, _, label in participations],
        "provisions": [label for _, _, label in provisions],
    }
    written(where, treaty_validate, parts=parts, **arguments)
    specs = citation_specs(spec, where)
    known = {
        name: values[name]
        for name in ("title", "aliases", "kind", "summary", "signed_at", "end_cause")
    }
    known |= {name: values[name] for name in Treaty.partial_dates}
    known |= {name: spec.get(name) for name in ("replaces", "amends")}
    citations_cover(known=known, specs=specs, where=where)
    for values, part_specs, label in [*participations, *provisions]:
        facts = {k: v for k, v in values.items() if not k.endswith("_precision") and k != "label"}
        citations_cover(known=facts, specs=part_specs, where=where.child(label))
    if where.keep(treaty):
        return False
    changed = written(
        where,
        treaty_write,
        parts=parts,
        keep=lambda part: where.child(_part_label(part)).keep(part),
        **arguments,
    )
    changed = citations_sync(record=treaty, specs=specs, where=where) or changed
    for model, key, items in (
        (Participation, "party", participations),
        (Provision, "label", provisions),
    ):
        for values, part_specs, label in items:
            part = model.objects.get(treaty=treaty, **{key: values[key]})
            if not edited_since_loaded(part):
                here = where.child(label)
                changed = citations_sync(record=part, specs=part_specs, where=here) or changed
    return changed or created


def _participation_item(item: dict[str, Any], where: FixtureRecord):
    """A participation from a fixture: its values, its citations and its label."""
    here = where.child(f"participation {item.get('party')!r}")
    record_keys_check(item, here, Participation)
    values = {
        "party": item["party"],
        "signatory_name": item.get("signatory_name", ""),
        "signatory_office": item.get("signatory_office", ""),
        "consent_type": item.get("consent_type", ""),
        **partial_date_values(item, "signed_on", here),
        **partial_date_values(item, "consented_on", here),
        **partial_date_values(item, "withdrew_on", here),
    }
    return values, citation_specs(item, here), f"participation {item['party']!r}"


# A provision's yes/no details beside ``automatic``: null (unknown) when a fixture leaves them out.
PROVISION_FLAGS = (
    "conditional",
    "integrated_command",
    "bases",
    "secret_articles",
    "renunciation_terms",
)


def _provision_item(item: dict[str, Any], where: FixtureRecord):
    """A provision from a fixture: its values, its citations and its label."""
    here = where.child(f"provision {item.get('label')!r}")
    record_keys_check(item, here, Provision)
    values = {
        "label": item["label"],
        "summary": item["summary"],
        "automatic": item.get("automatic"),
        "obligations": item.get("obligations", []),
        **{name: item.get(name) for name in PROVISION_FLAGS},
        "military_aid": item.get("military_aid", ""),
    }
    return values, citation_specs(item, here), f"provision {item['label']!r}"


def _part_label(part: Model) -> str:
    if isinstance(part, Participation):
        return f"participation {part.party_id!r}"
    return f"provision {part.label!r}"


def regime_upsert(*, spec: dict[str, Any], where: FixtureRecord) -> bool:
    """Load a sanctions regime from its fixture."""
    record_keys_check(spec, where, SanctionsRegime)
    regime = SanctionsRegime.objects.filter(pk=spec["id"]).first() or SanctionsRegime(pk=spec["id"])
    created = regime._state.adding
    if problem := unknown_problem(Party, [spec["issuer"]] if spec.get("issuer") else []):
        raise where.error("issuer", problem)
    targets, measures = spec.get("targets", []), spec.get("measures", [])
    values = {
        "key": spec["key"],
        "review_status": ReviewStatus.PUBLISHED,
        "name": spec["name"],
        "issuer_id": spec.get("issuer") or None,
        "legal_basis": spec.get("legal_basis", ""),
        "reason": spec.get("reason", ""),
        **partial_date_values(spec, "started_on", where),
        **partial_date_values(spec, "ended_on", where),
    }
    values_set(regime, values)
    arguments = {"regime": regime, "targets": targets, "measures": measures}
    written(where, regime_validate, **arguments)
    specs = citation_specs(spec, where)
    known = {name: values[name] for name in ("legal_basis", "reason", "started_on", "ended_on")}
    known["issuer"] = values["issuer_id"]
    citations_cover(
        known=known | {"targets": targets, "measures": measures}, specs=specs, where=where
    )
    if where.keep(regime):
        return False
    changed = written(where, regime_write, **arguments)
    return citations_sync(record=regime, specs=specs, where=where) or changed or created
