"""Test data for the learning app: courses, editions, households and participants.

Plain functions over the ORM (the services that create these are tested on their own);
each takes keyword overrides.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from reisgezel.accounts.models import Organisation, User
from reisgezel.core.models import Term
from reisgezel.learning.models import (
    Course,
    CourseKind,
    CourseState,
    Edition,
    EditionState,
    Guardian,
    Household,
    Participant,
    Tariff,
)
from reisgezel.places.models import Place, Room
from tests.factories import make_organisation, make_place, make_user


def make_room(*, place: Place | None = None, **overrides: Any) -> Room:
    place = place or make_place()
    values: dict[str, Any] = {"name": "Atelier 1", "slug": "atelier-1", "capacity": 16}
    values.update(overrides)
    return Room.objects.create(place=place, **values)


def make_course(*, provider: Organisation | None = None, **overrides: Any) -> Course:
    disciplines = overrides.pop("disciplines", ["visual-arts"])
    values: dict[str, Any] = {
        "kind": CourseKind.YEAR_COURSE,
        "title": {"nl": "Boetseren voor beginners", "en": "Modelling clay for beginners"},
        "summary": {"nl": "Werken met klei.", "en": "Working with clay."},
        "age_min": 18,
        "age_max": 120,
        "state": CourseState.PUBLISHED,
    }
    values.update(overrides)
    values.setdefault("slug", f"course-{Course.objects.count() + 1}")
    course = Course.objects.create(provider=provider or make_organisation(), **values)
    course.disciplines.set(Term.objects.filter(kind="discipline", code__in=disciplines))
    return course


def make_edition(
    *, course: Course | None = None, price: str = "120.00", **overrides: Any
) -> Edition:
    """An open edition starting in two weeks, Tuesday evenings for ten weeks, with a
    default tariff of `price`."""
    course = course or make_course()
    start = timezone.localdate() + timedelta(days=14)
    values: dict[str, Any] = {
        "code": f"e{Edition.objects.count() + 1}",
        "term": {"nl": "Najaar", "en": "Autumn"},
        "starts_on": start,
        "ends_on": start + timedelta(weeks=10),
        "weekday": 1,
        "start_time": time(19, 30),
        "end_time": time(21, 30),
        "min_participants": 3,
        "max_participants": 10,
        "state": EditionState.OPEN,
    }
    values.update(overrides)
    if "place" not in values:
        values["place"] = make_place()
    edition = Edition.objects.create(course=course, **values)
    Tariff.objects.create(
        edition=edition,
        code="standard",
        label={"nl": "Standaard", "en": "Standard"},
        amount=Decimal(price),
        is_default=True,
    )
    return edition


def make_household(*, guardian: User | None = None, **overrides: Any) -> Household:
    guardian = guardian or make_user()
    household = Household.objects.create(name=overrides.pop("name", f"Gezin {guardian}"))
    Guardian.objects.create(household=household, user=guardian)
    return household


def make_adult(*, user: User | None = None, birth_date: date | None = None) -> Participant:
    """An adult participant with a login, in a household of their own."""
    user = user or make_user()
    household = make_household(guardian=user)
    return Participant.objects.create(
        household=household,
        user=user,
        given_name=user.first_name or "Anna",
        family_name=user.last_name or "Smeets",
        birth_date=birth_date or date(1980, 5, 1),
    )


def make_child(*, household: Household, age: int = 9, **overrides: Any) -> Participant:
    """A child profile without a login; the household's first guardian consented."""
    guardian = household.guardians.select_related("user").first()
    assert guardian is not None
    today = timezone.localdate()
    values: dict[str, Any] = {
        "given_name": "Lotte",
        "family_name": "Smeets",
        "birth_date": today.replace(year=today.year - age) - timedelta(days=30),
        "consent_by": guardian.user,
        "consent_at": timezone.now(),
    }
    values.update(overrides)
    return Participant.objects.create(household=household, **values)


def slot_admin_form(*, course_id: int, room: Any, day: date, **changes: Any) -> dict[str, Any]:
    """The admin's "add programme slot" form for 10:00-12:00 on `day` in `room`."""
    form: dict[str, Any] = {
        "course": course_id,
        "starts_at_0": day.isoformat(),
        "starts_at_1": "10:00",
        "ends_at_0": day.isoformat(),
        "ends_at_1": "12:00",
        "place": room.place_id,
        "room": room.pk,
        "max_pupils": 30,
        "price": "95.00",
    }
    form.update(changes)
    return form
