"""Reads of room booking: rooms, a room's week, a user's groups and bookings, invoices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.accounts.models import Organisation
from reisgezel.places.models import Room, RoomClaim
from reisgezel.places.room_capacity import OverCapacity
from reisgezel.spaces import rules
from reisgezel.spaces.models import (
    HOLDER_TYPE,
    LIVE_STATUSES,
    BookableRoom,
    Booking,
    BookingGroup,
    BookingStatus,
    Closure,
    GroupStatus,
)
from reisgezel.spaces.permissions import is_booking_staff


def bookable_rooms() -> QuerySet[BookableRoom]:
    return (
        BookableRoom.objects.filter(is_bookable=True, room__is_active=True)
        .select_related("room", "room__place", "managed_by")
        .prefetch_related("equipment", "rates", "photos")
    )


@dataclass(frozen=True)
class BusySpan:
    starts_at: datetime
    ends_at: datetime
    label: str


@dataclass
class DayRow:
    day: date
    opening: list[tuple[time, time]] = field(default_factory=list)
    closed_because: str | None = None
    busy: list[BusySpan] = field(default_factory=list)


def room_week(bookable: BookableRoom, monday: date) -> list[DayRow]:
    """Seven days from `monday`: opening hours, closures and what holds the room (claims
    of bookings and course sessions alike, without naming who)."""
    days = [monday + timedelta(days=n) for n in range(7)]
    start = rules.local_datetime(days[0], time.min)
    end = rules.local_datetime(days[-1] + timedelta(days=1), time.min)
    claims = RoomClaim.objects.filter(
        room_id=bookable.room_id, starts_at__lt=end, ends_at__gt=start
    ).order_by("starts_at")
    hours = rules.opening_hours_of(bookable)
    closures = rules.closures_of(bookable, days[0], days[-1])
    rows = {d: DayRow(day=d) for d in days}
    for row in rows.values():
        row.opening = [(h.opens, h.closes) for h in hours if h.weekday == row.day.weekday()]
        row.closed_because = rules.closure_problem(closures, row.day)
    for claim in claims:
        local = claim.starts_at.astimezone(rules.city_tz())
        label = _("Course") if claim.holder_type.startswith("learning.") else _("Booked")
        if local.date() in rows:
            rows[local.date()].busy.append(
                BusySpan(
                    starts_at=claim.starts_at.astimezone(rules.city_tz()),
                    ends_at=claim.ends_at.astimezone(rules.city_tz()),
                    label=label,
                )
            )
    return list(rows.values())


def groups_of(user: Any) -> QuerySet[BookingGroup]:
    """Groups the user acts for (permissions.can_act_for): a resident's or commercial
    group as its contact, an association as a member of its active organisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return BookingGroup.objects.none()
    return (
        BookingGroup.objects.filter(
            Q(contact=user, organisation__isnull=True)
            | Q(organisation__memberships__user=user, organisation__is_active=True)
        ).distinct()
    ).exclude(status=GroupStatus.REJECTED)


def bookings_for(user: Any) -> QuerySet[Booking]:
    """The bookings of the user's groups (never another group's), newest date last."""
    return (
        Booking.objects.filter(group__in=groups_of(user).values("pk"))
        .select_related("bookable__room__place", "group")
        .order_by("starts_at")
    )


def pending_groups() -> QuerySet[BookingGroup]:
    return BookingGroup.objects.filter(status=GroupStatus.PENDING).select_related(
        "organisation", "contact"
    )


def rooms_answered_by(user: Any) -> QuerySet[BookableRoom]:
    """The rooms whose requests `user` answers: every room for staff, the rooms of
    their partner organisations for a partner's members (permissions.can_answer_requests)."""
    if is_booking_staff(user):
        return BookableRoom.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return BookableRoom.objects.none()
    return BookableRoom.objects.filter(
        managed_by__is_active=True, managed_by__memberships__user=user
    )


def room_closures_ahead(*, user: Any) -> QuerySet[Closure]:
    """Closures of single rooms the user answers that have not ended yet (closures of a
    whole house are staff's, in the admin)."""
    return (
        Closure.objects.filter(
            bookable__in=rooms_answered_by(user), ends_on__gte=timezone.localdate()
        )
        .select_related("bookable__room__place")
        .order_by("starts_on", "pk")
    )


def pending_bookings(*, user: Any | None = None) -> QuerySet[Booking]:
    """Requests waiting for an answer; with `user`, those of the rooms they answer."""
    pending = Booking.objects.filter(status=BookingStatus.PENDING)
    if user is not None and not is_booking_staff(user):
        pending = pending.filter(bookable__in=rooms_answered_by(user))
    return pending.select_related("group", "bookable__room__place").order_by("starts_at")


def booking_of_claim(claim: RoomClaim) -> Booking | None:
    if claim.holder_type != HOLDER_TYPE:
        return None
    return Booking.objects.filter(pk=claim.holder_id).first()


@dataclass(frozen=True)
class InvoiceLine:
    booking: Booking
    description: str
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    group: BookingGroup
    first_day: date
    last_day: date
    lines: list[InvoiceLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def rooms_invoiced_by(user: Any, *, issuer: Organisation | None = None) -> QuerySet[BookableRoom]:
    """Whoever answers a room invoices it: staff the houses' rooms, a partner's members
    the partner's own rooms (never both, so no booking is billed twice). A member of
    several such partners invoices for one of them at a time (`issuer`)."""
    if is_booking_staff(user):
        # Staff answer an inactive partner's rooms too (permissions.can_answer_requests),
        # so they invoice them: otherwise those bookings would be on nobody's invoice.
        return BookableRoom.objects.filter(
            Q(managed_by__isnull=True) | Q(managed_by__is_active=False)
        )
    rooms = rooms_answered_by(user)
    return rooms if issuer is None else rooms.filter(managed_by=issuer)


def invoice_issuers(user: Any) -> QuerySet[Organisation]:
    """The partner organisations whose own rooms `user` invoices (none for staff, who
    invoice for the houses)."""
    if is_booking_staff(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=rooms_answered_by(user).values("managed_by")
    ).order_by("name")


def groups_invoiced_by(user: Any) -> QuerySet[BookingGroup]:
    """The groups `user` may invoice: every group for staff; for a partner's members,
    the groups that booked one of the partner's own rooms."""
    if is_booking_staff(user):
        return BookingGroup.objects.all()
    return BookingGroup.objects.filter(
        pk__in=Booking.objects.filter(bookable__in=rooms_answered_by(user)).values("group")
    )


def invoice_for(
    *,
    group: BookingGroup,
    first_day: date,
    last_day: date,
    rooms: QuerySet[BookableRoom] | None = None,
) -> Invoice:
    """What a group owes for bookings that start in the period: confirmed bookings at
    their price, late cancellations at their fee. Pending, rejected and free
    cancellations cost nothing. With `rooms`, only the bookings of those rooms (a
    partner invoices its own rooms; the houses invoice theirs)."""
    start = rules.local_datetime(first_day, time.min)
    end = rules.local_datetime(last_day + timedelta(days=1), time.min)
    bookings = (
        Booking.objects.filter(group=group, starts_at__gte=start, starts_at__lt=end)
        .filter(
            Q(status=BookingStatus.CONFIRMED)
            | Q(status=BookingStatus.CANCELLED, cancellation_fee__gt=0)
        )
        .select_related("bookable__room__place")
        .order_by("starts_at")
    )
    if rooms is not None:
        bookings = bookings.filter(bookable__in=rooms)
    lines = []
    for booking in bookings:
        if booking.status == BookingStatus.CANCELLED:
            lines.append(
                InvoiceLine(
                    booking=booking,
                    description=_("Late cancellation: %(title)s") % {"title": booking.title},
                    amount=booking.cancellation_fee,
                )
            )
        else:
            lines.append(
                InvoiceLine(booking=booking, description=booking.title, amount=booking.price)
            )
    return Invoice(group=group, first_day=first_day, last_day=last_day, lines=lines)


# The desk lists at most this many bookings at once (a term of one busy room).
DESK_BOOKINGS_LIMIT = 300


def confirmed_bookings_ahead(
    *, user: Any, first_day: date, last_day: date, bookable: BookableRoom | None = None
) -> QuerySet[Booking]:
    """Confirmed bookings not yet begun, starting from `first_day` to `last_day`, in the
    rooms `user` answers (or in `bookable`, one of them): what the desk may cancel."""
    bookings = Booking.objects.filter(
        bookable__in=rooms_answered_by(user),
        status=BookingStatus.CONFIRMED,
        starts_at__gt=timezone.now(),
        starts_at__gte=rules.local_datetime(first_day, time.min),
        starts_at__lt=rules.local_datetime(last_day + timedelta(days=1), time.min),
    )
    if bookable is not None:
        bookings = bookings.filter(bookable=bookable)
    return bookings.select_related("group", "bookable__room__place").order_by("starts_at", "pk")


def bookings_over_capacity(room: Room, capacity: int, now: datetime) -> list[OverCapacity]:
    """Live bookings (requested or confirmed) of the room, starting after `now`, for more
    people than `capacity` (registered with places.room_capacity by the app config)."""
    bookings = (
        Booking.objects.filter(
            bookable__room=room,
            status__in=LIVE_STATUSES,
            starts_at__gt=now,
            attendees__gt=capacity,
        )
        .select_related("group")
        .order_by("starts_at", "pk")
    )
    return [
        OverCapacity(
            kind=_("Room booking"),
            name=f"{booking.group.name}: {booking.title}",
            starts_at=booking.starts_at,
            people=booking.attendees,
            holder=f"{HOLDER_TYPE}:{booking.pk}",
            admin_url=reverse("admin:spaces_booking_change", args=[booking.pk]),
        )
        for booking in bookings
    ]
