"""The admin: every model has a working page, edits are safe, evidence is visible."""

import pytest
from django.urls import reverse

from register.services import records_load
from sanctions.models import Designation, SanctionsRegime
from treaties.models import Party, Treaty

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    "sources/source",
    "sources/citation",
    "treaties/party",
    "treaties/treaty",
    "treaties/participation",
    "treaties/provision",
    "treaties/obligationtype",
    "sanctions/sanctionsregime",
    "sanctions/designation",
    "sanctions/measuretype",
    "core/change",
]


@pytest.fixture
def admin_client(client, curator):
    records_load()
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    return client


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_model_has_a_list_page_a_curator_can_use(admin_client, model):
    response = admin_client.get(f"/admin/{model}/", {"q": "korea"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/treaties/treaty/russia-dprk-2024/change/",
        "/admin/treaties/party/north-korea/change/",
        "/admin/sanctions/sanctionsregime/un-dprk/change/",
        "/admin/sources/source/kim-pledges-full-support-2024-06-19/change/",
        "/admin/treaties/treaty/russia-dprk-2024/history/",
    ],
)
def test_record_pages_open(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_source_page_highlights_each_quote_linked_to_its_record(admin_client):
    page = admin_client.get(
        "/admin/sources/source/kim-pledges-full-support-2024-06-19/change/"
    ).content.decode()
    link = reverse("admin:treaties_treaty_change", args=["ussr-dprk-1961"])
    assert f'href="{link}"' in page
    assert "<mark" in page and "signed in 1961" in page


def change_form_data(admin_client, path):
    """The change form's current values, as a browser would post them back."""
    response = admin_client.get(path)
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    key = f"{inline_form.prefix}-{name}"
                    data[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_admin_refuses_to_save_over_a_change_made_since_the_form_opened(admin_client):
    path = "/admin/treaties/party/north-korea/change/"
    data = change_form_data(admin_client, path)
    party = Party.objects.get(pk="north-korea")
    party.name = "DPRK (changed meanwhile)"
    party.save()
    data["name"] = "My edit"
    response = admin_client.post(path, data)
    assert response.status_code == 200
    assert "Someone changed this record after you opened it" in response.content.decode()
    assert Party.objects.get(pk="north-korea").name == "DPRK (changed meanwhile)"


def test_admin_edit_is_kept_in_history_with_its_reason(admin_client):
    path = "/admin/treaties/party/north-korea/change/"
    data = change_form_data(admin_client, path)
    data.update(name="North Korea (DPRK)", change_reason="Clearer name")
    response = admin_client.post(path, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    latest = Party.objects.get(pk="north-korea").history.latest()
    assert (latest.history_user.username, latest.history_change_reason) == (
        "curator",
        "Clearer name",
    )


def test_admin_partial_date_is_one_text_box(admin_client):
    path = "/admin/treaties/treaty/ussr-dprk-1961/change/"
    data = change_form_data(admin_client, path)
    assert data["signed_on"] == "1961"
    data["signed_on"] = "1961-07-06"
    assert admin_client.post(path, data).status_code == 302
    assert (
        Treaty.objects.get(pk="ussr-dprk-1961").get_partial("signed_on").isoformat() == "1961-07-06"
    )


def test_publish_and_unpublish_actions(admin_client, client):
    changelist = "/admin/treaties/treaty/"
    admin_client.post(changelist, {"action": "unpublish", "_selected_action": ["russia-dprk-2000"]})
    assert Treaty.objects.get(pk="russia-dprk-2000").review_status == "draft"
    admin_client.post(changelist, {"action": "publish", "_selected_action": ["russia-dprk-2000"]})
    assert Treaty.objects.get(pk="russia-dprk-2000").review_status == "published"


def test_deleting_a_referenced_party_in_the_admin_is_refused(admin_client):
    response = admin_client.post("/admin/treaties/party/north-korea/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert Party.objects.filter(pk="north-korea").exists()


def test_deleting_a_regime_with_designations_in_the_admin_is_refused(admin_client):
    from tests.factories import make_designation

    make_designation(id="d-1", regimes=["un-dprk"], name="Example Trading")
    response = admin_client.post(
        "/admin/sanctions/sanctionsregime/un-dprk/delete/", {"post": "yes"}
    )
    assert response.status_code == 200 and "Example Trading" in response.content.decode()
    assert SanctionsRegime.objects.filter(pk="un-dprk").exists()


def test_publishing_a_record_its_service_refuses_leaves_it_a_draft_with_a_message(admin_client):
    from tests.factories import make_designation

    designation = make_designation(id="d-1", regimes=["un-dprk"], name="Example Trading")
    # A draft made before the rule: a designation listed under no regime.
    Designation.objects.filter(pk="d-1").update(review_status="draft")
    designation.regimes.clear()
    response = admin_client.post(
        "/admin/sanctions/designation/",
        {"action": "publish", "_selected_action": ["d-1"]},
        follow=True,
    )
    assert response.status_code == 200
    assert Designation.objects.get(pk="d-1").review_status == "draft"
    assert "Example Trading was not changed: regimes:" in response.content.decode()


def test_screening_page_ranks_designations_for_a_curator(admin_client):
    from sanctions.services import designation_create

    designation_create(
        values={
            "id": "d-1",
            "kind": "individual",
            "name": "YUN HO-JIN",
            "review_status": "published",
        },
        regimes=[SanctionsRegime.objects.get(pk="un-dprk")],
    )
    page = admin_client.get(
        "/admin/sanctions/designation/screen/", {"name": "Ho Jin Yun", "schema": "Person"}
    )
    assert page.status_code == 200
    assert [match.designation_id for match, _ in page.context["rows"]] == ["d-1"]
    assert "hojin~hojin" in page.content.decode()


def test_screening_page_needs_the_view_permission(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x-123-y", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/sanctions/designation/screen/", {"name": "Kim"}).status_code == 403
