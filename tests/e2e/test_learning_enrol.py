"""The enrolment, family and learning-journey pages in Chromium: no axe-core violations
(WCAG 2.2 AA) in Dutch and English, including a form showing its errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from reisgezel.learning.models import Participant
from reisgezel.learning.services.enrolment import enrol
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.session import log_in
from tests.learning_factories import make_adult, make_child, make_course, make_edition

# serialized_rollback keeps the seeded taxonomy (a data migration) between transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def family() -> dict[str, Any]:
    adult = make_adult()
    child = make_child(household=adult.household, given_name="Lotte", age=9)
    edition = make_edition(
        course=make_course(
            title={"nl": "Tekenen en schilderen", "en": "Drawing and painting"},
            age_min=6,
            age_max=99,
        )
    )
    return {"adult": adult, "child": child, "edition": edition}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_enrol_family_and_journey_pages_have_no_axe_violations(
    page: Page, browser_context: BrowserContext, live_server: Any, family: dict[str, Any], lang: str
) -> None:
    log_in(browser_context, live_server, family["adult"].user)
    child: Participant = family["child"]
    other = make_edition(course=make_course(age_min=6, age_max=12), cancel_until=None)
    trial = enrol(actor=family["adult"].user, edition=other, participant=child, trial=True)
    paths = [
        f"/{lang}/learn/enrolments/{trial.pk}/cancel/",
        f"/{lang}/learn/enrolments/{trial.pk}/convert/",
        f"/{lang}/learn/enrol/{family['edition'].pk}/",
        f"/{lang}/learn/family/",
        f"/{lang}/learn/family/{child.household_id}/children/new/",
        f"/{lang}/learn/family/children/{child.pk}/edit/",
        f"/{lang}/learn/family/children/{child.pk}/erase/",
        f"/{lang}/learn/journey/{child.pk}/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_enrolling_with_the_keyboard_and_the_error_summary(
    page: Page, browser_context: BrowserContext, live_server: Any, family: dict[str, Any], lang: str
) -> None:
    log_in(browser_context, live_server, family["adult"].user)
    page.goto(f"/{lang}/learn/enrol/{family['edition'].pk}/")
    # Confirm without choosing anyone: the error summary links to the radio group.
    page.locator("form.c-form button[type=submit]").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    assert_no_axe_violations(page)
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#id_participant_0")
    # Choose the first member (the adult) with the keyboard and confirm.
    page.locator("#id_participant_0").focus()
    page.keyboard.press("Space")
    expect(page.locator("#id_participant_0")).to_be_checked()
    page.locator("form.c-form button[type=submit]").press("Enter")
    # (The browser keeps the #fragment across the redirect.)
    expect(page).to_have_url(re.compile(rf"/{lang}/learn/family/(#.*)?$"))
    assert family["child"].enrolments.count() + family["adult"].enrolments.count() == 1
    assert_no_axe_violations(page)
