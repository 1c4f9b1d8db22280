"""import_ofac_sdn: one regime per program issued by the United States, a designation per row."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.parsed import ImportFailure
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, SanctionsRegime
from sources.models import Source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]
DATA = Path(__file__).with_name("data")
SDN_2022 = DATA / "ofac_sdn_2022-02-17_excerpt.csv"
SDN_2024 = DATA / "ofac_sdn_2024-05-03_excerpt.csv"


def import_file(path: Path, **kwargs):
    return official_list_import(parsed=ofac_sdn_parse(path, **kwargs))


def test_one_regime_per_program_issued_by_the_united_states():
    import_file(SDN_2024)
    regime = SanctionsRegime.objects.get(key="US-OFAC-DPRK2")
    assert regime.issuer.iso_alpha2 == "US"
    komid = Designation.objects.get(pk="ofac-9345")
    assert sorted(komid.regimes.values_list("key", flat=True)) == ["US-OFAC-DPRK2", "US-OFAC-NPWMD"]
    assert list(komid.aliases.values_list("name", flat=True)) == ["KOMID"]


def test_rows_give_kind_dates_of_birth_and_nationality():
    import_file(SDN_2024)
    kim = Designation.objects.get(pk="ofac-17614")
    assert (kim.kind, kim.name, kim.dates_of_birth, kim.nationality.iso_alpha2) == (
        "individual",
        "KIM, Yong Chol",
        ["1962-02-18"],
        "KP",
    )
    assert Designation.objects.get(pk="ofac-17069").kind == "vessel"
    assert Designation.objects.get(pk="ofac-36").kind == "entity"


def test_each_row_cites_the_file_verbatim():
    import_file(SDN_2024)
    source = Source.objects.get(pk="ofac-sdn-2024-05-03")
    citation = Designation.objects.get(pk="ofac-17614").citations.get(source=source)
    assert source.text[citation.start : citation.end] == '17614,"KIM, Yong Chol"'
    call_command("verify_citations")


def test_reimport_of_a_newer_file_adds_updates_and_delists():
    import_file(SDN_2022)
    report = import_file(SDN_2024)
    assert report.total("added") >= 1
    dropped = Designation.objects.get(pk="ofac-22611")
    assert dropped.delisting_reason == "absent from the list generated on 2024-05-03"
    again = import_file(SDN_2024)
    assert again.total("added") == again.total("updated") == again.total("delisted") == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'1,"A",-0- ,"CUBA",-0- \r\n', "5 columns, expected 12"),
        (b'1,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"cut', "malformed CSV"),
        (b"<?xml version='1.0'?><sdnList/>", "this is XML"),
        (b'x,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "not a number"),
        (b'1,"A",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "no sanctions program"),
        (b"", "no SDN rows"),
    ],
)
def test_bad_files_are_refused_before_anything_is_written(tmp_path, content, message):
    path = tmp_path / "sdn_2024-01-01.csv"
    path.write_bytes(content)
    before = Designation.objects.count(), Source.objects.count()
    with pytest.raises(ImportFailure, match=message) as error:
        import_file(path)
    assert str(error.value).startswith("sdn_2024-01-01.csv: ")
    assert (Designation.objects.count(), Source.objects.count()) == before


def test_a_file_without_a_date_needs_one(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_bytes(SDN_2024.read_bytes())
    with pytest.raises(CommandError, match=r"sdn\.csv: the SDN file has no date"):
        call_command("import_ofac_sdn", path)
    call_command("import_ofac_sdn", path, date=__import__("datetime").date(2024, 5, 3))
    assert Designation.objects.filter(pk="ofac-17614").exists()
