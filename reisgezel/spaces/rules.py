"""Rules of a room's time that need no writes: opening hours, closures, prices, local times.

Pure reads shared by the booking services, the weekly planner and the calendar page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from reisgezel.places.models import OpeningHours, RoomClaim
from reisgezel.spaces.models import (
    HOLDER_TYPE,
    BookableRoom,
    Booking,
    BookingGroup,
    Closure,
    GroupKind,
    GroupStatus,
    RoomRate,
)

# How far ahead a weekly series may reach: one term, at most a year.
MAX_SERIES_DAYS = 366
# Late cancellations by a group cost this share of the price.
LATE_CANCELLATION_SHARE = Decimal("0.5")
CENT = Decimal("0.01")


def city_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=city_tz())


def exists_locally(moment: datetime) -> bool:
    """Whether a wall-clock time exists in the city: 02:30 on the night the clocks go
    forward does not (it would be stored as 01:30 UTC, an hour that is also 03:30)."""
    tz = city_tz()
    wall = moment.astimezone(tz)  # unchanged when it is in the city's zone already
    back = wall.astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None) == wall.replace(tzinfo=None)


def time_gap_problem(starts_at: datetime, ends_at: datetime) -> str | None:
    if exists_locally(starts_at) and exists_locally(ends_at):
        return None
    return _("This time does not exist on this day: the clocks go forward an hour.")


def opening_hours_of(bookable: BookableRoom) -> list[OpeningHours]:
    return list(OpeningHours.objects.filter(place_id=bookable.room.place_id))


def hours_problem(hours: list[OpeningHours], starts_at: datetime, ends_at: datetime) -> str | None:
    """Why a booking falls outside the house's opening hours, or None.

    A house without any opening hours entered has no such limit."""
    start = starts_at.astimezone(city_tz())
    end = ends_at.astimezone(city_tz())
    if start.date() != end.date():
        return _("A booking starts and ends on the same day.")
    if not hours:
        return None
    today = [h for h in hours if h.weekday == start.weekday()]
    if any(h.opens <= start.time() and end.time() <= h.closes for h in today):
        return None
    if not today:
        return _("The house is closed on %(weekday)s.") % {
            "weekday": formats.date_format(start, "l")
        }
    periods = ", ".join(f"{h.opens:%H:%M}-{h.closes:%H:%M}" for h in today)
    return _("Outside opening hours: on %(weekday)s the house is open %(periods)s.") % {
        "weekday": formats.date_format(start, "l"),
        "periods": periods,
    }


def closures_of(bookable: BookableRoom, first: date, last: date) -> list[Closure]:
    """The room's own closures and those of the whole house it is in, overlapping the
    days. A room's closure closes the room whatever house its row names: the row may
    have been entered under another house, or the room moved since."""
    return list(
        Closure.objects.filter(
            Q(bookable=bookable) | Q(bookable__isnull=True, place_id=bookable.room.place_id),
            starts_on__lte=last,
            ends_on__gte=first,
        )
    )


def closure_problem(closures: list[Closure], day: date) -> str | None:
    for closure in closures:
        if closure.starts_on <= day <= closure.ends_on:
            reason = str(closure.reason)
            if reason:
                return _("The house is closed that day (%(reason)s).") % {"reason": reason}
            return _("The house is closed that day.")
    return None


def claim_problem(claim: RoomClaim) -> str:
    """What holds the room, said without naming who (privacy)."""
    start = claim.starts_at.astimezone(city_tz())
    end = claim.ends_at.astimezone(city_tz())
    span = f"{start:%H:%M}-{end:%H:%M}"
    if claim.holder_type == HOLDER_TYPE:
        return _("Already booked (%(span)s).") % {"span": span}
    if claim.holder_type.startswith("learning."):
        return _("A course meets in this room (%(span)s).") % {"span": span}
    return _("The room is taken (%(span)s).") % {"span": span}


# Who books a room without a capacity entered still books for a number a room can hold:
# larger is a typing error (and more than the database's small integer takes).
MAX_ATTENDEES = 9999


def confirmed_at_once(bookable: BookableRoom, group: BookingGroup) -> bool:
    """A request is confirmed as it is made when the houses' desk runs the room and
    staff approved the group; otherwise it waits (for the group's approval, or for the
    partner whose own room it is)."""
    return bookable.managed_by_id is None and group.status == GroupStatus.APPROVED


def rate_for(bookable: BookableRoom, kind: str) -> RoomRate | None:
    return RoomRate.objects.filter(bookable=bookable, group_kind=kind).first()


def price_of(hourly_rate: Decimal, starts_at: datetime, ends_at: datetime) -> Decimal:
    hours = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
    return (hourly_rate * hours).quantize(CENT, rounding=ROUND_HALF_UP)


def late_fee(price: Decimal) -> Decimal:
    return (price * LATE_CANCELLATION_SHARE).quantize(CENT, rounding=ROUND_HALF_UP)


def free_cancellation_until(bookable: BookableRoom, starts_at: datetime) -> datetime:
    """The last moment a group cancels without a fee: N whole days before the start on
    the city's wall clock (7 days before Tuesday 19:30 is Tuesday 19:30, also across a
    change of the clocks). Counted in the city's zone whatever zone `starts_at` comes
    in: in UTC (as read from the database) the deadline would be an hour off whenever
    the clocks change in between. Migration 0006 corrects the deadlines 0005 counted
    that way."""
    local_start = starts_at.astimezone(city_tz())
    return local_start - timedelta(days=bookable.free_cancellation_days)


def free_cancellation_deadline(booking: Booking) -> datetime:
    """The deadline fixed when the booking was made (older bookings: from the room)."""
    if booking.free_cancellation_until is not None:
        return booking.free_cancellation_until
    return free_cancellation_until(booking.bookable, booking.starts_at)


def weekly_dates(weekday: int, first: date, last: date) -> list[date]:
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    dates = []
    while day <= last:
        dates.append(day)
        day += timedelta(days=7)
    return dates


def kind_label(kind: str) -> str:
    return str(GroupKind(kind).label)
