"""Writes with business rules for sanctions, and the loader for the curated records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from core.choices import ReviewStatus
from core.history import change_reason
from core.records import (
    RecordError,
    Where,
    assign,
    partial_date_values,
    read_toml,
    take,
    written,
)
from core.services import m2m_set, record_save, record_validate, unknown_problem
from sanctions.models import Designation, MeasureType, SanctionsRegime
from sources.services import citation_specs, citations_cover, citations_sync, source_upsert
from treaties.models import Party
from treaties.services import party_successors_sync, party_upsert, treaty_upsert

REGIME_KEYS = (
    "id",
    "key",
    "name",
    "issuer",
    "targets",
    "legal_basis",
    "reason",
    "started_on",
    "ended_on",
    "measures",
    "citations",
)


def regime_validate(
    *,
    regime: SanctionsRegime,
    targets: Iterable[Party | str] | None = None,
    measures: Iterable[MeasureType | str] | None = None,
) -> None:
    """Every rule a regime must meet: its model's, known targets and known measure codes."""
    unknown = None
    if measures is not None:
        codes = {str(getattr(m, "pk", m)) for m in measures}
        unknown = sorted(codes - set(MeasureType.objects.values_list("code", flat=True)))
    record_validate(
        regime,
        rules={
            "targets": unknown_problem(Party, targets),
            "measures": unknown and f"{unknown[0]!r} is not in the measure vocabulary",
        },
    )


def regime_write(
    *,
    regime: SanctionsRegime,
    targets: Iterable[Party | str] | None = None,
    measures: Iterable[MeasureType | str] | None = None,
) -> bool:
    """Create or change a regime and, when given, its targets and measures; True when
    anything changed."""
    targets = None if targets is None else list(targets)
    measures = None if measures is None else list(measures)
    regime_validate(regime=regime, targets=targets, measures=measures)
    changed = record_save(regime)
    if targets is not None:
        changed = m2m_set(regime.targets, targets) or changed
    if measures is not None:
        changed = m2m_set(regime.measures, measures) or changed
    return changed


def regime_upsert(*, spec: dict[str, Any], where: Where) -> bool:
    """Load a sanctions regime from its fixture."""
    take(spec, where, REGIME_KEYS, required=("id", "key", "name"))
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
    assign(regime, values)
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


@dataclass
class LoadReport:
    """What a load did: records seen and records changed, per kind."""

    seen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    touched: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    kept: list[str] = field(default_factory=list)  # records left alone: edited since loaded

    def count(self, kind: str, record_id: str, changed: bool) -> None:
        self.seen[kind].add(record_id)
        if changed:
            self.touched[kind].add(record_id)

    @property
    def changed(self) -> dict[str, int]:
        """Records added or changed, per kind (each record once, however many of its parts)."""
        return {kind: len(self.touched[kind]) for kind in self.seen}


# File, top-level table, and what loads one record of it; in dependency order.
FIXTURE_FILES = (
    ("sources.toml", "source"),
    ("parties.toml", "party"),
    ("treaties.toml", "treaty"),
    ("regimes.toml", "regime"),
)


def records_load(*, fixtures_dir: Path | None = None, seeds_dir: Path | None = None) -> LoadReport:
    """Load the curated records in fixtures/ atomically: all of them or, on any error, none.

    Idempotent: loading the same files again changes nothing. Raises RecordError.
    """
    fixtures_dir = Path(fixtures_dir or settings.FIXTURES_DIR)
    seeds_dir = Path(seeds_dir or settings.SEEDS_DIR)
    documents = {}
    for name, table in FIXTURE_FILES:
        display = f"{fixtures_dir.name}/{name}"
        data = read_toml(fixtures_dir / name, display=display)
        extra = sorted(set(data) - {table})
        if extra:
            raise RecordError(
                display, "(file)", extra[0], f"unknown table; this file holds [[{table}]] records"
            )
        records = data.get(table, [])
        ids = [record.get("id") for record in records]
        for record_id in ids:
            if ids.count(record_id) > 1:
                raise RecordError(
                    display, f"{table} {record_id!r}", "id", "is used by more than one record"
                )
        documents[table] = (display, records)

    report = LoadReport()
    with (
        transaction.atomic(),
        change_reason(f"load_records: curated records from {fixtures_dir.name}/"),
    ):
        for table, (display, records) in documents.items():
            for index, spec in enumerate(records):
                where = Where(
                    display, f"{table} {spec.get('id') or f'#{index + 1}'!r}", report.kept
                )
                if table == "source":
                    changed = source_upsert(spec=spec, where=where, seeds_dir=seeds_dir)
                elif table == "party":
                    changed = party_upsert(spec=spec, where=where)
                elif table == "treaty":
                    changed = treaty_upsert(spec=spec, where=where)
                else:
                    changed = regime_upsert(spec=spec, where=where)
                report.count(table, str(spec.get("id")), changed)
            if table == "party":
                for index, spec in enumerate(records):
                    where = Where(
                        display, f"party {spec.get('id') or f'#{index + 1}'!r}", report.kept
                    )
                    report.count(
                        "party", str(spec.get("id")), party_successors_sync(spec=spec, where=where)
                    )
    return report


def designation_write(
    *,
    designation: Designation,
    regimes: Iterable[SanctionsRegime | str] | None = None,
    aliases: list[tuple[str, str]] | list[str] | None = None,
) -> bool:
    """Create or change a designation and, when given, its regimes (at least one) and
    aliases; True when anything changed."""
    regimes = None if regimes is None else list(regimes)
    rules = {}
    if regimes is not None:
        rules["regimes"] = unknown_problem(SanctionsRegime, regimes) or (
            None if regimes else "A designation is listed under at least one regime."
        )
    record_validate(designation, rules=rules)
    changed = record_save(designation)
    if regimes is not None:
        changed = m2m_set(designation.regimes, regimes) or changed
    if aliases is not None:
        changed = designation_aliases_set(designation=designation, aliases=aliases) or changed
    return changed


def designation_aliases_set(*, designation, aliases: list[tuple[str, str]] | list[str]) -> bool:
    """Make the designation's aliases exactly ``aliases`` (names, or (name, quality) pairs)."""
    from sanctions.models import DesignationAlias

    wanted = dict(a if isinstance(a, tuple) else (a, "") for a in aliases)
    stale = designation.aliases.exclude(name__in=wanted)
    changed = stale.exists()
    stale.delete()
    have = set(designation.aliases.values_list("name", flat=True))
    new = [
        DesignationAlias(designation=designation, name=n, quality=q)
        for n, q in wanted.items()
        if n not in have
    ]
    DesignationAlias.objects.bulk_create(new)
    return changed or bool(new)
