"""Keyset `cursor` paging: every record once, in the order offset paging gives, at a cost that
does not depend on the depth; bad cursors are 400s naming the parameter."""

import base64
import json

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from core.api import pagination
from core.api.pagination import sorted_if_few
from core.models import Change
from tests.factories import make_designation, make_regime, make_treaty
from treaties.models import Provision, Treaty

pytestmark = pytest.mark.django_db


# Each list with its default ordering and others; the treaties' signing dates have NULLs and ties.
ORDERINGS = [
    ("/api/v1/designations/", None),
    ("/api/v1/designations/", "-name"),
    ("/api/v1/treaties/", None),
    ("/api/v1/treaties/", "-signed_on"),
    ("/api/v1/treaties/", "signed_on,-title"),
]


@pytest.fixture
def records():
    regime = make_regime(id="regime", key="R")
    for index in range(7):
        make_designation(id=f"d-{index}", name=f"Name {index % 3}", regimes=[regime])
    for index, signed in enumerate(["1961", None, "2000-07", None, "2024-06-19", "1961"]):
        make_treaty(id=f"t-{index}", title=f"Treaty {index}", signed_on=signed)


def walk(client, path: str, **params) -> list[str]:
    """Follow `next` from an empty cursor; the ids of every page, in order."""
    response = client.get(path, {"cursor": "", "limit": 2, **params})
    ids = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["previous"] is None
        ids += [item["id"] for item in body["results"]]
        if body["next"] is None:
            return ids
        response = client.get(body["next"])


def by_offset(client, path: str, **params) -> list[str]:
    return [item["id"] for item in client.get(path, {"limit": 200, **params}).json()["results"]]


@pytest.mark.parametrize(("path", "ordering"), ORDERINGS)
def test_a_cursor_walk_visits_every_record_once_in_offset_order(
    api_client, records, path, ordering
):
    params = {"ordering": ordering} if ordering else {}
    walked = walk(api_client, path, **params)
    assert walked == by_offset(api_client, path, **params)
    assert len(walked) == len(set(walked)) > 4


def test_a_cursor_page_has_the_lists_count(api_client, records):
    page = api_client.get("/api/v1/treaties/", {"cursor": "", "limit": 2}).json()
    assert page["count"] == 6 and len(page["results"]) == 2 and "cursor=" in page["next"]


def test_a_deep_cursor_page_costs_what_the_first_does(api_client, records):
    first = api_client.get("/api/v1/designations/", {"cursor": "", "limit": 2}).json()
    walk(api_client, "/api/v1/designations/")  # stores every representation
    with CaptureQueriesContext(connection) as at_start:
        api_client.get("/api/v1/designations/", {"cursor": "", "limit": 2})
    with CaptureQueriesContext(connection) as deeper:
        api_client.get(first["next"])
    assert len(deeper) == len(at_start) <= 4


def cursor(values, order="signed_on,title,pk") -> str:
    token = {"order": order, "after": values}
    return base64.urlsafe_b64encode(json.dumps(token).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not base64!"},
        {"cursor": cursor({"a": 1})},
        {"cursor": base64.urlsafe_b64encode(b'["1961-01-01", "Treaty 1", "t-0"]').decode()},
        {"cursor": cursor(["1961-01-01", "Treaty 1", "t-0"], order="title,pk")},
        {"cursor": cursor(["x"])},
        {"cursor": cursor(["not a date", "Treaty 1", None])},
        {"cursor": cursor(["1961-01-01", "Treaty 1", True])},
        {"cursor": "A" * 1001},
        {"cursor": "", "offset": 2},
    ],
)
def test_a_bad_cursor_is_a_400_naming_it(api_client, records, params):
    response = api_client.get("/api/v1/treaties/", {"ordering": "signed_on,title", **params})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "cursor"


def test_a_cursor_made_for_another_order_is_refused_not_misread(api_client, records):
    page = api_client.get("/api/v1/treaties/", {"cursor": "", "limit": 2, "ordering": "title"})
    token = page.json()["next"].split("cursor=")[1].split("&")[0]
    response = api_client.get("/api/v1/treaties/", {"cursor": token, "ordering": "-title"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "cursor" and "start again" in error["detail"]


@pytest.mark.parametrize(
    "ordering", [["title", "pk"], ["-title", "pk"], ["-title", "-signed_on", "pk"], ["-pk"]]
)
def test_a_few_rows_sorted_for_their_page_keep_the_order_an_index_gives(records, ordering):
    plain = Treaty.objects.order_by(*ordering)
    with CaptureQueriesContext(connection) as queries:
        sorted_ids = list(sorted_if_few(plain, count=6).values_list("pk", flat=True))
    assert sorted_ids == list(plain.values_list("pk", flat=True))
    assert "|| '')" in queries[0]["sql"]  # the first term is one no index serves


def test_a_term_the_ordering_filter_wrote_is_rewritten_with_its_null_placement(records):
    # ?ordering= writes each term as F(...).asc/desc(nulls_last=True) (core.api.filters).
    for term in (F("title").asc(nulls_last=True), F("title").desc(nulls_last=True)):
        plain = Treaty.objects.order_by(term, "pk")
        with CaptureQueriesContext(connection) as queries:
            sorted_ids = list(sorted_if_few(plain, count=6).values_list("pk", flat=True))
        assert sorted_ids == list(plain.values_list("pk", flat=True))
        sql = queries[0]["sql"]
        assert "|| '')" in sql and ("NULLS LAST" in sql or connection.vendor == "sqlite")


def test_only_a_few_rows_are_rewritten(records, monkeypatch):
    monkeypatch.setattr(pagination, "SORT_FEW_ROWS", 5)
    plain = Treaty.objects.order_by("title", "pk")
    assert pagination.sorted_if_few(plain, count=6) is plain
    assert pagination.sorted_if_few(plain, count=5) is not plain
    by_flag = Provision.objects.order_by("automatic", "pk")  # a type with no rewrite keeps it
    assert pagination.sorted_if_few(by_flag, count=5) is by_flag


@pytest.mark.parametrize(
    ("model", "ordering"),
    [
        (Treaty, [F("signed_on").asc(nulls_last=True), "pk"]),  # a date, with NULLs
        (Treaty, [F("signed_on").desc(nulls_last=True), "pk"]),
        (Change, ["changed_at", "id"]),  # a date and time
        (Change, ["-id"]),  # an integer
    ],
)
def test_dates_times_and_integers_sorted_for_a_page_keep_their_order(records, model, ordering):
    plain = model.objects.order_by(*ordering)
    with CaptureQueriesContext(connection) as queries:
        sorted_ids = list(sorted_if_few(plain, count=10).values_list("pk", flat=True))
    assert sorted_ids == list(plain.values_list("pk", flat=True)) and len(sorted_ids) > 4
    assert "|| '')" in queries[0]["sql"] or " + " in queries[0]["sql"]


@pytest.mark.parametrize(("path", "ordering"), ORDERINGS)
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_offset_pages_past_the_middle_read_from_the_end_and_give_the_same_rows(
    api_client, records, path, ordering, limit
):
    params = {"ordering": ordering} if ordering else {}
    whole = by_offset(api_client, path, **params)
    paged = []
    for offset in range(0, len(whole) + 1, limit):
        body = api_client.get(path, {"limit": limit, "offset": offset, **params}).json()
        assert body["count"] == len(whole)
        paged += [item["id"] for item in body["results"]]
    assert paged == whole


def test_the_last_page_is_read_in_reverse_order(api_client, records):
    with CaptureQueriesContext(connection) as captured:
        body = api_client.get("/api/v1/designations/", {"limit": 2, "offset": 6}).json()
    page = next(q["sql"] for q in captured if "LIMIT" in q["sql"] and "COUNT" not in q["sql"])
    assert "DESC" in page
    whole = by_offset(api_client, "/api/v1/designations/")
    assert [item["id"] for item in body["results"]] == whole[6:]


@pytest.fixture
def signposted(monkeypatch):
    """Signposts on lists of any length, every second row (core.api.pagination)."""
    monkeypatch.setattr(pagination, "SIGNPOSTS_FROM", 1)
    monkeypatch.setattr(pagination, "SIGNPOST_EVERY", 2)


@pytest.mark.parametrize(("path", "ordering"), ORDERINGS)
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_offset_pages_read_from_a_signpost_give_the_same_rows(
    api_client, records, signposted, path, ordering, limit
):
    # Ties (equal names) and NULL signing dates sit on both sides of the signposts.
    params = {"ordering": ordering} if ordering else {}
    whole = by_offset(api_client, path, **params)
    for offset in range(len(whole) + 1):
        body = api_client.get(path, {"limit": limit, "offset": offset, **params}).json()
        assert [item["id"] for item in body["results"]] == whole[offset : offset + limit]


def _row_numbering(captured) -> int:
    return sum("ROW_NUMBER" in q["sql"].upper() for q in captured)


def test_signposts_are_found_once_per_register_version(api_client, records, signposted):
    page = {"limit": 1, "offset": 3}
    with CaptureQueriesContext(connection) as first:
        api_client.get("/api/v1/designations/", page)
    with CaptureQueriesContext(connection) as again:
        before = api_client.get("/api/v1/designations/", page).json()["results"]
    assert (_row_numbering(first), _row_numbering(again)) == (1, 0)
    # A write moves the rows; the page follows it at once.
    make_designation(id="d-first", name="Name 0 (first)", regimes=[])
    with CaptureQueriesContext(connection) as after_write:
        after = api_client.get("/api/v1/designations/", page).json()["results"]
    assert _row_numbering(after_write) == 1
    whole = by_offset(api_client, "/api/v1/designations/")
    assert [item["id"] for item in after] == whole[3:4] != [item["id"] for item in before]
