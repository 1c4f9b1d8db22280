"""List endpoints are N+1 free: a page of 50 costs the same queries as a page of 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Representation
from tests.factories import (
    make_citation,
    make_designation,
    make_participation,
    make_party,
    make_regime,
    make_source,
    make_treaty,
)
from treaties.models import Provision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("view_answers")]
COUNT = 55
# Pinned per endpoint. Records with stored representations (core.representations) cost the
# count, the page's ids and their stored bodies; sources are rendered per request: count +
# page + their citation counts' subquery. A change here is a decision.
EXPECTED_QUERIES = {
    "/api/v1/parties/": 3,
    "/api/v1/treaties/": 3,
    "/api/v1/regimes/": 3,
    "/api/v1/designations/": 3,
    "/api/v1/sources/": 2,
    "/api/v1/citations/": 3,
}
# Rendering a page whose records have no stored copy yet: one query per prefetched relation,
# then one to store them. Related records that may be drafts are prefetched, not joined, so
# that the public view can leave the drafts out.
EXPECTED_RENDERING_QUERIES = {
    "/api/v1/parties/": 8,
    "/api/v1/treaties/": 15,
    "/api/v1/regimes/": 9,
    "/api/v1/designations/": 12,  # + identifiers, addresses (their countries and vessel flags only when any)
    "/api/v1/citations/": 5,
}


@pytest.fixture
def many_records():
    source = make_source()
    issuer = make_party(id="issuer", kind="organisation")
    for index in range(COUNT):
        make_source(id=f"source-{index:02}", text=f"text {index}")
        a = make_party(id=f"party-a-{index:02}")
        b = make_party(id=f"party-b-{index:02}")
        a.successors.add(b)
        make_citation(record=a, source=source, quote="North Korea", field="name")
        treaty = make_treaty(id=f"treaty-{index:02}", signed_on="1961")
        for party in (a, b):
            participation = make_participation(treaty=treaty, party=party, signed_on="1961")
            make_citation(
                record=participation, source=source, quote="signed in 1961", field="party"
            )
        provision = Provision.objects.create(
            treaty=treaty, label="Art. 1", summary="Mutual assistance."
        )
        provision.obligations.add("defense")
        make_citation(
            record=provision,
            source=source,
            quote="automatic military intervention",
            field="obligations",
        )
        make_citation(record=treaty, source=source, quote="signed in 1961", field="signed_on")
        regime = make_regime(
            id=f"regime-{index:02}",
            key=f"R-{index:02}",
            issuer=issuer,
            targets=[a, b],
            measures=["asset_freeze"],
            started_on="2006",
        )
        make_citation(record=regime, source=source, quote="1961", field="started_on")
        make_designation(
            id=f"designation-{index:02}",
            regimes=[regime],
            aliases=["alias one", "alias two"],
            nationality=a,
            source=source,
            listed_on="2010",
        )


def queries(api_client, path: str, limit: int, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(path, {"limit": limit, **params})
    assert response.status_code == 200
    assert len(response.json()["results"]) == limit
    return len(captured)


@pytest.mark.parametrize("path", list(EXPECTED_QUERIES))
def test_list_query_count_does_not_grow_with_page_size(api_client, many_records, path):
    queries(api_client, path, 50)  # stores what the factories' writes left unrendered
    small, large = queries(api_client, path, 5), queries(api_client, path, 50)
    assert small == large, f"{path}: {small} queries for 5 records, {large} for 50"
    assert large == EXPECTED_QUERIES[path], (
        f"{path} now takes {large} queries; was {EXPECTED_QUERIES[path]}"
    )


@pytest.mark.parametrize("path", list(EXPECTED_RENDERING_QUERIES))
def test_rendering_a_page_costs_the_same_for_5_and_50_records(api_client, many_records, path):
    queries(api_client, path, 1)  # warm per-process caches (content types)
    Representation.objects.all().delete()
    small = queries(api_client, path, 5)
    Representation.objects.all().delete()
    large = queries(api_client, path, 50)
    assert small == large, f"{path}: {small} queries for 5 records, {large} for 50"
    assert large == EXPECTED_RENDERING_QUERIES[path], (
        f"{path} now takes {large} queries to render; was {EXPECTED_RENDERING_QUERIES[path]}"
    )


def test_a_searched_designation_page_costs_the_same_queries(api_client, many_records):
    # `q` looks in aliases too: still one query for the count and one for the page's ids.
    path = "/api/v1/designations/"
    queries(api_client, path, 50, q="ALIAS")
    assert queries(api_client, path, 5, q="ALIAS") == queries(api_client, path, 50, q="ALIAS") == 3


@pytest.mark.parametrize(
    ("path", "params", "limit"),
    [
        ("/api/v1/regimes/", {"issuer": "issuer"}, 50),  # all 55 regimes
        ("/api/v1/treaties/", {"party": "party-b-00", "include_predecessors": "true"}, 1),
        ("/api/v1/designations/", {"regime": "R-00", "nationality": "party-a-00"}, 1),
    ],
)
def test_a_list_filtered_by_named_records_costs_no_query_to_resolve_them(
    api_client, many_records, path, params, limit
):
    # Parties and regimes are resolved from the names that come with the register's version
    # (tests/acceptance/test_kept_names.py): the same queries as the plain list, the first
    # read after a write that changed the names included.
    queries(api_client, path, limit, **params)  # stores the page's bodies
    make_party(id="one-more-party")
    assert queries(api_client, path, limit, **params) == 4  # + the count, kept for the version
    assert queries(api_client, path, limit, **params) == 3


def counted(api_client, path: str) -> bool:
    """Whether answering ``path`` counted the list's rows in the database."""
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(path).status_code == 200
    return any('COUNT(*) AS "__count"' in query["sql"] for query in captured)


@pytest.mark.parametrize("path", ["/api/v1/changes/", "/api/v1/sources/", "/api/v1/designations/"])
def test_a_public_lists_count_is_kept_until_the_next_write(api_client, many_records, path):
    # At 1M designations the change feed's count reads 1.9M rows (0.7 s): once per version.
    assert counted(api_client, path)
    assert not counted(api_client, path)
    make_source(id="one-more-write")
    assert counted(api_client, path)


def relations_queries(api_client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get("/api/v1/parties/party-a/relations/party-b/")
    assert response.status_code == 200
    return len(captured), len(response.json()["timeline"])


def test_the_relations_timeline_costs_the_same_queries_for_2_and_20_treaties(api_client):
    a, b = make_party(id="party-a"), make_party(id="party-b")
    members = [make_party(id=f"member-{index}") for index in range(5)]

    def tie(index: int) -> None:
        treaty = make_treaty(id=f"tie-{index:02}", kind="multilateral", signed_on="1961")
        for party in (a, b, *members):
            make_participation(treaty=treaty, party=party)

    for index in range(2):
        tie(index)
    few, entries = relations_queries(api_client)
    assert entries == 2
    for index in range(2, 20):
        tie(index)
    many, entries = relations_queries(api_client)
    assert entries == 20
    # the register's version (the party names come with it, though each read here is the
    # first after a write that changed them), the two parties, the treaties, their members,
    # the regimes
    assert many == few == 6, f"{few} queries for 2 treaties, {many} for 20"
    assert relations_queries(api_client) == (6, 20)
