"""Weekly bookings for a term (conflict report, booking the free dates), invoices, iCal."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import icalendar
import pytest
from django.test import Client

from reisgezel.accounts.models import User
from reisgezel.places.services_rooms import room_claim
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, BookingStatus, Closure
from reisgezel.spaces.selectors import invoice_for
from reisgezel.spaces.services import booking_cancel, booking_request, series_plan, series_request
from reisgezel.spaces.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
TUESDAY = 1


def _term(studio: BookableRoom) -> dict:
    return {
        "bookable": studio,
        "weekday": TUESDAY,
        "start_time": time(19, 30),
        "end_time": time(21, 30),
        "first_date": date(2027, 3, 1),
        "last_date": date(2027, 4, 30),
    }


def _obstacles(studio: BookableRoom, choir: BookingGroup, choir_member: User) -> None:
    """Tuesdays in March-April 2027: 2, 9, 16, 23, 30 March, 6, 13, 20, 27 April."""
    booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Concert",
        starts_at=at(date(2027, 3, 9), 20),
        ends_at=at(date(2027, 3, 9), 22),
        now=NOW,
    )
    room_claim(
        room=studio.room,
        starts_at=at(date(2027, 3, 23), 18),
        ends_at=at(date(2027, 3, 23), 20),
        holder_type="learning.session",
        holder_id=1,
    )
    Closure.objects.create(
        place=studio.room.place,
        starts_on=date(2027, 4, 5),
        ends_on=date(2027, 4, 18),
        reason={"nl": "Paasvakantie", "en": "Easter holidays"},
    )


def test_the_plan_reports_each_conflicting_date_with_its_reason(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    _obstacles(studio, choir, choir_member)
    plan = series_plan(**_term(studio))
    assert [p.day.day for p in plan] == [2, 9, 16, 23, 30, 6, 13, 20, 27]
    problems = {p.day: p.problem for p in plan if p.problem}
    assert problems == {
        date(2027, 3, 9): "Already booked (20:00-22:00).",
        date(2027, 3, 23): "A course meets in this room (18:00-20:00).",
        date(2027, 4, 6): "The house is closed that day (Easter holidays).",
        date(2027, 4, 13): "The house is closed that day (Easter holidays).",
    }


def test_the_series_books_the_free_dates_and_returns_the_others(
    studio: BookableRoom, choir: BookingGroup, choir_member: User, resident: User
) -> None:
    _obstacles(studio, choir, choir_member)
    from reisgezel.spaces.models import BookingGroup as G
    from reisgezel.spaces.models import GroupKind, GroupStatus

    band = G.objects.create(
        name="Band", kind=GroupKind.RESIDENT, contact=resident, status=GroupStatus.APPROVED
    )
    outcome = series_request(
        actor=resident, group=band, title="Bandrepetitie", attendees=5, now=NOW, **_term(studio)
    )
    assert [b.starts_at.day for b in outcome.booked] == [2, 16, 30, 20, 27]
    assert [r.day.day for r in outcome.refused] == [9, 23, 6, 13]
    assert all(
        b.status == BookingStatus.CONFIRMED and b.series == outcome.series for b in outcome.booked
    )
    assert Booking.objects.filter(group=band).count() == 5


def test_a_series_skips_past_dates_and_refuses_bad_input(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    from django.core.exceptions import ValidationError

    term = _term(studio) | {"first_date": date(2027, 2, 1)}
    outcome = series_request(actor=choir_member, group=choir, title="Koor", now=NOW, **term)
    assert min(b.starts_at for b in outcome.booked) > NOW
    with pytest.raises(ValidationError):
        series_plan(**_term(studio) | {"end_time": time(19)})
    with pytest.raises(ValidationError):
        series_plan(**_term(studio) | {"last_date": date(2028, 6, 1)})


def test_invoice_totals_confirmed_bookings_and_late_fees_in_the_period(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    def book(day: int, start: int, end: int) -> Booking:
        d = date(2027, 3, day)
        return booking_request(
            actor=choir_member,
            bookable=studio,
            group=choir,
            title=f"R{day}",
            starts_at=at(d, start),
            ends_at=at(d, end),
            now=NOW,
        )

    book(2, 19, 21)  # 25.00
    book(9, 19, 22)  # 37.50
    late = book(16, 19, 21)
    booking_cancel(actor=choir_member, booking=late, now=at(date(2027, 3, 15), 9))  # fee 12.50
    early = book(23, 19, 21)
    booking_cancel(actor=choir_member, booking=early, now=NOW)  # free
    book(2, 10, 12)  # in March too: 25.00
    outside = booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="April",
        starts_at=at(date(2027, 4, 1), 19),
        ends_at=at(date(2027, 4, 1), 21),
        now=NOW,
    )
    invoice = invoice_for(group=choir, first_day=date(2027, 3, 1), last_day=date(2027, 3, 31))
    assert invoice.total == Decimal("100.00")
    assert len(invoice.lines) == 4
    assert outside.pk not in {line.booking.pk for line in invoice.lines}


def test_the_ical_feed_lists_bookings_and_courses_without_names(
    client: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    soon = timezone.localdate() + timedelta(days=10)
    while soon.weekday() == 6:
        soon += timedelta(days=1)
    booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Geheime repetitie",
        starts_at=at(soon, 19, 30),
        ends_at=at(soon, 21, 30),
    )
    room_claim(
        room=studio.room,
        starts_at=at(soon, 10),
        ends_at=at(soon, 12),
        holder_type="learning.session",
        holder_id=3,
    )
    response = client.get("/en/spaces/rooms/kumulus-atelier-1/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == ["Course", "Booked"]
    assert events[1].decoded("dtstart") == at(soon, 19, 30)
    assert events[1].decoded("dtend") == at(soon, 21, 30)
    assert b"Geheime" not in response.content and b"Koor" not in response.content
