"""schema.org Course / CourseInstance JSON-LD, read back with extruct as a crawler would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import extruct
import pytest

from reisgezel.learning.jsonld import course_jsonld
from reisgezel.learning.models import Edition, EditionState, HolidayPeriod, Tariff
from reisgezel.learning.services.sessions import sessions_generate
from reisgezel.places.jsonld import script_json
from tests.factories import make_organisation, make_place, make_user
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db


def read_back(data: dict[str, Any]) -> dict[str, Any]:
    html = (
        f'<html><head><script type="application/ld+json">{script_json(data)}</script></head></html>'
    )
    items = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    assert len(items) == 1
    item: dict[str, Any] = items[0]
    return item


@pytest.fixture
def edition() -> Edition:
    HolidayPeriod.objects.create(
        name={"nl": "Herfstvakantie"}, starts_on=date(2026, 10, 17), ends_on=date(2026, 10, 25)
    )
    course = make_course(
        provider=make_organisation(name="Kumulus", slug="kumulus"),
        slug="boetseren",
        level="beginner",
        age_min=8,
        age_max=12,
        description={"nl": "Je maakt een schaal van klei.", "en": "You make a bowl of clay."},
    )
    edition = make_edition(
        course=course,
        place=make_place(name="Generaalshuis", slug="generaalshuis"),
        teacher=make_user(display_name="Mieke Smeets"),
        starts_on=date(2026, 10, 6),
        ends_on=date(2026, 12, 15),
        max_participants=10,
    )
    Edition.objects.filter(pk=edition.pk).update(places_taken=4)
    Tariff.objects.create(
        edition=edition, code="youth", label={"nl": "Jeugd"}, amount=Decimal("80.00")
    )
    sessions_generate(edition=edition)
    edition.refresh_from_db()
    return edition


def test_a_course_with_one_instance_per_public_edition(edition: Edition) -> None:
    make_edition(course=edition.course, state=EditionState.CANCELLED)  # not listed
    data = read_back(course_jsonld(edition.course))
    assert data["@type"] == "Course"
    assert data["name"] == "Modelling clay for beginners"  # the active language
    assert data["url"].endswith("/learn/courses/boetseren/")
    assert data["provider"]["@type"] == "Organization"
    assert data["provider"]["name"] == "Kumulus"
    assert data["educationalLevel"] == "Beginner"
    assert data["typicalAgeRange"] == "8-12"
    assert data["inLanguage"] == "nl"
    assert data["description"] == "You make a bowl of clay."
    assert len(data["hasCourseInstance"]) == 1


def test_the_instance_has_schedule_location_offers_and_instructor(edition: Edition) -> None:
    instance = read_back(course_jsonld(edition.course))["hasCourseInstance"][0]
    assert instance["@type"] == "CourseInstance"
    assert instance["courseMode"] == "Onsite"
    schedule = instance["courseSchedule"]
    assert schedule["@type"] == "Schedule"
    assert schedule["repeatFrequency"] == "P1W"
    assert schedule["byDay"] == "https://schema.org/Tuesday"
    assert (schedule["startTime"], schedule["endTime"]) == ("19:30:00", "21:30:00")
    assert schedule["scheduleTimezone"] == "Europe/Amsterdam"
    assert schedule["exceptDate"] == ["2026-10-20"]  # the autumn holiday
    assert instance["startDate"] == "2026-10-06T19:30:00+02:00"
    assert instance["endDate"] == "2026-12-15T21:30:00+01:00"
    assert instance["location"]["@type"] == "Place"
    assert instance["location"]["name"] == "Generaalshuis"
    assert instance["instructor"] == {"@type": "Person", "name": "Mieke Smeets"}
    assert instance["maximumAttendeeCapacity"] == 10
    assert instance["remainingAttendeeCapacity"] == 6
    offers = instance["offers"]
    assert [(o["name"], o["price"], o["priceCurrency"]) for o in offers] == [
        ("Standard", "120.00", "EUR"),
        ("Jeugd", "80.00", "EUR"),
    ]
    assert {o["availability"] for o in offers} == {"https://schema.org/InStock"}


def test_a_full_edition_is_sold_out(edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(places_taken=10)
    instance = read_back(course_jsonld(edition.course))["hasCourseInstance"][0]
    assert instance["offers"][0]["availability"] == "https://schema.org/SoldOut"
    assert instance["remainingAttendeeCapacity"] == 0


def test_a_workshop_without_a_weekly_pattern_lists_its_dates() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from reisgezel.learning.models import Session

    edition = make_edition(
        course=make_course(kind="workshop"), weekday=None, start_time=None, end_time=None
    )
    start = datetime(2026, 12, 5, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    Session.objects.create(
        edition=edition, starts_at=start, ends_at=start + timedelta(hours=3), edited=True
    )
    instance = read_back(course_jsonld(edition.course))["hasCourseInstance"][0]
    assert "courseSchedule" not in instance
    assert [e["startDate"] for e in instance["subEvent"]] == ["2026-12-05T14:00:00+01:00"]
