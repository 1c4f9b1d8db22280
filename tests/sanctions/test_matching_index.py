"""Screening candidates from the name-key index: a common key is counted no further than the
budget and not read, the name is still found through its rarer keys, and a batch costs one
ranking statement per query whatever its candidates (docs/matching.md, "Candidates")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanctions import match_index
from sanctions.identifiers import Identifier
from sanctions.matching import EntityQuery, MatchOptions, entities_match
from sanctions.models import SanctionsRegime
from sanctions.services import designation_create

pytestmark = [pytest.mark.django_db]
COMMON = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]


@pytest.fixture
def zorbeks(seeded):
    """Seven people with the family name ZORBEK, one of them ZORBEK Quintavalle."""
    regime = SanctionsRegime.objects.get(key="UN-DPRK")
    for i, given in enumerate([*COMMON, "Quintavalle"]):
        designation_create(
            values={
                "id": f"test-zorbek-{i}",
                "kind": "individual",
                "name": f"ZORBEK, {given}",
                "review_status": "published",
            },
            regimes=[regime],
            identifiers=[Identifier(type="passport", value=f"ZP-{i}00{i}")],
        )


def person(name: str = "", *identifiers: str) -> EntityQuery:
    return EntityQuery(
        schema="Person", names=(name,) if name else (), identifiers=frozenset(identifiers)
    )


def ranking_statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "designationnamekey" in q["sql"]]


def test_a_key_is_counted_no_further_than_the_cap(zorbeks):
    counted = match_index._postings_counted(["t:zorbek", "t:quintavalle", "t:nobody"], cap=4)
    assert counted == {"t:zorbek": 4, "t:quintavalle": 1, "t:nobody": 0}


def test_keys_beyond_one_statement_are_counted_in_chunks(zorbeks, monkeypatch):
    monkeypatch.setattr(match_index, "COUNT_CHUNK", 2)
    keys = ["t:zorbek", "t:alpha", "t:bravo", "t:quintavalle", "t:nobody"]
    with CaptureQueriesContext(connection) as captured:
        counted = match_index._postings_counted(keys, cap=10)
    assert counted == {"t:zorbek": 7, "t:alpha": 1, "t:bravo": 1, "t:quintavalle": 1, "t:nobody": 0}
    assert len(captured) == 3


def test_a_common_key_is_skipped_and_the_name_found_by_its_rarer_keys(zorbeks, monkeypatch):
    monkeypatch.setattr(match_index, "POSTINGS_BUDGET", 4)  # ZORBEK's seven rows are too many
    with CaptureQueriesContext(connection) as captured:
        found = entities_match(queries={"q": person("Quintavalle Zorbek")}, options=MatchOptions())
    ranking = ranking_statements(captured)[-1]
    assert "t:quintavalle" in ranking and "t:zorbek" not in ranking
    top = found["q"].results[0]
    assert top.designation_id == "test-zorbek-6" and top.match


def test_with_every_key_too_common_one_is_read_alone(zorbeks, monkeypatch):
    monkeypatch.setattr(match_index, "POSTINGS_BUDGET", 4)
    with CaptureQueriesContext(connection) as captured:
        found = entities_match(queries={"q": person("Zorbek")}, options=MatchOptions(limit=10))
    ranking = ranking_statements(captured)[-1]
    assert "t:zorbek" in ranking and "SUM" not in ranking.upper()
    ids = {m.designation_id for m in found["q"].results}
    assert ids and ids <= {f"test-zorbek-{i}" for i in range(7)}
    assert not any(m.match for m in found["q"].results)  # a family name alone


def statements(queries: dict[str, EntityQuery]) -> int:
    entities_match(queries=queries, options=MatchOptions())  # the key counts are kept
    with CaptureQueriesContext(connection) as captured:
        entities_match(queries=queries, options=MatchOptions())
    return len(captured)


def test_a_batch_costs_one_ranking_statement_per_query(zorbeks):
    names = ["Zorbek Quintavalle", "Alpha Zorbek", "Bravo Zorbek", "Echo Zorbek"]
    one = statements({"q0": person(names[0])})
    four = statements({f"q{i}": person(name) for i, name in enumerate(names)})
    assert four - one == 3, (one, four)


def test_identifiers_of_a_batch_are_looked_up_in_one_statement(zorbeks):
    one = statements({"q0": person("", "ZP0000")})
    batch = {f"q{i}": person("", f"ZP{i}00{i}") for i in range(7)}  # normalised
    assert statements(batch) == one
    found = entities_match(queries=batch, options=MatchOptions())
    assert [found[f"q{i}"].results[0].designation_id for i in range(7)] == [
        f"test-zorbek-{i}" for i in range(7)
    ]
