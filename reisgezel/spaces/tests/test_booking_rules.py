"""Booking rules: holds, approval of new groups, opening hours, closures, cancellation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reisgezel.accounts.models import User
from reisgezel.places.models import RoomClaim
from reisgezel.places.services_rooms import room_claim
from reisgezel.spaces.models import (
    HOLDER_TYPE,
    BookableRoom,
    Booking,
    BookingGroup,
    BookingStatus,
    Closure,
    GroupKind,
    GroupStatus,
)
from reisgezel.spaces.services import (
    booking_cancel,
    booking_confirm,
    booking_reject,
    booking_request,
    group_approve,
    group_register,
    group_reject,
)
from reisgezel.spaces.tests.conftest import NOW, at
from tests.factories import make_organisation, member_of

pytestmark = pytest.mark.django_db
TUESDAY = date(2027, 3, 9)


def _request(studio: BookableRoom, group: BookingGroup, actor: User, **kw: object) -> Booking:
    values: dict = {
        "starts_at": at(TUESDAY, 19, 30),
        "ends_at": at(TUESDAY, 21, 30),
        "title": "Repetitie",
        "attendees": 12,
        "now": NOW,
    }
    values.update(kw)
    return booking_request(actor=actor, bookable=studio, group=group, **values)


def test_an_approved_group_is_confirmed_at_once_and_holds_the_room(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    booking = _request(studio, choir, choir_member)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.price == Decimal("25.00")  # 2 hours at 12.50 for an association
    claim = RoomClaim.objects.get(holder_type=HOLDER_TYPE, holder_id=booking.pk)
    assert (claim.starts_at, claim.ends_at) == (booking.starts_at, booking.ends_at)


def test_a_second_request_for_the_same_slot_is_refused_with_the_time(
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    new_group: BookingGroup,
    resident: User,
) -> None:
    _request(studio, choir, choir_member)
    with pytest.raises(ValidationError) as refused:
        _request(studio, new_group, resident, starts_at=at(TUESDAY, 20), ends_at=at(TUESDAY, 22))
    assert "Atelier 1 is already taken on 9 March from 19:30 to 21:30." in refused.value.messages
    assert Booking.objects.count() == 1  # the refused booking row is rolled back too


def test_a_course_session_claim_blocks_a_booking(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    room_claim(
        room=studio.room,
        starts_at=at(TUESDAY, 19),
        ends_at=at(TUESDAY, 21),
        holder_type="learning.session",
        holder_id=7,
    )
    with pytest.raises(ValidationError, match="already taken"):
        _request(studio, choir, choir_member)


def test_a_new_group_waits_for_approval_and_approval_confirms_its_requests(
    studio: BookableRoom, new_group: BookingGroup, resident: User, staff: User
) -> None:
    booking = _request(studio, new_group, resident)
    assert booking.status == BookingStatus.PENDING
    assert price_of(booking) == Decimal("30.00")  # resident rate
    # The pending request already holds the room: nobody else can take it meanwhile.
    assert RoomClaim.objects.filter(holder_id=booking.pk).exists()
    with pytest.raises(PermissionDenied):
        group_approve(actor=resident, group=new_group)
    group_approve(actor=staff, group=new_group, now=NOW)
    booking.refresh_from_db()
    new_group.refresh_from_db()
    assert new_group.status == GroupStatus.APPROVED
    assert booking.status == BookingStatus.CONFIRMED


def price_of(booking: Booking) -> Decimal:
    return booking.price


def test_rejecting_a_group_rejects_its_requests_and_frees_the_room(
    studio: BookableRoom, new_group: BookingGroup, resident: User, staff: User
) -> None:
    booking = _request(studio, new_group, resident)
    with pytest.raises(ValidationError):
        group_reject(actor=staff, group=new_group, reason=" ")
    group_reject(actor=staff, group=new_group, reason="Geen amateurgroep.", now=NOW)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED
    assert booking.rejection_reason == "Geen amateurgroep."
    assert not RoomClaim.objects.exists()
    with pytest.raises(ValidationError, match="not approved"):
        _request(studio, new_group, resident, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 11))


def test_staff_reject_a_request_with_a_reason_or_confirm_it(
    studio: BookableRoom, new_group: BookingGroup, resident: User, staff: User
) -> None:
    first = _request(studio, new_group, resident)
    second = _request(
        studio, new_group, resident, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 11)
    )
    with pytest.raises(ValidationError):
        booking_reject(actor=staff, booking=first, reason="")
    with pytest.raises(PermissionDenied):
        booking_reject(actor=resident, booking=first, reason="no")
    booking_reject(actor=staff, booking=first, reason="Zaal in onderhoud.")
    booking_confirm(actor=staff, booking=second)
    assert not RoomClaim.objects.filter(holder_id=first.pk).exists()
    assert RoomClaim.objects.filter(holder_id=second.pk).exists()
    with pytest.raises(ValidationError):
        booking_confirm(actor=staff, booking=second)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((7, 3), (7, 5), "closed on Sunday"),  # Sunday 14 March: no opening hours
        ((8, 30), (10, 0), "Outside opening hours"),
        ((22, 0), (23, 30), "Outside opening hours"),
    ],
)
def test_a_request_outside_opening_hours_is_refused(
    studio: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    start: tuple,
    end: tuple,
    message: str,
) -> None:
    day = date(2027, 3, 14) if start[0] == 7 else TUESDAY
    with pytest.raises(ValidationError, match=message):
        _request(
            studio,
            choir,
            choir_member,
            starts_at=at(day, *start[1:]) if start[0] == 7 else at(day, *start),
            ends_at=at(day, *end[1:]) if start[0] == 7 else at(day, *end),
        )
    assert not Booking.objects.exists()


def test_a_request_on_a_closure_is_refused_with_the_reason(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    Closure.objects.create(
        place=studio.room.place,
        starts_on=date(2027, 3, 8),
        ends_on=date(2027, 3, 10),
        reason={"nl": "Carnaval", "en": "Carnival"},
    )
    with pytest.raises(ValidationError, match=r"closed that day \(Carnival\)"):
        _request(studio, choir, choir_member)


def test_other_refusals(
    studio: BookableRoom, choir: BookingGroup, choir_member: User, resident: User
) -> None:
    with pytest.raises(PermissionDenied):
        _request(studio, choir, resident)  # not a member of the choir
    with pytest.raises(ValidationError, match="at most 20 people"):
        _request(studio, choir, choir_member, attendees=21)
    studio.room.capacity = None  # nothing entered: still no more than a room can hold
    studio.room.save(update_fields=["capacity"])
    with pytest.raises(ValidationError, match="at most 9999 people"):
        _request(studio, choir, choir_member, attendees=40000)
    with pytest.raises(ValidationError, match="future"):
        _request(
            studio,
            choir,
            choir_member,
            starts_at=at(date(2027, 2, 23), 19, 30),
            ends_at=at(date(2027, 2, 23), 21),
        )
    studio.rates.filter(group_kind=GroupKind.ASSOCIATION).delete()
    with pytest.raises(ValidationError, match="not for hire"):
        _request(studio, choir, choir_member)


def test_cancelling_early_is_free_and_gives_the_room_back(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    booking = _request(studio, choir, choir_member)
    # 9 March 19:30 minus 7 days = 2 March 19:30: cancelling on 2 March at noon is free.
    booking_cancel(actor=choir_member, booking=booking, now=at(date(2027, 3, 2), 12))
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancellation_fee == Decimal("0")
    assert not RoomClaim.objects.exists()
    _request(studio, choir, choir_member)  # the slot is free again


def test_cancelling_late_costs_half_the_price_but_staff_cancel_for_free(
    studio: BookableRoom, choir: BookingGroup, choir_member: User, staff: User
) -> None:
    booking = _request(studio, choir, choir_member)
    booking_cancel(actor=choir_member, booking=booking, now=at(date(2027, 3, 2), 20))
    assert booking.cancellation_fee == Decimal("12.50")
    again = _request(studio, choir, choir_member)
    booking_cancel(actor=staff, booking=again, now=at(date(2027, 3, 8), 20))
    assert again.cancellation_fee == Decimal("0")
    with pytest.raises(ValidationError, match="not active"):
        booking_cancel(actor=staff, booking=again)


def test_a_started_booking_cannot_be_cancelled_and_others_cannot_cancel(
    studio: BookableRoom, choir: BookingGroup, choir_member: User, resident: User
) -> None:
    booking = _request(studio, choir, choir_member)
    with pytest.raises(PermissionDenied):
        booking_cancel(actor=resident, booking=booking, now=NOW)
    with pytest.raises(ValidationError, match="started"):
        booking_cancel(actor=choir_member, booking=booking, now=at(TUESDAY, 20))


def test_registering_groups(resident: User) -> None:
    association = make_organisation(name="Harmonie", slug="harmonie")
    member = member_of(association)
    with pytest.raises(PermissionDenied):
        group_register(
            actor=resident, name="", kind=GroupKind.ASSOCIATION, organisation=association
        )
    group = group_register(
        actor=member, name="", kind=GroupKind.ASSOCIATION, organisation=association
    )
    assert (group.name, group.status, group.contact) == ("Harmonie", GroupStatus.PENDING, member)
    with pytest.raises(ValidationError, match="registered already"):
        group_register(actor=member, name="", kind=GroupKind.ASSOCIATION, organisation=association)
    mine = group_register(actor=resident, name="Buurtkoor", kind=GroupKind.RESIDENT)
    assert mine.organisation is None and mine.status == GroupStatus.PENDING


def test_the_contact_hears_of_decisions_after_commit(
    studio: BookableRoom,
    new_group: BookingGroup,
    resident: User,
    staff: User,
    mailoutbox: list,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = _request(studio, new_group, resident)
    second = _request(
        studio, new_group, resident, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 11)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking_reject(actor=staff, booking=first, reason="Zaal in onderhoud.")
    assert mailoutbox == []  # nothing is sent before the decision commits
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        booking_confirm(actor=staff, booking=second)
        group_approve(actor=staff, group=new_group)
    subjects = [m.subject for m in mailoutbox]
    assert subjects == [  # in the contact's language (Dutch, the default)
        "Je aanvraag is niet aangenomen: Kumulus: Atelier 1",
        "Je boeking is bevestigd: Kumulus: Atelier 1",
        "Schildersclub Anna kan zalen boeken",
    ]
    assert "Reden: Zaal in onderhoud." in mailoutbox[0].body
    assert mailoutbox[0].to == [resident.email]


def test_unanswered_holds_lapse_and_give_the_room_back(
    studio: BookableRoom, new_group: BookingGroup, resident: User
) -> None:
    from datetime import timedelta

    from reisgezel.spaces.services import PENDING_HOLD_DAYS, expire_pending_requests

    booking = _request(studio, new_group, resident)
    created = booking.created_at
    assert expire_pending_requests(now=created + timedelta(days=PENDING_HOLD_DAYS - 1)) == 0
    assert expire_pending_requests(now=created + timedelta(days=PENDING_HOLD_DAYS)) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancellation_fee == Decimal("0")
    assert not RoomClaim.objects.exists()
