"""The provider pages in Chromium: no axe-core violations (WCAG 2.2 AA) in Dutch and
English on the list, the course form with errors, the edition form, the sessions and
the cancel page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from reisgezel.learning.models import EditionState, Session
from tests.e2e.axe import assert_no_axe_violations
from tests.factories import make_organisation, make_place, member_of
from tests.learning_factories import make_course, make_edition, make_room

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def offer() -> dict[str, Any]:
    provider = make_organisation(name="Kumulus", slug="kumulus")
    member = member_of(provider, username="kumulus-editor")
    member.set_password(PASSWORD)
    member.save(update_fields=["password"])
    place = make_place(name="Kumulus Herbenusstraat", slug="kumulus-h")
    room = make_room(place=place)
    course = make_course(provider=provider, slug="boetseren", title={"nl": "Boetseren"})
    edition = make_edition(course=course, place=place, room=room, state=EditionState.PLANNED)
    start = timezone.now() + timedelta(days=14)
    Session.objects.create(edition=edition, starts_at=start, ends_at=start + timedelta(hours=2))
    return {"edition": edition, "course": course}


def _log_in(page: Page, username: str) -> None:
    page.goto("/nl/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_provider_pages_have_no_axe_violations(
    page: Page, offer: dict[str, Any], lang: str
) -> None:
    edition, course = offer["edition"], offer["course"]
    _log_in(page, "kumulus-editor")
    base = f"/{lang}/learn/provider"
    for path in (
        f"{base}/",
        f"{base}/courses/{course.pk}/edit/",
        f"{base}/courses/{course.pk}/editions/new/",
        f"{base}/editions/{edition.pk}/edit/",
        f"{base}/editions/{edition.pk}/sessions/",
        f"{base}/editions/{edition.pk}/cancel/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_no_axe_violations(page)

    # The course form with errors: empty Dutch title.
    page.goto(f"{base}/kumulus/courses/new/")
    page.locator("form.p-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert_no_axe_violations(page)

    # The sessions page with the report of a regeneration, then moving a session.
    page.goto(f"{base}/editions/{edition.pk}/sessions/")
    page.locator("form[action$='/sessions/regenerate/'] button").click()
    page.wait_for_selector("#report-title")
    assert_no_axe_violations(page)
    page.locator("a[href$='/move/']").first.click()
    page.wait_for_selector("form.p-form")
    assert_no_axe_violations(page)

    # The cancel form with errors: no Dutch reason.
    page.goto(f"{base}/editions/{edition.pk}/cancel/")
    page.locator("form.p-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert_no_axe_violations(page)
