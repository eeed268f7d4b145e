"""Sessions: generated from an edition's weekly pattern, then editable one by one.

The pattern (weekday, start and end time) is wall-clock time in Europe/Amsterdam, so a
Tuesday 19:30 lesson stays at 19:30 across the change to and from summer time. Days in
a school holiday (HolidayPeriod, when `skip_school_holidays`) and public holidays get
no session.

Regenerating after a change of the pattern or the holidays is safe:
- sessions changed by hand (`edited=True`: moved, cancelled, added) are kept;
- generated sessions the pattern no longer has are removed, unless attendance was
  recorded for them: those are kept and reported, a register is never lost;
- new slots of the pattern are added, except in a week where a session was moved by
  hand (the pattern is weekly, so that session stands for the week's slot).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.agenda.calendar import city_timezone, public_holidays
from reisgezel.core.audit import audit_record
from reisgezel.core.i18n import SOURCE_LANGUAGE, language_map
from reisgezel.learning import permissions
from reisgezel.learning.models import (
    Edition,
    EditionState,
    HolidayPeriod,
    Session,
    session_room_problem,
)
from reisgezel.learning.services.room_claims import session_claim_sync, sessions_release
from reisgezel.places.models import Room


@dataclass
class GenerateReport:
    added: list[Session] = field(default_factory=list)
    removed: int = 0
    updated: list[Session] = field(default_factory=list)
    kept_edited: list[Session] = field(default_factory=list)
    kept_with_attendance: list[Session] = field(default_factory=list)
    """Generated sessions no longer in the pattern, kept because attendance was recorded."""
    room_taken: list[tuple[Session, str]] = field(default_factory=list)
    """Sessions whose room is booked at that time (by a group or another course): they
    are kept without a room, with the message saying what is in the way."""


def _holiday_days(first: date, last: date) -> set[date]:
    days: set[date] = set()
    for period in HolidayPeriod.objects.filter(starts_on__lte=last, ends_on__gte=first):
        day = max(period.starts_on, first)
        while day <= min(period.ends_on, last):
            days.add(day)
            day += timedelta(days=1)
    return days


def pattern_slots(edition: Edition) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every session the weekly pattern gives, in order."""
    if edition.weekday is None or edition.start_time is None or edition.end_time is None:
        return []
    tz = city_timezone()
    skipped = (
        _holiday_days(edition.starts_on, edition.ends_on) if edition.skip_school_holidays else set()
    )
    slots = []
    for day in _weekdays(edition.starts_on, edition.ends_on, edition.weekday):
        if day in skipped or day in public_holidays(day.year):
            continue
        slots.append(
            (
                datetime.combine(day, edition.start_time, tzinfo=tz),
                datetime.combine(day, edition.end_time, tzinfo=tz),
            )
        )
    return slots


def _weekdays(first: date, last: date, weekday: int) -> Iterator[date]:
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    while day <= last:
        yield day
        day += timedelta(days=7)


def _week(moment: datetime) -> tuple[int, int]:
    iso = moment.astimezone(city_timezone()).isocalendar()
    return iso.year, iso.week


@transaction.atomic
def sessions_generate(*, edition: Edition) -> GenerateReport:
    """Bring the generated sessions in line with the weekly pattern (see the module)."""
    from reisgezel.learning.services.offer import editions_changed

    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _check_changeable(edition)
    report = GenerateReport()
    wanted = dict(pattern_slots(edition))  # start -> end
    existing = list(edition.sessions.all())
    taken_starts = {s.starts_at for s in existing}
    # A week whose slot was moved (from that week) or cancelled by hand gets no new
    # regular session; an extra session added that week leaves the slot where it is.
    moved_weeks = {
        _week(s.pattern_starts_at or s.starts_at) for s in existing if s.edited and not s.extra
    }
    stale: list[int] = []
    for session in existing:
        if session.edited:
            report.kept_edited.append(session)
        elif session.starts_at in wanted:
            end = wanted[session.starts_at]
            if session.ends_at != end or session.room_id != edition.room_id:
                session.ends_at, session.room_id = end, edition.room_id
                session.save(update_fields=["ends_at", "room"])
                report.updated.append(session)
        elif session.attendance.exists():
            report.kept_with_attendance.append(session)
        else:
            stale.append(session.pk)
    sessions_release(stale)
    report.removed = Session.objects.filter(pk__in=stale).delete()[0] if stale else 0
    new = [
        Session(edition=edition, starts_at=start, ends_at=end, room_id=edition.room_id)
        for start, end in wanted.items()
        if start not in taken_starts and _week(start) not in moved_weeks
    ]
    report.added = Session.objects.bulk_create(new)
    for session in [*report.updated, *report.added]:
        _claim_or_report(session, report)
    if report.added or report.removed or report.updated:
        editions_changed([edition.pk])
    return report


def _claim_or_report(session: Session, report: GenerateReport) -> None:
    """Claim the session's room; when it is taken, keep the session without a room and
    report it (one booked evening must not stop a term's timetable)."""
    try:
        with transaction.atomic():
            session_claim_sync(session)
    except ValidationError as exc:
        messages = exc.message_dict.get("starts_at") or exc.messages
        session.room_id = None
        session.save(update_fields=["room"])
        report.room_taken.append((session, messages[0]))


# --- Editing one session ----------------------------------------------------------------
def _check(actor: Any, edition: Edition) -> None:
    if not permissions.can_manage_course(actor, edition.course):
        raise PermissionDenied(
            _("You cannot change the sessions of %(org)s.") % {"org": edition.course.provider.name}
        )
    _check_changeable(edition)


def _check_changeable(edition: Edition) -> None:
    """A cancelled or completed edition's sessions are its record: they stay as they are."""
    if edition.state in (EditionState.CANCELLED, EditionState.COMPLETED):
        raise ValidationError(
            _("The sessions of a cancelled or completed edition cannot be changed.")
        )


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update()
        .select_related("edition__course__provider")
        .get(pk=session.pk)
    )


def _validate_times(
    edition: Edition, starts_at: datetime, ends_at: datetime, *, exclude: int | None
) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError({"starts_at": [_("Dates need a time zone.")]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The end must come after the start.")]})
    clashes = edition.sessions.filter(starts_at=starts_at)
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude)
    if clashes.exists():
        raise ValidationError({"starts_at": [_("The edition already has a session at that time.")]})


def _validate_room(edition: Edition, room_id: int | None, *, current: int | None = None) -> None:
    """A room chosen for a session (other than its `current` one) is in the edition's
    place and holds the edition's group."""
    if room_id is None or room_id == current:
        return
    room = Room.objects.filter(pk=room_id).first()
    if room is None:
        raise ValidationError({"room": [_("Choose a room of the edition's place.")]})
    if problem := session_room_problem(edition, room):
        raise ValidationError({"room": [problem]})


@transaction.atomic
def session_move(
    *,
    actor: Any,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    room_id: int | None = None,
    note: dict[str, str] | None = None,
) -> Session:
    """Another date, time or room for one session; regenerating the pattern keeps it."""
    from reisgezel.learning.services.offer import editions_changed

    session = _locked(session)
    edition = session.edition
    _check(actor, edition)
    _validate_times(edition, starts_at, ends_at, exclude=session.pk)
    _validate_room(edition, room_id, current=session.room_id)
    before = session.starts_at
    if not session.edited and not session.extra:
        session.pattern_starts_at = before  # the pattern's week, kept for regenerating
    session.starts_at, session.ends_at = starts_at, ends_at
    session.room_id = room_id if room_id is not None else session.room_id
    if note is not None:
        session.note = language_map(note)
    session.edited = True
    session.save()
    session_claim_sync(session)
    audit_record(
        actor=actor,
        action="learning.session.move",
        target=session,
        data={"from": before.isoformat(), "to": starts_at.isoformat()},
    )
    editions_changed([edition.pk])
    return session


@transaction.atomic
def session_cancel(*, actor: Any, session: Session, note: dict[str, str]) -> Session:
    """Cancel one session with a note for the participants (in Dutch at least)."""
    from reisgezel.learning.services.offer import editions_changed

    session = _locked(session)
    _check(actor, session.edition)
    note_map = language_map(note)
    if not note_map.get(SOURCE_LANGUAGE):
        raise ValidationError(
            {"note": [_("Say why the session is cancelled (in Dutch at least).")]}
        )
    session.is_cancelled = True
    session.note = note_map
    session.edited = True
    session.save(update_fields=["is_cancelled", "note", "edited"])
    session_claim_sync(session)  # gives the room back
    audit_record(actor=actor, action="learning.session.cancel", target=session)
    editions_changed([session.edition_id])
    return session


@transaction.atomic
def session_restore(*, actor: Any, session: Session) -> Session:
    """Undo the cancellation of a session (it stays marked as changed by hand)."""
    from reisgezel.learning.services.offer import editions_changed

    session = _locked(session)
    _check(actor, session.edition)
    if session.is_cancelled:
        session.is_cancelled = False
        session.edited = True
        session.save(update_fields=["is_cancelled", "edited"])
        session_claim_sync(session)  # the room may have been booked meanwhile
        audit_record(actor=actor, action="learning.session.restore", target=session)
        editions_changed([session.edition_id])
    return session


@transaction.atomic
def session_add(
    *,
    actor: Any,
    edition: Edition,
    starts_at: datetime,
    ends_at: datetime,
    room_id: int | None = None,
    note: dict[str, str] | None = None,
) -> Session:
    """A session outside the pattern (a workshop's dates, an extra rehearsal)."""
    from reisgezel.learning.services.offer import editions_changed

    edition = Edition.objects.select_related("course__provider").get(pk=edition.pk)
    _check(actor, edition)
    _validate_times(edition, starts_at, ends_at, exclude=None)
    _validate_room(edition, room_id)
    try:
        with transaction.atomic():
            session = Session.objects.create(
                edition=edition,
                starts_at=starts_at,
                ends_at=ends_at,
                room_id=room_id if room_id is not None else edition.room_id,
                note=language_map(note or {}),
                edited=True,
                extra=True,
            )
    except IntegrityError as exc:  # a concurrent add at the same time
        raise ValidationError(
            {"starts_at": [_("The edition already has a session at that time.")]}
        ) from exc
    session_claim_sync(session)
    audit_record(actor=actor, action="learning.session.add", target=session)
    editions_changed([edition.pk])
    return session
