"""Slow: import the full official files. Give their folder in REGISTER_DATA (e.g. ../shared/data).

REGISTER_DATA=../shared/data .venv/bin/pytest -m slow
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from register.services import records_load
from sanctions.models import Designation

DATA = Path(os.environ["REGISTER_DATA"]) if os.environ.get("REGISTER_DATA") else None
pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        DATA is None, reason="set REGISTER_DATA to the folder of the full official files"
    ),
]


def test_full_un_lists_2020_then_2025(api_client):
    records_load()
    call_command("import_un_list", DATA / "un" / "un_consolidated_2020-11-30.xml")
    call_command("import_un_list", DATA / "un" / "un_consolidated_2025-04-19.xml")
    dprk = Designation.objects.filter(regimes__key="UN-DPRK", delisted_on__isnull=True)
    assert dprk.filter(kind="individual").count() == 80
    assert dprk.filter(kind="entity").count() == 75
    item = api_client.get("/api/v1/designations/", {"reference_number": "KPi.001"}).json()[
        "results"
    ][0]
    assert (item["name"], item["aliases"], item["listed_on"], item["dates_of_birth"]) == (
        "YUN HO-JIN",
        ["Yun Ho-chin"],
        "2009-07-16",
        ["1944-10-13"],
    )
    before = Designation.objects.count()
    with pytest.raises(
        CommandError,
        match=r"un_consolidated_2025-08-16_mangled\.xml: line \d+: not well-formed XML",
    ):
        call_command("import_un_list", DATA / "bad" / "un_consolidated_2025-08-16_mangled.xml")
    assert Designation.objects.count() == before


def test_full_atop_gives_alliances_their_entry_into_force_and_end(client):
    from core.models import Change
    from treaties.models import Treaty

    records_load()
    files = (DATA / "atop" / "atop_alliance_level.csv", DATA / "atop" / "atop_member_level.csv")
    call_command("import_atop", *files)
    treaty = Treaty.objects.get(pk="ussr-dprk-1961")
    assert [
        treaty.get_partial(name).isoformat()
        for name in ("signed_on", "entered_into_force_on", "ended_on")
    ] == ["1961", "1961-07-06", "1996-09-10"]
    korean = Treaty.objects.filter(kind="bilateral", participations__party__iso_alpha2="KP").filter(
        participations__party__iso_alpha2__in=["SU", "RU"]
    )
    assert sorted(korean.values_list("pk", flat=True).distinct()) == [
        "russia-dprk-2000",
        "russia-dprk-2024",
        "ussr-dprk-1961",
    ]
    added = Treaty.objects.filter(pk__startswith="atop-")
    assert added.filter(signed_on__isnull=False).count() == 0
    assert added.filter(entered_into_force_on__isnull=False).count() == added.count()
    found = client.get("/api/v1/treaties/?party=KP&in_force_on=1990-01-01&limit=50").json()
    assert {"ussr-dprk-1961", "atop-3445"} <= {t["id"] for t in found["results"]}
    timeline = client.get("/api/v1/parties/RU/relations/KP/?on=1990-01-01").json()
    assert "ussr-dprk-1961" in str(timeline) and "russia-dprk-2000" not in str(timeline)
    changes = Change.objects.count()
    call_command("import_atop", *files)
    assert Change.objects.count() == changes


def test_full_ofac_sdn_2022_then_2024():
    records_load()
    call_command("import_ofac_sdn", DATA / "ofac" / "ofac_sdn_2022-02-17.csv")
    call_command("import_ofac_sdn", DATA / "ofac" / "ofac_sdn_2024-05-03.csv")
    assert Designation.objects.filter(pk="ofac-9345", regimes__key="US-OFAC-DPRK2").exists()


def test_full_un_list_versions_2020_to_2025(api_client):
    import csv
    import io

    from sanctions.importers.un import un_list_parse
    from sanctions.importers.writer import official_list_import

    records_load()
    official_list_import(parsed=un_list_parse(DATA / "un" / "un_consolidated_2020-11-30.xml"))
    report = official_list_import(
        parsed=un_list_parse(DATA / "un" / "un_consolidated_2025-04-19.xml")
    )
    url = "/api/v1/sources/un-consolidated-list-2025-04-19/changes/"
    items, params = [], {"since_source": "un-consolidated-list-2020-11-30", "limit": 200}
    while url:
        page = api_client.get(url, params).json()
        items += page["results"]
        url, params = page["next"], None
    found = {change: 0 for change in ("added", "changed", "delisted")}
    for item in items:
        found[item["change"]] += 1
        assert all(field["old"] != field["new"] for field in item["fields"])
    assert found == {
        "added": report.total("added"),
        "changed": report.total("updated"),
        "delisted": report.total("delisted"),
    }
    assert found["delisted"] == Designation.objects.filter(delisted_on="2025-04-19").count() > 0
    response = api_client.get(
        "/api/v1/sources/un-consolidated-list-2025-04-19/changes/", {"format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) - 1 == sum(max(1, len(item["fields"])) for item in items)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_full_ofac_sets_2019_then_2022_then_2024(api_client):
    """The 2019 file set with its companions, then the later single files: updates and
    delistings. The 2019 folder's sdn_comments.csv belongs to a later list (10 of its 13
    rows name entries sdn.csv does not hold), so the set as found is refused and imported
    without it."""
    from sanctions.models import DesignationAddress, DesignationIdentifier

    records_load()
    folder = DATA / "ofac" / "ofac_sdn_2019-01-15"
    with pytest.raises(CommandError, match=r"sdn_comments\.csv: line \d+, field ent_num"):
        call_command("import_ofac_sdn", folder / "sdn.csv")
    assert not Designation.objects.filter(pk__startswith="ofac-").exists()
    call_command("import_ofac_sdn", folder / "sdn.csv", without=["comments"])
    ofac = Designation.objects.filter(pk__startswith="ofac-")
    assert ofac.count() == 7379
    bank = Designation.objects.get(pk="ofac-306")
    assert bank.aliases.filter(name="NATIONAL BANK OF CUBA", quality="a.k.a.").exists()
    assert bank.addresses.filter(kind="address", country__iso_alpha2="CH").exists()
    assert DesignationAddress.objects.filter(kind="address").count() > 9000
    assert ofac.filter(aliases__quality="f.k.a.").exists()

    call_command("import_ofac_sdn", DATA / "ofac" / "ofac_sdn_2022-02-17.csv")
    listed_2022 = ofac.filter(delisted_on__isnull=True)
    assert listed_2022.count() == 9056
    # alt.csv and add.csv are not part of the 2022 import: their facts are no longer listed.
    assert not Designation.objects.get(pk="ofac-306").addresses.filter(kind="address").exists()

    call_command("import_ofac_sdn", DATA / "ofac" / "ofac_sdn_2024-05-03.csv")
    assert ofac.filter(delisted_on__isnull=True).count() == 14965
    delisted = ofac.filter(delisted_on__isnull=False)
    assert delisted.exists()
    assert {str(d.get_partial("delisted_on")) for d in delisted} <= {"2022-02-17", "2024-05-03"}
    vessels = ofac.filter(kind="vessel", delisted_on__isnull=True)
    assert vessels.count() == 851
    assert vessels.exclude(vessel_flag=None).count() > 800
    ids = DesignationIdentifier.objects.filter(
        designation__in=ofac.filter(delisted_on__isnull=True)
    )
    counts = dict(ids.values_list("type").annotate(n=__import__("django").db.models.Count("id")))
    # "Tax ID No." items; R.F.C., NIT #, RUC #, V.A.T. Number, ... are tax ids too, noted so.
    counts["tax_id"] = ids.filter(type="tax_id", note="").count()
    # The figures count the words in the remarks; one item may be worded twice.
    for kind, figure in (
        ("passport", 2146),
        ("tax_id", 2956),
        ("mmsi", 154),
        ("swift_bic", 162),
        ("website", 936),
        ("email", 294),
    ):
        assert abs(counts[kind] - figure) <= figure * 0.05, (kind, counts[kind], figure)
    assert counts["imo"] >= 900
    item = api_client.get("/api/v1/designations/", {"identifier": "IMO 9187629"}).json()
    assert item["count"] >= 1
