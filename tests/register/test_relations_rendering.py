"""The relations timeline's fast paths answer exactly what DRF's generic ones would."""

import datetime as dt
import gc
import json

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from core.api.renderers import FastJSONRenderer
from register.api.serializers import TimelineEntrySerializer
from register.selectors import TimelineEntry, relations_timeline
from tests.factories import make_participation, make_party, make_regime, make_treaty

pytestmark = pytest.mark.django_db


@pytest.fixture
def ties():
    """Russia (and the Soviet Union before it) and North Korea: a multilateral treaty whose
    members' names do not follow their ids, a dated bilateral one, and a regime."""
    soviet, russia = make_party(id="soviet-union"), make_party(id="russia", iso_alpha2="RU")
    soviet.successors.add(russia)
    korea = make_party(id="north-korea", name="Korea, North", iso_alpha2="KP")
    treaty = make_treaty(id="pact", kind="multilateral", signed_on="1961-07", title="Pact Ü\u2028")
    for party in (
        make_party(id="a-zed", name="Zed"),
        russia,
        make_party(id="b-alpha", name="Alpha"),
    ):
        make_participation(treaty=treaty, party=party)
    make_participation(treaty=treaty, party=korea)
    for twin in ("twin-b", "twin-a"):  # the same name: in the participations' order
        make_participation(treaty=treaty, party=make_party(id=twin, name="Twin"))
    make_participation(treaty=treaty, party=make_party(id="draft", review_status="draft"))
    dated = make_treaty(
        id="old", signed_on="1961-07-06", entered_into_force_on="1961-09", ended_on="1996"
    )
    for party in (soviet, korea):
        make_participation(treaty=dated, party=party)
    make_regime(id="un-dprk", issuer=russia, targets=[korea], started_on="2006-10-14")
    return russia, korea


def test_an_entry_renders_what_its_declared_fields_would(ties):
    russia, korea = ties
    for on in (None, dt.date(1970, 1, 1)):
        for entry in relations_timeline(party=russia, other=korea, on=on):
            fast = TimelineEntrySerializer(context={}).to_representation(entry)
            generic = serializers.Serializer.to_representation(
                TimelineEntrySerializer(context={}), entry
            )
            assert json.dumps(fast) == json.dumps(generic)


def test_a_treatys_public_parties_are_listed_by_name(ties):
    russia, korea = ties
    pact = next(e for e in relations_timeline(party=russia, other=korea) if e.id == "pact")
    assert [party.pk for party in pact.parties] == [
        "b-alpha",
        "north-korea",
        "russia",
        "twin-b",
        "twin-a",
        "a-zed",
    ]


def test_the_timeline_is_written_as_drfs_json_renderer_writes_it(api_client, ties):
    response = api_client.get("/api/v1/parties/RU/relations/KP/")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [entry["id"] for entry in data["timeline"]] == ["pact", "old", "un-dprk"]
    assert response.content == JSONRenderer().render(data)
    assert b"\\u2028" in response.content and "Ü".encode() in response.content


@pytest.mark.parametrize(
    "data",
    [
        {"text": 'é ü 北 \U0001f600 \x00\x1f\x7f " \\ / \u2028 \u2029', "n": [1, -2, 0]},
        [{"yes": True, "no": False, "none": None}, [], {}],
        "plain",
    ],
)
def test_the_fast_renderer_writes_drfs_bytes(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
    indented = "application/json; indent=2"
    assert FastJSONRenderer().render(data, indented) == JSONRenderer().render(data, indented)


def test_a_relations_response_leaves_its_entries_to_reference_counting(api_client, ties):
    # A timeline has hundreds of entries at scale. Left in a reference cycle after the
    # response, they wait for the garbage collector's full pass, which then frees them all
    # at once in the middle of some later request.
    path = "/api/v1/parties/RU/relations/KP/"
    # Once before (not the same URL, which the read cache would answer without the view).
    assert api_client.get(path, {"on": "1970-01-01"}).status_code == 200
    gc.collect()
    gc.disable()
    try:
        response = api_client.get(path)
        assert len(response.json()["timeline"]) == 3
        del response
        # type(), not isinstance(): the latter asks a dead weak proxy for its class, and fails.
        left = [item for item in gc.get_objects() if type(item) is TimelineEntry]
    finally:
        gc.enable()
    assert left == []


def test_treaties_with_the_same_parties_list_them_alike(ties):
    russia, korea = ties
    again = make_treaty(id="again", signed_on="1962")
    for party in (russia, make_party(id="b-alpha-2", name="Alpha"), korea):
        make_participation(treaty=again, party=party)
    twice = make_treaty(id="twice", signed_on="1963")
    for party in (korea, russia):
        make_participation(treaty=twice, party=party)
    entries = {e.id: e for e in relations_timeline(party=russia, other=korea)}
    assert [p.pk for p in entries["again"].parties] == ["b-alpha-2", "north-korea", "russia"]
    assert [p.pk for p in entries["twice"].parties] == ["north-korea", "russia"]
