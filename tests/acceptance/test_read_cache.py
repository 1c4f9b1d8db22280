"""Whole public reads kept per register version (core/api/read_cache.py): a repeated read costs
one query and answers exactly what the view answered; every write path moves the version in
its own transaction, so the next read sees the write; credentials, other media types, errors
and drafts always go to the view; rate limits count cached answers too."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from core import register_state
from core.api import read_cache
from core.history import change_reason
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from treaties.models import Party
from treaties.services import party_write

pytestmark = pytest.mark.django_db
UN_2025 = (
    Path(__file__).parents[1] / "sanctions" / "data" / "un_consolidated_2025-04-19_excerpt.xml"
)
PATHS = [
    "/api/v1/treaties/?limit=50",
    "/api/v1/treaties/russia-dprk-2024/",
    "/api/v1/parties/north-korea/",
    "/api/v1/designations/?q=kim",
    "/api/v1/regimes/",
    "/api/v1/changes/?limit=5",
    "/api/v1/parties/RU/relations/KP/",
]


def read(client, path: str, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    return response, len(captured)


def kept() -> int:
    """Answers kept (each an entry and, apart, its body)."""
    keys = caches[read_cache.CACHE_ALIAS]._cache
    entries = [key for key in keys if not key.endswith(":body")]
    assert len(keys) == 2 * len(entries)
    return len(entries)


def kept_body() -> str:
    """The key of the one answer body kept (without the cache's prefix and version)."""
    (key,) = [key for key in caches[read_cache.CACHE_ALIAS]._cache if key.endswith(":body")]
    return key.split(":", 2)[2]


@pytest.mark.parametrize("path", PATHS)
def test_a_repeated_public_read_costs_one_query_and_answers_the_same(seeded, api_client, path):
    official_list_import(parsed=un_list_parse(UN_2025))
    first, first_queries = read(api_client, path)
    again, queries = read(api_client, path)
    assert first.status_code == again.status_code == 200
    assert first_queries > 1
    assert queries == 1  # the register version
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())  # ETag and Cache-Control included


@pytest.mark.parametrize("path", ["/api/v1/designations/?q=kim", "/api/v1/sources/"])
def test_a_read_reads_the_register_version_once(seeded, api_client, path):
    # The read cache, the list's count and the sources' citation counts are all keyed by it.
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(path).status_code == 200
    versions = [q for q in captured if register_state._TABLE in q["sql"]]
    assert len(versions) == 1
    party = Party.objects.get(pk="north-korea")
    party.name = "North Korea (DPRK)"
    party_write(party=party)
    # The next request reads it afresh and misses (the list is counted again).
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(path).status_code == 200
    assert any('AS "__count"' in q["sql"] for q in captured)


def test_a_conditional_read_is_answered_304_from_the_cache(seeded, api_client):
    path = "/api/v1/treaties/russia-dprk-2024/"
    etag = api_client.get(path)["ETag"]
    caches[read_cache.CACHE_ALIAS].clear()
    # A client that only revalidates fills the cache too.
    first, _ = read(api_client, path, HTTP_IF_NONE_MATCH=etag)
    assert first.status_code == 304 and first["ETag"] == etag and kept() == 1
    response, queries = read(api_client, path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and queries == 1
    assert response["ETag"] == etag and response["Cache-Control"] == "no-cache"
    assert response.content == b""
    other, _ = read(api_client, path, HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200 and other["ETag"] == etag


def test_a_304_from_the_cache_does_not_fetch_the_body(seeded, api_client, monkeypatch):
    path = "/api/v1/treaties/?limit=50"
    etag = api_client.get(path)["ETag"]
    cache, fetched, nested = caches[read_cache.CACHE_ALIAS], [], []
    kind = type(cache)

    def get(key, *args, **kwargs):
        if not nested:
            fetched.append([key])
        return kind.get(cache, key, *args, **kwargs)

    def get_many(keys, **kwargs):  # the memory cache's get_many calls get for each key
        fetched.append(keys)
        nested.append(True)
        try:
            return kind.get_many(cache, keys, **kwargs)
        finally:
            nested.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    assert api_client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(fetched) == 1 and not any(key.endswith(":body") for key in fetched[0])
    fetched.clear()
    response = api_client.get(path)  # the entry and its body, in one round trip
    assert response.status_code == 200 and response["ETag"] == etag
    assert len(fetched) == 1 and len(fetched[0]) == 2


def test_an_entry_whose_body_was_evicted_is_answered_by_the_view(seeded, api_client):
    path = "/api/v1/treaties/?limit=50"
    first = api_client.get(path)
    caches[read_cache.CACHE_ALIAS].delete(kept_body())
    again, queries = read(api_client, path)
    assert again.status_code == 200 and again.content == first.content
    assert queries > 1  # the view's
    assert kept() == 1


def test_a_request_the_view_answers_after_a_hit_without_body_is_counted_once(
    seeded, api_client, monkeypatch
):
    monkeypatch.setattr(
        AnonRateThrottle,
        "THROTTLE_RATES",
        {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"},
    )
    path = "/api/v1/parties/"
    assert api_client.get(path).status_code == 200  # the view: 1
    caches[read_cache.CACHE_ALIAS].delete(kept_body())
    assert api_client.get(path).status_code == 200  # the view again: 2, not 3
    assert api_client.get(path).status_code == 200  # the cache: 3
    assert api_client.get(path).status_code == 429


def test_a_body_of_another_answer_is_not_served_under_these_headers(seeded, api_client):
    # Two workers storing the same key at once can each write one of its two entries last.
    path = "/api/v1/treaties/?limit=50"
    first = api_client.get(path)
    caches[read_cache.CACHE_ALIAS].set(kept_body(), ("another answer", b'{"results": []}'))
    again, queries = read(api_client, path)
    assert again.status_code == 200 and again.content == first.content
    assert queries > 1  # the view's


def test_a_write_through_the_api_is_seen_by_the_next_read(seeded, api_client, curator_client):
    path = "/api/v1/parties/north-korea/"
    before = api_client.get(path)
    assert read(api_client, path)[1] == 1  # kept
    response = curator_client.patch(
        path, {"name": "North Korea (DPRK)"}, HTTP_IF_MATCH=before["ETag"]
    )
    assert response.status_code == 200
    after, queries = read(api_client, path)
    assert after.json()["name"] == "North Korea (DPRK)" and queries > 1
    assert after["ETag"] != before["ETag"]
    treaty = api_client.get("/api/v1/treaties/russia-dprk-2024/").json()
    assert "North Korea (DPRK)" in {p["party"]["name"] for p in treaty["participations"]}


def test_an_import_is_seen_by_the_next_read(seeded, api_client):
    before = api_client.get("/api/v1/designations/").json()["count"]
    official_list_import(parsed=un_list_parse(UN_2025))
    assert api_client.get("/api/v1/designations/").json()["count"] > before


def test_a_write_outside_a_change_reason_moves_the_version(seeded, api_client):
    path = "/api/v1/parties/north-korea/"
    api_client.get(path)
    party = Party.objects.get(pk="north-korea")
    party.name = "North Korea (DPRK)"
    party_write(party=party)  # a shell, a data migration: no change_reason block
    assert api_client.get(path).json()["name"] == "North Korea (DPRK)"


def test_the_version_moves_inside_the_write_and_comes_back_with_a_rollback(seeded):
    start = register_state.version()
    party = Party.objects.get(pk="north-korea")
    with pytest.raises(RuntimeError), transaction.atomic():
        with change_reason("a write that fails after its change"):
            party.name = "Nobody sees this"
            party_write(party=party)
        inside = register_state.version()
        raise RuntimeError
    assert inside != start  # visible in the write's own transaction, as its data is
    assert register_state.version() == start  # rolled back with the data


def test_a_write_that_changes_nothing_keeps_the_version(seeded, api_client):
    start = register_state.version()
    party = Party.objects.get(pk="north-korea")
    with change_reason("saved as it was"):
        party_write(party=party)
    assert register_state.version() == start


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT": "text/html"},
        {"HTTP_AUTHORIZATION": "Token not-a-real-token"},
        {"HTTP_COOKIE": "sessionid=abc"},
    ],
    ids=["html", "credentials", "session"],
)
def test_other_clients_go_to_the_view(seeded, api_client, headers):
    path = "/api/v1/parties/"
    read(api_client, path, **headers)
    response, queries = read(api_client, path, **headers)
    assert queries > 1 or response.status_code in (401, 403, 406)
    assert kept() == 0


def test_errors_and_curators_reads_are_not_kept(seeded, api_client, curator_client):
    assert api_client.get("/api/v1/designations/?listed_after=nope").status_code == 400
    assert api_client.get("/api/v1/treaties/no-such-treaty/").status_code == 404
    assert api_client.get("/api/v1/treaties/?include_drafts=true").status_code == 403
    drafts = curator_client.get("/api/v1/treaties/?include_drafts=true")
    assert drafts.status_code == 200
    assert kept() == 0
    assert api_client.get("/api/v1/treaties/?include_drafts=true").status_code == 403


def test_a_new_day_is_a_new_key(seeded, api_client, monkeypatch):
    import datetime as dt

    path = "/api/v1/treaties/"
    api_client.get(path)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(read_cache.timezone, "localdate", lambda: tomorrow)
    assert read(api_client, path)[1] > 1


def test_cached_answers_count_against_the_rate_limit(seeded, api_client, monkeypatch):
    monkeypatch.setattr(
        AnonRateThrottle,
        "THROTTLE_RATES",
        {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"},
    )
    statuses = [api_client.get("/api/v1/parties/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api_client.get("/api/v1/parties/").json()["errors"][0]["code"] == "throttled"


def test_off_when_configured(seeded, api_client, settings):
    settings.READ_CACHE = False
    path = "/api/v1/parties/"
    api_client.get(path)
    assert read(api_client, path)[1] > 1
    assert kept() == 0
