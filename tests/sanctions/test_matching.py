# ruff: noqa: RUF001 (names in Cyrillic on purpose)
"""Screening (POST /api/v1/match/): variants of a listed name find it, evidence counts as
documented, drafts never show, parameters and errors behave as docs/matching.md says."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, SanctionsRegime
from sanctions.services import designation_create, designation_update, regime_write

pytestmark = [pytest.mark.django_db]
DATA = Path(__file__).with_name("data")
URL = "/api/v1/match/"


@pytest.fixture
def lists(seeded):
    """The UN (2025) and OFAC SDN (2024) excerpts, imported."""
    official_list_import(parsed=un_list_parse(DATA / "un_consolidated_2025-04-19_excerpt.xml"))
    official_list_import(parsed=ofac_sdn_parse(DATA / "ofac_sdn_2024-05-03_excerpt.csv"))


def screen(client, properties, schema="Person", params="", **queries):
    body = {"queries": {"q": {"schema": schema, "properties": properties}, **queries}}
    response = client.post(URL + params, body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def results(client, properties, schema="Person", params=""):
    return screen(client, properties, schema, params)["responses"]["q"]["results"]


@pytest.mark.parametrize(
    "name",
    [
        "YUN HO-JIN",
        "Yun Hojin",
        "Ho-jin Yun",
        "Ho Jin Yun",
        "yun ho jin",
        "Юн Хо Джин",
        "윤호진",
        "Yun Hojim",
    ],
)
def test_variants_of_a_listed_name_find_it_first(lists, api_client, name):
    found = results(api_client, {"name": [name]})
    assert found[0]["id"] == "un-kpi-001"
    assert found[0]["match"] is True
    assert found[0]["designation"]["reference_number"] == "KPi.001"


def test_original_script_name_finds_the_record_as_listed(lists, api_client):
    found = results(api_client, {"name": ["محمد طاهر أنوري"]})
    assert found[0]["id"] == "un-tai-005" and found[0]["score"] == 1.0
    assert "original script" in found[0]["explanations"]["name"]["detail"]


def test_latin_name_finds_the_arabic_script_record_too(lists, api_client):
    assert results(api_client, {"name": ["Mohammad Tahir Anwari"]})[0]["id"] == "un-tai-005"


def test_company_legal_forms_and_word_order_are_tolerated(lists, api_client):
    found = results(api_client, {"name": ["Korea Mining Development Trading Corp."]}, "Company")
    assert {r["id"] for r in found if r["match"]} >= {"un-kpe-001", "ofac-9345"}


def test_a_person_query_does_not_return_entities(lists, api_client):
    found = results(api_client, {"name": ["Korea Mining Development Trading Corporation"]})
    assert all(r["schema"] == "Person" for r in found)


def test_birth_year_matches_a_full_date_and_helps(lists, api_client):
    without = results(api_client, {"name": ["Yun Hojim"]})[0]
    with_year = results(api_client, {"name": ["Yun Hojim"], "birthDate": ["1944"]})[0]
    assert with_year["explanations"]["birthDate"]["score"] > 0
    assert with_year["score"] > without["score"]


def test_a_different_birth_date_counts_against_but_does_not_dominate(lists, api_client):
    found = results(api_client, {"name": ["Yun Ho-jin"], "birthDate": ["1990-01-01"]})[0]
    assert found["explanations"]["birthDate"]["score"] < 0
    assert found["id"] == "un-kpi-001" and found["match"] is True


def test_nationality_is_a_feature(lists, api_client):
    found = results(api_client, {"name": ["Yun Ho-jin"], "nationality": ["kp"]})[0]
    assert set(found["explanations"]) == {"name", "country"}


def test_an_identifier_is_strong_evidence(lists, api_client):
    found = results(api_client, {"name": ["J. Cherizier"], "idNumber": ["001 843 989 7"]})
    assert found[0]["id"] == "un-hti-001" and found[0]["score"] >= 0.9
    assert "001-843-989-7" in found[0]["explanations"]["identifier"]["detail"]


def test_an_imo_number_alone_finds_the_vessel(lists, api_client):
    vessel = Designation.objects.filter(kind="vessel", identifiers__type="imo").first()
    imo = vessel.identifiers.get(type="imo").value
    found = results(api_client, {"imoNumber": [f"IMO {imo}"]}, "Vessel")
    assert found[0]["id"] == vessel.pk and found[0]["match"] is True


@pytest.mark.parametrize("name", ["Kim", "Mohammed Ali", "Yun"])
def test_common_or_very_short_names_do_not_match_alone(lists, api_client, name):
    assert not [r for r in results(api_client, {"name": [name]}) if r["match"]]


def test_a_family_name_of_several_tokens_alone_does_not_match(seeded, api_client):
    designation_create(
        values={
            "id": "test-izz",
            "kind": "individual",
            "name": "IZZ-AL-DIN, Hasan",
            "review_status": "published",
        },
        regimes=[SanctionsRegime.objects.get(key="UN-DPRK")],
    )
    other = results(api_client, {"name": ["Baz Izz-al-Din"]})[0]
    assert other["id"] == "test-izz" and other["match"] is False
    assert "one name of a person matched" in other["explanations"]["name"]["detail"]
    assert results(api_client, {"name": ["Hasan Izz al-Din"]})[0]["match"] is True


def test_unrelated_names_find_nothing(lists, api_client):
    assert results(api_client, {"name": ["Margaret Thatcher"]}) == []


def test_scores_are_deterministic_and_explained(lists, api_client):
    first = screen(api_client, {"name": ["Ri Je Son"], "birthDate": ["1938"]})
    assert all(
        screen(api_client, {"name": ["Ri Je Son"], "birthDate": ["1938"]}) == first
        for _ in range(3)
    )
    top = first["responses"]["q"]["results"][0]
    assert top["explanations"]["name"]["detail"].startswith("'Ri Je Son' ~ ")
    assert set(top) == {"id", "caption", "schema", "score", "match", "explanations", "designation"}


def test_drafts_never_appear(lists, api_client):
    designation = Designation.objects.get(pk="un-kpi-001")
    designation_update(designation=designation, values={"review_status": "draft"})
    assert "un-kpi-001" not in {r["id"] for r in results(api_client, {"name": ["Yun Ho-jin"]})}


def test_delisted_only_when_asked(lists, api_client):
    designation = Designation.objects.get(pk="un-kpi-001")
    designation_update(designation=designation, values={"delisted_on": "2025-05-01"})
    assert results(api_client, {"name": ["Yun Ho-jin"]}) == []
    found = results(api_client, {"name": ["Yun Ho-jin"]}, params="?include_delisted=true")
    assert found[0]["id"] == "un-kpi-001" and found[0]["designation"]["status"] == "delisted"


def test_regime_filter_is_repeatable_by_id_or_key(lists, api_client):
    query = {"name": ["Korea Mining Development Trading Corporation"]}
    un = {r["id"] for r in results(api_client, query, "Company", "?regime=UN-DPRK")}
    both = {
        r["id"]
        for r in results(api_client, query, "Company", "?regime=un-dprk&regime=US-OFAC-DPRK2")
    }
    assert un == {"un-kpe-001"} and both == {"un-kpe-001", "ofac-9345"}


def test_a_regime_that_names_nothing_screens_against_nothing(lists, api_client):
    # An unknown key, or a draft regime's: not "no filter", and a draft is not revealed.
    query = {"name": ["Korea Mining Development Trading Corporation"]}
    assert results(api_client, query, "Company", "?regime=UN-DPRK") != []
    regime = SanctionsRegime.objects.get(key="UN-DPRK")
    regime.review_status = "draft"
    regime_write(regime=regime)
    for params in ("?regime=NO-SUCH-REGIME", "?regime=UN-DPRK", "?regime=un-dprk&regime=XX"):
        assert results(api_client, query, "Company", params) == []


def test_threshold_and_limit(lists, api_client):
    body = screen(api_client, {"name": ["Yun Hojim"]}, params="?threshold=0.99&limit=1")
    assert body["limit"] == 1
    found = body["responses"]["q"]["results"]
    assert len(found) == 1 and found[0]["match"] is False


def test_response_has_yentes_shape(lists, api_client):
    body = screen(api_client, {"name": ["Yun Ho-jin"]})
    response = body["responses"]["q"]
    assert response["status"] == 200
    assert response["query"] == {"schema": "Person", "properties": {"name": ["Yun Ho-jin"]}}
    assert response["total"] == {"value": len(response["results"]), "relation": "eq"}
    assert body["limit"] == 5


def test_at_most_fifty_queries(lists, api_client):
    queries = {f"q{i}": {"schema": "Person", "properties": {"name": ["Kim"]}} for i in range(51)}
    response = api_client.post(URL, {"queries": queries}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "queries"


PERSON = "Person"


@pytest.mark.parametrize(
    ("properties", "attr"),
    [
        ({"name": ["A"], "birthDate": ["1944", "1943-02-29"]}, "queries.q1.properties.birthDate.1"),
        ({"name": ["A"], "birthDate": ["15.4.1960"]}, "queries.q1.properties.birthDate.0"),
        ({"name": ["A"], "nationality": ["Atlantis"]}, "queries.q1.properties.nationality.0"),
        ({"name": "Kim"}, "queries.q1.properties.name"),
        ({"name": ["x" * 301]}, "queries.q1.properties.name.0"),
    ],
)
def test_errors_name_the_query_key_and_property(db, api_client, properties, attr):
    response = api_client.post(
        URL, {"queries": {"q1": {"schema": PERSON, "properties": properties}}}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"][0]["attr"] == attr


def test_an_unknown_schema_is_named(db, api_client):
    query = {"schema": "Planet", "properties": {"name": ["A"]}}
    response = api_client.post(URL, {"queries": {"q1": query}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "queries.q1.schema"


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ("?threshold=2", "threshold"),
        ("?limit=51", "limit"),
        ("?include_delisted=maybe", "include_delisted"),
    ],
)
def test_bad_parameters_are_named(db, api_client, params, attr):
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim"]}}}}
    response = api_client.post(URL + params, body, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == attr


def test_query_count_grows_by_one_per_query_not_per_candidate(lists, api_client):
    def count(n, name="Korea Mining Yun Ho Jin Ri"):
        queries = {
            f"q{i}": {"schema": "LegalEntity", "properties": {"name": [name]}} for i in range(n)
        }
        with CaptureQueriesContext(connection) as captured:
            response = api_client.post(URL + "?limit=50", {"queries": queries}, format="json")
        assert response.status_code == 200
        assert response.json()["responses"]["q0"]["total"]["value"] >= 3
        return len(captured)

    cold = count(3)  # renders the candidates' stored bodies (an import leaves them to it)
    one, three = count(1), count(3)
    # The ranking of candidates per query; the register version, their scope, the candidates
    # and their stored bodies once per request; the keys' counts are kept per register version.
    assert three - one == 2, (one, three)
    assert one <= 8, one
    assert cold > three  # the first request counted the keys' postings (and rendered)


def test_keys_follow_a_new_alias(lists, api_client):
    designation = Designation.objects.get(pk="un-kpi-002")
    designation_update(designation=designation, aliases=["Zebulon Quartermaine"])
    assert results(api_client, {"name": ["Zebulon Quartermaine"]})[0]["id"] == "un-kpi-002"
    found = results(api_client, {"name": ["Ri Che-son"]})[0]
    assert "'Ri Che-son' (alias" not in found["explanations"]["name"]["detail"]


def test_a_created_designation_is_found_at_once(seeded, api_client):
    regime = SanctionsRegime.objects.get(key="UN-DPRK")
    designation_create(
        values={
            "id": "test-x",
            "kind": "entity",
            "name": "OOO Romashka",
            "review_status": "published",
        },
        regimes=[regime],
    )
    assert results(api_client, {"name": ["Romashka LLC"]}, "Company")[0]["id"] == "test-x"


def test_schema_example_is_the_live_response(lists, api_client):
    """The documented example request gets exactly the documented example response (rewritten
    with UPDATE_EXAMPLES=1, which still fails the run, as tests/acceptance/test_examples.py)."""
    import json
    import os

    from core.api.examples import EXAMPLES_DIR

    request = json.loads((EXAMPLES_DIR / "match-request.json").read_text(encoding="utf-8"))
    live = api_client.post(URL, request, format="json").json()
    target = EXAMPLES_DIR / "match-response.json"
    committed = json.loads(target.read_text(encoding="utf-8"))
    if live != committed and os.environ.get("UPDATE_EXAMPLES") == "1":
        target.write_text(json.dumps(live, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.fail(f"{target.name} was rewritten: review and commit it, then run again")
    assert live == committed


def test_a_query_without_name_or_identifier_finds_nothing(lists, api_client):
    assert results(api_client, {"birthDate": ["1944"], "nationality": ["kp"]}) == []


def test_a_number_is_not_a_string(db, api_client):
    query = {"schema": "Vessel", "properties": {"imoNumber": [9187629]}}
    response = api_client.post(URL, {"queries": {"q1": query}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "queries.q1.properties.imoNumber.0"


def test_no_queries_no_responses(db, api_client):
    response = api_client.post(URL, {"queries": {}}, format="json")
    assert response.status_code == 200 and response.json() == {"responses": {}, "limit": 5}
