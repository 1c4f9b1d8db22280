"""The questions the register exists to answer, asked of the seed records through the API."""

import pytest

from treaties.models import Treaty

pytestmark = pytest.mark.usefixtures("seeded")


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_treaties_with_north_korea_are_the_three_pacts(api_client):
    assert ids(api_client.get("/api/v1/treaties/", {"party": "KP"})) == [
        "ussr-dprk-1961",
        "russia-dprk-2000",
        "russia-dprk-2024",
    ]


def test_party_filter_takes_ids_and_codes_alike(api_client):
    assert ids(api_client.get("/api/v1/treaties/", {"party": "north-korea"})) == ids(
        api_client.get("/api/v1/treaties/", {"party": "kp"})
    )


def test_repeated_party_means_all_of_them(api_client):
    assert ids(api_client.get("/api/v1/treaties/?party=KP&party=SU")) == ["ussr-dprk-1961"]
    assert ids(api_client.get("/api/v1/treaties/?party=RU&party=KP")) == [
        "russia-dprk-2000",
        "russia-dprk-2024",
    ]


def test_party_filter_can_follow_succession(api_client):
    response = api_client.get("/api/v1/treaties/?party=RU&party=KP&include_predecessors=true")
    assert ids(response) == ["ussr-dprk-1961", "russia-dprk-2000", "russia-dprk-2024"]


def test_relations_of_russia_and_north_korea_follow_succession_in_date_order(api_client):
    response = api_client.get("/api/v1/parties/RU/relations/KP/")
    assert response.status_code == 200
    timeline = response.json()["timeline"]
    assert [(e["type"], e["id"], e["start"]) for e in timeline] == [
        ("treaty", "ussr-dprk-1961", "1961"),
        ("treaty", "russia-dprk-2000", "2000"),
        ("treaty", "russia-dprk-2024", "2024-06-19"),
    ]
    assert timeline[0]["via_succession"] == [{"predecessor": "soviet-union", "successor": "russia"}]
    assert timeline[1]["via_succession"] == [] and timeline[2]["via_succession"] == []


def test_relations_on_a_date_report_nothing_whose_entry_into_force_is_unknown(api_client):
    response = api_client.get("/api/v1/parties/russia/relations/north-korea/", {"on": "2024-12-31"})
    assert response.json()["timeline"] == []
    assert response.json()["on"] == "2024-12-31"


def test_relations_on_a_date_keep_only_what_was_in_force_or_active_that_day(api_client):
    treaty = Treaty.objects.get(pk="ussr-dprk-1961")
    treaty.set_partial("entered_into_force_on", "1961-09-10")
    treaty.set_partial("ended_on", "1996-09-10")
    treaty.save()

    def timeline(path, on):
        response = api_client.get(path, {"on": on})
        assert response.status_code == 200, response.content
        return [(e["id"], e["in_force_on"]) for e in response.json()["timeline"]]

    russia_korea = "/api/v1/parties/RU/relations/KP/"
    un_korea = "/api/v1/parties/un-security-council/relations/KP/"
    assert timeline(russia_korea, "1970-01-01") == [("ussr-dprk-1961", True)]
    assert timeline(russia_korea, "1961-08-01") == timeline(russia_korea, "1997-01-01") == []
    assert timeline(un_korea, "2010-01-01") == [("un-dprk", True)]
    assert timeline(un_korea, "2005-06-30") == []


def test_relations_include_a_regime_between_issuer_and_target(api_client):
    timeline = api_client.get("/api/v1/parties/un-security-council/relations/KP/").json()[
        "timeline"
    ]
    assert [(e["type"], e["id"], e["start"], e["status"]) for e in timeline] == [
        ("regime", "un-dprk", "2006", "active")
    ]


def test_relations_with_an_unknown_party_is_404(api_client):
    response = api_client.get("/api/v1/parties/RU/relations/XX/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_regimes_targeting_north_korea_include_the_un_regime_since_2006(api_client):
    results = api_client.get("/api/v1/regimes/", {"target": "KP"}).json()["results"]
    un = next(item for item in results if item["key"] == "UN-DPRK")
    assert un["started_on"] == "2006"
    assert un["issuer"]["id"] == "un-security-council"
    assert un["status"] == "active"


def test_the_disputed_un_sanctions_on_russia_show_as_a_disputing_citation(api_client):
    regime = api_client.get("/api/v1/regimes/russia-invasion-of-ukraine/").json()
    assert regime["issuer"] is None
    disputes = [c for c in regime["citations"] if c["stance"] == "disputes"]
    assert [c["field"] for c in disputes] == ["issuer"] and disputes[0]["note"]


@pytest.mark.parametrize("path", ["/api/v1/treaties/", "/api/v1/regimes/", "/api/v1/parties/"])
def test_every_record_shows_its_citations(api_client, path):
    for item in api_client.get(path, {"limit": 200}).json()["results"]:
        assert item["citations"], f"{item['id']} has no citations"
        for citation in item["citations"]:
            assert set(citation) >= {"source", "quote", "start", "end", "field", "stance"}
            assert set(citation["source"]) == {"id", "title"}


def test_citation_offsets_index_into_the_source_text(api_client):
    treaty = api_client.get("/api/v1/treaties/russia-dprk-2024/").json()
    citation = treaty["citations"][0]
    source = api_client.get(f"/api/v1/sources/{citation['source']['id']}/").json()
    assert source["text"][citation["start"] : citation["end"]] == citation["quote"]


def test_participations_list_signatures_as_dated_actions(api_client):
    treaty = api_client.get("/api/v1/treaties/russia-dprk-2024/").json()
    russia = next(p for p in treaty["participations"] if p["party"]["iso_alpha2"] == "RU")
    assert russia["actions"] == [
        {
            "type": "signature",
            "date": "2024-06-19",
            "signatory_name": "Vladimir Putin",
            "signatory_office": "President of Russia",
        }
    ]


def test_unknown_stays_null(api_client):
    treaty = api_client.get("/api/v1/treaties/ussr-dprk-1961/").json()
    assert (
        treaty["entered_into_force_on"] is None
        and treaty["ended_on"] is None
        and treaty["signed_at"] is None
    )
    assert treaty["status"] == "signed"


def test_parties_show_iso_codes_aliases_and_succession(api_client):
    party = api_client.get("/api/v1/parties/", {"code": "SU"}).json()["results"][0]
    assert (party["id"], party["iso_alpha3"], party["kind"]) == (
        "soviet-union",
        "SUN",
        "former_state",
    )
    assert [p["id"] for p in party["successors"]] == ["russia"]
    russia = api_client.get("/api/v1/parties/russia/").json()
    assert [p["id"] for p in russia["predecessors"]] == ["soviet-union"]


def test_search_matches_aliases(api_client):
    assert ids(api_client.get("/api/v1/parties/", {"q": "dprk"})) == ["north-korea"]
    assert ids(api_client.get("/api/v1/treaties/", {"q": "mutual defence pact"})) == [
        "russia-dprk-2024"
    ]


def test_sources_list_shows_hashes_not_text(api_client):
    results = api_client.get("/api/v1/sources/").json()["results"]
    assert {len(item["sha256"]) for item in results} == {64}
    assert all("text" not in item for item in results)


def test_a_well_formed_but_unknown_party_matches_nothing(api_client):
    assert ids(api_client.get("/api/v1/treaties/", {"party": "ZZ"})) == []
    assert ids(api_client.get("/api/v1/regimes/", {"target": "atlantis"})) == []


def test_an_empty_party_parameter_means_no_filter(api_client):
    assert len(ids(api_client.get("/api/v1/treaties/?party="))) == 3


def test_a_party_is_not_tied_to_its_own_predecessor_by_a_treaty_only_one_of_them_joined(api_client):
    assert api_client.get("/api/v1/parties/RU/relations/SU/").json()["timeline"] == []


def test_relations_of_a_party_with_itself_is_a_400(api_client):
    response = api_client.get("/api/v1/parties/KP/relations/north-korea/")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "other"
