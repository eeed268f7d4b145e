"""Browser-test harness: Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures
--------
- `live_server` (pytest-django): the site in a thread, on a transactional test database;
  `live_server.url` is its base URL.
- `browser` (session): one headless Chromium (/usr/bin/chromium, never a Playwright
  download) for the whole run.
- `browser_context`: a fresh context per test (own cookies, storage and profile state),
  Dutch locale, `base_url` = the live server, CSP bypassed so that axe can be injected.
- `page`: a new page in that context, so `page.goto("/nl/")` works.

Write a browser test as::

    import pytest
    from tests.e2e.axe import assert_no_axe_violations

    pytestmark = pytest.mark.browser

    def test_something(page):
        page.goto("/nl/admin/login/")
        page.get_by_label("Gebruikersnaam").fill("...")
        assert_no_axe_violations(page)

Test data goes through factories/services in the test itself (the ORM works in the test
thread because DJANGO_ALLOW_ASYNC_UNSAFE is set: Playwright's sync API runs an event
loop there, which makes Django refuse ORM calls otherwise).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must be set before Django checks for a running event loop (at the first ORM call).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.axe import assert_no_axe_violations

__all__ = ["assert_no_axe_violations"]

CHROMIUM = Path(os.environ.get("REISGEZEL_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps trying to reach Google's
# hosts, which the closed CI network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (./dev test does)")
    with sync_playwright() as playwright:
        # launch() gives every browser a new, empty temporary user-data-dir.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context(browser: Browser, live_server: object) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=str(live_server.url),  # type: ignore[attr-defined]
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        # The site's CSP forbids inline scripts; axe is injected as one.
        bypass_csp=True,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()
