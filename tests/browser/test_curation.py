"""A curator's whole round trip in the admin, in real headless Chromium:
log in, create a treaty with two participations, a provision and a citation made by pasting
a quote, publish it, and find it through the public API. A pasted quote that is not in the
source is refused with a form error."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from register.services import records_load
from treaties.models import Treaty

PASSWORD = "curator-test-password-123"
SOURCE_TITLE = "Kim Jong Un Pledges Full Support"
QUOTE = "a new treaty in 2000"


@pytest.fixture
def curator(transactional_db):
    records_load()
    user = get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


def log_in(page, url):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def autocomplete(page, select_id: str, text: str, pick: str) -> None:
    """Choose in a Django admin autocomplete (select2) widget."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{pick}')")


def fill_treaty(page, quote: str) -> None:
    page.fill("#id_id", "test-pact-2000")
    page.fill("#id_title", "Test pact of 2000")
    page.fill("#id_aliases", "[]")
    page.select_option("#id_kind", "bilateral")
    page.fill("#id_signed_on", "2000")
    page.fill("#id_change_reason", "Entered from the seed article")
    for index, name in enumerate(["Russia", "North Korea"]):
        page.click("#participations-group .add-row a")
        autocomplete(page, f"id_participations-{index}-party", name, name)
    page.click("#provisions-group .add-row a")
    page.fill("#id_provisions-0-label", "Cooperation")
    page.fill("#id_provisions-0-summary", "Economic and cultural cooperation.")
    page.check("input[name='provisions-0-obligations'][value='economic_cooperation']")
    prefix = "sources-citation-content_type-object_id"
    page.click(f"#{prefix}-group .add-row a")
    page.fill(f"#id_{prefix}-0-field", "signed_on")
    autocomplete(page, f"id_{prefix}-0-source", "Kim", SOURCE_TITLE)
    page.fill(f"#id_{prefix}-0-quote", quote)


def test_curator_creates_publishes_and_finds_a_treaty(offline_page, live_server, curator, client):
    page, blocked = offline_page
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/treaties/treaty/add/")
    fill_treaty(page, QUOTE)
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    errors = page.locator(".errorlist, .errornote").all_inner_texts()
    assert not errors, errors
    page.wait_for_selector(".messagelist .success")

    treaty = Treaty.objects.get(pk="test-pact-2000")
    assert treaty.review_status == "draft"
    assert client.get("/api/v1/treaties/test-pact-2000/").status_code == 404, (
        "drafts are not public"
    )

    page.check("input[name=_selected_action][value='test-pact-2000']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")

    body = client.get("/api/v1/treaties/", {"party": ["RU", "KP"], "q": "Test pact"}).json()
    assert [t["id"] for t in body["results"]] == ["test-pact-2000"]
    found = body["results"][0]
    assert found["signed_on"] == "2000"
    assert sorted(p["party"]["iso_alpha2"] for p in found["participations"]) == ["KP", "RU"]
    assert found["provisions"][0]["obligations"] == ["economic_cooperation"]
    citation = found["citations"][0]
    assert (citation["field"], citation["quote"]) == ("signed_on", QUOTE)
    assert citation["end"] - citation["start"] == len(QUOTE)
    history = client.get("/api/v1/treaties/test-pact-2000/history/").json()
    assert (
        history[-1]["user"] == "curator"
        and history[-1]["reason"] == "Entered from the seed article"
    )
    assert blocked == []


def test_a_quote_not_in_the_source_shows_a_form_error(offline_page, live_server, curator):
    page, _ = offline_page
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/treaties/treaty/add/")
    fill_treaty(page, "a new treaty in 1999")
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    assert "does not occur verbatim in the source text" in page.inner_text("body")
    assert not Treaty.objects.filter(pk="test-pact-2000").exists()
