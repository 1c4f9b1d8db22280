"""Every query parameter's cost is bounded, and every refusal is a 400 the schema declares.

Limits (docs/api.md, Limits): `q` 200 characters, ids and codes 100, a repeatable parameter
10 values, `ordering` 3 terms (each field once), `offset` 1,000,000; integers and dates in
ASCII digits only.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api.filters import MAX_ORDERING_TERMS, MAX_REF_LENGTH, MAX_REPEATS, MAX_SEARCH_LENGTH
from core.api.pagination import LimitOffsetPagination
from tests.factories import make_participation, make_party, make_treaty

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/parties/",
    "/api/v1/treaties/",
    "/api/v1/regimes/",
    "/api/v1/designations/",
    "/api/v1/sources/",
    "/api/v1/citations/",
    "/api/v1/changes/",
]
# Parameters that name a record by id, code, key or reference number.
REFERENCES = [
    ("/api/v1/treaties/", "party"),
    ("/api/v1/regimes/", "issuer"),
    ("/api/v1/regimes/", "target"),
    ("/api/v1/designations/", "nationality"),
    ("/api/v1/designations/", "regime"),
    ("/api/v1/designations/", "reference_number"),
    ("/api/v1/citations/", "record_id"),
    ("/api/v1/citations/", "source"),
    ("/api/v1/citations/", "field"),
    ("/api/v1/changes/", "record_id"),
]


def assert_refused(response, parameter: str) -> str:
    """The response is a 400 naming ``parameter`` (only); returns its error code."""
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {error["attr"] for error in errors} == {parameter}, errors
    return errors[0]["code"]


# Ordering


@pytest.mark.parametrize("path", LISTS)
def test_ordering_with_a_doubled_dash_is_a_400(api_client, path):
    assert_refused(api_client.get(path, {"ordering": "--id"}), "ordering")


@pytest.mark.parametrize("ordering", ["title,-title", "title,title", "-id,signed_on,id"])
def test_ordering_that_names_a_field_twice_is_a_400(api_client, ordering):
    assert_refused(api_client.get("/api/v1/treaties/", {"ordering": ordering}), "ordering")


def test_ordering_takes_at_most_three_terms(api_client):
    fields = ["-signed_on", "title", "id", "ended_on"]
    accepted = api_client.get("/api/v1/treaties/", {"ordering": ",".join(fields[:3])})
    assert accepted.status_code == 200, accepted.content
    refused = api_client.get("/api/v1/treaties/", {"ordering": ",".join(fields)})
    assert MAX_ORDERING_TERMS == 3
    assert_refused(refused, "ordering")


@pytest.mark.parametrize("ordering", ["title,", ",title", "title, id"])
def test_ordering_with_an_empty_or_padded_term_is_a_400(api_client, ordering):
    assert_refused(api_client.get("/api/v1/treaties/", {"ordering": ordering}), "ordering")


# Repeatable parameters


def test_party_repeated_beyond_the_maximum_is_a_400(api_client):
    make_party(id="russia", iso_alpha2="RU")
    at_max = api_client.get("/api/v1/treaties/", {"party": ["RU"] * MAX_REPEATS})
    assert at_max.status_code == 200, at_max.content
    over = api_client.get("/api/v1/treaties/", {"party": ["RU"] * (MAX_REPEATS + 1)})
    assert assert_refused(over, "party") == "max_length"


@pytest.fixture
def ten_parties_in_one_treaty():
    """MAX_REPEATS parties, each succeeding a former state, all party to one treaty."""
    treaty = make_treaty(id="many-parties", kind="multilateral", signed_on="1990")
    parties = []
    for index in range(MAX_REPEATS):
        party = make_party(id=f"state-{index}", iso_alpha2=f"S{index}")
        former = make_party(id=f"former-{index}", kind="former_state")
        former.successors.add(party)
        make_participation(treaty=treaty, party=party if index % 2 else former)
        parties.append(party)
    return parties


def _party_request(api_client, refs) -> tuple[int, list[str]]:
    params = {"party": refs, "include_predecessors": "true"}
    api_client.get("/api/v1/treaties/", params)  # warm per-process caches (content types)
    cache.clear()  # and count again: the filter's conditions are in the count query too
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get("/api/v1/treaties/", params)
    assert response.status_code == 200, response.content
    return response.json()["count"], [query["sql"] for query in captured]


def _treaty_queries(queries: list[str]) -> list[str]:
    return [sql for sql in queries if 'FROM "treaties_treaty"' in sql]


def test_party_filter_costs_the_same_queries_for_one_value_and_the_maximum(
    api_client, ten_parties_in_one_treaty, view_answers
):
    one_count, one = _party_request(api_client, ["state-0"])
    all_count, every = _party_request(api_client, [p.pk for p in ten_parties_in_one_treaty])
    assert (one_count, all_count) == (1, 1)  # predecessors followed for every party
    assert len(every) == len(one), "\n".join(every)


def test_repeated_and_equivalent_party_values_add_no_conditions(
    api_client, ten_parties_in_one_treaty, view_answers
):
    _, once = _party_request(api_client, ["state-1"])
    _, repeated = _party_request(api_client, ["state-1", "S1", "s1"] * 3)
    assert len(_treaty_queries(once)) >= 2  # the count and the page
    assert _treaty_queries(repeated) == _treaty_queries(once)


# Length of text and references


def test_q_is_refused_beyond_200_characters(api_client):
    assert MAX_SEARCH_LENGTH == 200
    at_max = api_client.get("/api/v1/treaties/", {"q": "a" * MAX_SEARCH_LENGTH})
    assert at_max.status_code == 200, at_max.content
    over = api_client.get("/api/v1/treaties/", {"q": "a" * (MAX_SEARCH_LENGTH + 1)})
    assert assert_refused(over, "q") == "max_length"


def test_q_length_counts_the_surrounding_whitespace_as_sent(api_client):
    response = api_client.get("/api/v1/treaties/", {"q": "a" + " " * MAX_SEARCH_LENGTH})
    assert assert_refused(response, "q") == "max_length"


@pytest.mark.parametrize(("path", "parameter"), REFERENCES)
def test_references_are_refused_beyond_100_characters(api_client, path, parameter):
    assert MAX_REF_LENGTH == 100
    at_max = api_client.get(path, {parameter: "a" * MAX_REF_LENGTH})
    assert at_max.status_code == 200, at_max.content
    over = api_client.get(path, {parameter: "a" * (MAX_REF_LENGTH + 1)})
    assert assert_refused(over, parameter) == "max_length"


@pytest.mark.parametrize("value", [" RU", "RU ", "RU\n"])
def test_party_reference_with_surrounding_whitespace_is_a_400(api_client, value):
    make_party(id="russia", iso_alpha2="RU")
    assert_refused(api_client.get("/api/v1/treaties/", {"party": value}), "party")


def test_code_with_a_trailing_newline_is_a_400(api_client):
    assert_refused(api_client.get("/api/v1/parties/", {"code": "KP\n"}), "code")


# Integers and dates


@pytest.mark.parametrize("parameter", ["limit", "offset"])
@pytest.mark.parametrize("value", ["+5", " 5", "5 ", "\uff15", "5\n", "0x5", "5.0"])
def test_integer_parameters_take_ascii_digits_only(api_client, parameter, value):
    assert_refused(api_client.get("/api/v1/treaties/", {parameter: value}), parameter)


def test_offset_is_refused_beyond_the_maximum(api_client):
    maximum = LimitOffsetPagination.max_offset
    at_max = api_client.get("/api/v1/treaties/", {"offset": maximum})
    assert at_max.status_code == 200, at_max.content
    assert_refused(api_client.get("/api/v1/treaties/", {"offset": maximum + 1}), "offset")


def test_offset_beyond_the_database_integer_range_is_a_400(api_client):
    assert_refused(api_client.get("/api/v1/treaties/", {"offset": "9" * 20}), "offset")


@pytest.mark.parametrize("value", ["10/25/2006", "2006-1-5", "\uff12\uff10\uff10\uff16-01-05"])
def test_date_parameters_take_yyyy_mm_dd_in_ascii_digits_only(api_client, value):
    assert_refused(api_client.get("/api/v1/treaties/", {"in_force_on": value}), "in_force_on")


# Every refusal is declared


BAD_VALUES = ["", " ", "x", "-1", "+5", "\uff15", "1995-13-01", "--id", "a,", "\x00", "a\n", "%"]


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def declared_error_codes(schema: dict, operation: dict) -> dict[str, set[str]]:
    """attr -> the error codes the operation's 400 response declares for it."""
    declared: dict[str, set[str]] = {}
    response = operation["responses"]["400"]["content"]["application/json"]["schema"]
    for variant in _resolve(schema, response).get("oneOf", [response]):
        errors = _resolve(schema, variant).get("properties", {}).get("errors")
        if not errors:
            continue
        for component in _resolve(schema, errors["items"]).get("oneOf", []):
            properties = _resolve(schema, component)["properties"]
            for attr in properties["attr"]["enum"]:
                declared.setdefault(attr, set()).update(properties["code"]["enum"])
    return declared


def bad_values(parameter: dict) -> list:
    """Deliberately bad values for a parameter: wrong type, empty, too long, too many."""
    schema = parameter["schema"]
    item = schema.get("items", schema)
    values = [*BAD_VALUES, "a" * (item.get("maxLength", 1000) + 1)]
    if "maximum" in item:
        values.append(str(item["maximum"] + 1))
    if schema.get("type") == "array":
        values.append([f"p{index}" for index in range(schema["maxItems"] + 1)])
        values.append(["a" * (item["maxLength"] + 1)])
    return values


def test_every_refusal_of_a_list_parameter_is_declared_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    checked = 0
    for path, item in schema["paths"].items():
        operation = item.get("get")
        names = {p["name"] for p in (operation or {}).get("parameters", [])}
        if "limit" not in names:
            continue  # not a list
        declared = declared_error_codes(schema, operation)
        for parameter in operation["parameters"]:
            if parameter["in"] != "query":
                continue
            for value in bad_values(parameter):
                response = api_client.get(path, {parameter["name"]: value})
                assert str(response.status_code) in operation["responses"], (path, value)
                if response.status_code != 400:
                    continue
                for error in response.json()["errors"]:
                    attr, code = error["attr"], error["code"]
                    assert code in declared.get(attr, ()), (path, parameter["name"], value, error)
                checked += 1
    assert checked > 100  # every list, every parameter, most values refused
