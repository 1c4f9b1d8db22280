"""Filters that pick a few rows out of millions (citations' `field`, `stance` and `record_id`,
the change feed's `record_id`) and the change feed's `q` answer exactly what they say, in the list's
order, whatever plan the indexes and statistics that serve them lead to."""

import pytest
from django.db import connection

from core.models import Change
from sources.choices import Stance
from sources.models import Citation

pytestmark = pytest.mark.django_db


def _all(api_client, path: str) -> tuple[int, list[dict]]:
    body = api_client.get(f"{path}&limit=200").json()
    assert body["next"] is None
    return body["count"], body["results"]


def test_citations_by_field_are_exactly_that_fields(seeded, api_client):
    count, rows = _all(api_client, "/api/v1/citations/?field=signed_on")
    expected = list(Citation.objects.filter(field="signed_on").order_by("pk").values_list("pk"))
    assert count == len(rows) == len(expected) > 0
    assert [(row["id"],) for row in rows] == expected


def test_disputed_citations_are_exactly_the_disputes(seeded, api_client):
    count, rows = _all(api_client, "/api/v1/citations/?stance=disputes")
    disputes = Citation.objects.filter(stance=Stance.DISPUTES).order_by("pk")
    assert count == len(rows) == disputes.count() > 0
    assert [row["id"] for row in rows] == list(disputes.values_list("pk", flat=True))
    assert all(row["stance"] == "disputes" and row["note"] for row in rows)


def test_a_records_citations_by_its_id_alone_are_exactly_its_own(seeded, api_client):
    count, rows = _all(api_client, "/api/v1/citations/?record_id=russia-dprk-2000")
    expected = Citation.objects.filter(object_id="russia-dprk-2000").order_by("pk")
    assert count == len(rows) == expected.count() > 0
    assert [row["id"] for row in rows] == list(expected.values_list("pk", flat=True))


def test_a_records_citations_are_indexed_by_its_id_first():
    """`record_id` without `record_type` walked an index led by the kind of record end to end
    (26 ms at 2.3M citations); led by the id, it is one lookup (docs/data-model.md)."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Citation._meta.db_table)
    assert indexes["citation_record_idx"]["columns"] == ["object_id", "content_type_id"]


def test_a_records_changes_are_exactly_its_own_oldest_first(seeded, api_client):
    count, rows = _all(api_client, "/api/v1/changes/?record_id=russia-dprk-2000")
    expected = Change.objects.filter(object_id="russia-dprk-2000").order_by("changed_at", "pk")
    assert count == len(rows) == expected.count() > 0
    assert [row["id"] for row in rows] == list(expected.values_list("pk", flat=True))


def test_change_feed_search_matches_reason_or_record_id_in_any_case(seeded, api_client):
    count, rows = _all(api_client, "/api/v1/changes/?q=LOAD_records")
    assert count == len(rows) == Change.objects.filter(reason__icontains="load_records").count()
    assert rows == sorted(rows, key=lambda row: (row["changed_at"], row["id"]))
    assert _all(api_client, "/api/v1/changes/?q=DPRK-2000")[0] == (
        Change.objects.filter(object_id__icontains="dprk-2000").count()
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_change_feed_search_has_statistics_for_the_planner():
    """Without them the planner guesses that `q=import` matches a few hundred of millions of
    changes and sorts every match for a page (core.search_indexes.SearchStatistics)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT stxname FROM pg_statistic_ext WHERE stxname LIKE 'change_%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"change_reason_stats", "change_object_id_stats"} <= names
