"""Stored representations (core.representations): what lists and details serve without
rendering is exactly what rendering gives, and every write path keeps it current in the same
transaction: the record's stored body and ETag change, and so do those of every record that
shows it."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from core.history import change_reason
from core.models import Representation
from core.representations import representation_etag, representer, served
from core.visibility import public_view
from register.services import records_load
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, SanctionsRegime
from sanctions.services import regime_write
from sources.models import Citation
from treaties.models import Party, Treaty
from treaties.services import party_write

pytestmark = pytest.mark.django_db
UN_2020 = (
    Path(__file__).parents[1] / "sanctions" / "data" / "un_consolidated_2020-11-30_excerpt.xml"
)
UN_2025 = UN_2020.with_name("un_consolidated_2025-04-19_excerpt.xml")
LISTS = ["parties", "treaties", "regimes", "designations", "citations"]


def stored_row(model, pk) -> Representation | None:
    content_type = ContentType.objects.get_for_model(model)
    return Representation.objects.filter(content_type=content_type, object_id=str(pk)).first()


def live(model, pk) -> tuple[dict, str]:
    """The record's public representation rendered now, and its ETag."""
    spec = representer(model)
    instance = public_view(spec.queryset()).get(pk=pk)
    data = json.loads(json.dumps(spec.serializer(instance).data))
    return data, representation_etag(spec.serializer(instance).data)


def assert_current(model, pk) -> dict:
    """The stored copy exists, without a read having made it, and equals rendering now."""
    row = stored_row(model, pk)
    assert row is not None, f"{model.__name__} {pk} has no stored representation"
    data, etag = live(model, pk)
    assert json.loads(row.body) == data
    assert row.etag == etag
    return data


def test_every_public_list_and_detail_serves_what_rendering_gives(
    seeded, api_client, curator_client
):
    official_list_import(parsed=un_list_parse(UN_2025))
    for name in LISTS:
        stored = api_client.get(f"/api/v1/{name}/", {"limit": 200})
        rendered = curator_client.get(f"/api/v1/{name}/", {"limit": 200, "include_drafts": "true"})
        assert stored.status_code == rendered.status_code == 200
        assert stored.json() == rendered.json(), name
        assert stored.json()["count"] > 0
        for item in stored.json()["results"][:10]:
            path = f"/api/v1/{name}/{item['id']}/"
            one = api_client.get(path)
            assert one.json() == item
            again = curator_client.get(path, {"include_drafts": "true"})
            assert one["ETag"] == again["ETag"], path


def test_a_conditional_request_is_answered_304_from_the_stored_etag(seeded, api_client):
    first = api_client.get("/api/v1/treaties/russia-dprk-2024/")
    assert first["Cache-Control"] == "no-cache"
    again = api_client.get("/api/v1/treaties/russia-dprk-2024/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    listed = api_client.get("/api/v1/treaties/")
    assert api_client.get("/api/v1/treaties/", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304
    other = api_client.get("/api/v1/treaties/", {"limit": 1}, HTTP_IF_NONE_MATCH=listed["ETag"])
    assert other.status_code == 200


def test_an_api_write_renders_the_record_and_every_record_showing_it(seeded, curator_client):
    before = stored_row(Treaty, "russia-dprk-2024").etag
    response = curator_client.patch(
        "/api/v1/parties/north-korea/", {"name": "DPRK (North Korea)"}, format="json"
    )
    assert response.status_code == 200
    treaty = assert_current(Treaty, "russia-dprk-2024")
    assert "DPRK (North Korea)" in {p["party"]["name"] for p in treaty["participations"]}
    assert stored_row(Treaty, "russia-dprk-2024").etag != before
    assert assert_current(Party, "north-korea")["name"] == "DPRK (North Korea)"
    regime = assert_current(SanctionsRegime, "un-dprk")
    assert "DPRK (North Korea)" in {t["name"] for t in regime["targets"]}


def test_a_change_no_representation_shows_renders_only_the_record(seeded, curator_client):
    treaty_etag = stored_row(Treaty, "russia-dprk-2024").etag
    response = curator_client.patch(
        "/api/v1/parties/north-korea/", {"wikidata_qid": "Q423"}, format="json"
    )
    assert response.status_code == 200
    assert stored_row(Treaty, "russia-dprk-2024").etag == treaty_etag
    assert assert_current(Party, "north-korea")["wikidata_qid"] == "Q423"


def test_removed_parts_and_links_leave_the_records_that_showed_them(seeded, curator_client):
    treaty = curator_client.get("/api/v1/treaties/russia-dprk-2024/").json()
    kept = treaty["participations"][:1]
    body = {"participations": [{"party": p["party"]["id"]} for p in kept]}
    response = curator_client.patch("/api/v1/treaties/russia-dprk-2024/", body, format="json")
    assert response.status_code == 200, response.content
    assert len(assert_current(Treaty, "russia-dprk-2024")["participations"]) == 1
    # A succession link removed from one side leaves the other side's representation too.
    assert Party.objects.get(pk="russia").predecessors.filter(pk="soviet-union").exists()
    response = curator_client.patch(
        "/api/v1/parties/soviet-union/", {"successors": []}, format="json"
    )
    assert response.status_code == 200
    assert assert_current(Party, "russia")["predecessors"] == []


def test_a_citation_moved_to_another_record_leaves_the_first(seeded, curator_client):
    citation = Citation.objects.filter(
        content_type__model="treaty", object_id="russia-dprk-2024", field="signed_at"
    ).first()
    response = curator_client.patch(
        f"/api/v1/citations/{citation.pk}/",
        {"record_type": "treaty", "record_id": "ussr-dprk-1961"},
        format="json",
    )
    assert response.status_code == 200, response.content
    quotes = {c["quote"] for c in assert_current(Treaty, "russia-dprk-2024")["citations"]}
    assert citation.quote not in quotes
    moved = {c["quote"] for c in assert_current(Treaty, "ussr-dprk-1961")["citations"]}
    assert citation.quote in moved


def test_a_record_made_a_draft_leaves_the_store_and_the_records_showing_it(
    seeded, curator_client, api_client
):
    response = curator_client.patch(
        "/api/v1/parties/north-korea/", {"review_status": "draft"}, format="json"
    )
    assert response.status_code == 200
    assert stored_row(Party, "north-korea") is None
    treaty = assert_current(Treaty, "russia-dprk-2024")
    assert "north-korea" not in {p["party"]["id"] for p in treaty["participations"]}
    assert api_client.get("/api/v1/parties/north-korea/").status_code == 404


def test_an_admin_write_renders_what_it_changed(seeded, curator):
    record = Party.objects.get(pk="north-korea")
    model_admin = admin.site._registry[Party]
    request = RequestFactory().post("/")
    request.user = curator
    form_class = model_admin.get_form(request, record)
    data = {b.name: b.value() for b in form_class(instance=record) if b.value() is not None}
    form = form_class(data={**data, "name": "Korea, North"}, instance=record)
    assert form.is_valid(), form.errors
    with change_reason("renamed in the admin"):
        model_admin.save_model(request, form.save(commit=False), form, change=True)
    treaty = assert_current(Treaty, "russia-dprk-2024")
    assert "Korea, North" in {p["party"]["name"] for p in treaty["participations"]}


def test_a_loaded_change_is_rendered(fixture_copy):
    fixtures, seeds, edit = fixture_copy
    records_load(fixtures_dir=fixtures, seeds_dir=seeds)
    before = stored_row(Party, "north-korea").etag
    edit("parties.toml", 'iso_alpha3 = "PRK"\n', "")
    records_load(fixtures_dir=fixtures, seeds_dir=seeds)
    assert assert_current(Party, "north-korea")["iso_alpha3"] is None
    assert stored_row(Party, "north-korea").etag != before


def test_an_import_renders_what_it_changes_and_leaves_what_it_adds_to_the_first_read(
    seeded, api_client
):
    official_list_import(parsed=un_list_parse(UN_2020))
    dropped = Designation.objects.get(reference_number="IQe.003")
    # Created in bulk: no stored copy until the first read, which stores what rendering gives.
    assert stored_row(Designation, dropped.pk) is None
    assert api_client.get(f"/api/v1/designations/{dropped.pk}/").json()["status"] == "listed"
    assert assert_current(Designation, dropped.pk)["status"] == "listed"
    listed_2020 = set(Designation.objects.values_list("pk", flat=True))
    served(Designation, sorted(listed_2020))  # as reading every page would

    official_list_import(parsed=un_list_parse(UN_2025))
    assert assert_current(Designation, dropped.pk)["status"] == "delisted"
    for pk in Designation.objects.values_list("pk", flat=True):
        if pk in listed_2020:
            assert_current(Designation, pk)  # updated, delisted or unchanged: current
        else:
            assert stored_row(Designation, pk) is None  # new in 2025: rendered when first read
    added = Designation.objects.exclude(pk__in=listed_2020).first()
    detail = api_client.get(f"/api/v1/designations/{added.pk}/")
    assert detail.json() == live(Designation, added.pk)[0]
    assert_current(Designation, added.pk)
    assert detail["ETag"] == stored_row(Designation, added.pk).etag


def test_a_failed_write_leaves_the_store_as_it_was(seeded, curator_client):
    before = stored_row(Party, "russia").body
    response = curator_client.patch(
        "/api/v1/parties/russia/", {"successors": ["soviet-union"]}, format="json"
    )
    assert response.status_code == 400
    assert stored_row(Party, "russia").body == before


def test_a_write_outside_a_change_reason_drops_the_stale_copies(seeded, api_client):
    party = Party.objects.get(pk="north-korea")
    party.name = "North Korea (DPRK)"
    party_write(party=party)  # no change_reason block: a shell, a data migration
    assert stored_row(Party, "north-korea") is None
    assert stored_row(Treaty, "russia-dprk-2024") is None
    detail = api_client.get("/api/v1/treaties/russia-dprk-2024/").json()
    assert "North Korea (DPRK)" in {p["party"]["name"] for p in detail["participations"]}
    assert_current(Treaty, "russia-dprk-2024")


def test_a_status_that_depends_on_today_is_rendered_again_when_it_changes(
    seeded, api_client, monkeypatch
):
    regime = SanctionsRegime.objects.get(pk="un-dprk")
    regime.set_partial("ended_on", "2999")
    with change_reason("an end date in the future"):
        regime_write(regime=regime)
    assert api_client.get("/api/v1/regimes/un-dprk/").json()["status"] == "active"
    assert stored_row(SanctionsRegime, "un-dprk").stale_on == dt.date(2999, 1, 1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(3000, 1, 1))
    assert api_client.get("/api/v1/regimes/un-dprk/").json()["status"] == "ended"
    listed = api_client.get("/api/v1/regimes/", {"q": "UN-DPRK"}).json()["results"]
    assert listed[0]["status"] == "ended"


def test_render_representations_warms_an_empty_store(seeded):
    Representation.objects.all().delete()
    call_command("render_representations", stdout=io.StringIO())
    for model in (Party, Treaty, SanctionsRegime, Citation):
        for pk in model.objects.values_list("pk", flat=True):
            assert_current(model, pk)


def test_render_representations_renders_only_the_models_named(seeded):
    Representation.objects.all().delete()
    out = io.StringIO()
    call_command("render_representations", "--model", "sanctions.SanctionsRegime", stdout=out)
    assert out.getvalue().splitlines() == [
        f"sanctions.SanctionsRegime: {SanctionsRegime.objects.count()} rendered"
    ]
    for pk in SanctionsRegime.objects.values_list("pk", flat=True):
        assert_current(SanctionsRegime, pk)
    assert not Representation.objects.exclude(
        content_type=ContentType.objects.get_for_model(SanctionsRegime)
    ).exists()
    with pytest.raises(CommandError, match="no stored representation"):
        call_command("render_representations", "--model", "core.Change")
