"""A partner's own room: its members answer the requests, on their own desk, and hear of them."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from reisgezel.accounts.models import User
from reisgezel.spaces.models import (
    BookableRoom,
    BookingGroup,
    BookingStatus,
    GroupStatus,
)
from reisgezel.spaces.services import (
    booking_confirm,
    booking_reject,
    group_approve,
    series_request,
)
from reisgezel.spaces.tests.conftest import NOW, request_on_tuesday
from tests.factories import make_organisation, member_of

pytestmark = pytest.mark.django_db
TUESDAY = date(2027, 3, 9)


def test_requests_for_a_partner_room_wait_for_the_partner_even_from_an_approved_group(
    partner_room: BookableRoom,
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    partner_member: User,
) -> None:
    assert choir.status == GroupStatus.APPROVED
    assert request_on_tuesday(studio, choir, choir_member).status == BookingStatus.CONFIRMED
    waiting = request_on_tuesday(partner_room, choir, choir_member)
    assert waiting.status == BookingStatus.PENDING
    assert booking_confirm(actor=partner_member, booking=waiting).status == BookingStatus.CONFIRMED


def test_only_the_partner_and_staff_answer_and_only_for_its_own_rooms(
    partner_room: BookableRoom,
    studio: BookableRoom,
    new_group: BookingGroup,
    resident: User,
    partner_member: User,
    staff: User,
) -> None:
    theirs = request_on_tuesday(partner_room, new_group, resident)
    desk_room = request_on_tuesday(studio, new_group, resident)
    stranger = member_of(make_organisation(name="Ander koor", slug="ander-koor"))
    for actor in (stranger, resident):
        with pytest.raises(PermissionDenied):
            booking_confirm(actor=actor, booking=theirs)
    with pytest.raises(PermissionDenied):
        booking_reject(actor=partner_member, booking=desk_room, reason="Niet van ons.")
    booking_reject(actor=partner_member, booking=theirs, reason="Dan repeteert de fanfare.")
    booking_confirm(actor=staff, booking=desk_room)
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.REJECTED
    assert theirs.rejection_reason == "Dan repeteert de fanfare."


def test_approving_a_group_leaves_its_partner_room_requests_to_the_partner(
    partner_room: BookableRoom,
    studio: BookableRoom,
    new_group: BookingGroup,
    resident: User,
    staff: User,
    mailoutbox: list,
    django_capture_on_commit_callbacks: Any,
) -> None:
    at_desk = request_on_tuesday(studio, new_group, resident)
    at_partner = request_on_tuesday(partner_room, new_group, resident)
    with django_capture_on_commit_callbacks(execute=True):
        group_approve(actor=staff, group=new_group)
    # The contact is told that not everything is confirmed yet (in Dutch, the default).
    assert "wachten nog op het antwoord" in mailoutbox[-1].body
    at_desk.refresh_from_db()
    at_partner.refresh_from_db()
    assert (at_desk.status, at_partner.status) == (BookingStatus.CONFIRMED, BookingStatus.PENDING)


def test_the_partner_hears_of_a_request_once_per_single_date_or_series(
    partner_room: BookableRoom,
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    partner_member: User,
    mailoutbox: list,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request_on_tuesday(studio, choir, choir_member)  # the houses' room: nobody to tell
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        request_on_tuesday(partner_room, choir, choir_member)
        series_request(
            actor=choir_member,
            bookable=partner_room,
            group=choir,
            title="Wekelijkse repetitie",
            weekday=TUESDAY.weekday(),
            start_time=time(20),
            end_time=time(22),
            first_date=TUESDAY,
            last_date=date(2027, 3, 30),
            now=NOW,
        )
    assert [m.to for m in mailoutbox] == [["desk@muziekhuis.example"]] * 2
    assert mailoutbox[0].subject == "Een boekingsaanvraag voor Muziekhuis: Repetitieruimte"
    assert "Koor Wyck" in mailoutbox[0].body and "/nl/spaces/staff/" in mailoutbox[0].body
    assert "4 datums" in mailoutbox[1].body  # the series: 9, 16, 23 and 30 March


def test_the_partner_desk_shows_and_answers_only_its_own_rooms(
    client: Client,
    partner_room: BookableRoom,
    studio: BookableRoom,
    new_group: BookingGroup,
    resident: User,
    partner_member: User,
) -> None:
    theirs = request_on_tuesday(partner_room, new_group, resident)
    desk_room = request_on_tuesday(studio, new_group, resident, hour=10)
    client.force_login(resident)
    assert client.get("/en/spaces/staff/").status_code == 403
    client.force_login(partner_member)
    home = client.get("/en/partners/")
    assert "Booking requests for your rooms" in home.text and "(1 waiting)" in home.text
    desk = client.get("/en/spaces/staff/")
    assert desk.status_code == 200
    assert f'id="booking-{theirs.pk}"' in desk.text
    assert f'id="booking-{desk_room.pk}"' not in desk.text
    assert "New groups" not in desk.text  # staff's work
    refused = client.post(f"/en/spaces/staff/bookings/{desk_room.pk}/", {"confirm": "1"})
    assert refused.status_code == 404
    client.post(f"/en/spaces/staff/bookings/{theirs.pk}/", {"confirm": "1"})
    theirs.refresh_from_db()
    desk_room.refresh_from_db()
    assert (theirs.status, desk_room.status) == (BookingStatus.CONFIRMED, BookingStatus.PENDING)
    assert client.get("/en/spaces/staff/invoices/").status_code == 200  # its own rooms
    room_page = client.get(f"/en/spaces/rooms/{partner_room.slug}/")
    assert "Requests answered by" in room_page.text and "Muziekhuis Wyck" in room_page.text
