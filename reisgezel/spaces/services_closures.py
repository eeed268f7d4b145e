"""Closing one room for some days, by whoever answers its requests (staff, or the partner
whose own room it is): a holiday, a renovation. Requests for those days are refused
with the reason (rules.closure_problem); bookings already made are listed, not cancelled:
whoever answers the room cancels those it cannot keep with a reason for the group
(services_room_cancel)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.core.date_range import in_range, range_message
from reisgezel.core.i18n import language_map
from reisgezel.spaces import rules
from reisgezel.spaces.models import BookableRoom, Booking, BookingStatus, Closure
from reisgezel.spaces.permissions import require_answerer, require_booking_staff

MAX_CLOSURE_DAYS = 366


def bookings_during(bookable: BookableRoom, first: date, last: date) -> list[Booking]:
    """The live bookings of the room that start on one of these days."""
    return list(
        Booking.objects.filter(
            bookable=bookable,
            status__in=(BookingStatus.PENDING, BookingStatus.CONFIRMED),
            starts_at__gte=rules.local_datetime(first, time.min),
            starts_at__lt=rules.local_datetime(last + timedelta(days=1), time.min),
        )
        .select_related("group")
        .order_by("starts_at")
    )


def room_closure_add(
    *,
    actor: Any,
    bookable: BookableRoom,
    starts_on: date,
    ends_on: date,
    reason: dict[str, str] | None = None,
    today: date | None = None,
) -> tuple[Closure, list[Booking]]:
    """Close the room from `starts_on` to `ends_on` (both included). Returns the closure
    and the live bookings in those days, which stand until someone cancels them."""
    require_answerer(actor, bookable)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not in_range(day):
            errors[field] = [range_message()]
    if not errors:
        if ends_on < starts_on:
            errors["ends_on"] = [_("The last day must not be before the first day.")]
        elif ends_on < today:
            errors["ends_on"] = [_("These days have passed.")]
        elif (ends_on - starts_on).days >= MAX_CLOSURE_DAYS:
            errors["ends_on"] = [
                _("Close a room for at most %(days)d days at a time.") % {"days": MAX_CLOSURE_DAYS}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        closure = Closure.objects.create(
            place_id=bookable.room.place_id,
            bookable=bookable,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=language_map(reason or {}),
        )
        audit_record(actor=actor, action="spaces.room_closure_add", target=closure)
    return closure, bookings_during(bookable, starts_on, ends_on)


def room_closure_remove(*, actor: Any, closure: Closure) -> None:
    """Reopen: only a closure of one room; a closure of the whole house is staff's."""
    if closure.bookable is None:
        require_booking_staff(actor)
    else:
        require_answerer(actor, closure.bookable)
    with transaction.atomic():
        audit_record(actor=actor, action="spaces.room_closure_remove", target=closure)
        closure.delete()
