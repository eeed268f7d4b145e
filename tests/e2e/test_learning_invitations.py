"""Guardian invitations in Chromium: the family page with its guardians section and the
accept page have no axe-core violations (WCAG 2.2 AA), in Dutch and English; a second
guardian accepts with the keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from reisgezel.learning.models import Guardian
from reisgezel.learning.services.invitations import guardian_invite
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.session import log_in
from tests.factories import make_user
from tests.learning_factories import make_adult, make_child

# serialized_rollback keeps the seeded taxonomy (a data migration) between transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_family_page_with_guardians_and_the_accept_page_have_no_axe_violations(
    page: Page, browser_context: BrowserContext, live_server: Any, lang: str
) -> None:
    adult = make_adult(user=make_user(first_name="Anna", last_name="Smeets"))
    make_child(household=adult.household, given_name="Lotte")
    guardian_invite(actor=adult.user, household=adult.household, email="open@example.org")
    sent = guardian_invite(actor=adult.user, household=adult.household, email="partner@example.org")
    log_in(browser_context, live_server, adult.user)
    response = page.goto(f"/{lang}/learn/family/")
    assert response is not None and response.status == 200
    expect(page.get_by_text("open@example.org")).to_be_visible()
    assert_no_axe_violations(page)
    response = page.goto(f"/{lang}/learn/family/{adult.household_id}/guardians/leave/")
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)
    # The invite form showing its error summary.
    page.goto(f"/{lang}/learn/family/{adult.household_id}/guardians/invite/")
    page.locator("form.c-form input[name=email]").fill("open@example.org")
    page.locator("form.c-form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)

    # The partner opens the link from the e-mail, in a fresh browser session.
    partner = make_user(first_name="Sam", last_name="Janssen")
    browser_context.clear_cookies()
    log_in(browser_context, live_server, partner)
    response = page.goto(f"/{lang}/learn/family/join/{sent.token}/")
    assert response is not None and response.status == 200
    expect(page.get_by_text(adult.household.name).first).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("main form button[type=submit]").press("Enter")
    expect(page).to_have_url(re.compile(rf"/{lang}/learn/family/$"))
    assert Guardian.objects.filter(household=adult.household, user=partner).exists()
    expect(page.get_by_text("Lotte").first).to_be_visible()
    assert_no_axe_violations(page)
    # The used link answers 410 with a clear page.
    response = page.goto(f"/{lang}/learn/family/join/{sent.token}/")
    assert response is not None and response.status == 410
    assert_no_axe_violations(page)
