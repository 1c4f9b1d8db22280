"""import_un_list: designations with provenance, re-import as update, all-or-nothing."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Change
from sanctions.importers.parsed import ImportFailure
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, SanctionsRegime
from sources.models import Citation, Source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]
DATA = Path(__file__).with_name("data")
UN_2020 = DATA / "un_consolidated_2020-11-30_excerpt.xml"
UN_2025 = DATA / "un_consolidated_2025-04-19_excerpt.xml"


def import_file(path: Path):
    return official_list_import(parsed=un_list_parse(path))


def counts() -> tuple:
    return (
        Designation.objects.count(),
        SanctionsRegime.objects.count(),
        Source.objects.count(),
        Citation.objects.count(),
    )


def test_dprk_list_is_the_fixtures_un_regime_not_a_new_one():
    import_file(UN_2025)
    assert SanctionsRegime.objects.filter(key="UN-DPRK").count() == 1
    regime = SanctionsRegime.objects.get(key="UN-DPRK")
    assert regime.pk == "un-dprk" and regime.get_partial("started_on").isoformat() == "2006"
    assert set(regime.designations.values_list("reference_number", flat=True)) == {
        "KPi.001",
        "KPi.002",
        "KPe.001",
    }


def test_a_designation_has_names_dates_nationality_and_the_lists_own_id(api_client):
    import_file(UN_2025)
    item = api_client.get("/api/v1/designations/", {"reference_number": "KPi.001"}).json()[
        "results"
    ][0]
    assert item["name"] == "YUN HO-JIN"
    assert item["aliases"] == ["Yun Ho-chin"]
    assert (item["listed_on"], item["dates_of_birth"], item["status"]) == (
        "2009-07-16",
        ["1944-10-13"],
        "listed",
    )
    assert item["nationality"]["iso_alpha2"] == "KP"
    assert item["list_record_id"] == "690734"
    assert [r["key"] for r in item["regimes"]] == ["UN-DPRK"]
    assert item["source"]["id"] == "un-consolidated-list-2025-04-19"


def test_every_imported_record_cites_the_list_file():
    import_file(UN_2025)
    source = Source.objects.get(pk="un-consolidated-list-2025-04-19")
    assert (source.kind, source.publisher, source.get_partial("published_on").isoformat()) == (
        "official_list",
        "United Nations Security Council",
        "2025-04-19",
    )
    assert source.sha256 == __import__("hashlib").sha256(UN_2025.read_bytes()).hexdigest()
    for designation in Designation.objects.all():
        citation = designation.citations.get(source=source)
        assert (
            source.text[citation.start : citation.end]
            == citation.quote
            == f"<DATAID>{designation.list_record_id}</DATAID>"
        )
    call_command("verify_citations")


def test_importing_the_same_file_twice_changes_nothing():
    import_file(UN_2025)
    before, changes = counts(), Change.objects.count()
    report = import_file(UN_2025)
    assert counts() == before and Change.objects.count() == changes
    assert report.total("unchanged") == 6 and report.total("added") == report.total("updated") == 0


def test_a_newer_list_adds_updates_and_delists_with_history():
    import_file(UN_2020)
    report = import_file(UN_2025)
    assert report.counts["UN-HAITI"]["added"] == 1
    assert report.counts["UN-IRAQ"]["delisted"] == 1
    dropped = Designation.objects.get(reference_number="IQe.003")
    assert dropped.get_partial("delisted_on").isoformat() == "2025-04-19"
    assert dropped.delisting_reason == "absent from the list generated on 2025-04-19"
    assert dropped.history.latest().history_change_reason.startswith(
        "imported from un_consolidated_2025-04-19"
    )
    assert Designation.objects.filter(reference_number="HTi.001", delisted_on__isnull=True).exists()
    assert report.total("updated") + report.total("unchanged") == 5


def test_an_older_list_is_refused_after_a_newer_one():
    import_file(UN_2025)
    before = counts()
    with pytest.raises(
        ImportFailure,
        match=r"^un_consolidated_2020-11-30_excerpt\.xml: .* older than the one already imported",
    ):
        import_file(UN_2020)
    assert counts() == before


def test_a_curator_edit_is_kept_and_reported_as_a_conflict():
    import_file(UN_2020)
    designation = Designation.objects.get(reference_number="TAi.005")
    designation.remarks = "Curated remark."
    designation.save()
    report = import_file(UN_2025)
    assert Designation.objects.get(reference_number="TAi.005").remarks == "Curated remark."
    assert any("TAi.005" in conflict and "remarks" in conflict for conflict in report.conflicts)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"<CONSOLIDATED_LIST dateGenerated='2025-01-01'><INDIVIDUALS><INDIVIDUAL>",
            "not well-formed XML",
        ),
        (b"<?xml version='1.0'?><sdnList></sdnList>", "not a UN consolidated list"),
        (b"<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>", "no valid dateGenerated"),
        (
            "<?xml version='1.0' encoding='UTF-8'?><CONSOLIDATED_LIST dateGenerated='2025-01-01'>é</CONSOLIDATED_LIST>".encode(
                "latin-1"
            ),
            "not well-formed XML",
        ),
        (
            b"<CONSOLIDATED_LIST dateGenerated='2025-01-01'><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
            b"<FIRST_NAME>X</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
            "missing REFERENCE_NUMBER",
        ),
    ],
)
def test_bad_files_are_refused_before_anything_is_written(tmp_path, content, message):
    path = tmp_path / "list.xml"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(ImportFailure) as error:
        import_file(path)
    assert message in str(error.value) and str(error.value).startswith("list.xml")
    assert counts() == before


def test_the_mangled_list_is_refused_naming_its_line():
    """The first 60 lines of the real broken copy (../shared/data/bad): non-ASCII cut to one byte."""
    before = counts()
    with pytest.raises(CommandError, match=r"un_mangled_excerpt.xml: line 53: not well-formed XML"):
        call_command("import_un_list", DATA / "un_mangled_excerpt.xml")
    assert counts() == before


def test_command_prints_a_summary_per_regime(capsys):
    call_command("import_un_list", UN_2025)
    out = capsys.readouterr().out
    assert "UN-DPRK: 3 added, 0 updated, 0 delisted, 0 unchanged" in out
    assert "total: 6 added" in out


def test_a_new_designation_has_one_created_version_holding_its_regimes_and_a_change_row():
    import_file(UN_2025)
    designation = Designation.objects.get(reference_number="KPi.001")
    versions = list(designation.history.all())
    assert [v.history_type for v in versions] == ["+"]
    assert versions[0].history_change_reason.startswith("imported from un_consolidated_2025-04-19")
    assert [r.sanctionsregime_id for r in versions[0].regimes.all()] == ["un-dprk"]
    change = Change.objects.get(content_type__model="designation", object_id=designation.pk)
    assert (change.action, change.history_id) == ("created", versions[0].history_id)
    citation = designation.citations.get()
    assert citation.history.get().history_type == "+"
