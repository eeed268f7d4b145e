"""Smoke test of the browser harness: a real page in Chromium, checked by axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.axe import assert_no_axe_violations

# serialized_rollback like every browser test: a plain transactional flush re-creates the
# content types, and the next test's restore of the serialized database then collides.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_admin_login_page_renders_and_is_accessible(page: Page) -> None:
    response = page.goto("/nl/admin/login/")
    assert response is not None
    assert response.status == 200
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_no_axe_violations(page)


def test_axe_helper_reports_violations_readably(page: Page) -> None:
    # Guards the harness itself: a page with known faults must fail, with details.
    page.set_content('<html><body><img src="/x.png"><a href="/"></a></body></html>')
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    report = str(failure.value)
    for rule in ("image-alt", "html-has-lang", "link-name"):
        assert f"- {rule} (" in report, report
    assert "at img" in report, report
