"""Swagger UI and ReDoc render every operation in real headless Chromium, offline."""

import pytest


@pytest.fixture
def operation_summaries(client):
    schema = client.get("/api/schema/?format=json").json()
    return sorted(
        operation["summary"] for path in schema["paths"].values() for operation in path.values()
    )


@pytest.mark.parametrize(
    ("path", "selector"), [("/api/docs/", ".opblock-summary-description"), ("/api/redoc/", "h2")]
)
def test_docs_render_every_operation_offline(
    offline_page, live_server, operation_summaries, path, selector
):
    page, blocked = offline_page
    page.goto(live_server.url + path)
    page.wait_for_selector(selector, timeout=30_000)
    page.wait_for_load_state("networkidle")
    text = page.inner_text("body")
    missing = [summary for summary in operation_summaries if summary not in text]
    assert not missing, f"{path} does not show: {missing}"
    assert blocked == [], f"{path} tried to reach the internet: {blocked}"
