"""List endpoints are N+1 free: a page of 50 costs the same queries as a page of 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

pytestmark = pytest.mark.django_db
COUNT = 55
# Pinned per endpoint: count + page + one per prefetched relation. A change here is a decision.
# Related records that may be drafts are prefetched, not joined, so that the public view can
# leave the drafts out: the regime's issuer (+1), the designation's nationality and source (+2).
EXPECTED_QUERIES = {
    "/api/v1/parties/": 5,
    "/api/v1/treaties/": 12,
    "/api/v1/regimes/": 6,
    "/api/v1/designations/": 8,  # + identifiers
    "/api/v1/sources/": 2,
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


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/parties/",
        "/api/v1/treaties/",
        "/api/v1/regimes/",
        "/api/v1/designations/",
        "/api/v1/sources/",
    ],
)
def test_list_query_count_does_not_grow_with_page_size(api_client, many_records, path):
    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get(path, {"limit": limit})
        assert response.status_code == 200
        assert len(response.json()["results"]) == limit
        return len(captured)

    queries(1)  # warm per-process caches (content types) so they do not count against a page size
    small, large = queries(5), queries(50)
    assert small == large, f"{path}: {small} queries for 5 records, {large} for 50"
    assert large == EXPECTED_QUERIES[path], (
        f"{path} now takes {large} queries; was {EXPECTED_QUERIES[path]}"
    )
