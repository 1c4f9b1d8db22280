"""Swagger UI and ReDoc render every operation in real headless Chromium, offline.

Every request the page makes to anything but the test server is blocked and recorded; the
test fails if there is any, so the docs cannot depend on the internet.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not shutil.which(CHROMIUM):
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium package")
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api")
os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def operation_summaries(client):
    schema = client.get("/api/schema/?format=json").json()
    return sorted(
        operation["summary"] for path in schema["paths"].values() for operation in path.values()
    )


def open_offline(browser, url: str):
    """A page where every request off the test server is aborted and recorded."""
    allowed = urlsplit(url).netloc
    blocked: list[str] = []
    page = browser.new_page()

    def route(route):
        if urlsplit(route.request.url).netloc == allowed or route.request.url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(url)
    return page, blocked


@pytest.mark.parametrize(
    ("path", "selector"), [("/api/docs/", ".opblock-summary-description"), ("/api/redoc/", "h2")]
)
def test_docs_render_every_operation_offline(
    browser, live_server, operation_summaries, path, selector
):
    page, blocked = open_offline(browser, live_server.url + path)
    page.wait_for_selector(selector, timeout=30_000)
    page.wait_for_load_state("networkidle")
    text = page.inner_text("body")
    missing = [summary for summary in operation_summaries if summary not in text]
    assert not missing, f"{path} does not show: {missing}"
    assert blocked == [], f"{path} tried to reach the internet: {blocked}"
