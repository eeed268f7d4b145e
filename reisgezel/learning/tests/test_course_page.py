"""The course page: what it shows, the states of its editions, and who may see a draft."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import extruct
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from reisgezel.core.models import Term
from reisgezel.learning.models import (
    Course,
    CourseKind,
    CourseState,
    DiscountScheme,
    Edition,
    EditionState,
    SchemeKind,
    Session,
    Tariff,
)
from tests.factories import make_organisation, make_user, member_of
from tests.learning_factories import make_course, make_edition, make_room

pytestmark = pytest.mark.django_db


def _page(course: Course, client: Client | None = None, lang: str = "en") -> str:
    response = (client or Client()).get(f"/{lang}/learn/courses/{course.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _enrol_path(edition: Edition, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("learning:enrol", kwargs={"edition_id": edition.pk})


def test_the_course_page_shows_the_course_and_its_edition() -> None:
    provider = make_organisation(name="Kumulus", slug="kumulus")
    course = make_course(
        provider=provider,
        slug="clay",
        title={"nl": "Boetseren", "en": "Modelling clay"},
        description={"nl": "Lang verhaal.", "en": "All about clay."},
        accessibility={"nl": "Lift aanwezig.", "en": "There is a lift."},
        age_min=10,
        age_max=20,
        language="nl",
        disciplines=["ceramics"],
    )
    course.facilities.add(Term.objects.get(kind="facility", code="hearing-loop"))
    teacher = make_user(first_name="Maria", last_name="Janssen", username="mj1980")
    room = make_room()
    edition = make_edition(
        course=course,
        teacher=teacher,
        place=room.place,
        room=room,
        min_participants=5,
        max_participants=10,
        term={"nl": "Najaar", "en": "Autumn"},
    )
    Edition.objects.filter(pk=edition.pk).update(places_taken=2)
    Tariff.objects.create(
        edition=edition, code="young", label={"nl": "Jong", "en": "Young"}, amount=Decimal("80")
    )
    start = datetime(2030, 3, 5, 18, 30, tzinfo=UTC)
    Session.objects.create(edition=edition, starts_at=start, ends_at=start + timedelta(hours=2))

    html = _page(course)

    for text in (
        "Modelling clay",
        "All about clay.",
        "There is a lift.",
        "Kumulus",
        "Ceramics",
        "Hearing loop",
        "10 to 20 years",
        "Children (4-11)",
        "Young people (12-17)",
        "Adults (18-64)",
        "Dutch",
        "Autumn",
        "Every Tuesday, 19:30\N{EN DASH}21:30",
        "Atelier 1",
        "Maria Janssen",
        "8 places left",
        "needs 3 more participants to start",
        "Standard",
        "€ 120.00",
        "€ 80.00",
        "<details>",
        "5 March 2030",
    ):
        assert text in html, text
    assert "mj1980" not in html  # never the login name
    assert f'href="{_enrol_path(edition)}"' in html


def test_a_full_edition_offers_the_waiting_list() -> None:
    edition = make_edition(max_participants=4)
    Edition.objects.filter(pk=edition.pk).update(places_taken=4)

    html = _page(edition.course)

    assert "Full: join the waiting list" in html
    assert "Join the waiting list" in html
    assert f'href="{_enrol_path(edition)}"' in html


def test_a_cancelled_edition_shows_its_reason_and_no_enrol_link() -> None:
    edition = make_edition(
        state=EditionState.CANCELLED,
        cancel_reason={"nl": "Te weinig aanmeldingen.", "en": "Too few sign-ups."},
    )

    html = _page(edition.course)

    assert "This group is cancelled." in html
    assert "Too few sign-ups." in html
    assert _enrol_path(edition) not in html


def test_enrolment_not_yet_open_and_closed() -> None:
    now = timezone.now()
    later = make_edition(enrol_opens_at=now + timedelta(days=3))
    closed = make_edition(
        course=later.course,
        enrol_opens_at=now - timedelta(days=10),
        enrol_closes_at=now - timedelta(days=1),
    )
    planned = make_edition(course=later.course, state=EditionState.PLANNED)

    html = _page(later.course)

    assert "Enrolment opens on" in html
    assert "Enrolment is closed." in html
    assert "Enrolment is not open yet." in html
    for edition in (later, closed, planned):
        assert _enrol_path(edition) not in html


def test_past_and_completed_editions_are_left_out() -> None:
    today = timezone.localdate()
    course = make_course()
    make_edition(
        course=course,
        code="old",
        term={"nl": "Vorig jaar"},
        starts_on=today - timedelta(days=300),
        ends_on=today - timedelta(days=200),
    )
    make_edition(course=course, code="done", term={"nl": "Klaar"}, state=EditionState.COMPLETED)

    html = _page(course, lang="nl")

    assert "Vorig jaar" not in html and "Klaar" not in html


def test_the_discount_schemes_that_may_apply_are_listed_with_a_link() -> None:
    course = make_course(age_min=6, age_max=12)
    make_edition(course=course)
    DiscountScheme.objects.create(
        code="jeugdfonds",
        name={"nl": "Jeugdfonds Sport & Cultuur"},
        description={"nl": "Het fonds betaalt de les.", "en": "The fund pays for the lessons."},
        kind=SchemeKind.FUND,
        age_min=4,
        age_max=17,
    )
    DiscountScheme.objects.create(
        code="senior", name={"nl": "Seniorenkorting"}, kind=SchemeKind.DISCOUNT, age_min=65
    )
    DiscountScheme.objects.create(
        code="cjp", name={"nl": "CJP Cultuurkaart"}, kind=SchemeKind.SCHOOL_BUDGET
    )

    html = _page(course)

    assert "Jeugdfonds Sport &amp; Cultuur" in html
    assert "The fund pays for the lessons." in html
    assert "/en/learn/discounts/#scheme-jeugdfonds" in html
    assert "Seniorenkorting" not in html
    assert "CJP Cultuurkaart" not in html
    schemes = Client().get("/en/learn/discounts/")
    assert schemes.status_code == 200
    assert 'id="scheme-jeugdfonds"' in schemes.content.decode()


def test_a_school_programme_lists_only_school_budgets() -> None:
    course = make_course(kind=CourseKind.SCHOOL_PROGRAMME, age_min=6, age_max=12)
    make_edition(course=course)
    DiscountScheme.objects.create(
        code="cjp", name={"nl": "CJP Cultuurkaart"}, kind=SchemeKind.SCHOOL_BUDGET
    )
    DiscountScheme.objects.create(code="fonds", name={"nl": "Jeugdfonds"}, kind=SchemeKind.FUND)

    html = _page(course)

    assert "CJP Cultuurkaart" in html and "Jeugdfonds" not in html


def test_an_unpublished_course_is_a_404_for_the_public() -> None:
    course = make_course(state=CourseState.DRAFT)
    make_edition(course=course)

    assert Client().get(f"/nl/learn/courses/{course.slug}/").status_code == 404
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get(f"/nl/learn/courses/{course.slug}/").status_code == 404
    assert Client().get("/nl/learn/courses/no-such-course/").status_code == 404


def test_its_provider_and_staff_see_an_unpublished_course_with_a_notice() -> None:
    provider = make_organisation()
    course = make_course(provider=provider, state=CourseState.DRAFT)
    make_edition(course=course)
    for user in (member_of(provider), make_user(is_staff=True)):
        client = Client()
        client.force_login(user)
        response = client.get(f"/en/learn/courses/{course.slug}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Preview: this course is not published." in html
        assert 'name="robots" content="noindex"' in html
        assert "application/ld+json" not in html
        assert response["Cache-Control"] == "private, no-store"


def test_a_published_course_carries_schema_org_json_ld() -> None:
    edition = make_edition()
    make_edition(course=edition.course, state=EditionState.CANCELLED)

    html = _page(edition.course)

    # Read as a search engine would (extruct), not with our own parser.
    found = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert [item["@type"] for item in found] == ["Course"]
    course = found[0]
    assert course["name"] == "Modelling clay for beginners"
    # The cancelled group is on the page but not offered to robots.
    assert len(course["hasCourseInstance"]) == 1
