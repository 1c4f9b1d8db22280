"""import_atop: ATOP alliances enrich the treaties the register holds and add the others."""

import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from core.history import change_reason
from core.imports import ImportFailure
from core.models import Change
from sources.importing import CitationWriter
from sources.models import Citation, Source
from sources.services import citation_write
from treaties.importers.atop import IMPORT_REASON, atop_import, atop_parse, iso_for_cow
from treaties.models import Treaty
from treaties.services import treaty_write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]
DATA = Path(__file__).resolve().parents[1] / "sanctions" / "data"
ALLIANCES = DATA / "atop_alliance_level_excerpt.csv"
MEMBERS = DATA / "atop_member_level_excerpt.csv"


def run_import(alliances=ALLIANCES, members=MEMBERS):
    parsed, files = atop_parse(alliances, members)
    return atop_import(alliances=parsed, files=files)


def test_cow_365_is_the_soviet_union_before_26_december_1991_and_russia_after():
    import datetime as dt

    assert iso_for_cow(365, dt.date(1961, 7, 6)) == "SU"
    assert iso_for_cow(365, dt.date(1991, 12, 26)) == "RU"
    assert iso_for_cow(731, dt.date(1961, 7, 6)) == "KP"


def test_the_1961_and_2000_treaties_get_atops_entry_into_force_and_end_cited_to_atop():
    report = run_import()
    treaty = Treaty.objects.get(pk="ussr-dprk-1961")
    assert [
        treaty.get_partial(name).isoformat()
        for name in ("signed_on", "entered_into_force_on", "ended_on")
    ] == ["1961", "1961-07-06", "1996-09-10"]
    for field in ("entered_into_force_on", "ended_on"):
        citation = treaty.citations.get(field=field, source__kind="dataset")
        assert citation.source.text[citation.start : citation.end] == citation.quote
        assert citation.quote.startswith("3440,")
    assert not treaty.citations.filter(field="signed_on", source__kind="dataset").exists()
    later = Treaty.objects.get(pk="russia-dprk-2000")
    assert (later.get_partial("signed_on").isoformat(), later.ended_on) == ("2000", None)
    assert later.get_partial("entered_into_force_on").isoformat() == "2000-02-09"
    assert not Treaty.objects.filter(pk__in=["atop-3440", "atop-4940"]).exists()
    assert (report.enriched, report.added, report.conflicts) == (2, 3, [])
    call_command("verify_citations")


def test_an_added_alliance_has_atops_dates_as_entry_into_force_and_no_signing_date(api_client):
    run_import()
    treaty = api_client.get("/api/v1/treaties/atop-3445/").json()
    assert (treaty["signed_on"], treaty["entered_into_force_on"], treaty["ended_on"]) == (
        None,
        "1961-07-11",
        None,
    )
    assert treaty["status"] == "in_force" and treaty["kind"] == "bilateral"
    assert sorted(p["party"]["iso_alpha2"] for p in treaty["participations"]) == ["CN", "KP"]
    ended = api_client.get("/api/v1/treaties/atop-1305/").json()
    assert (ended["entered_into_force_on"], ended["ended_on"], ended["status"]) == (
        "1873-02-06",
        "1883-10-20",
        "ended",
    )


def test_atops_obligation_detail_becomes_provision_attributes_cited_to_the_row(api_client):
    run_import()
    tajik = api_client.get("/api/v1/treaties/atop-4470/").json()["provisions"]
    (provision,) = [p for p in tajik if p["label"] == "ATOP obligations"]
    assert {
        name: provision[name]
        for name in (
            "conditional",
            "military_aid",
            "integrated_command",
            "bases",
            "secret_articles",
            "renunciation_terms",
        )
    } == {
        "conditional": False,
        "military_aid": "training_or_technology",
        "integrated_command": True,
        "bases": True,
        "secret_articles": False,
        "renunciation_terms": False,
    }
    cited = {c["field"] for c in provision["citations"]}
    assert {"military_aid", "integrated_command", "bases", "conditional"} <= cited
    secret = api_client.get("/api/v1/treaties/atop-1305/").json()["provisions"][0]
    assert (secret["secret_articles"], secret["renunciation_terms"]) == (True, True)
    curated = api_client.get("/api/v1/treaties/ussr-dprk-1961/").json()["provisions"]
    assert {p["label"] for p in curated} == {"Automatic military intervention", "ATOP obligations"}


def test_in_force_on_and_the_relations_timeline_answer_for_alliances(api_client):
    run_import()
    found = api_client.get("/api/v1/treaties/?party=KP&in_force_on=1990-01-01").json()
    assert sorted(t["id"] for t in found["results"]) == ["atop-3445", "ussr-dprk-1961"]
    later = api_client.get("/api/v1/treaties/?party=KP&in_force_on=2001-01-01").json()
    assert sorted(t["id"] for t in later["results"]) == ["atop-3445", "russia-dprk-2000"]
    timeline = api_client.get("/api/v1/parties/RU/relations/KP/?on=1990-01-01").json()
    assert "ussr-dprk-1961" in json.dumps(timeline)
    assert "russia-dprk-2000" not in json.dumps(timeline)


def test_importing_again_changes_nothing():
    run_import()
    count, changes = Treaty.objects.count(), Change.objects.count()
    report = run_import()
    assert (Treaty.objects.count(), Change.objects.count()) == (count, changes)
    assert (report.unchanged, report.added, report.enriched, report.updated) == (5, 0, 0, 0)


def test_a_curated_date_atop_contradicts_is_kept_and_atops_claim_recorded_as_disputed():
    treaty = Treaty.objects.get(pk="russia-dprk-2000")
    treaty.set_partial("entered_into_force_on", "2000-03")
    with change_reason("a curator"):
        treaty_write(treaty=treaty)
        citation_write(
            citation=Citation(
                source_id="kim-pledges-full-support-2024-06-19",
                content_type=ContentType.objects.get_for_model(Treaty),
                object_id=treaty.pk,
                field="entered_into_force_on",
                quote="a new treaty in 2000",
            )
        )
    report = run_import()
    treaty.refresh_from_db()
    assert treaty.get_partial("entered_into_force_on").isoformat() == "2000-03"
    dispute = treaty.citations.get(field="entered_into_force_on", stance="disputes")
    assert dispute.quote.startswith("4940,") and "2000-02-09" in dispute.note
    assert any("russia-dprk-2000: entered_into_force_on" in c for c in report.conflicts)


def test_an_earlier_imports_signing_date_from_atop_is_taken_back():
    run_import()
    treaty = Treaty.objects.get(pk="atop-3445")
    source = Source.objects.get(pk="atop-4-01-alliance-level")
    treaty.set_partial("signed_on", "1961-07-11")
    with change_reason(IMPORT_REASON):
        treaty_write(treaty=treaty)
        CitationWriter(source=source).cite(treaty, "signed_on", "3445,3547,265,1961,7,11")
    report = run_import()
    treaty.refresh_from_db()
    assert treaty.signed_on is None and report.updated == 1
    assert not treaty.citations.filter(field="signed_on").exists()


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [("milaid", "7", "field milaid: '7' is not an ATOP code"), ("ineffect", "x", "field ineffect")],
)
def test_a_value_that_is_not_an_atop_code_is_refused_naming_line_and_field(
    tmp_path, column, value, problem
):
    lines = ALLIANCES.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index(column)] = value
    lines[2] = ",".join(row)
    bad = tmp_path / "alliances.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    before = Treaty.objects.count()
    with pytest.raises(ImportFailure, match=rf"alliances\.csv: line 3, alliance 3440: {problem}"):
        run_import(alliances=bad)
    assert Treaty.objects.count() == before


def test_a_file_that_is_not_atop_is_refused_naming_it(tmp_path):
    bad = tmp_path / "alliances.csv"
    bad.write_text("id,name\n1,x\n", encoding="utf-8")
    before = Treaty.objects.count()
    with pytest.raises(ImportFailure, match=r"alliances\.csv: line 1: not ATOP data"):
        run_import(alliances=bad)
    with pytest.raises(
        CommandError, match=r"nothing was imported: alliances\.csv: line 1: not ATOP"
    ):
        call_command("import_atop", bad, MEMBERS)
    assert Treaty.objects.count() == before


def test_a_curators_edit_of_an_imported_alliance_survives_a_re_import():
    run_import()
    treaty = Treaty.objects.get(pk="atop-1305")
    treaty.set_partial("ended_on", "1884")
    with change_reason("a curator"):
        treaty_write(treaty=treaty)
    report = run_import()
    treaty.refresh_from_db()
    assert treaty.get_partial("ended_on").isoformat() == "1884"
    assert treaty.citations.filter(field="ended_on", stance="disputes").exists()
    assert any(c.startswith("atop-1305: ended_on is 1884") for c in report.conflicts)
