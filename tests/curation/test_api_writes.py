"""Authenticated writes: permissions, validation, history, ETags and protected deletes."""

import pytest
from django.contrib.auth import get_user_model

from core.api.views import RegisterReadOnlyViewSet
from core.models import Change
from core.services import RESERVED_IDS
from sanctions.models import Designation
from sources.models import Citation
from tests.factories import make_citation, make_source
from treaties.models import Party, Treaty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

TREATY = {
    "id": "test-pact-1999",
    "title": "Test pact",
    "kind": "bilateral",
    "signed_on": "1999-03",
    "participations": [
        {
            "party": "russia",
            "signed_on": "1999-03-02",
            "signatory_name": "A. Signer",
            "signatory_office": "Minister",
        },
        {"party": "north-korea"},
    ],
    "provisions": [
        {"label": "Article 1", "summary": "Consultations.", "obligations": ["consultation"]}
    ],
}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/treaties/"),
        ("put", "/api/v1/treaties/ussr-dprk-1961/"),
        ("patch", "/api/v1/treaties/ussr-dprk-1961/"),
        ("delete", "/api/v1/treaties/ussr-dprk-1961/"),
        ("post", "/api/v1/citations/"),
        ("delete", "/api/v1/parties/russia/"),
    ],
)
def test_anonymous_writes_are_refused_and_change_nothing(api_client, method, path):
    before = Treaty.objects.count(), Party.objects.count(), Citation.objects.count()
    response = getattr(api_client, method)(path, {"title": "x"}, format="json")
    assert response.status_code == 401
    assert (Treaty.objects.count(), Party.objects.count(), Citation.objects.count()) == before
    assert Treaty.objects.get(pk="ussr-dprk-1961").title.startswith("Treaty of friendship")


def test_a_user_without_permission_gets_403(api_client):
    user = get_user_model().objects.create_user("reader", password="not-used-123")
    api_client.force_authenticate(user)
    assert (
        api_client.patch(
            "/api/v1/treaties/ussr-dprk-1961/", {"title": "x"}, format="json"
        ).status_code
        == 403
    )


def test_curator_creates_a_treaty_with_participations_and_provisions(curator_client):
    response = curator_client.post(
        "/api/v1/treaties/", TREATY, format="json", HTTP_X_CHANGE_REASON="From the 1999 text"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["signed_on"] == "1999-03"
    assert [p["party"]["id"] for p in body["participations"]] == ["north-korea", "russia"]
    assert body["provisions"][0]["obligations"] == ["consultation"]
    assert response["ETag"]
    treaty = Treaty.objects.get(pk="test-pact-1999")
    assert treaty.review_status == "draft", "hand-made records start as drafts"
    created = treaty.history.earliest()
    assert (created.history_user.username, created.history_change_reason) == (
        "curator",
        "From the 1999 text",
    )


def test_new_drafts_are_hidden_from_the_public_but_visible_to_curators(curator_client, api_client):
    curator_client.post("/api/v1/treaties/", TREATY, format="json")
    assert api_client.get("/api/v1/treaties/test-pact-1999/").status_code == 404
    assert "test-pact-1999" not in [
        t["id"] for t in api_client.get("/api/v1/treaties/").json()["results"]
    ]
    assert api_client.get("/api/v1/treaties/", {"include_drafts": "true"}).status_code == 403
    drafts = curator_client.get("/api/v1/treaties/", {"include_drafts": "true"}).json()["results"]
    assert "test-pact-1999" in [t["id"] for t in drafts]


def test_publishing_makes_a_record_public(curator_client, api_client):
    curator_client.post("/api/v1/treaties/", TREATY, format="json")
    response = curator_client.patch(
        "/api/v1/treaties/test-pact-1999/", {"review_status": "published"}, format="json"
    )
    assert response.status_code == 200
    assert api_client.get("/api/v1/treaties/test-pact-1999/").status_code == 200


def test_model_validation_runs_on_api_writes(curator_client):
    bad = {**TREATY, "signed_on": "2000-01-01", "entered_into_force_on": "1999-12-31"}
    response = curator_client.post("/api/v1/treaties/", bad, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "entered_into_force_on"
    assert not Treaty.objects.filter(pk="test-pact-1999").exists()


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"iso_alpha2": "ZZ"}, "iso_alpha2"),
        ({"kind": "empire"}, "kind"),
        ({"successors": ["nowhere"]}, "successors"),
    ],
)
def test_party_validation_names_the_field(curator_client, payload, attr):
    response = curator_client.post(
        "/api/v1/parties/", {"id": "x", "name": "X", "kind": "state", **payload}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


def test_invalid_nested_participation_names_its_position(curator_client):
    bad = {**TREATY, "participations": [{"party": "russia", "consent_type": "handshake"}]}
    response = curator_client.post("/api/v1/treaties/", bad, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "participations.0.consent_type"


def test_a_record_id_cannot_change(curator_client):
    response = curator_client.patch("/api/v1/parties/russia/", {"id": "rossiya"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "id"


def test_a_record_cannot_take_the_id_of_a_collection_path(curator_client):
    """`{collection}/export/` is the export; a record with id `export` could never be read."""
    response = curator_client.post(
        "/api/v1/parties/", {"id": "export", "name": "X", "kind": "state"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "id"
    assert not Party.objects.filter(pk="export").exists()
    viewsets, found = [RegisterReadOnlyViewSet], []
    while viewsets:
        viewset = viewsets.pop()
        found.append(viewset)
        viewsets += viewset.__subclasses__()
    routes = {
        action.url_path
        for viewset in found
        for action in viewset.get_extra_actions()
        if not action.detail
    }
    assert "export" in routes
    assert routes <= RESERVED_IDS  # every collection-level path is reserved


def test_updates_appear_in_history_with_user_and_reason(curator_client, api_client):
    curator_client.patch(
        "/api/v1/treaties/russia-dprk-2024/",
        {"signed_at": "Pyongyang, North Korea"},
        format="json",
        HTTP_X_CHANGE_REASON="Fuller place",
    )
    versions = api_client.get("/api/v1/treaties/russia-dprk-2024/history/").json()
    latest = versions[0]
    assert (latest["action"], latest["user"], latest["reason"]) == (
        "changed",
        "curator",
        "Fuller place",
    )
    assert {"field": "signed_at", "old": "Pyongyang", "new": "Pyongyang, North Korea"} in latest[
        "changes"
    ]
    assert versions[-1]["action"] == "created" and versions[-1]["reason"].startswith("load_records")


def test_changes_feed_lists_changes_since_a_time(curator_client, api_client):
    mark = Change.objects.latest("changed_at").changed_at.isoformat()
    curator_client.patch(
        "/api/v1/parties/russia/",
        {"aliases": ["Russian Federation"]},
        format="json",
        HTTP_X_CHANGE_REASON="ISO name",
    )
    feed = api_client.get("/api/v1/changes/", {"since": mark}).json()["results"]
    assert [(c["model"], c["record_id"], c["action"], c["user"], c["reason"]) for c in feed] == [
        ("party", "russia", "changed", "curator", "ISO name")
    ]
    assert feed[0]["changed_fields"] == ["aliases"]
    assert (
        api_client.get("/api/v1/changes/", {"model": "treaty", "since": mark}).json()["count"] == 0
    )


def test_get_returns_a_strong_etag_that_changes_with_the_record(curator_client, api_client):
    first = api_client.get("/api/v1/parties/russia/")["ETag"]
    assert first.startswith('"') and not first.startswith("W/")
    assert api_client.get("/api/v1/parties/russia/", HTTP_IF_NONE_MATCH=first).status_code == 304
    curator_client.patch(
        "/api/v1/parties/russia/", {"aliases": ["Russian Federation"]}, format="json"
    )
    assert api_client.get("/api/v1/parties/russia/")["ETag"] != first


def test_stale_if_match_gets_412_and_changes_nothing(curator_client):
    etag = curator_client.get("/api/v1/parties/russia/")["ETag"]
    assert (
        curator_client.patch(
            "/api/v1/parties/russia/", {"aliases": ["RF"]}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    response = curator_client.patch(
        "/api/v1/parties/russia/", {"aliases": ["Rossiya"]}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert response.json()["errors"][0]["code"] == "precondition_failed"
    assert Party.objects.get(pk="russia").aliases == ["RF"]
    assert curator_client.delete("/api/v1/parties/russia/", HTTP_IF_MATCH=etag).status_code == 412


def test_deleting_a_referenced_party_gets_409_naming_the_references(curator_client):
    response = curator_client.delete("/api/v1/parties/north-korea/")
    assert response.status_code == 409
    detail = response.json()["errors"][0]["detail"]
    assert "participation" in detail and "north-korea in russia-dprk-2024" in detail
    assert Party.objects.filter(pk="north-korea").exists()


def test_deleting_an_unreferenced_record_is_kept_in_history(curator_client, api_client):
    curator_client.post(
        "/api/v1/parties/", {"id": "atlantis", "name": "Atlantis", "kind": "state"}, format="json"
    )
    assert (
        curator_client.delete(
            "/api/v1/parties/atlantis/", HTTP_X_CHANGE_REASON="Never existed"
        ).status_code
        == 204
    )
    feed = api_client.get("/api/v1/changes/", {"model": "party", "record_id": "atlantis"}).json()[
        "results"
    ]
    assert [c["action"] for c in feed] == ["created", "deleted"]
    assert feed[-1]["reason"] == "Never existed"


def test_citation_is_created_from_a_pasted_quote(curator_client):
    payload = {
        "record_type": "treaty",
        "record_id": "russia-dprk-2024",
        "field": "signed_at",
        "source": "thejournal-putin-kim-defence-pact-2024",
        "quote": "signing ceremony of the new partnership in Pyongyang",
    }
    response = curator_client.post("/api/v1/citations/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    source = curator_client.get("/api/v1/sources/thejournal-putin-kim-defence-pact-2024/").json()
    assert source["text"][body["start"] : body["end"]] == payload["quote"]


def test_citation_with_a_quote_not_in_the_source_is_refused(curator_client):
    payload = {
        "record_type": "treaty",
        "record_id": "russia-dprk-2024",
        "field": "signed_at",
        "source": "thejournal-putin-kim-defence-pact-2024",
        "quote": "signed in Moscow",
    }
    before = Citation.objects.count()
    response = curator_client.post("/api/v1/citations/", payload, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "quote"
    assert Citation.objects.count() == before


def test_changing_source_text_that_would_break_citations_is_refused(curator_client):
    response = curator_client.patch(
        "/api/v1/sources/kim-pledges-full-support-2024-06-19/", {"text": "replaced"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "text"


def test_drafts_do_not_leak_through_relations_citations_or_changes(curator_client, api_client):
    curator_client.post("/api/v1/treaties/", TREATY, format="json")
    citation = {
        "record_type": "treaty",
        "record_id": "test-pact-1999",
        "field": "title",
        "source": "thejournal-putin-kim-defence-pact-2024",
        "quote": "strategic treaty",
    }
    assert curator_client.post("/api/v1/citations/", citation, format="json").status_code == 201
    timeline = api_client.get("/api/v1/parties/RU/relations/KP/").json()["timeline"]
    assert "test-pact-1999" not in [entry["id"] for entry in timeline]
    assert (
        api_client.get("/api/v1/citations/", {"record_id": "test-pact-1999"}).json()["count"] == 0
    )
    assert api_client.get("/api/v1/changes/", {"record_id": "test-pact-1999"}).json()["count"] == 0
    assert (
        curator_client.get(
            "/api/v1/citations/", {"record_id": "test-pact-1999", "include_drafts": "true"}
        ).json()["count"]
        == 1
    )


def test_citations_from_a_draft_source_are_hidden_from_the_public(curator_client, api_client):
    source = make_source(id="draft-article", review_status="draft")
    treaty = Treaty.objects.get(pk="ussr-dprk-1961")
    make_citation(record=treaty, source=source, quote="signed in 1961", field="signed_on")

    def sources(client, **params):
        query = {"record_id": "ussr-dprk-1961", "limit": 200, **params}
        response = client.get("/api/v1/citations/", query)
        assert response.status_code == 200, response.content
        return {c["source"]["id"] for c in response.json()["results"]}

    assert "kim-pledges-full-support-2024-06-19" in sources(api_client)
    assert "draft-article" not in sources(api_client)
    assert "draft-article" in sources(curator_client, include_drafts="true")


def test_deleting_a_regime_with_designations_gets_409_and_keeps_the_links(curator_client):
    designation = {"id": "d-1", "kind": "entity", "name": "Example Trading", "regimes": ["un-dprk"]}
    assert (
        curator_client.post("/api/v1/designations/", designation, format="json").status_code == 201
    )
    response = curator_client.delete("/api/v1/regimes/un-dprk/")
    assert (
        response.status_code == 409 and "Example Trading" in response.json()["errors"][0]["detail"]
    )
    assert list(Designation.objects.get(pk="d-1").regimes.values_list("pk", flat=True)) == [
        "un-dprk"
    ]


def test_deleting_a_treaty_another_treaty_replaces_gets_409(curator_client):
    curator_client.post(
        "/api/v1/treaties/", {**TREATY, "replaces": ["ussr-dprk-1961"]}, format="json"
    )
    assert curator_client.delete("/api/v1/treaties/ussr-dprk-1961/").status_code == 409
    assert Treaty.objects.filter(pk="ussr-dprk-1961").exists()


def test_a_citation_can_be_patched_and_its_offsets_follow_the_new_quote(curator_client):
    citation = Citation.objects.filter(field="signed_at").first()
    response = curator_client.patch(
        f"/api/v1/citations/{citation.pk}/", {"note": "Checked."}, format="json"
    )
    assert response.status_code == 200 and response.json()["note"] == "Checked."
    response = curator_client.patch(
        f"/api/v1/citations/{citation.pk}/", {"quote": "summit in Pyongyang"}, format="json"
    )
    body = response.json()
    assert response.status_code == 200 and body["end"] - body["start"] == len("summit in Pyongyang")


def test_a_citation_for_a_record_that_does_not_exist_is_a_400(curator_client):
    payload = {
        "record_type": "participation",
        "record_id": "abc",
        "field": "party",
        "source": "thejournal-putin-kim-defence-pact-2024",
        "quote": "Pyongyang",
    }
    response = curator_client.post("/api/v1/citations/", payload, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "record_id"


@pytest.mark.parametrize(
    ("path", "payload", "attr"),
    [
        ("/api/v1/parties/north-korea/", {"successors": ["north-korea"]}, "successors"),
        ("/api/v1/parties/russia/", {"successors": ["soviet-union"]}, "successors"),
        ("/api/v1/treaties/russia-dprk-2000/", {"replaces": ["russia-dprk-2000"]}, "replaces"),
    ],
)
def test_succession_and_replacement_cannot_loop(curator_client, path, payload, attr):
    response = curator_client.patch(path, payload, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == attr


def test_a_designation_needs_a_regime(curator_client):
    response = curator_client.post(
        "/api/v1/designations/",
        {"id": "d-2", "kind": "entity", "name": "X", "regimes": []},
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "regimes"


def test_changes_since_accepts_any_utc_offset(api_client):
    response = api_client.get("/api/v1/changes/", {"since": "1115-04-21T20:43:57+19:37"})
    assert response.status_code == 200 and response.json()["count"] > 0
