"""Treaty and party filters, with the documented partial-date semantics."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_participation, make_party, make_treaty
from treaties.models import ObligationType, Provision, Treaty
from treaties.selectors import TreatyDates, treaty_status

pytestmark = pytest.mark.django_db
URL = "/api/v1/treaties/"


def ids(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["results"])


@pytest.fixture
def treaties():
    make_treaty(
        id="day", signed_on="1961-07-06", entered_into_force_on="1961-09-10", ended_on="1996-09-10"
    )
    make_treaty(id="month", signed_on="1961-07", entered_into_force_on="1961-09")
    make_treaty(id="year", signed_on="1961", entered_into_force_on="1961")
    make_treaty(id="unknown-force", signed_on="2024-06-19")
    make_treaty(id="undated")


def test_in_force_on_needs_the_whole_entry_into_force_interval_before_the_day(api_client, treaties):
    assert ids(api_client, in_force_on="1961-09-10") == ["day"]
    assert ids(api_client, in_force_on="1961-09-30") == ["day", "month"]
    assert ids(api_client, in_force_on="1961-12-31") == ["day", "month", "year"]


def test_in_force_on_excludes_treaties_that_had_ended(api_client, treaties):
    assert ids(api_client, in_force_on="1996-09-09") == ["day", "month", "year"]
    assert ids(api_client, in_force_on="1996-09-10") == ["month", "year"]


def test_unknown_entry_into_force_is_never_in_force(api_client, treaties):
    assert "unknown-force" not in ids(api_client, in_force_on="2025-01-01")


def test_signed_after_and_before_cover_the_whole_partial_date(api_client, treaties):
    assert ids(api_client, signed_after="1961-07-01") == ["day", "month", "unknown-force"]
    assert ids(api_client, signed_after="1961-01-01") == ["day", "month", "unknown-force", "year"]
    assert ids(api_client, signed_before="1961-07-31") == ["day", "month"]
    assert ids(api_client, signed_before="1961-12-31") == ["day", "month", "year"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("ended", ["day"]),
        ("in_force", ["month", "year"]),
        ("signed", ["unknown-force"]),
        ("unknown", ["undated"]),
    ],
)
def test_status_filter_matches_the_derived_status(api_client, treaties, status, expected):
    assert ids(api_client, status=status) == expected
    for item in api_client.get(URL, {"status": status}).json()["results"]:
        assert item["status"] == status


def test_status_of_a_treaty_ending_later_is_in_force_until_then():
    treaty = make_treaty(
        id="soon",
        signed_on="2000",
        entered_into_force_on="2000",
        ended_on=str(timezone.localdate().year + 2),
    )
    assert treaty_status(treaty) == "in_force"
    assert treaty_status(treaty, on=dt.date(timezone.localdate().year + 3, 1, 1)) == "ended"


def test_a_treatys_dates_read_from_a_row_are_those_of_the_model():
    treaty = make_treaty(
        id="dated", signed_on="1961-07-06", entered_into_force_on="1961-09", ended_on="1996"
    )
    row = Treaty.objects.values_list(*TreatyDates.columns).get(pk="dated")
    dates = TreatyDates.of(treaty)
    assert TreatyDates.from_columns(*row) == dates
    assert [str(dates.signed), str(dates.entered_into_force), str(dates.ended)] == [
        "1961-07-06",
        "1961-09",
        "1996",
    ]


def test_obligation_filter(api_client, treaties):
    provision = Provision.objects.create(treaty_id="year", label="Art. 1", summary="Defence.")
    provision.obligations.add(ObligationType.objects.get(code="defense"))
    assert ids(api_client, obligation="defense") == ["year"]
    assert ids(api_client, obligation="neutrality") == []


def test_ordering_is_stable_with_id_as_tie_breaker(api_client):
    for index in range(6):
        make_treaty(id=f"t{index}", signed_on="1961")
    first = api_client.get(URL, {"ordering": "-signed_on", "limit": 3}).json()
    second = api_client.get(URL, {"ordering": "-signed_on", "limit": 3, "offset": 3}).json()
    seen = [i["id"] for i in first["results"]] + [i["id"] for i in second["results"]]
    assert seen == ["t0", "t1", "t2", "t3", "t4", "t5"]
    assert first["count"] == 6 and first["next"] and second["previous"]


def test_party_kind_and_code_filters(api_client):
    make_party(id="north-korea", iso_alpha2="KP", iso_alpha3="PRK")
    make_party(id="un", kind="organisation")
    assert [
        p["id"] for p in api_client.get("/api/v1/parties/", {"code": "prk"}).json()["results"]
    ] == ["north-korea"]
    assert [
        p["id"]
        for p in api_client.get("/api/v1/parties/", {"kind": "organisation"}).json()["results"]
    ] == ["un"]


def test_repeated_party_means_treaties_of_every_one_of_them(api_client):
    soviet, russia = make_party(id="soviet-union"), make_party(id="russia", iso_alpha2="RU")
    soviet.successors.add(russia)
    korea, china = (
        make_party(id="north-korea", iso_alpha2="KP"),
        make_party(id="china", iso_alpha2="CN"),
    )
    memberships = {
        "all-three": [russia, korea, china],
        "soviet-three": [soviet, korea, china],
        "two": [russia, korea],
        "other-two": [korea, china],
        "alone": [russia],
    }
    for treaty_id, parties in memberships.items():
        treaty = make_treaty(id=treaty_id)
        for party in parties:
            make_participation(treaty=treaty, party=party)

    def ids(*codes, **params):
        body = api_client.get(URL, {"party": list(codes), **params}).json()
        return sorted(item["id"] for item in body["results"])

    assert ids("RU", "KP", "CN") == ["all-three"]
    assert ids("CN", "KP", "RU", include_predecessors="true") == ["all-three", "soviet-three"]
    assert ids("KP", "RU") == ["all-three", "two"]
    assert ids("KP", "CN") == ["all-three", "other-two", "soviet-three"]
    assert ids("RU") == ["all-three", "alone", "two"]
