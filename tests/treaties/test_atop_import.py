"""import_atop: ATOP alliances enrich the treaties the register holds and add the others."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.imports import ImportFailure
from treaties.importers.atop import atop_import, atop_parse, iso_for_cow
from treaties.models import Treaty

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


def test_the_1961_treaty_gets_atops_exact_dates_cited_to_atop_without_a_duplicate():
    report = run_import()
    treaty = Treaty.objects.get(pk="ussr-dprk-1961")
    assert (
        treaty.get_partial("signed_on").isoformat(),
        treaty.get_partial("ended_on").isoformat(),
    ) == ("1961-07-06", "1996-09-10")
    for field in ("signed_on", "ended_on"):
        citation = treaty.citations.get(field=field, source__kind="dataset")
        assert citation.source.text[citation.start : citation.end] == citation.quote
        assert citation.quote.startswith("3440,")
    assert (
        Treaty.objects.get(pk="russia-dprk-2000").get_partial("signed_on").isoformat()
        == "2000-02-09"
    )
    assert not Treaty.objects.filter(pk__in=["atop-3440", "atop-4940"]).exists()
    assert (report.enriched, report.added) == (2, 1)
    call_command("verify_citations")


def test_other_alliances_become_treaties_with_members_and_obligations(api_client):
    run_import()
    treaty = api_client.get("/api/v1/treaties/atop-3445/").json()
    assert treaty["signed_on"] == "1961-07-11" and treaty["kind"] == "bilateral"
    assert sorted(p["party"]["iso_alpha2"] for p in treaty["participations"]) == ["CN", "KP"]
    assert treaty["provisions"][0]["obligations"] == ["defense", "non_aggression"]


def test_importing_again_changes_nothing():
    run_import()
    count = Treaty.objects.count()
    report = run_import()
    assert (
        Treaty.objects.count() == count
        and report.unchanged == 3
        and report.added == report.enriched == 0
    )


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
