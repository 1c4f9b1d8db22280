"""Loading the curated records of every app from fixtures/, all or nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from core.fixture_files import FixtureRecord, RecordError, read_toml
from core.history import change_reason
from register.loading import (
    party_successors_sync,
    party_upsert,
    regime_upsert,
    source_upsert,
    treaty_upsert,
)


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
                where = FixtureRecord(
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
                    where = FixtureRecord(
                        display, f"party {spec.get('id') or f'#{index + 1}'!r}", report.kept
                    )
                    report.count(
                        "party", str(spec.get("id")), party_successors_sync(spec=spec, where=where)
                    )
    return report
