"""Real headless Chromium (Debian's package) driven by Playwright.

Every request a page makes to anything but the test server is blocked and recorded, so the
pages are proven to work with no internet.
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


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"{CHROMIUM} is missing; .ci/run installs it with `make browser`")
    skip = pytest.mark.skip(
        reason=f"needs Debian's chromium at {CHROMIUM}: run `make browser` (root)"
    )
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture
def browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses
    # to run beside one unless told it is safe, as it is here (one thread, no coroutines).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(browser, live_server):
    """A page confined to the test server; returns (page, blocked_urls)."""
    allowed = urlsplit(live_server.url).netloc
    blocked: list[str] = []
    page = browser.new_page()
    page.set_default_timeout(20_000)

    def route(route):
        url = route.request.url
        if urlsplit(url).netloc == allowed or url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", route)
    return page, blocked
