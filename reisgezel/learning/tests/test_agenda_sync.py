"""Course editions mirrored into the city agenda through the agenda's own services."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from reisgezel.agenda.models import (
    Audience,
    CalendarType,
    Event,
    EventStatus,
    ModerationState,
)
from reisgezel.agenda.selectors import event_get_public
from reisgezel.learning.agenda_sync import (
    edition_sync,
    mirrored_event,
    sync_all,
)
from reisgezel.learning.models import CourseState, Edition, EditionState, Tariff
from reisgezel.learning.services.offer import (
    course_publish,
    course_unpublish,
    course_update,
    edition_open,
)
from reisgezel.learning.services.sessions import session_cancel, sessions_generate
from tests.factories import make_organisation, make_place, member_of
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[Any]]
AMS = ZoneInfo("Europe/Amsterdam")


def open_edition(**overrides: Any) -> Edition:
    """An open edition on Tuesdays 6 October - 15 December 2026, with its sessions."""
    values: dict[str, Any] = {
        "starts_on": date(2026, 10, 6),
        "ends_on": date(2026, 12, 15),
        "weekday": 1,
        "start_time": time(19, 30),
        "end_time": time(21, 30),
    }
    values.update(overrides)
    edition = make_edition(**values)
    sessions_generate(edition=edition)
    return edition


def test_an_open_edition_becomes_an_approved_event_with_its_sessions_as_dates() -> None:
    provider = make_organisation(name="Kumulus", slug="kumulus")
    place = make_place(name="Generaalshuis", slug="generaalshuis")
    course = make_course(
        provider=provider, slug="boetseren", disciplines=["visual-arts"], age_min=8, age_max=12
    )
    edition = open_edition(course=course, place=place)
    Tariff.objects.create(
        edition=edition, code="reduced", label={"nl": "Met korting"}, amount=Decimal("60")
    )
    assert edition_sync(edition_id=edition.pk) == "created"
    event = mirrored_event(edition.pk)
    assert event is not None
    assert event.moderation == ModerationState.APPROVED
    assert event_get_public(pk=event.pk) is not None
    assert event.organiser == provider
    assert event.place == place
    assert event.title["nl"] == "Boetseren voor beginners"
    assert event.calendar_type == CalendarType.MULTIPLE
    assert list(event.disciplines.values_list("code", flat=True)) == ["visual-arts"]
    assert (event.age_min, event.age_max) == (8, 12)
    assert event.base_price == Decimal("120.00") and not event.is_free
    assert [(str(t.name), t.price) for t in event.tariffs.all()] == [("Met korting", 60)]
    assert event.booking_url.endswith("/nl/learn/courses/boetseren/")
    assert event.audience == Audience.EVERYONE
    starts = sorted(event.occurrences.values_list("start", flat=True))
    assert starts == sorted(edition.sessions.values_list("starts_at", flat=True))
    assert len(starts) == 11


def test_sync_is_idempotent() -> None:
    edition = open_edition()
    edition_sync(edition_id=edition.pk)
    event = mirrored_event(edition.pk)
    assert event is not None
    assert edition_sync(edition_id=edition.pk) == "updated"
    assert Event.objects.count() == 1
    event_after = mirrored_event(edition.pk)
    assert event_after is not None and event_after.sequence == event.sequence


def test_planned_editions_and_unpublished_courses_stay_out_of_the_agenda() -> None:
    planned = open_edition(state=EditionState.PLANNED)
    draft = open_edition(course=make_course(state=CourseState.DRAFT))
    assert edition_sync(edition_id=planned.pk) == "unchanged"
    assert edition_sync(edition_id=draft.pk) == "unchanged"
    assert not Event.objects.exists()


def test_a_cancelled_session_leaves_the_events_dates(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    provider = make_organisation()
    member = member_of(provider)
    edition = open_edition(course=make_course(provider=provider))
    edition_sync(edition_id=edition.pk)
    session = edition.sessions.get(starts_at=datetime(2026, 10, 13, 19, 30, tzinfo=AMS))
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(actor=member, session=session, note={"nl": "Docent ziek"})
    event = mirrored_event(edition.pk)
    assert event is not None
    starts = set(event.occurrences.values_list("start", flat=True))
    assert session.starts_at not in starts
    assert len(starts) == 10


def test_publishing_opening_and_unpublishing_follow_through_the_services(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    provider = make_organisation()
    member = member_of(provider)
    course = make_course(provider=provider, state=CourseState.DRAFT)
    edition = open_edition(course=course, state=EditionState.PLANNED)
    with django_capture_on_commit_callbacks(execute=True):
        course_publish(actor=member, course=course)
    assert mirrored_event(edition.pk) is None  # still planned
    with django_capture_on_commit_callbacks(execute=True):
        edition_open(actor=member, edition=edition)
    event = mirrored_event(edition.pk)
    assert event is not None and event.is_public
    # A new title reaches the agenda.
    from reisgezel.learning.tests.test_offer import course_input

    with django_capture_on_commit_callbacks(execute=True):
        course_update(
            actor=member,
            course=course,
            data=course_input(
                slug=course.slug,
                title={"nl": "Keramiek", "en": "Ceramics"},
                disciplines=["visual-arts"],
            ),
        )
    event.refresh_from_db()
    assert event.title["nl"] == "Keramiek"
    with django_capture_on_commit_callbacks(execute=True):
        course_unpublish(actor=member, course=course)
    assert mirrored_event(edition.pk) is None
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_cancelled_edition_is_shown_cancelled_in_the_agenda() -> None:
    edition = open_edition()
    edition_sync(edition_id=edition.pk)
    Edition.objects.filter(pk=edition.pk).update(
        state=EditionState.CANCELLED,
        cancel_reason={"nl": "Te weinig aanmeldingen", "en": "Too few sign-ups"},
    )
    assert edition_sync(edition_id=edition.pk) == "cancelled"
    event = mirrored_event(edition.pk)
    assert event is not None
    assert event.status == EventStatus.CANCELLED
    assert event.status_reason["nl"] == "Te weinig aanmeldingen"
    assert edition_sync(edition_id=edition.pk) == "unchanged"


def test_a_free_school_programme_is_free_and_for_schools() -> None:
    edition = open_edition(
        course=make_course(kind="school_programme", age_min=6, age_max=120), price="0.00"
    )
    edition_sync(edition_id=edition.pk)
    event = mirrored_event(edition.pk)
    assert event is not None
    assert event.is_free and event.base_price is None
    assert event.audience == Audience.SCHOOLS
    assert (event.age_min, event.age_max) == (6, None)


def test_sync_all_reconciles_the_agenda_with_the_offer() -> None:
    shown = open_edition()
    gone = open_edition()
    edition_sync(edition_id=gone.pk)
    Edition.objects.filter(pk=gone.pk).update(state=EditionState.PLANNED)
    counts = sync_all()
    assert counts == {"created": 1, "removed": 1}
    assert mirrored_event(shown.pk) is not None
    assert mirrored_event(gone.pk) is None


def test_the_agenda_never_imports_learning() -> None:
    import pathlib

    agenda = pathlib.Path(__file__).resolve().parents[2] / "agenda"
    offenders = [
        str(path)
        for path in agenda.rglob("*.py")
        if "reisgezel.learning" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_learning_sync_command_reconciles_agenda_and_search() -> None:
    from io import StringIO

    from django.core.management import call_command

    from reisgezel.learning.services.offer import EDITION_DOC_TYPE
    from reisgezel.search.models import SearchDocument

    edition = open_edition()
    out = StringIO()
    call_command("learning_sync", stdout=out)
    assert mirrored_event(edition.pk) is not None
    assert SearchDocument.objects.filter(doc_type=EDITION_DOC_TYPE, object_id=edition.pk)
    assert "agenda: 1 created" in out.getvalue()
    # Cancelled outside the services (no hook called): the next run catches up.
    Edition.objects.filter(pk=edition.pk).update(state=EditionState.CANCELLED)
    call_command("learning_sync", stdout=StringIO())
    event = mirrored_event(edition.pk)
    assert event is not None and event.status == EventStatus.CANCELLED
    assert not SearchDocument.objects.filter(doc_type=EDITION_DOC_TYPE, object_id=edition.pk)
