"""Writes and rules of room booking.

- A request is checked (group, room, future, capacity, rate, opening hours, closures)
  and then *holds the room at once*: a pending request takes its `places.RoomClaim`
  like a confirmed one, so approving it later can never fail on a conflict, and two
  groups never both wait for the same slot. Rejection and cancellation give the room
  back.
- An approved group's request is confirmed at once; a new group's requests stay pending
  until staff approve the group (which confirms them) or reject a request (with a reason).
- A group cancels free of charge until `free_cancellation_days` before the start; later,
  half the price is invoiced. Staff cancel free of charge. Past bookings are not cancelled.
- A weekly series is planned first (`series_plan`: every date with what is in its way),
  then its free dates are booked in one call (`series_request`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.accounts.selectors import is_member
from reisgezel.core.audit import audit_record
from reisgezel.places.models import Room
from reisgezel.places.services_rooms import room_claim, room_conflicts, room_release
from reisgezel.spaces import rules
from reisgezel.spaces.models import (
    HOLDER_TYPE,
    BookableRoom,
    Booking,
    BookingGroup,
    BookingSeries,
    BookingStatus,
    GroupKind,
    GroupStatus,
)
from reisgezel.spaces.permissions import (
    can_act_for,
    is_booking_staff,
    require_answerer,
    require_booking_staff,
)
from reisgezel.spaces.rules import MAX_ATTENDEES
from reisgezel.spaces.tasks import (
    notify_booking_decision,
    notify_group_decision,
    notify_room_managers,
)

# --- groups -------------------------------------------------------------------------


def group_register(
    *, actor: Any, name: str, kind: str, organisation: Organisation | None = None
) -> BookingGroup:
    """A new group, waiting for staff approval. An association books as its organisation."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to register a group."))
    if kind not in GroupKind.values:
        raise ValidationError({"kind": [_("Choose a kind of group.")]})
    if kind == GroupKind.ASSOCIATION:
        if organisation is None:
            raise ValidationError({"organisation": [_("Choose the association you act for.")]})
        if not is_member(user=actor, organisation=organisation):
            raise PermissionDenied(_("You are not a member of this organisation."))
        if organisation.kind != OrganisationKind.ASSOCIATION:
            raise ValidationError(
                {"organisation": [_("Only an association or amateur group books as one.")]}
            )
        if BookingGroup.objects.filter(organisation=organisation).exists():
            raise ValidationError({"organisation": [_("This association is registered already.")]})
        name = organisation.name
    # One line: the name goes into e-mail subjects, where a line break is refused.
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the group's name.")]})
    with transaction.atomic():
        group = BookingGroup.objects.create(
            name=name,
            kind=kind,
            organisation=organisation if kind == GroupKind.ASSOCIATION else None,
            contact=actor,
        )
        audit_record(actor=actor, action="spaces.group_register", target=group)
    return group


def group_approve(*, actor: Any, group: BookingGroup, now: datetime | None = None) -> BookingGroup:
    """Staff approve a new group; its pending requests (which hold their rooms) are
    confirmed, but for partners' own rooms: those still wait for the partner."""
    require_booking_staff(actor)
    now = now or timezone.now()
    with transaction.atomic():
        group.status = GroupStatus.APPROVED
        group.decided_at = now
        group.save(update_fields=["status", "decided_at", "updated_at"])
        group.bookings.filter(  # requests whose time has passed lapse, never confirmed
            status=BookingStatus.PENDING, bookable__managed_by__isnull=True, starts_at__gt=now
        ).update(status=BookingStatus.CONFIRMED, decided_at=now, updated_at=now)
        audit_record(actor=actor, action="spaces.group_approve", target=group)
        transaction.on_commit(lambda: notify_group_decision.enqueue(group_id=group.pk))
    return group


def _check_reason(reason: str) -> None:
    """A refusal says why, in text the database stores (PostgreSQL refuses NUL)."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why, so the group understands.")]})
    try:
        ProhibitNullCharactersValidator()(reason)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}) from exc


def group_reject(
    *, actor: Any, group: BookingGroup, reason: str, now: datetime | None = None
) -> BookingGroup:
    """Staff turn a group down; its pending requests are rejected with the same reason."""
    require_booking_staff(actor)
    _check_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        # A group turned down can no longer see its bookings: confirmed ones still to
        # come would keep their rooms and be invoiced unseen. They are cancelled first.
        if group.bookings.filter(status=BookingStatus.CONFIRMED, starts_at__gt=now).exists():
            raise ValidationError(
                _(
                    "This group has confirmed bookings still to come: cancel them first "
                    "(free for the group), then turn the group down."
                )
            )
        group.status = GroupStatus.REJECTED
        group.decided_at = now
        group.decision_note = reason.strip()
        group.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
        for booking in group.bookings.filter(status=BookingStatus.PENDING):
            _reject(booking, reason.strip(), now)
        audit_record(actor=actor, action="spaces.group_reject", target=group, message=reason)
        transaction.on_commit(lambda: notify_group_decision.enqueue(group_id=group.pk))
    return group


# --- single bookings ----------------------------------------------------------------


def _check_request(
    *,
    actor: Any,
    bookable: BookableRoom,
    group: BookingGroup,
    starts_at: datetime,
    ends_at: datetime,
    attendees: int,
    now: datetime,
    check_times: bool = True,
) -> Decimal:
    """Everything but the room's calendar; returns the hourly rate. A series checks
    opening hours and closures per date itself (check_times=False)."""
    if not can_act_for(actor, group):
        raise PermissionDenied(_("You do not act for this group."))
    if group.status == GroupStatus.REJECTED:
        raise ValidationError(_("This group was not approved for booking rooms."))
    if not bookable.is_bookable or not bookable.room.is_active:
        raise ValidationError(_("This room cannot be booked."))
    if gap := rules.time_gap_problem(starts_at, ends_at):
        raise ValidationError({"starts_at": [gap]})
    # Compared as instants: two wall-clock times around a clock change compare wrongly.
    if ends_at.astimezone(UTC) <= starts_at.astimezone(UTC):
        raise ValidationError({"ends_at": [_("The end must be after the start.")]})
    if starts_at <= now:
        raise ValidationError({"starts_at": [_("Choose a time in the future.")]})
    capacity = bookable.room.capacity
    if capacity is not None and attendees > capacity:
        raise ValidationError(
            {"attendees": [_("This room holds at most %(n)d people.") % {"n": capacity}]}
        )
    if attendees < 1:
        raise ValidationError({"attendees": [_("At least one person comes.")]})
    if attendees > MAX_ATTENDEES:  # a room without a capacity entered
        raise ValidationError(
            {"attendees": [_("A booking is for at most %(n)d people.") % {"n": MAX_ATTENDEES}]}
        )
    rate = rules.rate_for(bookable, group.kind)
    if rate is None:
        raise ValidationError(
            _("This room is not for hire to this kind of group (%(kind)s).")
            % {"kind": rules.kind_label(group.kind)}
        )
    if not check_times:
        return rate.hourly_rate
    problem = rules.hours_problem(rules.opening_hours_of(bookable), starts_at, ends_at)
    day = starts_at.astimezone(rules.city_tz()).date()
    problem = problem or rules.closure_problem(rules.closures_of(bookable, day, day), day)
    if problem:
        raise ValidationError({"starts_at": [problem]})
    return rate.hourly_rate


def _create_and_claim(
    *,
    actor: Any,
    bookable: BookableRoom,
    group: BookingGroup,
    starts_at: datetime,
    ends_at: datetime,
    title: str,
    attendees: int,
    hourly_rate: Decimal,
    series: BookingSeries | None,
    now: datetime,
) -> Booking:
    """Inside a transaction: the booking row and its claim; ValidationError if taken.

    A series needs a savepoint per date (a refused date must leave the others booked);
    a single request does not: its refusal rolls back the caller's whole transaction."""
    approved = rules.confirmed_at_once(bookable, group)
    with transaction.atomic(savepoint=series is not None):
        # Hold the bookable room's row until commit and claim the room it names now: a
        # change of its room (refused by a trigger once it has bookings, migration
        # spaces 0007) waits for this booking and then sees it, and a booking started
        # while the room was being changed claims the new room, not the one it read.
        room_id = (
            BookableRoom.objects.select_for_update(no_key=True)
            .values_list("room_id", flat=True)
            .get(pk=bookable.pk)
        )
        if room_id != bookable.room_id:
            bookable.room = Room.objects.get(pk=room_id)
        booking = Booking.objects.create(
            bookable=bookable,
            group=group,
            series=series,
            requested_by=actor,
            title=title,
            attendees=attendees,
            starts_at=starts_at,
            ends_at=ends_at,
            status=BookingStatus.CONFIRMED if approved else BookingStatus.PENDING,
            decided_at=now if approved else None,
            hourly_rate=hourly_rate,
            price=rules.price_of(hourly_rate, starts_at, ends_at),
            # The terms of the moment of booking: a later change of the room's days
            # must not make a free cancellation a paid one.
            free_cancellation_until=rules.free_cancellation_until(bookable, starts_at),
        )
        room_claim(
            room=bookable.room,
            starts_at=starts_at,
            ends_at=ends_at,
            holder_type=HOLDER_TYPE,
            holder_id=booking.pk,
        )
    return booking


def booking_request(
    *,
    actor: Any,
    bookable: BookableRoom,
    group: BookingGroup,
    starts_at: datetime,
    ends_at: datetime,
    title: str,
    attendees: int = 1,
    now: datetime | None = None,
) -> Booking:
    """Request one slot. Holds the room at once (pending or, for an approved group,
    confirmed); raises ValidationError with a readable message when the room is taken."""
    now = now or timezone.now()
    if not title.strip():
        raise ValidationError({"title": [_("Say what the room is for.")]})
    rate = _check_request(
        actor=actor,
        bookable=bookable,
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        attendees=attendees,
        now=now,
    )
    with transaction.atomic():
        booking = _create_and_claim(
            actor=actor,
            bookable=bookable,
            group=group,
            starts_at=starts_at,
            ends_at=ends_at,
            title=title.strip(),
            attendees=attendees,
            hourly_rate=rate,
            series=None,
            now=now,
        )
        audit_record(actor=actor, action="spaces.booking_request", target=booking)
        if booking.status == BookingStatus.PENDING and bookable.managed_by_id is not None:
            transaction.on_commit(lambda: notify_room_managers.enqueue(booking_ids=[booking.pk]))
    return booking


def _lock_and_reread(booking: Booking) -> None:
    """Inside a transaction: lock the booking's row and read its state again, so that of
    two answers at once (a group cancelling while the room's side confirms, rejects or
    cancels) the second sees what the first did instead of writing over it."""
    Booking.objects.select_for_update().filter(pk=booking.pk).exists()
    booking.refresh_from_db(fields=_STATE_FIELDS)


_STATE_FIELDS = [
    "status",
    "decided_at",
    "rejection_reason",
    "cancelled_at",
    "cancellation_fee",
    "cancellation_reason",
]


def booking_confirm(*, actor: Any, booking: Booking, now: datetime | None = None) -> Booking:
    require_answerer(actor, booking.bookable)
    with transaction.atomic():
        _lock_and_reread(booking)
        if booking.status != BookingStatus.PENDING:
            raise ValidationError(_("Only a request that waits can be confirmed."))
        if booking.starts_at <= (now or timezone.now()):
            raise ValidationError(
                _("This request's time has passed: it can no longer be confirmed.")
            )
        booking.status = BookingStatus.CONFIRMED
        booking.decided_at = now or timezone.now()
        booking.save(update_fields=["status", "decided_at", "updated_at"])
        audit_record(actor=actor, action="spaces.booking_confirm", target=booking)
        transaction.on_commit(lambda: notify_booking_decision.enqueue(booking_id=booking.pk))
    return booking


def _reject(booking: Booking, reason: str, now: datetime) -> None:
    booking.status = BookingStatus.REJECTED
    booking.rejection_reason = reason
    booking.decided_at = now
    booking.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
    room_release(HOLDER_TYPE, booking.pk)


def booking_reject(
    *, actor: Any, booking: Booking, reason: str, now: datetime | None = None
) -> Booking:
    require_answerer(actor, booking.bookable)
    _check_reason(reason)
    with transaction.atomic():
        _lock_and_reread(booking)
        if booking.status != BookingStatus.PENDING:
            raise ValidationError(_("Only a request that waits can be rejected."))
        _reject(booking, reason.strip(), now or timezone.now())
        audit_record(
            actor=actor, action="spaces.booking_reject", target=booking, message=reason.strip()
        )
        transaction.on_commit(lambda: notify_booking_decision.enqueue(booking_id=booking.pk))
    return booking


def booking_cancel(*, actor: Any, booking: Booking, now: datetime | None = None) -> Booking:
    """Cancel and give the room back. A group pays half the price when it cancels later
    than the free-cancellation deadline fixed when it booked; staff cancel for free."""
    now = now or timezone.now()
    if not can_act_for(actor, booking.group):
        raise PermissionDenied(_("You do not act for this group."))
    with transaction.atomic():
        _lock_and_reread(booking)
        if not booking.is_live:
            raise ValidationError(_("This booking is not active."))
        if booking.starts_at <= now:
            raise ValidationError(_("A booking that has started can no longer be cancelled."))
        fee = Decimal(0)
        late = now > rules.free_cancellation_deadline(booking)
        if late and booking.status == BookingStatus.CONFIRMED and not is_booking_staff(actor):
            fee = rules.late_fee(booking.price)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancellation_fee = fee
        booking.save(update_fields=["status", "cancelled_at", "cancellation_fee", "updated_at"])
        room_release(HOLDER_TYPE, booking.pk)
        audit_record(
            actor=actor,
            action="spaces.booking_cancel",
            target=booking,
            data={"fee": str(fee)},
        )
    return booking


# A pending request holds its room; staff answer within this many days, or it lapses.
PENDING_HOLD_DAYS = 14


def expire_pending_requests(*, now: datetime | None = None) -> int:
    """Let unanswered holds go: pending requests older than PENDING_HOLD_DAYS, or whose
    start has come, are cancelled (free of charge) and give their room back. Run daily
    (`spaces.tasks.expire_pending_requests_task`). Returns how many lapsed."""
    now = now or timezone.now()
    stale = Booking.objects.filter(status=BookingStatus.PENDING).filter(
        Q(created_at__lte=now - timedelta(days=PENDING_HOLD_DAYS)) | Q(starts_at__lte=now)
    )
    count = 0
    with transaction.atomic():
        # Locked, so a decision by staff at the same moment waits and then sees the state.
        for booking in stale.select_for_update():
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at", "updated_at"])
            room_release(HOLDER_TYPE, booking.pk)
            audit_record(actor=None, action="spaces.booking_lapse", target=booking)
            count += 1
    return count


# --- weekly series ------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedDate:
    day: date
    starts_at: datetime
    ends_at: datetime
    problem: str | None = None

    @property
    def is_free(self) -> bool:
        return self.problem is None


@dataclass
class SeriesOutcome:
    series: BookingSeries | None
    booked: list[Booking] = field(default_factory=list)
    refused: list[PlannedDate] = field(default_factory=list)


def series_plan(
    *,
    bookable: BookableRoom,
    weekday: int,
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
) -> list[PlannedDate]:
    """Every date of the series, each with what is in its way (a closure, the opening
    hours, another booking or a course session), or None when it is free."""
    if not 0 <= weekday <= 6:
        raise ValidationError({"weekday": [_("Choose a day of the week.")]})
    if end_time <= start_time:
        raise ValidationError({"end_time": [_("The end must be after the start.")]})
    if last_date < first_date:
        raise ValidationError({"last_date": [_("The last date must follow the first.")]})
    if (last_date - first_date).days > rules.MAX_SERIES_DAYS:
        raise ValidationError({"last_date": [_("A weekly booking runs for at most a year.")]})
    days = rules.weekly_dates(weekday, first_date, last_date)
    ranges = [
        (rules.local_datetime(d, start_time), rules.local_datetime(d, end_time)) for d in days
    ]
    hours = rules.opening_hours_of(bookable)
    closures = rules.closures_of(bookable, first_date, last_date)
    taken = {c.starts_at: c.claim for c in room_conflicts(bookable.room, ranges)}
    plan = []
    for day, (starts_at, ends_at) in zip(days, ranges, strict=True):
        claim = taken.get(starts_at)
        problem = (
            rules.time_gap_problem(starts_at, ends_at)
            or rules.closure_problem(closures, day)
            or rules.hours_problem(hours, starts_at, ends_at)
            or (rules.claim_problem(claim) if claim else None)
        )
        plan.append(PlannedDate(day=day, starts_at=starts_at, ends_at=ends_at, problem=problem))
    return plan


def series_request(
    *,
    actor: Any,
    bookable: BookableRoom,
    group: BookingGroup,
    title: str,
    weekday: int,
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
    attendees: int = 1,
    now: datetime | None = None,
) -> SeriesOutcome:
    """Book every free date of a weekly series; the others come back with their reason.

    A date taken between the plan and this call is refused by the database and reported
    like the others; the free dates are still booked."""
    now = now or timezone.now()
    if not title.strip():
        raise ValidationError({"title": [_("Say what the room is for.")]})
    plan = series_plan(
        bookable=bookable,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        first_date=first_date,
        last_date=last_date,
    )
    future = [p for p in plan if p.starts_at > now]
    if not future:
        raise ValidationError({"first_date": [_("Choose dates in the future.")]})
    rate = _check_request(
        actor=actor,
        bookable=bookable,
        group=group,
        starts_at=future[0].starts_at,
        ends_at=future[0].ends_at,
        attendees=attendees,
        now=now,
        check_times=False,
    )
    outcome = SeriesOutcome(series=None)
    with transaction.atomic():
        series = BookingSeries.objects.create(
            bookable=bookable,
            group=group,
            title=title.strip(),
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            first_date=first_date,
            last_date=last_date,
        )
        outcome.series = series
        for planned in future:
            if planned.problem:
                outcome.refused.append(planned)
                continue
            try:
                booking = _create_and_claim(
                    actor=actor,
                    bookable=bookable,
                    group=group,
                    starts_at=planned.starts_at,
                    ends_at=planned.ends_at,
                    title=series.title,
                    attendees=attendees,
                    hourly_rate=rate,
                    series=series,
                    now=now,
                )
            except ValidationError as exc:
                outcome.refused.append(
                    PlannedDate(
                        day=planned.day,
                        starts_at=planned.starts_at,
                        ends_at=planned.ends_at,
                        problem=" ".join(exc.messages),
                    )
                )
                continue
            outcome.booked.append(booking)
        audit_record(
            actor=actor,
            action="spaces.series_request",
            target=series,
            data={"booked": len(outcome.booked), "refused": len(outcome.refused)},
        )
        waiting = [b.pk for b in outcome.booked if b.status == BookingStatus.PENDING]
        if waiting and bookable.managed_by_id is not None:
            transaction.on_commit(lambda: notify_room_managers.enqueue(booking_ids=waiting))
    return outcome
