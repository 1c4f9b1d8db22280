"""A curator screens a name in the admin, in real headless Chromium: from the designations'
list to the screening page, a Cyrillic spelling of a listed name, the ranked designations
with their scores and explanations, and a link to the record."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from register.services import records_load
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from tests.browser.test_curation import PASSWORD, log_in

UN_2025 = (
    Path(__file__).parents[1] / "sanctions" / "data" / "un_consolidated_2025-04-19_excerpt.xml"
)


@pytest.fixture
def curator(transactional_db):
    records_load()
    official_list_import(parsed=un_list_parse(UN_2025))
    user = get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


def test_curator_screens_a_name_and_sees_ranked_explained_designations(
    offline_page, live_server, curator
):
    page, blocked = offline_page
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/sanctions/designation/")
    page.click("a.screenlink")
    page.fill("#id_name", "Юн Хо Джин")  # noqa: RUF001 (Cyrillic on purpose)
    page.select_option("#id_schema", "Person")
    page.fill("#id_birth_date", "1944")
    page.select_option("#id_country", "KP")
    page.click("input[name=_screen]")
    page.wait_for_selector("#screening-results")
    first = page.locator(".screening-result").first
    assert "YUN HO-JIN" in first.inner_text()
    assert first.locator(".match").inner_text() == "match"
    explanations = first.locator(".explanations").inner_text()
    assert "name" in explanations and "1944 matches listed 1944-10-13" in explanations
    first.locator("a").click()
    page.wait_for_selector("#designation_form")
    assert "/admin/sanctions/designation/un-kpi-001/change/" in page.url
    assert blocked == []


def test_a_bad_birth_date_is_a_form_error(offline_page, live_server, curator):
    page, _ = offline_page
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/sanctions/designation/screen/")
    page.fill("#id_name", "Yun Ho-jin")
    page.fill("#id_birth_date", "1944-13")
    page.click("input[name=_screen]")
    page.wait_for_selector(".errorlist")
    assert "not a real calendar date" in page.inner_text(".errorlist")
    assert page.locator("#screening-results").count() == 0
