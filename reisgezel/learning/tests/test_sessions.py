"""Sessions from the weekly pattern: DST, holidays, regeneration, editing one session."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import (
    Attendance,
    Edition,
    Enrolment,
    HolidayPeriod,
    Presence,
    Session,
)
from reisgezel.learning.services.sessions import (
    pattern_slots,
    session_add,
    session_cancel,
    session_move,
    session_restore,
    sessions_generate,
)
from reisgezel.places.models import Room
from tests.factories import make_organisation, make_user, member_of
from tests.learning_factories import make_adult, make_course, make_edition, make_room

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def tuesdays(**overrides: Any) -> Edition:
    """Tuesday 19:30-21:30 from 6 October to 15 December 2026 (the clocks go back on
    25 October; the autumn holiday of region Zuid is 17-25 October)."""
    values: dict[str, Any] = {
        "starts_on": date(2026, 10, 6),
        "ends_on": date(2026, 12, 15),
        "weekday": 1,
        "start_time": time(19, 30),
        "end_time": time(21, 30),
    }
    values.update(overrides)
    return make_edition(**values)


def local_days(edition: Edition) -> list[date]:
    return [s.starts_at.astimezone(AMS).date() for s in edition.sessions.order_by("starts_at")]


def autumn_holiday() -> HolidayPeriod:
    return HolidayPeriod.objects.create(
        name={"nl": "Herfstvakantie"}, starts_on=date(2026, 10, 17), ends_on=date(2026, 10, 25)
    )


def test_sessions_stay_at_local_time_across_the_change_to_winter_time() -> None:
    edition = tuesdays()
    report = sessions_generate(edition=edition)
    assert len(report.added) == 11
    local = {s.starts_at.astimezone(AMS).time() for s in edition.sessions.all()}
    assert local == {time(19, 30)}
    utc_hours = {s.starts_at.astimezone(ZoneInfo("UTC")).hour for s in edition.sessions.all()}
    assert utc_hours == {17, 18}  # summer time (UTC+2) before 25 October, UTC+1 after
    first = edition.sessions.first()
    assert first is not None
    assert first.ends_at - first.starts_at == timedelta(hours=2)


def test_school_holidays_are_skipped_unless_the_edition_says_otherwise() -> None:
    autumn_holiday()
    edition = tuesdays()
    sessions_generate(edition=edition)
    assert date(2026, 10, 20) not in local_days(edition)
    assert len(local_days(edition)) == 10
    open_in_holidays = tuesdays(skip_school_holidays=False)
    sessions_generate(edition=open_in_holidays)
    assert date(2026, 10, 20) in local_days(open_in_holidays)


def test_public_holidays_are_skipped() -> None:
    # King's Day 2027 is a Tuesday.
    edition = tuesdays(starts_on=date(2027, 4, 13), ends_on=date(2027, 5, 4))
    sessions_generate(edition=edition)
    assert local_days(edition) == [date(2027, 4, 13), date(2027, 4, 20), date(2027, 5, 4)]


def test_an_edition_without_a_weekly_pattern_gets_no_generated_sessions() -> None:
    edition = make_edition(weekday=None, start_time=None, end_time=None)
    assert pattern_slots(edition) == []
    assert sessions_generate(edition=edition).added == []


def test_regenerating_is_idempotent() -> None:
    edition = tuesdays()
    sessions_generate(edition=edition)
    again = sessions_generate(edition=edition)
    assert (again.added, again.removed, again.updated) == ([], 0, [])
    assert edition.sessions.count() == 11


def test_regeneration_keeps_edited_sessions_and_follows_new_holidays() -> None:
    provider = make_organisation()
    member = member_of(provider)
    edition = tuesdays(course=make_course(provider=provider))
    sessions_generate(edition=edition)
    oct_13 = edition.sessions.get(starts_at=datetime(2026, 10, 13, 19, 30, tzinfo=AMS))
    moved = session_move(
        actor=member,
        session=oct_13,
        starts_at=datetime(2026, 10, 15, 18, 0, tzinfo=AMS),
        ends_at=datetime(2026, 10, 15, 20, 0, tzinfo=AMS),
    )
    assert moved.edited
    # The holidays are entered late: 20 October goes, the moved session stays, and the
    # week of 13 October gets no second session.
    autumn_holiday()
    report = sessions_generate(edition=edition)
    assert report.removed == 1
    assert report.added == []
    assert [s.pk for s in report.kept_edited] == [moved.pk]
    days = local_days(edition)
    assert date(2026, 10, 15) in days
    assert date(2026, 10, 13) not in days
    assert date(2026, 10, 20) not in days


def test_regeneration_keeps_a_session_with_attendance_and_reports_it() -> None:
    edition = tuesdays()
    sessions_generate(edition=edition)
    session = edition.sessions.get(starts_at=datetime(2026, 10, 20, 19, 30, tzinfo=AMS))
    enrolment = Enrolment.objects.create(edition=edition, participant=make_adult())
    Attendance.objects.create(session=session, enrolment=enrolment, presence=Presence.PRESENT)
    autumn_holiday()
    report = sessions_generate(edition=edition)
    assert [s.pk for s in report.kept_with_attendance] == [session.pk]
    assert Session.objects.filter(pk=session.pk).exists()
    assert report.removed == 0


def test_regeneration_adds_new_weeks_and_follows_a_new_end_time() -> None:
    edition = tuesdays()
    sessions_generate(edition=edition)
    Edition.objects.filter(pk=edition.pk).update(ends_on=date(2026, 12, 22), end_time=time(21, 0))
    report = sessions_generate(edition=edition)
    assert [s.starts_at.astimezone(AMS).date() for s in report.added] == [date(2026, 12, 22)]
    assert len(report.updated) == 11
    assert {s.ends_at.astimezone(AMS).time() for s in edition.sessions.all()} == {time(21, 0)}


def test_a_cancelled_session_stays_cancelled_with_its_note() -> None:
    provider = make_organisation()
    member = member_of(provider)
    edition = tuesdays(course=make_course(provider=provider))
    sessions_generate(edition=edition)
    session = edition.sessions.first()
    assert session is not None
    with pytest.raises(ValidationError):
        session_cancel(actor=member, session=session, note={"en": "Teacher ill"})
    session_cancel(actor=member, session=session, note={"nl": "De docent is ziek."})
    sessions_generate(edition=edition)
    session.refresh_from_db()
    assert session.is_cancelled and session.edited
    assert session.note["nl"] == "De docent is ziek."
    assert AuditEntry.objects.filter(action="learning.session.cancel", target_id=str(session.pk))
    session_restore(actor=member, session=session)
    session.refresh_from_db()
    assert not session.is_cancelled


def test_moving_a_session_is_validated() -> None:
    provider = make_organisation()
    member = member_of(provider)
    edition = tuesdays(course=make_course(provider=provider))
    sessions_generate(edition=edition)
    first, second = list(edition.sessions.all()[:2])
    with pytest.raises(ValidationError) as excinfo:
        session_move(
            actor=member, session=first, starts_at=second.starts_at, ends_at=second.ends_at
        )
    assert "starts_at" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        session_move(actor=member, session=first, starts_at=first.ends_at, ends_at=first.starts_at)
    with pytest.raises(ValidationError):
        session_move(
            actor=member,
            session=first,
            starts_at=datetime(2026, 10, 8, 19, 0),
            ends_at=datetime(2026, 10, 8, 21, 0),
        )
    with pytest.raises(ValidationError) as excinfo:
        session_move(
            actor=member,
            session=first,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            room_id=make_room().pk,
        )
    assert "room" in excinfo.value.message_dict


def test_only_the_provider_edits_sessions() -> None:
    edition = tuesdays()
    sessions_generate(edition=edition)
    session = edition.sessions.first()
    assert session is not None
    teacher = make_user()
    Edition.objects.filter(pk=edition.pk).update(teacher=teacher)
    for outsider in (teacher, member_of(make_organisation()), make_user()):
        with pytest.raises(PermissionDenied):
            session_cancel(actor=outsider, session=session, note={"nl": "Nee"})
    assert session_cancel(
        actor=make_user(is_staff=True), session=session, note={"nl": "Zaal dicht"}
    ).is_cancelled


def test_a_workshop_gets_its_dates_one_by_one() -> None:
    provider = make_organisation()
    member = member_of(provider)
    edition = make_edition(
        course=make_course(provider=provider, kind="workshop"),
        weekday=None,
        start_time=None,
        end_time=None,
    )
    start = datetime(2026, 12, 5, 14, 0, tzinfo=AMS)
    session = session_add(
        actor=member, edition=edition, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    assert session.edited
    with pytest.raises(ValidationError):
        session_add(
            actor=member, edition=edition, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    # Regenerating a pattern-less edition keeps hand-made sessions.
    assert sessions_generate(edition=edition).kept_edited == [session]


def test_the_sessions_of_a_cancelled_or_completed_edition_stay_as_they_are() -> None:
    from reisgezel.learning.models import EditionState

    edition = make_edition()
    session = sessions_generate(edition=edition).added[0]
    provider = member_of(edition.course.provider)
    for state in (EditionState.CANCELLED, EditionState.COMPLETED):
        type(edition).objects.filter(pk=edition.pk).update(state=state)
        with pytest.raises(ValidationError, match="cancelled or completed"):
            sessions_generate(edition=edition)
        with pytest.raises(ValidationError, match="cancelled or completed"):
            session_cancel(actor=provider, session=session, note={"nl": "Ziek."})
        with pytest.raises(ValidationError, match="cancelled or completed"):
            session_add(
                actor=provider,
                edition=edition,
                starts_at=session.starts_at + timedelta(days=1),
                ends_at=session.ends_at + timedelta(days=1),
            )


def test_a_session_moves_only_to_a_room_that_holds_the_group() -> None:
    provider = make_organisation()
    member = member_of(provider)
    edition = tuesdays(course=make_course(provider=provider), max_participants=10)
    sessions_generate(edition=edition)
    first = edition.sessions.order_by("starts_at").first()
    assert first is not None
    small = make_room(place=edition.place, slug="spreekkamer", name="Spreekkamer", capacity=6)
    with pytest.raises(ValidationError) as excinfo:
        session_move(
            actor=member,
            session=first,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            room_id=small.pk,
        )
    assert excinfo.value.message_dict["room"] == [
        f"{small} holds at most 6 people, so the group cannot be larger."
    ]
    with pytest.raises(ValidationError):
        session_add(
            actor=member,
            edition=edition,
            starts_at=datetime(2026, 12, 17, 19, 30, tzinfo=AMS),
            ends_at=datetime(2026, 12, 17, 21, 30, tzinfo=AMS),
            room_id=small.pk,
        )
    large = make_room(place=edition.place, slug="zaal", name="Zaal", capacity=40)
    moved = session_move(
        actor=member,
        session=first,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        room_id=large.pk,
    )
    assert moved.room_id == large.pk
    # Its own room made smaller later: a move in time keeps it (flagged, not refused).
    Room.objects.filter(pk=large.pk).update(capacity=6)
    later = first.starts_at + timedelta(hours=1)
    kept = session_move(
        actor=member,
        session=moved,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        room_id=large.pk,
    )
    assert kept.room_id == large.pk


def test_the_admin_holds_a_sessions_new_room_to_its_edition() -> None:
    """The session inline of the edition admin validates through `Session.clean`: the
    same rule as session_move and session_add."""
    edition = tuesdays(max_participants=10)
    sessions_generate(edition=edition)
    session = edition.sessions.order_by("starts_at").first()
    assert session is not None
    small = make_room(place=edition.place, slug="spreekkamer", name="Spreekkamer", capacity=6)
    session.room = small
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert excinfo.value.message_dict["room"] == [
        f"{small} holds at most 6 people, so the group cannot be larger."
    ]
    session.room = make_room(slug="elders", capacity=40)  # another place's room
    with pytest.raises(ValidationError, match="Choose a room of the edition's place"):
        session.full_clean()
    # Its own room, made smaller since, is flagged, not refused.
    hall = make_room(place=edition.place, slug="zaal", name="Zaal", capacity=40)
    session.room = hall
    session.save()
    Room.objects.filter(pk=hall.pk).update(capacity=6)
    session.refresh_from_db()
    session.full_clean()
