"""The match index (name keys) is current after every write path of a designation: the API,
the admin, the importers' bulk path and updates, inside the write's own transaction."""

from pathlib import Path

import pytest
from django.db import transaction

from core.names import names_keys
from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, DesignationNameKey, SanctionsRegime
from sanctions.services import NewDesignation, designation_create, designations_create_many
from tests.curation.test_admin import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]
DATA = Path(__file__).parents[1] / "sanctions" / "data"


def expected(designation: Designation) -> set[str]:
    names = [designation.name, *designation.aliases.values_list("name", flat=True)]
    return names_keys(names, legal_forms=designation.kind != "individual")


def stored(pk: str) -> set[str]:
    return set(DesignationNameKey.objects.filter(designation_id=pk).values_list("key", flat=True))


def assert_current(*pks: str) -> None:
    for pk in pks or Designation.objects.values_list("pk", flat=True):
        assert stored(pk) == expected(Designation.objects.get(pk=pk)), pk


def test_api_create_and_update_keep_keys_current(curator_client):
    payload = {"id": "d-1", "kind": "entity", "name": "OOO Romashka", "regimes": ["un-dprk"]}
    payload["aliases"] = ["Camomile Trading"]
    assert curator_client.post("/api/v1/designations/", payload, format="json").status_code == 201
    assert {"t:romashka", "t:camomile"} <= stored("d-1") and "t:ooo" not in stored("d-1")
    response = curator_client.patch(
        "/api/v1/designations/d-1/", {"name": "Lavanda JSC"}, format="json"
    )
    assert response.status_code == 200
    assert "t:lavanda" in stored("d-1") and "t:romashka" not in stored("d-1")
    curator_client.patch("/api/v1/designations/d-1/", {"aliases": []}, format="json")
    assert "t:camomile" not in stored("d-1")
    assert_current("d-1")


def test_admin_create_and_change_keep_keys_current(client, curator):
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    path = "/admin/sanctions/designation/add/"
    data = {**change_form_data(client, path), "id": "d-1", "kind": "individual"}
    data.update({"name": "Yun Ho-jin", "regimes": ["un-dprk"], "change_reason": "why"})
    data.update({"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Ri Je-son"})
    assert client.post(path, data).status_code == 302
    assert {"t:hojin", "t:jeson"} <= stored("d-1")
    change = "/admin/sanctions/designation/d-1/change/"
    data = {**change_form_data(client, change), "name": "Kim Chol"}
    assert client.post(change, data).status_code == 302
    assert "t:kim" in stored("d-1") and "t:hojin" not in stored("d-1")
    assert_current("d-1")


def test_importer_bulk_path_and_reimport_keep_keys_current():
    official_list_import(parsed=un_list_parse(DATA / "un_consolidated_2020-11-30_excerpt.xml"))
    official_list_import(parsed=ofac_sdn_parse(DATA / "ofac_sdn_2024-05-03_excerpt.csv"))
    assert_current()
    official_list_import(parsed=un_list_parse(DATA / "un_consolidated_2025-04-19_excerpt.xml"))
    assert_current()
    assert DesignationNameKey.objects.filter(designation_id="un-tai-005", key="t:mhmd").exists()


def test_keys_are_written_inside_the_transaction_and_roll_back_with_it():
    regime = SanctionsRegime.objects.get(pk="un-dprk")
    item = NewDesignation(
        values={"id": "d-2", "kind": "individual", "name": "Yun Ho-jin"}, regimes=[regime]
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        designations_create_many(items=[item])
        designation_create(values={"id": "d-3", "kind": "entity", "name": "Acme"}, regimes=[regime])
        assert stored("d-2") and stored("d-3"), "current before the transaction ends"
        raise RuntimeError("roll back")
    assert not DesignationNameKey.objects.filter(designation_id__in=["d-2", "d-3"]).exists()


def test_deleting_a_designation_deletes_its_keys(curator_client):
    payload = {"id": "d-1", "kind": "entity", "name": "Acme", "regimes": ["un-dprk"]}
    curator_client.post("/api/v1/designations/", payload, format="json")
    assert stored("d-1")
    assert curator_client.delete("/api/v1/designations/d-1/").status_code == 204
    assert not stored("d-1")
