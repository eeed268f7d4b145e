"""Cancelling confirmed bookings from the room's side.

Whoever answers a room's requests (staff, or the partner whose own room it is) may
cancel bookings the room cannot keep after all: a leak, a renovation, a closure decided
after the bookings were made. Unlike a group's own cancellation this costs the group
nothing, a reason is required, and the group's contact hears of it by e-mail (after
commit, one message per group). A request that still waits is rejected instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.places.services_rooms import room_release
from reisgezel.spaces.models import HOLDER_TYPE, Booking, BookingStatus
from reisgezel.spaces.permissions import require_answerer
from reisgezel.spaces.rules import city_tz
from reisgezel.spaces.tasks import notify_cancelled_by_room

MAX_REASON = 1000
# One action at most this many bookings: a term of weekly bookings in a few rooms.
MAX_AT_ONCE = 200


def _when(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(city_tz()), "j F Y, H:i")


def _check_input(bookings: Sequence[Booking], reason: str) -> None:
    errors: dict[str, list[str]] = {}
    if not bookings:
        errors["bookings"] = [_("Choose the bookings to cancel.")]
    elif len(bookings) > MAX_AT_ONCE:
        errors["bookings"] = [_("Cancel at most %(max)d bookings at once.") % {"max": MAX_AT_ONCE}]
    if not reason:
        errors["reason"] = [_("Say why, so the group understands.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("Write at most %(max)d characters.") % {"max": MAX_REASON}]
    else:
        try:
            ProhibitNullCharactersValidator()(reason)  # PostgreSQL stores no NUL
        except ValidationError as exc:
            errors["reason"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)


def bookings_cancel_by_room(
    *, actor: Any, bookings: Sequence[Booking], reason: str, now: datetime | None = None
) -> list[Booking]:
    """Cancel these confirmed, not yet started bookings, free of charge, with `reason`.

    All or nothing: one booking that may not be cancelled (another room, no longer
    confirmed, already begun) refuses the whole action with its reason."""
    now = now or timezone.now()
    reason = reason.strip()
    _check_input(bookings, reason)
    with transaction.atomic():
        # Locked and read again: the group may have cancelled in the meantime.
        locked = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("bookable__room__place", "bookable__managed_by", "group")
            .filter(pk__in=[booking.pk for booking in bookings])
            .order_by("starts_at", "pk")
        )
        for booking in locked:
            require_answerer(actor, booking.bookable)
            values = {"title": booking.title, "when": _when(booking.starts_at)}
            if booking.status != BookingStatus.CONFIRMED:
                raise ValidationError(
                    _("%(title)s on %(when)s is not a confirmed booking any more.") % values
                )
            if booking.starts_at <= now:
                raise ValidationError(_("%(title)s on %(when)s has already begun.") % values)
        for booking in locked:
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            booking.cancellation_fee = Decimal(0)
            booking.cancellation_reason = reason
            booking.save(
                update_fields=[
                    "status",
                    "cancelled_at",
                    "cancellation_fee",
                    "cancellation_reason",
                    "updated_at",
                ]
            )
            room_release(HOLDER_TYPE, booking.pk)
            audit_record(
                actor=actor, action="spaces.booking_cancel_by_room", target=booking, message=reason
            )
        ids = [booking.pk for booking in locked]
        transaction.on_commit(lambda: notify_cancelled_by_room.enqueue(booking_ids=ids))
    return locked
