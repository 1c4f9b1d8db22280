"""Regime and designation filters."""

import pytest

from tests.factories import make_designation, make_party, make_regime

pytestmark = pytest.mark.django_db


def ids(api_client, url, **params):
    response = api_client.get(url, params)
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["results"])


@pytest.fixture
def regimes():
    un, us = make_party(id="un", kind="organisation"), make_party(id="usa", iso_alpha2="US")
    kp, ru = make_party(id="north-korea", iso_alpha2="KP"), make_party(id="russia", iso_alpha2="RU")
    make_regime(
        id="un-dprk",
        key="UN-DPRK",
        issuer=un,
        targets=[kp],
        measures=["asset_freeze", "arms_embargo"],
        started_on="2006-10-14",
    )
    make_regime(
        id="us-old", key="US-OLD", issuer=us, targets=[ru], started_on="2014", ended_on="2016-01-01"
    )
    make_regime(id="us-undated", key="US-UNDATED", issuer=us, targets=[ru, kp])


def test_issuer_and_target_accept_ids_and_codes(api_client, regimes):
    assert ids(api_client, "/api/v1/regimes/", issuer="US") == ["us-old", "us-undated"]
    assert ids(api_client, "/api/v1/regimes/", target="north-korea") == ["un-dprk", "us-undated"]


def test_active_on_needs_a_known_start(api_client, regimes):
    assert ids(api_client, "/api/v1/regimes/", active_on="2015-06-01") == ["un-dprk", "us-old"]
    assert ids(api_client, "/api/v1/regimes/", active_on="2014-06-01") == ["un-dprk"]
    assert ids(api_client, "/api/v1/regimes/", active_on="2016-01-01") == ["un-dprk"]


def test_measure_and_status_filters(api_client, regimes):
    assert ids(api_client, "/api/v1/regimes/", measure="arms_embargo") == ["un-dprk"]
    assert ids(api_client, "/api/v1/regimes/", status="ended") == ["us-old"]
    assert ids(api_client, "/api/v1/regimes/", status="active") == ["un-dprk", "us-undated"]


def test_designation_filters(api_client, regimes):
    from sanctions.models import SanctionsRegime

    un = SanctionsRegime.objects.get(pk="un-dprk")
    kp = make_party(id="dprk-test", iso_alpha2="KR")
    make_designation(
        id="kpi-001",
        regimes=[un],
        name="Ri Je-son",
        aliases=["Ri Che-son"],
        reference_number="KPi.001",
        listed_on="2013-01-22",
        nationality=kp,
    )
    make_designation(
        id="kpe-001",
        regimes=[un],
        kind="entity",
        name="Korea Mining",
        reference_number="KPe.001",
        listed_on="2009",
        delisted_on="2020-11-30",
    )
    url = "/api/v1/designations/"
    assert ids(api_client, url, regime="UN-DPRK") == ["kpe-001", "kpi-001"]
    assert ids(api_client, url, q="che-son") == ["kpi-001"]
    assert ids(api_client, url, reference_number="kpi.001") == ["kpi-001"]
    assert ids(api_client, url, kind="entity") == ["kpe-001"]
    assert ids(api_client, url, status="delisted") == ["kpe-001"]
    assert ids(api_client, url, nationality="KR") == ["kpi-001"]
    assert ids(api_client, url, listed_after="2010-01-01") == ["kpi-001"]
    assert ids(api_client, url, listed_before="2009-12-31") == ["kpe-001"]
    assert ids(api_client, url, listed_before="2009-06-30") == []
    item = api_client.get(url + "kpe-001/").json()
    assert (item["status"], item["delisted_on"], item["listed_on"]) == (
        "delisted",
        "2020-11-30",
        "2009",
    )


def test_unknown_regime_matches_nothing(api_client, regimes):
    assert ids(api_client, "/api/v1/designations/", regime="NOPE") == []


def test_a_designation_matching_q_in_several_aliases_is_listed_once(api_client):
    make_designation(
        id="kpe-002", kind="entity", name="Green Pine", aliases=["Chongsong Yonhap", "Chongsong"]
    )
    response = api_client.get("/api/v1/designations/", {"q": "chongsong"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert ([item["id"] for item in body["results"]], body["count"]) == (["kpe-002"], 1)


def test_regime_filter_pages_the_regimes_designations_by_name(api_client, regimes):
    for n in range(5):
        make_designation(id=f"un-{n}", name=f"Zed {4 - n}", regimes=["un-dprk"])
    make_designation(id="us-only", regimes=["us-old"])
    make_designation(id="un-draft", regimes=["un-dprk"], review_status="draft")
    response = api_client.get("/api/v1/designations/", {"regime": "UN-DPRK", "limit": 3})
    body = response.json()
    assert body["count"] == 5
    assert [item["id"] for item in body["results"]] == ["un-4", "un-3", "un-2"]  # by name
    assert ids(api_client, "/api/v1/designations/", regime="us-old") == ["us-only"]


def test_q_finds_designations_by_name_alias_or_reference_in_any_case(api_client, regimes):
    make_designation(id="by-name", name="KIM Chol", regimes=["un-dprk"])
    make_designation(id="by-alias", name="Ri", aliases=["Pak Kimsong"], regimes=["us-old"])
    make_designation(id="by-reference", name="Vessel", reference_number="KIM.7")
    make_designation(id="draft", name="Kim Draft", review_status="draft")
    make_designation(id="neither", name="Choe", aliases=["Ri Chol"])
    response = api_client.get("/api/v1/designations/", {"q": "kIm"})
    body = response.json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == ["by-name", "by-alias", "by-reference"]
    # The search narrows whatever else the list is filtered by.
    assert ids(api_client, "/api/v1/designations/", q="kim", regime="US-OLD") == ["by-alias"]
    assert ids(api_client, "/api/v1/designations/", q="kim", regime="UN-DPRK") == ["by-name"]
    assert ids(api_client, "/api/v1/designations/", q="chol") == ["by-name", "neither"]
