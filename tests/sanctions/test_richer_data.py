"""Identifiers of every type with their dates, addresses and places of birth, alias scripts,
vessel attributes, and OFAC's companion files (alt.csv, add.csv, sdn_comments.csv)."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.scripts import script_code
from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.ofac_remarks import RemarkProblem, remarks_identifiers
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, DesignationAddress, DesignationAlias
from sources.models import Citation, Source

pytestmark = [pytest.mark.django_db]
DATA = Path(__file__).with_name("data")
SET_2019 = DATA / "ofac_sdn_2019-01-15_excerpt"
UN_2025 = DATA / "un_consolidated_2025-04-19_excerpt.xml"


def found(remarks):
    return [
        (i.type, i.value, i.country, i.issued_on, i.expires_on, i.note)
        for i in remarks_identifiers(remarks)
    ]


def test_remarks_give_every_identifier_type_with_country_dates_and_note():
    remarks = (
        "DOB 10 Jan 1970; Passport 472117456 (Korea, North) issued 02 Mar 2016 expires 02 Mar 2021; "
        "alt. Diplomatic Passport D123 (Iran); Tax ID No. 7707083893 (Russia); "
        "Vessel Registration Identification IMO 9187629; MMSI 256842000; SWIFT/BIC KDBKKPPY; "
        "Website www.rdif.ru; Email Address info@inb.ps.; "
        "Aircraft Manufacturer's Serial Number (MSN) 1123; National ID No. 992 (Jalisco) (Mexico)."
    )
    assert found(remarks) == [
        ("passport", "472117456", "KP", "2016-03-02", "2021-03-02", ""),
        ("passport", "D123", "IR", None, None, "Diplomatic Passport"),
        ("tax_id", "7707083893", "RU", None, None, ""),
        ("imo", "9187629", "", None, None, ""),
        ("mmsi", "256842000", "", None, None, ""),
        ("swift_bic", "KDBKKPPY", "", None, None, ""),
        ("website", "www.rdif.ru", "", None, None, ""),
        ("email", "info@inb.ps", "", None, None, ""),
        ("aircraft_serial", "1123", "", None, None, ""),
        ("national_id", "992", "MX", None, None, "(Jalisco)"),
    ]


def test_prose_that_names_a_label_is_not_an_identifier():
    assert found("Passport issued in Sarajevo, Bosnia-Herzegovina; Gender Male") == []


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("MMSI 25684", "an MMSI has 9 digits"),
        ("SWIFT/BIC 12", "SWIFT/BIC"),
        ("Email Address info.example.com", "e-mail"),
        ("Passport 123 (Iran) expires 31 Feb 2020", "expires"),
        ("IMO 12345", "an IMO number has 7 digits"),
    ],
)
def test_an_identifier_that_cannot_be_one_is_a_problem(item, problem):
    with pytest.raises(RemarkProblem, match=problem):
        remarks_identifiers(item)


def test_an_identifier_that_does_not_parse_refuses_the_import(seeded, tmp_path):
    path = tmp_path / "ofac_sdn_2024-05-03.csv"
    path.write_bytes(b'1,"SHIP",vessel,"DPRK3",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"MMSI 12."\r\n')
    with pytest.raises(
        CommandError, match=r"ofac_sdn_2024-05-03\.csv: line 1, field remarks: .*MMSI"
    ):
        call_command("import_ofac_sdn", path)
    assert not Designation.objects.exists()


def test_scripts_are_iso_15924_codes():
    assert [script_code(t) for t in ("Kim", "Ким", "김정은", "محمد", "金正恩", "", "12")] == [
        "Latn",
        "Cyrl",
        "Hang",
        "Arab",
        "Hani",
        "",
        "",
    ]


def test_un_documents_addresses_places_of_birth_and_scripts(seeded, api_client):
    parsed = un_list_parse(UN_2025)
    official_list_import(parsed=parsed)
    original = DesignationAlias.objects.get(name="محمد طاهر أنوري")
    assert (original.quality, original.script) == ("original script", "Arab")
    with_documents = [r for r in parsed.records if r.identifiers]
    assert with_documents
    for record in parsed.records:
        stored = DesignationAddress.objects.filter(designation_id=record.id)
        assert sorted(stored.values_list("kind", "text")) == sorted(
            (a.kind, a.text) for a in record.addresses
        )
    pob = DesignationAddress.objects.filter(kind="place_of_birth").exclude(country=None).first()
    body = api_client.get(f"/api/v1/designations/{pob.designation_id}/").json()
    assert {p["text"] for p in body["places_of_birth"]} >= {pob.text}
    assert body["places_of_birth"][0]["country"]["iso_alpha2"]
    assert {"name": original.name, "quality": "original script", "script": "Arab"} in (
        api_client.get(f"/api/v1/designations/{original.designation_id}/").json()["alias_details"]
    )


def test_un_document_dates_of_issue_and_expiry_are_read(tmp_path):
    text = UN_2025.read_text(encoding="utf-8")
    document = "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>X123</NUMBER><DATE_OF_ISSUE>2011-03-09</DATE_OF_ISSUE><NOTE>expires on 8 Mar. 2016</NOTE></INDIVIDUAL_DOCUMENT>"
    path = tmp_path / "un.xml"
    path.write_text(
        text.replace("</INDIVIDUAL_DATE_OF_BIRTH>", "</INDIVIDUAL_DATE_OF_BIRTH>" + document, 1)
    )
    identifiers = [
        i for r in un_list_parse(path).records for i in r.identifiers if i.value == "X123"
    ]
    assert [(i.type, i.issued_on, i.expires_on, i.note) for i in identifiers] == [
        ("passport", "2011-03-09", "2016-03-08", "expires on 8 Mar. 2016")
    ]


def test_the_companion_files_beside_sdn_csv_are_read_as_one_set(seeded, api_client):
    call_command("import_ofac_sdn", SET_2019 / "sdn.csv")
    bank = Designation.objects.get(pk="ofac-306")
    assert dict(bank.aliases.values_list("name", "quality")) == {
        "BNC": "a.k.a.",
        "NATIONAL BANK OF CUBA": "a.k.a.",
    }
    assert set(
        Designation.objects.get(pk="ofac-8244").aliases.values_list("quality", flat=True)
    ) >= {"n.k.a."}
    assert "f.k.a." in Designation.objects.get(pk="ofac-4307").aliases.values_list(
        "quality", flat=True
    )
    zurich = bank.addresses.get(street="Zweierstrasse 35")
    assert (zurich.city, zurich.country_name, zurich.country.iso_alpha2) == (
        "Zurich CH-8022",
        "Switzerland",
        "CH",
    )
    # sdn.csv cuts the remarks at 1,000 characters; sdn_comments.csv continues them.
    cifuentes = Designation.objects.get(pk="ofac-12300")
    assert "PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA" in cifuentes.remarks
    assert cifuentes.addresses.filter(kind="place_of_birth", text="Medellin, Colombia").exists()
    vessel = api_client.get("/api/v1/designations/ofac-15036/").json()
    assert (
        vessel["call_sign"],
        vessel["vessel_type"],
        vessel["tonnage"],
        vessel["gross_registered_tonnage"],
        vessel["vessel_flag"]["iso_alpha2"],
    ) == ("T2EU4", "Crude/Oil Products Tanker", 99144, 56068, "IR")
    assert api_client.get("/api/v1/designations/", {"identifier": "t2eu4"}).json()["count"] == 1
    # Each companion file is a source of its own, and its facts are cited to it.
    for key, field in (("alt", "aliases"), ("add", "addresses"), ("comments", "remarks")):
        source = Source.objects.get(pk=f"ofac-sdn-2019-01-15-{key}")
        assert Citation.objects.filter(source=source, field=field).exists()
    call_command("verify_citations")


def test_companion_aliases_are_screened(seeded, api_client):
    call_command("import_ofac_sdn", SET_2019 / "sdn.csv")
    query = {"schema": "Organization", "properties": {"name": ["National Bank of Cuba"]}}
    body = api_client.post("/api/v1/match/", {"queries": {"q": query}}, format="json").json()
    assert body["responses"]["q"]["results"][0]["id"] == "ofac-306"


def copy_set(tmp_path) -> Path:
    folder = tmp_path / "ofac_sdn_2019-01-15"
    shutil.copytree(SET_2019, folder)
    return folder


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        (
            "alt.csv",
            b'999,1,"aka","NOBODY",-0- \n',
            r"alt\.csv: line 16, field ent_num: entry 999 is not in sdn\.csv",
        ),
        ("alt.csv", b'306,1,"xyz","SOMEONE",-0- \n', r"alt\.csv: line 16, field alt_type"),
        ("add.csv", b'306,1,"Street"\n', r"add\.csv: line 72: 3 columns, expected 6"),
        (
            "sdn_comments.csv",
            b'12300,"more"\n',
            r"sdn_comments\.csv: line 2, field ent_num: entry 12300 is continued twice",
        ),
    ],
)
def test_a_bad_companion_file_refuses_the_whole_set(seeded, tmp_path, name, line, message):
    folder = copy_set(tmp_path)
    path = folder / name
    data = path.read_bytes().rstrip(b"\x1a").rstrip(b"\n") + b"\n"
    path.write_bytes(data + line)
    with pytest.raises(CommandError, match=message):
        call_command("import_ofac_sdn", folder / "sdn.csv")
    assert not Designation.objects.exists()
    assert not Source.objects.filter(pk__startswith="ofac-").exists()


def test_a_companion_file_can_be_left_out_or_given(seeded, tmp_path):
    folder = copy_set(tmp_path)
    comments = folder / "sdn_comments.csv"
    comments.write_bytes(b'424242,"from another list"\n')
    with pytest.raises(CommandError, match=r"sdn_comments\.csv: line 1, field ent_num"):
        call_command("import_ofac_sdn", folder / "sdn.csv")
    call_command(
        "import_ofac_sdn", folder / "sdn.csv", without=["comments"], add=SET_2019 / "add.csv"
    )
    assert Designation.objects.get(pk="ofac-306").addresses.count() == 4
    assert not Source.objects.filter(pk="ofac-sdn-2019-01-15-comments").exists()


def test_reimporting_the_set_changes_nothing(seeded):
    parsed = ofac_sdn_parse(SET_2019 / "sdn.csv")
    official_list_import(parsed=parsed)
    report = official_list_import(parsed=ofac_sdn_parse(SET_2019 / "sdn.csv"))
    assert report.total("unchanged") == len(parsed.records)


def test_the_designation_schema_example_is_a_live_response(seeded, api_client):
    """docs/examples/designation-ofac-vessel.json, the OpenAPI example of a designation, is
    what the API answers for that vessel of the committed 2019 excerpt."""
    import json
    import os

    from core.api.examples import EXAMPLES_DIR

    call_command("import_ofac_sdn", SET_2019 / "sdn.csv")
    live = api_client.get("/api/v1/designations/ofac-15036/").json()
    target = EXAMPLES_DIR / "designation-ofac-vessel.json"
    if os.environ.get("UPDATE_EXAMPLES") == "1" and (
        not target.exists() or json.loads(target.read_text(encoding="utf-8")) != live
    ):
        target.write_text(json.dumps(live, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.fail(f"{target.name} was rewritten: review and commit it, then run again")
    assert json.loads(target.read_text(encoding="utf-8")) == live


def test_an_imo_number_is_found_with_or_without_its_prefix(seeded, api_client):
    call_command("import_ofac_sdn", SET_2019 / "sdn.csv")
    for query in ("IMO 9187629", "9187629", "imo9187629"):
        body = api_client.get("/api/v1/designations/", {"identifier": query}).json()
        assert [d["id"] for d in body["results"]] == ["ofac-15036"], query
