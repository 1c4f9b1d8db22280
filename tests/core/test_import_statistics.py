"""After an import commits, the tables it changed enough are analysed at once (PostgreSQL):
the planner must not plan the next reads on statistics from before it (core.imports)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from core.imports import statistics_refresh

OFAC = Path(__file__).parents[1] / "sanctions" / "data" / "ofac_sdn_2024-05-03_excerpt.csv"
pytestmark = [
    pytest.mark.django_db(transaction=True),  # the import must commit, as a command's does
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="ANALYZE and its counters are PostgreSQL's"
    ),
]


def _analysed(table: str) -> tuple[int, float]:
    """How often ``table`` was analysed by hand, and the planner's row count for it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT s.analyze_count, c.reltuples FROM pg_stat_user_tables s "
            "JOIN pg_class c ON c.oid = s.relid WHERE s.relname = %s",
            [table],
        )
        return cursor.fetchone()


def test_an_import_leaves_its_tables_analysed(seeded):
    # The excerpt's citations are more than autovacuum's threshold for the seed's few.
    before, _ = _analysed("sources_citation")
    call_command("import_ofac_sdn", OFAC)
    after, rows = _analysed("sources_citation")
    assert after == before + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sources_citation")
        assert rows == cursor.fetchone()[0] > 0
    # Nothing is left for autovacuum's rule, and nothing changed since: nothing to analyse.
    assert statistics_refresh() == []


def test_inside_a_transaction_nothing_is_analysed(seeded):
    # A caller's open transaction (a test's, a shell's atomic block) holds writes the
    # counters do not show yet: analysing then would record the old statistics again.
    from django.db import transaction

    with transaction.atomic():
        assert statistics_refresh() == []


def test_a_failed_refresh_leaves_the_committed_import_a_success(seeded, monkeypatch, caplog):
    monkeypatch.setattr("core.imports._STALE_STATISTICS_SQL", "SELECT 1/0")
    call_command("import_ofac_sdn", OFAC)  # no CommandError: the import itself committed
    assert "statistics after the import not refreshed" in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sanctions_designation")
        assert cursor.fetchone()[0] > 0
