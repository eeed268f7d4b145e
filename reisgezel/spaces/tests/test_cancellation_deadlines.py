"""The free-cancellation deadline is N days before the start on the city's wall clock
(a Tuesday 19:30 booking: the Tuesday before at 19:30), also across a change of the
clocks and whatever zone the start is given in; migration 0006 corrects the deadlines
migration 0005 worked out in UTC."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from importlib import import_module

import pytest
from django.apps import apps

from reisgezel.accounts.models import User
from reisgezel.spaces import rules
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, BookingStatus
from reisgezel.spaces.services import booking_request
from reisgezel.spaces.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
# Summer time starts on Sunday 28 March 2027: a week before Tuesday 30 March is winter.
AFTER_THE_CHANGE = date(2027, 3, 30)
BEFORE_THE_CHANGE = date(2027, 3, 23)
NO_CHANGE = date(2027, 3, 16)


def _book(studio: BookableRoom, choir: BookingGroup, actor: User, day: date) -> Booking:
    return booking_request(
        actor=actor,
        bookable=studio,
        group=choir,
        starts_at=at(day, 19, 30),
        ends_at=at(day, 21, 30),
        title="Repetitie",
        now=NOW,
    )


def test_the_deadline_is_on_the_wall_clock_whatever_zone_the_start_is_in(
    studio: BookableRoom,
) -> None:
    in_utc = at(AFTER_THE_CHANGE, 19, 30).astimezone(UTC)
    deadline = rules.free_cancellation_until(studio, in_utc)
    assert deadline == at(BEFORE_THE_CHANGE, 19, 30)
    assert deadline - in_utc == -timedelta(days=7, hours=-1)  # the clocks went forward


def test_an_older_booking_without_a_fixed_deadline_counts_on_the_wall_clock(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    booking = _book(studio, choir, choir_member, AFTER_THE_CHANGE)
    Booking.objects.filter(pk=booking.pk).update(free_cancellation_until=None)
    older = Booking.objects.get(pk=booking.pk)  # its start comes back from the database
    assert rules.free_cancellation_deadline(older) == at(BEFORE_THE_CHANGE, 19, 30)


def test_migration_0006_moves_the_utc_deadlines_of_0005_to_the_wall_clock(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    filled_by_0005 = import_module(
        "reisgezel.spaces.migrations.0005_booking_terms_fixed_at_booking"
    ).fix_terms_of_live_bookings
    corrected_by_0006 = import_module(
        "reisgezel.spaces.migrations.0006_cancellation_deadlines_in_city_time"
    ).deadlines_in_city_time
    across = _book(studio, choir, choir_member, AFTER_THE_CHANGE)
    same_season = _book(studio, choir, choir_member, NO_CHANGE)
    cancelled = _book(studio, choir, choir_member, AFTER_THE_CHANGE + timedelta(days=7))
    Booking.objects.update(free_cancellation_until=None)
    filled_by_0005(apps, None)
    Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CANCELLED)
    # A deadline made by the service on the wall clock, a day's notice for this room.
    made_by_the_service = _book(studio, choir, choir_member, AFTER_THE_CHANGE + timedelta(days=1))
    Booking.objects.filter(pk=made_by_the_service.pk).update(
        free_cancellation_until=at(AFTER_THE_CHANGE - timedelta(days=6), 19, 30)
    )

    def deadline(booking: Booking) -> object:
        return Booking.objects.get(pk=booking.pk).free_cancellation_until

    before = {b.pk: deadline(b) for b in (across, same_season, cancelled, made_by_the_service)}
    assert before[across.pk] == at(BEFORE_THE_CHANGE, 18, 30)  # 0005's UTC arithmetic

    corrected_by_0006(apps, None)
    assert deadline(across) == at(BEFORE_THE_CHANGE, 19, 30)
    assert deadline(same_season) == before[same_season.pk] == at(NO_CHANGE - timedelta(7), 19, 30)
    # A cancelled booking's fee was settled against the deadline it had: it stays.
    assert deadline(cancelled) == before[cancelled.pk]
    assert deadline(made_by_the_service) == before[made_by_the_service.pk]
    corrected_by_0006(apps, None)  # running it again changes nothing
    assert deadline(across) == at(BEFORE_THE_CHANGE, 19, 30)
