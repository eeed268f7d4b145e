"""The course catalogue, the course page and the teacher's pages in Chromium: no axe-core
violations (WCAG 2.2 AA) in Dutch and English, and the filters refresh the results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reisgezel.core.models import Term
from reisgezel.learning.models import (
    DiscountScheme,
    Edition,
    EditionState,
    Enrolment,
    Level,
    SchemeKind,
    Session,
)
from reisgezel.places.models import District, Neighbourhood
from tests.e2e.axe import assert_no_axe_violations
from tests.factories import make_organisation, make_place, make_user
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
    make_room,
)

# serialized_rollback keeps the seeded taxonomy (a data migration) between transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def offer() -> dict[str, Any]:
    centrum = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    wyck = Neighbourhood.objects.create(
        code="BU1", name="Wyck", slug="wyck", district=centrum, geometry={}
    )
    provider = make_organisation(name="Kumulus", slug="kumulus")
    teacher = make_user(username="teacher", first_name="Maria", last_name="Janssen")
    place = make_place(name="Kumulus Herbenusstraat", slug="kumulus-h", neighbourhood=wyck)
    room = make_room(place=place)
    clay = make_course(
        provider=provider,
        slug="boetseren",
        title={"nl": "Boetseren", "en": "Modelling clay"},
        description={"nl": "Werken met klei.", "en": "Working with clay."},
        accessibility={"nl": "Er is een lift.", "en": "There is a lift."},
        level=Level.BEGINNER,
    )
    clay.facilities.add(Term.objects.get(kind="facility", code="hearing-loop"))
    edition = make_edition(course=clay, teacher=teacher, place=place, room=room)
    start = timezone.now() + timedelta(days=14)
    session = Session.objects.create(
        edition=edition, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    make_edition(
        course=clay,
        state=EditionState.CANCELLED,
        cancel_reason={"nl": "Te weinig aanmeldingen.", "en": "Too few sign-ups."},
        place=place,
    )
    full = make_edition(
        course=make_course(
            provider=provider,
            slug="kinderdans",
            title={"nl": "Kinderdans", "en": "Dance for children"},
            disciplines=["dance"],
            age_min=4,
            age_max=8,
        ),
        min_participants=1,
        max_participants=2,
        place=place,
    )
    Edition.objects.filter(pk=full.pk).update(places_taken=2)
    DiscountScheme.objects.create(
        code="volwassenenfonds",
        name={"nl": "Volwassenenfonds Sport & Cultuur"},
        description={"nl": "Het fonds betaalt de cursus.", "en": "The fund pays for the course."},
        kind=SchemeKind.FUND,
        age_min=18,
    )
    household = make_household(guardian=make_user(email="ouder@example.org"))
    child = make_child(household=household, notes_for_teacher="Draagt een gehoorapparaat.")
    Enrolment.objects.create(edition=edition, participant=child)
    Enrolment.objects.create(edition=edition, participant=make_adult())
    Edition.objects.filter(pk=edition.pk).update(places_taken=2)
    return {"edition": edition, "session": session, "clay": clay}


def _log_in(page: Page, username: str) -> None:
    page.goto("/nl/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_catalogue_and_course_pages_have_no_axe_violations(
    page: Page, offer: dict[str, Any], lang: str
) -> None:
    paths = [
        f"/{lang}/learn/",
        f"/{lang}/learn/?discipline=visual-arts&life_stage=adult&weekday=1"
        "&neighbourhood=wyck&free_places=1&level=beginner&price_max=200&sort=title",
        f"/{lang}/learn/?age=abc",  # the error state too
        f"/{lang}/learn/discounts/",
    ]
    for path in paths:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_no_axe_violations(page)

    page.goto(f"/{lang}/learn/courses/boetseren/")
    page.locator("details summary").first.click()  # the sessions, opened
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_teacher_pages_have_no_axe_violations(page: Page, offer: dict[str, Any], lang: str) -> None:
    edition, session = offer["edition"], offer["session"]
    _log_in(page, "teacher")
    for path in (
        f"/{lang}/learn/teach/",
        f"/{lang}/learn/teach/{edition.pk}/",
        f"/{lang}/learn/teach/{edition.pk}/sessions/{session.pk}/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)
    expect(page.locator("body")).to_contain_text("Lotte Smeets")

    # Saving attendance with the keyboard-friendly radio buttons.
    page.locator("input[type=radio][value=present]").first.check()
    page.locator("form.c-attendance [type=submit]").click()
    page.wait_for_url(f"**/learn/teach/{edition.pk}/")
    assert_no_axe_violations(page)


def test_a_filter_refreshes_the_results_without_a_reload(page: Page, offer: dict[str, Any]) -> None:
    page.goto("/en/learn/")
    expect(page.locator("#catalogue-results")).to_contain_text("2 courses")
    page.evaluate("() => { window.__sameDocument = true; }")

    page.locator("#id_discipline_dance").check()

    expect(page.locator("#catalogue-results")).to_contain_text("1 course")
    expect(page.locator("#catalogue-results")).to_contain_text("Dance for children")
    expect(page.locator("#catalogue-results")).not_to_contain_text("Modelling clay")
    assert page.evaluate("() => window.__sameDocument === true")  # htmx, no full reload
    assert "discipline=dance" in page.url
    assert_no_axe_violations(page)
