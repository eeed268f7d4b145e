"""The room's side cancels confirmed bookings it cannot keep: free of charge, with a
reason the group gets by e-mail, all or nothing, only for the rooms one answers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import get_resolver
from freezegun import freeze_time

from reisgezel.accounts.models import User
from reisgezel.core.models import AuditEntry
from reisgezel.places.models import RoomClaim
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, BookingStatus
from reisgezel.spaces.services import booking_cancel, booking_confirm
from reisgezel.spaces.services_room_cancel import bookings_cancel_by_room
from reisgezel.spaces.tests.conftest import NOW, PARTNER_TUESDAY, at, request_on_tuesday
from tests.factories import make_organisation, member_of

pytestmark = pytest.mark.django_db
# Load the URLconf now: the API's pydantic schemas cannot be built while time is frozen.
get_resolver().url_patterns  # noqa: B018
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
        bookings_cancel_by_room(
            actor=partner_member, bookings=[booking], reason=f"  {LEAK} ", now=NOW
        )
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
        bookings_cancel_by_room(actor=staff, bookings=bookings, reason=LEAK, now=NOW)
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
        bookings_cancel_by_room(actor=stranger, bookings=[theirs], reason=LEAK, now=NOW)
    with pytest.raises(PermissionDenied):
        # The group itself cancels through its own page (and pays a late fee there).
        bookings_cancel_by_room(actor=choir_member, bookings=[theirs], reason=LEAK, now=NOW)
    with pytest.raises(PermissionDenied):
        bookings_cancel_by_room(
            actor=partner_member, bookings=[theirs, houses], reason=LEAK, now=NOW
        )
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CONFIRMED  # all or nothing
    bookings_cancel_by_room(actor=staff, bookings=[houses], reason=LEAK, now=NOW)
    houses.refresh_from_db()
    assert houses.status == BookingStatus.CANCELLED


def test_refusals_say_why_and_cancel_nothing(
    studio: BookableRoom, choir: BookingGroup, choir_member: User, staff: User
) -> None:
    booking = _confirmed(studio, choir, choir_member, staff)
    with pytest.raises(ValidationError) as no_reason:
        bookings_cancel_by_room(actor=staff, bookings=[booking], reason="   ", now=NOW)
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as nothing:
        bookings_cancel_by_room(actor=staff, bookings=[], reason=LEAK, now=NOW)
    assert "bookings" in nothing.value.message_dict
    with pytest.raises(ValidationError, match="already begun"):
        bookings_cancel_by_room(actor=staff, bookings=[booking], reason=LEAK, now=booking.starts_at)
    bookings_cancel_by_room(actor=staff, bookings=[booking], reason=LEAK, now=NOW)
    with pytest.raises(ValidationError, match="not a confirmed booking any more"):
        bookings_cancel_by_room(actor=staff, bookings=[booking], reason=LEAK, now=NOW)
    assert AuditEntry.objects.filter(action="spaces.booking_cancel_by_room").count() == 1


@freeze_time(NOW)
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
    for odd_id in ("9" * 30, "²", "-٣"):  # beyond 64 bits; digits int() does not take
        odd = client.post(url, {"bookings": [odd_id], "reason": LEAK})
        assert odd.status_code == 200 and odd.context["form"].errors["bookings"], odd_id
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


@freeze_time(NOW)
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


def test_a_group_cancelling_after_the_room_did_pays_nothing_and_changes_nothing(
    partner_room: BookableRoom, choir: BookingGroup, choir_member: User, partner_member: User
) -> None:
    # The group's page loaded the booking before the room's side cancelled it.
    booking = _confirmed(partner_room, choir, choir_member, partner_member)
    stale = Booking.objects.get(pk=booking.pk)
    late = at(PARTNER_TUESDAY, 12)  # past the free-cancellation days: a group would pay
    bookings_cancel_by_room(actor=partner_member, bookings=[booking], reason=LEAK, now=late)
    with pytest.raises(ValidationError, match="not active"):
        booking_cancel(actor=choir_member, booking=stale, now=late)
    booking.refresh_from_db()
    assert (booking.cancellation_fee, booking.cancellation_reason) == (Decimal(0), LEAK)


def test_the_terms_of_a_booking_do_not_change_with_the_rooms(
    partner_room: BookableRoom, choir: BookingGroup, choir_member: User, partner_member: User
) -> None:
    booking = _confirmed(partner_room, choir, choir_member, partner_member)
    # The partner lengthens the period for paid cancellations after the booking was made.
    partner_room.free_cancellation_days = 90
    partner_room.save(update_fields=["free_cancellation_days"])
    cancelled = booking_cancel(actor=choir_member, booking=booking, now=NOW)
    assert cancelled.cancellation_fee == Decimal(0)  # 8 days ahead, the 7 days it was booked with


def test_a_partner_that_is_no_longer_active_answers_nothing(
    partner_room: BookableRoom, choir: BookingGroup, choir_member: User, partner_member: User
) -> None:
    booking = _confirmed(partner_room, choir, choir_member, partner_member)
    partner = partner_room.managed_by
    assert partner is not None
    partner.is_active = False
    partner.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        bookings_cancel_by_room(actor=partner_member, bookings=[booking], reason=LEAK, now=NOW)
    client = Client()
    client.force_login(partner_member)
    assert client.get("/en/spaces/staff/").status_code == 403


def test_the_reason_is_checked_by_the_service_too(
    studio: BookableRoom, choir: BookingGroup, choir_member: User, staff: User
) -> None:
    booking = _confirmed(studio, choir, choir_member, staff)
    for reason in ("Lek\x00", "x" * 1001):
        with pytest.raises(ValidationError) as refused:
            bookings_cancel_by_room(actor=staff, bookings=[booking], reason=reason, now=NOW)
        assert "reason" in refused.value.message_dict


def test_the_e_mail_speaks_the_contacts_language_and_survives_a_line_break_in_a_name(
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    resident: User,
    staff: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reisgezel.spaces.services import group_approve, group_register

    odd = group_register(actor=resident, name="Club", kind="resident")
    odd.name = "Club\nBcc: x@example.org"  # as an older row may hold it
    odd.save(update_fields=["name"])
    group_approve(actor=staff, group=odd, now=NOW)
    bookings = [
        _confirmed(studio, choir, choir_member, staff, hour=10),
        _confirmed(studio, odd, resident, staff, hour=14),
    ]
    choir_member.preferred_language = "de"
    choir_member.save(update_fields=["preferred_language"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bookings_cancel_by_room(actor=staff, bookings=bookings, reason=LEAK, now=NOW)
    assert len(mailoutbox) == 2
    german = next(mail for mail in mailoutbox if mail.to == [choir_member.email])
    assert "Kumulus: Atelier 1" in german.body and "stornieren" in german.body
    assert all("\n" not in mail.subject for mail in mailoutbox)


def test_a_group_name_is_kept_on_one_line(resident: User) -> None:
    from reisgezel.spaces.services import group_register

    group = group_register(actor=resident, name="  Club\nBcc: x@example.org\t", kind="resident")
    assert group.name == "Club Bcc: x@example.org"


def test_a_refusal_reason_with_a_nul_is_refused_by_the_service(
    studio: BookableRoom, new_group: BookingGroup, resident: User, staff: User
) -> None:
    from reisgezel.spaces.services import booking_reject, group_reject

    booking = request_on_tuesday(studio, new_group, resident)
    for refuse in (
        lambda: booking_reject(actor=staff, booking=booking, reason="vol\x00", now=NOW),
        lambda: group_reject(actor=staff, group=new_group, reason="nee\x00", now=NOW),
    ):
        with pytest.raises(ValidationError) as refused:
            refuse()
        assert "reason" in refused.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


def test_a_week_beyond_the_platforms_years_shows_this_week(
    client: Client, studio: BookableRoom
) -> None:
    for week in ("9999-12-31", "0001-01-01"):
        page = client.get(f"/en/spaces/rooms/{studio.slug}/", {"week": week})
        assert page.status_code == 200, week


def test_a_member_of_two_partners_invoices_for_one_at_a_time(
    partner_room: BookableRoom, choir: BookingGroup, choir_member: User, partner_member: User
) -> None:
    from reisgezel.places.models import Room
    from reisgezel.spaces.models import RoomRate

    other = make_organisation(name="Theater aan het Vrijthof", slug="vrijthof")
    other.memberships.create(user=partner_member)
    hall = BookableRoom.objects.create(
        room=Room.objects.create(place=partner_room.room.place, name="Zaal", slug="zaal"),
        slug="vrijthof-zaal",
        managed_by=other,
    )
    RoomRate.objects.create(bookable=hall, group_kind="association", hourly_rate=20)
    theirs = _confirmed(partner_room, choir, choir_member, partner_member)
    at_the_other = _confirmed(hall, choir, choir_member, partner_member, hour=10)
    client = Client()
    client.force_login(partner_member)
    query = f"?group={choir.pk}&first_day=2027-03-01&last_day=2027-03-31"
    mixed = client.get("/en/spaces/staff/invoices/" + query)
    assert mixed.context["invoice"] is None and mixed.context["form"].errors["issuer"]
    for issuer, booking in ((partner_room.managed_by, theirs), (other, at_the_other)):
        assert issuer is not None
        page = client.get(f"/en/spaces/staff/invoices/{query}&issuer={issuer.pk}")
        assert [line.booking for line in page.context["invoice"].lines] == [booking]
