"""One write path per record: the same bad input gets the same refusal, naming the same field,
whether it comes through the API, an admin form or a fixture for the record loader."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.fixture_files import RecordError
from core.models import Change
from register.services import records_load
from sources.models import Citation
from treaties.models import Party, Treaty

pytestmark = pytest.mark.django_db

CYCLE_CITATION = (
    '  { field = "successors", source = "thejournal-putin-kim-defence-pact-2024", '
    'quote = "The two countries have been allies since North Korea\u2019s founding after World War II" },\n'
)
TREATY_QUOTE = "the two leaders signed a comprehensive strategic partnership pact"

# name: (API request, admin form edit, fixture edit, refused field, words of the refusal)
CASES = {
    "succession cycle": (
        ("patch", "/api/v1/parties/russia/", {"successors": ["soviet-union"]}),
        (Party, "russia", {"successors": ["soviet-union"]}),
        (
            "parties.toml",
            'iso_alpha3 = "RUS"\ncitations = [\n',
            'iso_alpha3 = "RUS"\nsuccessors = ["soviet-union"]\ncitations = [\n' + CYCLE_CITATION,
        ),
        "successors",
        "succession cycle",
    ),
    "treaty replaces itself": (
        ("patch", "/api/v1/treaties/russia-dprk-2024/", {"replaces": ["russia-dprk-2024"]}),
        (Treaty, "russia-dprk-2024", {"replaces": ["russia-dprk-2024"]}),
        (
            "treaties.toml",
            'signed_at = "Pyongyang"\ncitations = [\n',
            'signed_at = "Pyongyang"\nreplaces = ["russia-dprk-2024"]\ncitations = [\n'
            '  { field = "replaces", source = "kim-pledges-full-support-2024-06-19", '
            f'quote = "{TREATY_QUOTE}" }},\n',
        ),
        "replaces",
        "cannot replace itself",
    ),
    "unknown successor": (
        ("patch", "/api/v1/parties/russia/", {"successors": ["atlantis"]}),
        None,  # the admin offers only existing parties to pick from
        (
            "parties.toml",
            'iso_alpha3 = "RUS"\ncitations = [\n',
            'iso_alpha3 = "RUS"\nsuccessors = ["atlantis"]\ncitations = [\n' + CYCLE_CITATION,
        ),
        "successors",
        "atlantis",
    ),
}


def through_api(curator_client, request) -> tuple[str, str]:
    method, path, body = request
    response = getattr(curator_client, method)(path, body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    return error["attr"], error["detail"]


def through_admin(curator, edit) -> tuple[str, str]:
    model, pk, changes = edit
    record = model.objects.get(pk=pk)
    model_admin = admin.site._registry[model]
    request = RequestFactory().post("/")
    request.user = curator
    form_class = model_admin.get_form(request, record)
    # What the admin page would post back unchanged, as the browser sends it.
    unbound = form_class(instance=record)
    data = {}
    for bound in unbound:
        name = bound.name
        value = bound.value()
        if value is not None:
            data[name] = value
    form = form_class(data={**data, **changes}, instance=record)
    assert not form.is_valid()
    field, messages = next(iter(form.errors.items()))
    return field, " ".join(messages)


def through_loader(fixture_copy, edit) -> tuple[str, str]:
    fixtures, seeds, change = fixture_copy
    change(*edit)
    with pytest.raises(RecordError) as error:
        records_load(fixtures_dir=fixtures, seeds_dir=seeds)
    return error.value.field, error.value.problem


@pytest.mark.parametrize("path", ["api", "admin", "loader"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_same_bad_input_is_refused_the_same_way_on_every_path(
    case, path, curator, curator_client, fixture_copy
):
    api_request, admin_edit, fixture_edit, field, words = CASES[case]
    if path == "admin" and admin_edit is None:
        pytest.skip("the admin cannot express this input (it offers only existing records)")
    records_load()
    before = {model: model.objects.count() for model in (Party, Treaty, Citation)}
    if path == "api":
        refused = through_api(curator_client, api_request)
    elif path == "admin":
        refused = through_admin(curator, admin_edit)
    else:
        refused = through_loader(fixture_copy, fixture_edit)
    assert refused[0] == field
    assert words in refused[1]
    assert {model: model.objects.count() for model in (Party, Treaty, Citation)} == before
    assert not Party.objects.get(pk="russia").successors.exists()
    assert not Treaty.objects.get(pk="russia-dprk-2024").replaces.exists()


def test_a_duplicate_citation_is_a_400_naming_the_quote_not_a_database_error(curator_client):
    records_load()
    body = {
        "record_type": "treaty",
        "record_id": "russia-dprk-2024",
        "field": "signed_at",
        "source": "kim-pledges-full-support-2024-06-19",
        "quote": TREATY_QUOTE,
    }
    assert curator_client.post("/api/v1/citations/", body, format="json").status_code == 201
    count = Citation.objects.count()
    again = curator_client.post("/api/v1/citations/", body, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["attr"] == "quote"
    assert "already cited" in again.json()["errors"][0]["detail"]
    assert Citation.objects.count() == count


def _changes_since(last_id: int) -> list[Change]:
    return list(Change.objects.filter(pk__gt=last_id).order_by("pk"))


def test_a_patch_of_nested_participations_writes_one_change_row_per_changed_record(
    curator_client,
):
    records_load()
    treaty = Treaty.objects.get(pk="russia-dprk-2024")
    participations = [
        {"party": p.party_id, "signatory_name": p.signatory_name, "signed_on": "2024-06-19"}
        for p in treaty.participations.order_by("party_id")
    ]
    participations[0]["signatory_name"] = "A. N. Other"
    last = Change.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = curator_client.patch(
        "/api/v1/treaties/russia-dprk-2024/",
        {"participations": participations},
        format="json",
    )
    assert response.status_code == 200, response.content
    changes = _changes_since(last)
    assert [c.changed_fields for c in changes if c.action == "changed"] == [["signatory_name"]]
    assert all(c.content_type.model != "treaty" for c in changes), "the treaty did not change"


def test_a_write_of_fields_and_links_is_one_change_row(curator_client):
    records_load()
    last = Change.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = curator_client.patch(
        "/api/v1/treaties/russia-dprk-2024/",
        {"signed_at": "Pyongyang, Kumsusan", "replaces": ["russia-dprk-2000"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    (change,) = _changes_since(last)
    assert change.object_id == "russia-dprk-2024"
    assert change.changed_fields == ["replaces", "signed_at"]


def test_a_long_change_reason_is_kept_whole_and_an_overlong_one_is_a_400(curator_client):
    records_load()
    reason = "Checked against the ratification record; " * 10  # 420 characters
    response = curator_client.patch(
        "/api/v1/parties/russia/",
        {"aliases": ["Russian Federation"]},
        format="json",
        HTTP_X_CHANGE_REASON=reason,
    )
    assert response.status_code == 200, response.content
    assert Change.objects.order_by("-pk").first().reason == reason.strip()
    response = curator_client.patch(
        "/api/v1/parties/russia/",
        {"aliases": ["RF"]},
        format="json",
        HTTP_X_CHANGE_REASON="x" * 501,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "X-Change-Reason"
    assert Party.objects.get(pk="russia").aliases == ["Russian Federation"]


def test_a_uniqueness_race_past_validation_is_a_409_not_a_database_error(
    curator_client, monkeypatch
):
    records_load()
    body = {
        "record_type": "treaty",
        "record_id": "russia-dprk-2024",
        "field": "signed_at",
        "source": "kim-pledges-full-support-2024-06-19",
        "quote": TREATY_QUOTE,
    }
    assert curator_client.post("/api/v1/citations/", body, format="json").status_code == 201
    count = Citation.objects.count()
    # A concurrent writer saved the same citation between our check and our insert.
    monkeypatch.setattr("sources.services.citation_exists", lambda citation: False)
    monkeypatch.setattr(Citation, "validate_constraints", lambda self, exclude=None: None)
    response = curator_client.post("/api/v1/citations/", body, format="json")
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert (error["code"], error["attr"]) == ("concurrent_change", None)
    assert Citation.objects.count() == count
