"""Bulk exports: every collection, with its list's filters, streamed as CSV, JSON Lines and
(designations, regimes) FollowTheMoney entities; the same records and bodies as the API."""

import csv
import io
import json

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api.exports import ExportMixin, column_shapes, csv_cell, csv_lines
from core.models import Representation
from sanctions.api.ftm import PROPERTIES
from sanctions.models import DesignationIdentifier, SanctionsRegime
from tests.factories import make_designation, make_party, make_regime
from treaties.models import Party

pytestmark = pytest.mark.usefixtures("seeded")

COLLECTIONS = ["parties", "treaties", "regimes", "designations", "sources", "citations", "changes"]
HOSTILE = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.fixture
def listed():
    """Designations under two regimes, of every kind, with identifiers and a draft."""
    korea, russia = Party.objects.get(pk="north-korea"), Party.objects.get(pk="russia")
    un = SanctionsRegime.objects.get(pk="un-dprk")
    other = make_regime(
        id="us-dprk",
        key="US-DPRK",
        name="US sanctions",
        issuer=make_party(id="usa", iso_alpha2="US"),
        targets=[korea],
        measures=["asset_freeze", "travel_ban"],
        started_on="2008",
    )
    make_designation(
        id="kim-one",
        name="KIM ONE",
        regimes=[un, other],
        aliases=["Kim Il", "K. One"],
        nationality=korea,
        dates_of_birth=["1950", "1951-02"],
        listed_on="2016-03-02",
        reference_number="KPi.101",
        remarks="Minister.",
    )
    make_designation(
        id="kim-two",
        name="KIM TWO",
        regimes=[un],
        nationality=russia,
        listed_on="2017",
        delisted_on="2020-01-01",
        reference_number="KPi.102",
    )
    make_designation(
        id="mining-co",
        name="KOREA MINING CO. LTD",
        kind="entity",
        regimes=[un],
        nationality=korea,
        listed_on="2016",
    )
    make_designation(id="bureau", name="RECONNAISSANCE BUREAU", kind="entity", regimes=[other])
    make_designation(id="ship", name="CHON MA SAN", kind="vessel", regimes=[un], listed_on="2018")
    make_designation(id="plane", name="AIR KORYO 1", kind="aircraft", regimes=[other])
    make_designation(id="secret-draft", name="KIM SECRET", regimes=[un], review_status="draft")
    for pk, kind, value in [
        ("kim-one", "passport", "PO 123"),
        ("kim-one", "national_id", "N-9"),
        ("mining-co", "registration", "R-77"),
        ("ship", "imo", "IMO 8518780"),
        ("plane", "aircraft_tail", "P-632"),
    ]:
        DesignationIdentifier.objects.create(
            designation_id=pk,
            type=kind,
            value=value,
            normalised=value.replace(" ", "").replace("-", ""),
        )


def export(client, path: str, **params):
    response = client.get(f"/api/v1/{path}/export/", params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def listed_items(client, path: str, **params) -> list[dict]:
    """Every item of the list, page by page."""
    items, url, query = [], f"/api/v1/{path}/", {**params, "limit": 200}
    while url:
        body = client.get(url, query).json()
        items += body["results"]
        url, query = body["next"], None
    return items


def jsonl(text: str) -> list[dict]:
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def csv_rows(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return reader.fieldnames, list(reader)


# Round trips


@pytest.mark.parametrize("path", COLLECTIONS)
def test_json_lines_are_the_list_items_in_the_list_order(api_client, listed, path):
    assert jsonl(export(api_client, path, format="jsonl")) == listed_items(api_client, path)


@pytest.mark.parametrize("path", COLLECTIONS)
def test_csv_has_a_header_and_one_row_per_list_item(api_client, listed, path):
    items = listed_items(api_client, path)
    header, rows = csv_rows(export(api_client, path, format="csv"))
    assert header == list(items[0])
    assert [row["id"] for row in rows] == [str(item["id"]) for item in items]


def test_csv_cells_join_lists_and_name_linked_records_by_id(api_client, listed):
    _, rows = csv_rows(export(api_client, "designations", format="csv", ordering="id"))
    kim = next(row for row in rows if row["id"] == "kim-one")
    api = api_client.get("/api/v1/designations/kim-one/").json()
    assert kim["aliases"] == ";".join(api["aliases"]) == "K. One;Kim Il"
    assert kim["regimes"] == "un-dprk;us-dprk"
    assert kim["nationality"] == "north-korea"
    assert kim["dates_of_birth"] == "1950;1951-02"
    assert kim["delisted_on"] == "" and api["delisted_on"] is None
    assert json.loads(kim["identifiers"]) == api["identifiers"]  # objects without an id: JSON
    assert kim["citations"] == "" and api["citations"] == []  # an empty list: an empty cell


def test_csv_is_utf8_with_any_script(api_client, listed):
    make_designation(id="cyrillic", name="Ким Чен Ир", regimes=["un-dprk"])
    response = api_client.get("/api/v1/designations/export/", {"format": "csv", "q": "Ким"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Ким Чен Ир" in b"".join(response.streaming_content).decode("utf-8")


def test_ftm_export_has_every_listed_designation_and_its_sanctions(api_client, listed):
    entities = jsonl(export(api_client, "designations", format="ftm"))
    items = listed_items(api_client, "designations")
    things = [e for e in entities if e["schema"] != "Sanction"]
    assert [e["id"] for e in things] == [item["id"] for item in items]
    for entity, item in zip(things, items, strict=True):
        assert entity["properties"]["name"] == [item["name"]]
        assert entity["properties"].get("alias", []) == item["aliases"]
    sanctions = {
        (e["properties"]["entity"][0], e["properties"]["programId"][0])
        for e in entities
        if e["schema"] == "Sanction"
    }
    assert sanctions == {(item["id"], r["key"]) for item in items for r in item["regimes"]}


# FollowTheMoney shapes


def test_ftm_entities_have_the_shape_opensanctions_publishes(api_client, listed):
    entities = jsonl(export(api_client, "designations", format="ftm"))
    ids = {e["id"] for e in entities}
    for entity in entities:
        assert set(entity) == {"id", "schema", "properties"}
        assert entity["schema"] in PROPERTIES
        for name, values in entity["properties"].items():
            assert name in PROPERTIES[entity["schema"]], (entity["schema"], name)
            assert values and all(isinstance(v, str) and v for v in values), (name, values)
        if entity["schema"] == "Sanction":
            assert entity["properties"]["entity"][0] in ids
        else:
            assert entity["properties"]["name"]
    schemas = {e["id"]: e["schema"] for e in entities}
    assert schemas["kim-one"] == "Person"
    assert schemas["mining-co"] == "Company"  # "Co. Ltd": a company's legal form
    assert schemas["bureau"] == "Organization"
    assert (schemas["ship"], schemas["plane"]) == ("Vessel", "Airplane")


def test_ftm_properties_are_named_as_ftm_names_them(api_client, listed):
    entities = {e["id"]: e for e in jsonl(export(api_client, "designations", format="ftm"))}
    kim = entities["kim-one"]["properties"]
    assert kim["nationality"] == ["kp"]
    assert kim["birthDate"] == ["1950", "1951-02"]
    assert kim["passportNumber"] == ["PO 123"] and kim["idNumber"] == ["N-9"]
    assert kim["notes"] == ["Minister."] and kim["topics"] == ["sanction"]
    assert kim["sourceUrl"] == ["http://testserver/api/v1/designations/kim-one/"]
    assert entities["kim-two"]["properties"]["nationality"] == ["ru"]
    assert "topics" not in entities["kim-two"]["properties"]  # delisted: no longer a sanction
    assert entities["mining-co"]["properties"]["registrationNumber"] == ["R-77"]
    assert entities["mining-co"]["properties"]["country"] == ["kp"]
    assert entities["ship"]["properties"]["imoNumber"] == ["IMO 8518780"]
    assert entities["plane"]["properties"]["registrationNumber"] == ["P-632"]
    us = entities["kim-one.sanction.us-dprk"]["properties"]
    assert us == {
        "entity": ["kim-one"],
        "program": ["US sanctions"],
        "programId": ["US-DPRK"],
        "authority": ["Usa"],
        "authorityId": ["KPi.101"],
        "country": ["us"],
        "provisions": ["Asset freeze", "Travel ban"],
        "startDate": ["2016-03-02"],
        "sourceUrl": ["http://testserver/api/v1/designations/kim-one/"],
    }
    assert entities["kim-two.sanction.un-dprk"]["properties"]["endDate"] == ["2020-01-01"]


def test_ftm_export_of_regimes_is_what_each_regime_lists(api_client, listed):
    entities = jsonl(export(api_client, "regimes", format="ftm", key="US-DPRK", q="US sanctions"))
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    assert sorted(e["properties"]["entity"][0] for e in sanctions) == ["bureau", "kim-one", "plane"]
    assert {e["properties"]["programId"][0] for e in sanctions} == {"US-DPRK"}
    assert sorted(e["id"] for e in entities if e["schema"] != "Sanction") == [
        "bureau",
        "kim-one",
        "plane",
    ]


def test_ftm_is_offered_for_designations_and_regimes_only(api_client, listed):
    response = api_client.get("/api/v1/parties/export/", {"format": "ftm"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "format"


# Filters, ordering and drafts


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("designations", {"regime": "US-DPRK", "ordering": "-listed_on,name"}),
        ("designations", {"nationality": "KP", "status": "listed", "ordering": "reference_number"}),
        ("designations", {"q": "kim", "listed_after": "2016-01-01"}),
        ("designations", {"identifier": "imo8518780"}),
        ("regimes", {"target": "KP", "ordering": "-started_on"}),
        (
            "treaties",
            {"party": ["RU", "KP"], "include_predecessors": "true", "ordering": "-signed_on"},
        ),
        ("parties", {"kind": "state", "ordering": "-name"}),
        ("citations", {"record_type": "treaty", "ordering": "-start"}),
        ("changes", {"model": "designation"}),
        ("sources", {"q": "journal"}),
    ],
)
def test_export_selects_and_orders_as_the_list_does(api_client, listed, path, params):
    expected = [item["id"] for item in listed_items(api_client, path, **params)]
    assert expected  # the case selects something
    for fmt in ("jsonl", "csv"):
        text = export(api_client, path, format=fmt, **params)
        got = (
            [str(r["id"]) for r in jsonl(text)]
            if fmt == "jsonl"
            else [row["id"] for row in csv_rows(text)[1]]
        )
        assert got == [str(pk) for pk in expected], fmt


def test_drafts_are_never_exported_to_the_public(api_client, listed):
    for fmt in ("jsonl", "csv", "ftm"):
        for params in ({}, {"q": "secret"}, {"regime": "un-dprk"}):
            assert "secret" not in export(api_client, "designations", format=fmt, **params).lower()
    assert "secret" not in export(api_client, "regimes", format="ftm").lower()
    response = api_client.get("/api/v1/designations/export/", {"include_drafts": "true"})
    assert response.status_code == 403


def test_curators_export_drafts_with_include_drafts(curator_client, listed):
    text = export(curator_client, "designations", format="jsonl", include_drafts="true")
    assert "secret-draft" in [record["id"] for record in jsonl(text)]
    listed_ids = [
        item["id"] for item in listed_items(curator_client, "designations", include_drafts="true")
    ]
    assert [record["id"] for record in jsonl(text)] == listed_ids


# CSV injection


def test_csv_cells_never_start_a_formula(api_client):
    for index, value in enumerate(HOSTILE):
        make_designation(
            id=f"hostile-{index}",
            name=value,
            aliases=[value, f"{value} b"],
            remarks=value,
            regimes=["un-dprk"],
            reference_number=value.strip()[:50],
        )
    _, rows = csv_rows(export(api_client, "designations", format="csv"))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    names = sorted(row["name"] for row in rows)
    assert names == sorted("'" + value for value in HOSTILE)
    header, _ = csv_rows(export(api_client, "designations", format="csv", q="=HYPERLINK"))
    assert header[0] == "id"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "plain",
        "=1+2",
        "-3",
        "@x",
        '\tquoted "text", with\nlines\\',
        "Ким \u2028 line separator",
        ["=a", "b", ""],
        [],
        ["x", {"no": "id"}],
        [{"id": "a", "n": 1}, {"id": 7}],
        [{"id": "a"}, {"other": "=b"}],
        [{"quote": "x\u2029y"}],
        {"id": "-5", "name": "n"},
        {"id": None},
        {"no": ["id"]},
        [["nested"]],
        42,
        -1.5,
        True,
        False,
    ],
)
def test_csv_cells_from_json_text_are_the_cells_of_the_parsed_value(value):
    """CSV rows are made from the records' JSON texts, parsing only what a cell needs: each
    cell is the one the parsed value gives (nested or not)."""
    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer

    class Linked(serializers.Serializer):
        id = serializers.CharField()

    record = {"id": "r", "value": value}
    text = JSONRenderer().render(record).decode()  # as the API renders a body
    expected = [["id", "value"], ["r", csv_cell(value)]]
    # Read in full, as JSON text, as a linked record, as a list of them: the same cell.
    for field in (serializers.CharField(), serializers.JSONField(), Linked(), Linked(many=True)):
        shapes = column_shapes({"id": serializers.CharField(), "value": field})
        lines = b"".join(csv_lines(["id", "value"], [[text]], shapes=shapes)).decode()
        assert list(csv.reader(io.StringIO(lines, newline=""))) == expected, shapes


def test_an_outdated_stored_body_is_rendered_again_in_the_batch(api_client, listed):
    Representation.objects.filter(object_id="kim-one").update(
        body='{"id":"kim-one","name":"OUTDATED"}', version="an-old-shape"
    )
    records = jsonl(export(api_client, "designations", format="jsonl"))
    assert next(r for r in records if r["id"] == "kim-one")["name"] == "KIM ONE"
    assert records == listed_items(api_client, "designations")
    assert Representation.objects.get(object_id="kim-one").version != "an-old-shape"


# Errors


@pytest.mark.parametrize(
    ("path", "params", "attr"),
    [
        ("designations", {"listed_after": "1995-13-01"}, "listed_after"),
        ("designations", {"status": "bogus"}, "status"),
        ("treaties", {"in_force_on": ""}, "in_force_on"),
        ("regimes", {"ordering": "nope"}, "ordering"),
        ("parties", {"code": "toolong"}, "code"),
        ("designations", {"format": "xml"}, "format"),
        ("changes", {"since": "yesterday"}, "since"),
    ],
)
def test_a_bad_parameter_is_the_lists_400_naming_it(api_client, path, params, attr):
    response = api_client.get(f"/api/v1/{path}/export/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert attr in [error["attr"] for error in errors]
    if attr != "format":
        listed = api_client.get(f"/api/v1/{path}/", params).json()["errors"]
        assert errors == listed


def test_accept_text_csv_chooses_csv(api_client, listed):
    response = api_client.get("/api/v1/regimes/export/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="regimes.csv"'
    response = api_client.get("/api/v1/regimes/export/")
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"


def test_exports_have_a_rate_limit_of_their_own(api_client, monkeypatch):
    from core.api.throttling import ExportRateThrottle

    caches["default"].clear()
    monkeypatch.setattr(ExportRateThrottle, "THROTTLE_RATES", {"export": "2/minute"})
    statuses = [api_client.get("/api/v1/parties/export/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert api_client.get("/api/v1/parties/").status_code == 200  # lists are not held back
    caches["default"].clear()


# Streaming in constant memory


def export_queries(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        export(client, path, **params)
    return len(captured)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "ftm"])
def test_queries_grow_with_batches_not_with_records(api_client, monkeypatch, fmt):
    monkeypatch.setattr(ExportMixin, "export_batch_size", 10)
    for index in range(20):
        make_designation(id=f"d-{index:03}", regimes=["un-dprk"])
    export(api_client, "designations", format=fmt)  # renders what the factories left unstored
    two_batches = export_queries(api_client, "designations", format=fmt)
    for index in range(20, 60):
        make_designation(id=f"d-{index:03}", regimes=["un-dprk"])
    export(api_client, "designations", format=fmt)
    six_batches = export_queries(api_client, "designations", format=fmt)
    monkeypatch.setattr(ExportMixin, "export_batch_size", 100)
    one_batch = export_queries(api_client, "designations", format=fmt)
    # Each batch is one query, its rows with their stored bodies; a full last batch needs one
    # empty read.
    assert six_batches - two_batches == 4
    assert one_batch <= two_batches - 1


def test_rendering_missing_bodies_costs_the_same_for_10_and_30_records(api_client, monkeypatch):
    monkeypatch.setattr(ExportMixin, "export_batch_size", 31)
    for index in range(30):
        make_designation(id=f"d-{index:03}", regimes=["un-dprk"], aliases=["a", "b"])
    export(api_client, "designations", format="jsonl", q="d-00")  # per-process caches
    costs = []
    for params in ({"q": "d-00"}, {}):  # 10 records, then 30: one batch each
        Representation.objects.all().delete()
        costs.append(export_queries(api_client, "designations", format="jsonl", **params))
    assert costs[0] == costs[1]
    assert Representation.objects.count() >= 30  # rendered and stored on the way


def test_the_response_streams_one_batch_at_a_time(api_client, monkeypatch):
    monkeypatch.setattr(ExportMixin, "export_batch_size", 5)
    for index in range(12):
        make_designation(id=f"d-{index:03}", regimes=["un-dprk"])
    export(api_client, "designations", format="jsonl")
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get("/api/v1/designations/export/", {"format": "jsonl"})
        before = len(captured)
        chunks = iter(response.streaming_content)
        first = next(chunks)
        after_first = len(captured)
        rest = list(chunks)
    assert not isinstance(response.streaming_content, (list, tuple))
    assert before <= 2  # nothing read yet but what the request itself costs
    assert len(first.decode().splitlines()) == 5  # one batch, not the whole list
    assert after_first - before == 1  # its rows with their bodies
    assert [len(chunk.decode().splitlines()) for chunk in rest] == [5, 2]


def test_the_schemas_export_examples_are_live_exports(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    content = schema["paths"]["/api/v1/regimes/export/"]["get"]["responses"]["200"]["content"]
    for media_type, fmt in (("application/x-ndjson", "jsonl"), ("text/csv", "csv")):
        documented = next(iter(content[media_type]["examples"].values()))["value"]
        live = export(api_client, "regimes", format=fmt, q="UN-DPRK")
        assert live == documented, fmt
