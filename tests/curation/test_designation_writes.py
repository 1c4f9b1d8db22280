"""One write path for designations: the API, the admin and the importers call the same service,
so the same bad designation gets the same refusal, naming the same field, whichever way it comes."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from core.imports import ImportFailure
from core.models import Change
from core.partial_dates import PartialDate, PartialDateError
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, SanctionsRegime
from sanctions.services import (
    REGIME_REQUIRED,
    NewDesignation,
    designation_create,
    designation_delete,
    designation_update,
    designations_create_many,
)
from tests.curation.test_admin import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]
UN_2025 = (
    Path(__file__).parents[1] / "sanctions" / "data" / "un_consolidated_2025-04-19_excerpt.xml"
)


def _partial_date_problem(value: str) -> str:
    try:
        PartialDate.parse(value)
    except PartialDateError as exc:
        return str(exc)
    raise AssertionError(f"{value!r} is a valid partial date")


# (what is wrong, the bad values, the field named, the message)
BAD = [
    ("no regime", {"regimes": []}, "regimes", REGIME_REQUIRED),
    (
        "invalid partial date",
        {"listed_on": "2009-13"},
        "listed_on",
        _partial_date_problem("2009-13"),
    ),
]
IDS = [case[0] for case in BAD]


@pytest.fixture
def admin_client(client, curator):
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    return client


def good_values(**extra) -> dict:
    return {"id": "d-1", "kind": "entity", "name": "Example Trading", **extra}


@pytest.mark.parametrize(("case", "bad", "field", "message"), BAD, ids=IDS)
def test_the_api_refuses_a_bad_designation_naming_the_field(
    curator_client, case, bad, field, message
):
    payload = {**good_values(), "regimes": ["un-dprk"], **bad}
    response = curator_client.post("/api/v1/designations/", payload, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["detail"]) == (field, message)
    assert not Designation.objects.filter(pk="d-1").exists()


@pytest.mark.parametrize(("case", "bad", "field", "message"), BAD, ids=IDS)
def test_the_admin_refuses_a_bad_designation_naming_the_field(
    admin_client, case, bad, field, message
):
    path = "/admin/sanctions/designation/add/"
    data = {**change_form_data(admin_client, path), **good_values(), "regimes": ["un-dprk"]}
    data.update(bad)
    response = admin_client.post(path, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert not Designation.objects.filter(pk="d-1").exists()


@pytest.mark.parametrize(("case", "bad", "field", "message"), BAD, ids=IDS)
def test_the_importers_service_call_refuses_a_bad_designation_naming_the_field(
    case, bad, field, message
):
    regimes = bad.get("regimes", [SanctionsRegime.objects.get(pk="un-dprk")])
    values = good_values(**{k: v for k, v in bad.items() if k != "regimes"})
    with pytest.raises(ValidationError) as refusal:
        designations_create_many(items=[NewDesignation(values=values, regimes=regimes)])
    assert refusal.value.message_dict == {field: [message]}
    assert refusal.value.designation_id == "d-1"
    assert not Designation.objects.filter(pk="d-1").exists()


def test_an_importer_names_file_record_and_field_of_a_refused_designation():
    parsed = un_list_parse(UN_2025)
    parsed.records[0].regime_keys = []
    with pytest.raises(ImportFailure) as failure:
        official_list_import(parsed=parsed)
    assert str(failure.value) == (
        f"{UN_2025.name}: record {parsed.records[0].id}, field regimes: {REGIME_REQUIRED}"
    )
    assert not Designation.objects.exists()


def test_the_service_keeps_history_and_change_rows_with_the_reason():
    from core.history import change_reason

    regime = SanctionsRegime.objects.get(pk="un-dprk")
    with change_reason("test reason"):
        designation = designation_create(
            values=good_values(listed_on="2009-07"),
            regimes=[regime],
            aliases=["Example", ("Example", "Good"), "EXT"],
        )
    with change_reason("test reason"):  # a second write
        designation_update(designation=designation, values={"remarks": "Noted."}, aliases=["EXT"])
    assert designation.get_partial("listed_on").isoformat() == "2009-07"
    assert list(designation.aliases.values_list("name", flat=True)) == ["EXT"]
    assert {v.history_change_reason for v in designation.history.all()} == {"test reason"}
    changes = Change.objects.filter(object_id="d-1", content_type__model="designation")
    # One change row per record per write, however many versions the write made.
    assert [(c.action, c.reason) for c in changes] == [
        ("created", "test reason"),
        ("changed", "test reason"),
    ]
    assert changes[1].changed_fields == ["remarks"]
    with change_reason("gone"):
        designation_delete(designation=designation)
    assert Change.objects.filter(object_id="d-1", action="deleted").exists()


def test_the_admin_writes_through_the_service_with_regimes_and_aliases(admin_client):
    path = "/admin/sanctions/designation/add/"
    data = {**change_form_data(admin_client, path), **good_values(), "regimes": ["un-dprk"]}
    data.update({"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Example", "change_reason": "why"})
    response = admin_client.post(path, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    designation = Designation.objects.get(pk="d-1")
    assert [r.pk for r in designation.regimes.all()] == ["un-dprk"]
    assert list(designation.aliases.values_list("name", flat=True)) == ["Example"]
    assert designation.history.latest().history_change_reason == "why"
    change = f"/admin/sanctions/designation/{designation.pk}/change/"
    data = change_form_data(admin_client, change)
    data.update({"name": "Example Trading Ltd", "aliases-0-quality": "Good"})
    assert admin_client.post(change, data).status_code == 302
    designation.refresh_from_db()
    assert designation.name == "Example Trading Ltd"
    assert list(designation.aliases.values_list("quality", flat=True)) == ["Good"]


def test_the_api_deletes_through_the_service_keeping_the_deletion_in_the_feed(curator_client):
    payload = {**good_values(), "regimes": ["un-dprk"], "aliases": ["Example"]}
    assert curator_client.post("/api/v1/designations/", payload, format="json").status_code == 201
    assert curator_client.delete("/api/v1/designations/d-1/").status_code == 204
    assert not Designation.objects.filter(pk="d-1").exists()
    deleted = Change.objects.filter(action="deleted", content_type__model="designation")
    assert deleted.get().object_id == "d-1"


def test_records_created_in_bulk_each_get_their_version_change_and_links_chunk_by_chunk(
    monkeypatch,
):
    from core import history

    monkeypatch.setattr(history, "CHUNK", 2)  # five designations: three chunks
    regimes = [SanctionsRegime.objects.get(pk="un-dprk")]
    items = [
        NewDesignation(values=good_values(id=f"d-{index}", name=f"Name {index}"), regimes=regimes)
        for index in range(5)
    ]
    designations_create_many(items=items)
    for index in range(5):
        designation = Designation.objects.get(pk=f"d-{index}")
        (version,) = designation.history.all()
        assert version.history_type == "+" and version.name == f"Name {index}"
        assert [r.sanctionsregime_id for r in version.regimes.all()] == ["un-dprk"]
        assert Change.objects.filter(object_id=f"d-{index}", action="created").count() == 1
