"""The room's side cancels confirmed bookings it cannot keep: free of charge, with a
reason the group gets by e-mail, all or nothing, only for the rooms one answers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from reisgezel.accounts.models import User
from reisgezel.core.models import AuditEntry
from reisgezel.places.models import RoomClaim
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, BookingStatus
from reisgezel.spaces.services import booking_confirm
from reisgezel.spaces.services_room_cancel import bookings_cancel_by_room
from reisgezel.spaces.tests.conftest import NOW, PARTNER_TUESDAY, request_on_tuesday
from tests.factories import make_organisation, member_of

pytestmark = pytest.mark.django_db
LEAK = "Waterschade: de zaal is dicht."
PERIOD = {"first_day": "2027-03-08", "last_day": "2027-03-14"}


def _confirmed(
    bookable: BookableRoom, group: BookingGroup, actor: User, answerer: User, hour: int = 19
) -> Booking:
    booking = request_on_tuesday(bookable, group, actor, hour=hour)
    if booking.status == BookingStatus.PENDING:
        booking_confirm(actor=answerer, booking=booking, now=NOW)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    return booking


def test_the_partner_cancels_a_booking_of_its_room_free_and_the_group_hears_why(
    partner_room: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    partner_member: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    booking = _confirmed(partner_room, choir, choir_member, partner_member)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bookings_cancel_by_room(actor=partner_member, bookings=[booking], reason=f"  {LEAK} ")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancellation_fee == Decimal(0)
    assert booking.cancellation_reason == LEAK
    assert not RoomClaim.objects.filter(holder_id=booking.pk).exists()
    # The time is free again for another request.
    assert request_on_tuesday(partner_room, choir, choir_member).pk != booking.pk
    entry = AuditEntry.objects.get(action="spaces.booking_cancel_by_room")
    assert entry.message == LEAK
    (mail,) = mailoutbox
    assert mail.to == [choir_member.email]
    assert "Koor Wyck" in mail.subject
    assert LEAK in mail.body and "Repetitie" in mail.body


def test_one_e_mail_per_group_for_several_dates(
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    staff: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    bookings = [_confirmed(studio, choir, choir_member, staff, hour=h) for h in (10, 14, 19)]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bookings_cancel_by_room(actor=staff, bookings=bookings, reason=LEAK)
    (mail,) = mailoutbox
    assert mail.body.count("Repetitie") == 3


def test_only_who_answers_the_room_cancels_from_the_rooms_side(
    partner_room: BookableRoom,
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    partner_member: User,
    staff: User,
) -> None:
    theirs = _confirmed(partner_room, choir, choir_member, partner_member)
    houses = _confirmed(studio, choir, choir_member, staff)
    stranger = member_of(make_organisation(name="Ander koor", slug="ander-koor"))
    with pytest.raises(PermissionDenied):
        bookings_cancel_by_room(actor=stranger, bookings=[theirs], reason=LEAK)
    with pytest.raises(PermissionDenied):
        # The group itself cancels through its own page (and pays a late fee there).
        bookings_cancel_by_room(actor=choir_member, bookings=[theirs], reason=LEAK)
    with pytest.raises(PermissionDenied):
        bookings_cancel_by_room(actor=partner_member, bookings=[theirs, houses], reason=LEAK)
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CONFIRMED  # all or nothing
    bookings_cancel_by_room(actor=staff, bookings=[houses], reason=LEAK)
    houses.refresh_from_db()
    assert houses.status == BookingStatus.CANCELLED


def test_refusals_say_why_and_cancel_nothing(
    studio: BookableRoom, choir: BookingGroup, choir_member: User, staff: User
) -> None:
    booking = _confirmed(studio, choir, choir_member, staff)
    with pytest.raises(ValidationError) as no_reason:
        bookings_cancel_by_room(actor=staff, bookings=[booking], reason="   ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as nothing:
        bookings_cancel_by_room(actor=staff, bookings=[], reason=LEAK)
    assert "bookings" in nothing.value.message_dict
    with pytest.raises(ValidationError, match="already begun"):
        bookings_cancel_by_room(actor=staff, bookings=[booking], reason=LEAK, now=booking.starts_at)
    bookings_cancel_by_room(actor=staff, bookings=[booking], reason=LEAK)
    with pytest.raises(ValidationError, match="not a confirmed booking any more"):
        bookings_cancel_by_room(actor=staff, bookings=[booking], reason=LEAK)
    assert AuditEntry.objects.filter(action="spaces.booking_cancel_by_room").count() == 1


def test_the_desk_page_lists_and_cancels_only_the_partners_own_bookings(
    partner_room: BookableRoom,
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    partner_member: User,
    staff: User,
) -> None:
    theirs = _confirmed(partner_room, choir, choir_member, partner_member)
    houses = _confirmed(studio, choir, choir_member, staff, hour=10)
    client = Client()
    client.force_login(partner_member)
    url = "/en/spaces/staff/bookings/?first_day={first_day}&last_day={last_day}".format(**PERIOD)
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{theirs.pk}"' in page.text and f'value="{houses.pk}"' not in page.text

    no_reason = client.post(url, {"bookings": [theirs.pk], "reason": ""})
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"]
    not_theirs = client.post(url, {"bookings": [houses.pk], "reason": LEAK})
    assert not_theirs.status_code == 200 and not_theirs.context["form"].errors["bookings"]
    beyond_64_bits = client.post(url, {"bookings": ["9" * 30], "reason": LEAK})
    assert beyond_64_bits.status_code == 200
    houses.refresh_from_db()
    assert houses.status == BookingStatus.CONFIRMED

    done = client.post(url, {"bookings": [theirs.pk], "reason": LEAK})
    assert done.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CANCELLED
    assert "1 booking is cancelled" in client.get(done["Location"]).text

    group_side = Client()
    group_side.force_login(choir_member)
    assert LEAK in group_side.get("/en/spaces/my/").text
    assert group_side.get(url).status_code == 403  # a group does not reach the desk


def test_the_desk_refuses_an_impossible_period_without_an_error_page(
    partner_room: BookableRoom, partner_member: User
) -> None:
    client = Client()
    client.force_login(partner_member)
    for query in (
        "first_day=9999-01-01",
        "first_day=2027-03-14&last_day=2027-03-08",
        "bookable=99999999999999999999999",
    ):
        page = client.get(f"/en/spaces/staff/bookings/?{query}")
        assert page.status_code == 200
        assert page.context["period"].errors, query


def test_a_closure_on_the_desk_links_to_the_bookings_of_its_days(
    partner_room: BookableRoom, partner_member: User
) -> None:
    from reisgezel.spaces.services_closures import room_closure_add

    room_closure_add(
        actor=partner_member,
        bookable=partner_room,
        starts_on=PARTNER_TUESDAY,
        ends_on=PARTNER_TUESDAY + timedelta(days=2),
        today=NOW.date(),
    )
    client = Client()
    client.force_login(partner_member)
    desk = client.get("/en/spaces/staff/").text
    assert (
        f"/en/spaces/staff/bookings/?bookable={partner_room.pk}&amp;first_day=2027-03-09"
        "&amp;last_day=2027-03-11" in desk
    )


def test_whoever_answers_a_room_invoices_it_and_no_booking_is_billed_twice(
    partner_room: BookableRoom,
    studio: BookableRoom,
    choir: BookingGroup,
    new_group: BookingGroup,
    choir_member: User,
    partner_member: User,
    staff: User,
) -> None:
    theirs = _confirmed(partner_room, choir, choir_member, partner_member)
    houses = _confirmed(studio, choir, choir_member, staff, hour=10)
    query = f"?group={choir.pk}&first_day=2027-03-01&last_day=2027-03-31"
    partner_side = Client()
    partner_side.force_login(partner_member)
    invoice = partner_side.get("/en/spaces/staff/invoices/" + query).context["invoice"]
    assert [line.booking for line in invoice.lines] == [theirs]
    csv_rows = partner_side.get("/en/spaces/staff/invoices/" + query + "&export=csv").text
    assert "Repetitieruimte" in csv_rows and "Atelier 1" not in csv_rows
    # A group that never booked the partner's rooms is not the partner's to invoice.
    stranger = partner_side.get(
        f"/en/spaces/staff/invoices/?group={new_group.pk}&first_day=2027-03-01&last_day=2027-03-31"
    )
    assert stranger.status_code == 200 and stranger.context["form"].errors["group"]

    desk = Client()
    desk.force_login(staff)
    invoice = desk.get("/en/spaces/staff/invoices/" + query).context["invoice"]
    assert [line.booking for line in invoice.lines] == [houses]

    group_side = Client()
    group_side.force_login(choir_member)
    assert group_side.get("/en/spaces/staff/invoices/" + query).status_code == 403
