"""The learning demo loads through the services, covers the offer, and is idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from reisgezel.learning.demo import ADULTS, COURSES, FAMILIES, HOLIDAYS_ZUID_2026_2027
from reisgezel.learning.models import (
    Course,
    CourseKind,
    CourseState,
    DiscountScheme,
    Edition,
    EditionState,
    Enrolment,
    HolidayPeriod,
    LifeStage,
    ProgrammeSlot,
    School,
    SchoolBudget,
    Session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> str:
    out = StringIO()
    call_command("load_learning_demo", stdout=out)
    return out.getvalue()


def test_the_demo_covers_every_kind_life_stage_and_provider(loaded: str) -> None:
    courses = Course.objects.filter(state=CourseState.PUBLISHED)
    assert courses.count() == len(COURSES) >= 15
    assert set(courses.values_list("kind", flat=True)) == set(CourseKind.values)
    stages = {stage for course in courses for stage in course.life_stages}
    assert stages == set(LifeStage.values)
    providers = set(courses.values_list("provider__name", flat=True))
    assert {"Kumulus", "Centre Céramique", "Natuurhistorisch Museum Maastricht"} <= providers
    assert len(providers) == 6  # and three freelance teachers
    disciplines = set(courses.values_list("disciplines__code", flat=True))
    assert {"music", "dance", "theatre", "visual-arts", "literature"} <= disciplines
    assert "Learning demo ready" in loaded


def test_editions_have_sessions_tariffs_teachers_and_a_state_by_the_clock(loaded: str) -> None:
    editions = Edition.objects.all()
    assert editions.count() >= 14
    today = timezone.localdate()
    for edition in editions:
        assert edition.sessions.exists(), edition
        assert edition.tariffs.filter(is_default=True).count() == 1, edition
        assert edition.teacher is not None
        if edition.ends_on < today:
            assert edition.state == EditionState.COMPLETED
        elif edition.starts_on <= today:
            assert edition.state == EditionState.RUNNING
        else:
            assert edition.state == EditionState.OPEN
    # No weekly session falls in a school holiday of region Zuid.
    for period in HolidayPeriod.objects.all():
        assert not Session.objects.filter(
            edited=False,
            starts_at__date__gte=period.starts_on,
            starts_at__date__lte=period.ends_on,
        ).exists(), period


def test_reference_data_schemes_holidays_and_schools(loaded: str) -> None:
    assert DiscountScheme.objects.count() == 5
    assert HolidayPeriod.objects.count() == len(HOLIDAYS_ZUID_2026_2027)
    assert School.objects.count() == 3
    assert SchoolBudget.objects.filter(school_year="2026-2027").count() == 3
    assert ProgrammeSlot.objects.filter(course__kind=CourseKind.SCHOOL_PROGRAMME).count() == 24
    assert all(s.contacts.exists() for s in School.objects.all())


def test_families_enrolled_or_were_told_why_not(loaded: str) -> None:
    wanted = sum(len(children) for _h, _g, children in FAMILIES) + len(ADULTS)
    skipped = loaded.count("skipped: ")
    assert Enrolment.objects.count() + skipped == wanted
    assert Enrolment.objects.filter(participant__user__isnull=True).exists() or skipped


def test_loading_twice_creates_nothing_new(loaded: str) -> None:
    counts = (
        Course.objects.count(),
        Edition.objects.count(),
        Session.objects.count(),
        Enrolment.objects.count(),
        ProgrammeSlot.objects.count(),
        HolidayPeriod.objects.count(),
    )
    out = StringIO()
    call_command("load_learning_demo", stdout=out)
    assert counts == (
        Course.objects.count(),
        Edition.objects.count(),
        Session.objects.count(),
        Enrolment.objects.count(),
        ProgrammeSlot.objects.count(),
        HolidayPeriod.objects.count(),
    )
    assert "courses: 0 created" in out.getvalue()
