"""Identifiers: parsed from the UN list's documents and OFAC's remarks, written with their
designation, shown in the API and found by the `identifier` filter."""

from pathlib import Path

import pytest

from sanctions.importers.ofac import ofac_sdn_parse, remarks_identifiers
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import DesignationIdentifier

pytestmark = [pytest.mark.django_db]
DATA = Path(__file__).with_name("data")
UN_2020 = DATA / "un_consolidated_2020-11-30_excerpt.xml"
UN_2025 = DATA / "un_consolidated_2025-04-19_excerpt.xml"


def test_ofac_remarks_give_passports_national_ids_and_imo_numbers():
    remarks = (
        "DOB 01 Jan 1958; Passport 1084010 (Egypt); National ID No. 216040 (Yemen); "
        "Tax ID No. 7713000000 (Russia); Vessel Registration Identification IMO 9187629."
    )
    found = {(i.type, i.value, i.country) for i in remarks_identifiers(remarks)}
    assert found == {
        ("passport", "1084010", "EG"),
        ("national_id", "216040", "YE"),
        ("tax_id", "7713000000", "RU"),
        ("imo", "9187629", ""),
    }


def test_un_documents_become_identifiers():
    parsed = un_list_parse(UN_2025)
    by_reference = {r.reference_number: r.identifiers for r in parsed.records}
    assert [(i.type, i.value) for i in by_reference["HTi.001"]] == [
        ("national_id", "001-843-989-7")
    ]


def test_un_original_script_names_become_aliases():
    record = next(r for r in un_list_parse(UN_2025).records if r.reference_number == "TAi.005")
    assert ("محمد طاهر أنوري", "original script") in record.aliases


def test_identifiers_are_shown_and_filtered_normalised(seeded, api_client):
    official_list_import(parsed=un_list_parse(UN_2025))
    body = api_client.get("/api/v1/designations/", {"identifier": "001 843 9897"}).json()
    assert [d["id"] for d in body["results"]] == ["un-hti-001"]
    assert body["results"][0]["identifiers"] == [
        {
            "type": "national_id",
            "value": "001-843-989-7",
            "normalised": "0018439897",
            "country": None,
            "issued_on": None,
            "expires_on": None,
            "note": "NIF - Haiti",  # the list's NOTE, its narrow no-break space a space
        }
    ]
    assert api_client.get("/api/v1/designations/", {"identifier": "nothing"}).json()["count"] == 0


def test_an_ofac_vessel_has_its_imo_number(seeded):
    official_list_import(parsed=ofac_sdn_parse(DATA / "ofac_sdn_2024-05-03_excerpt.csv"))
    assert DesignationIdentifier.objects.filter(type="imo", designation__kind="vessel").exists()


def test_a_reimport_keeps_identifiers_current(seeded):
    official_list_import(parsed=un_list_parse(UN_2020))
    parsed = un_list_parse(UN_2025)
    official_list_import(parsed=parsed)
    for record in parsed.records:
        stored = DesignationIdentifier.objects.filter(designation_id=record.id)
        assert set(stored.values_list("type", "normalised")) == {
            (i.type, i.normalised) for i in record.identifiers
        }, record.id
