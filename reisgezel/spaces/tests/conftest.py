"""Fixtures of the spaces tests: a house with opening hours, a bookable studio, groups."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from reisgezel.accounts.models import Organisation, OrganisationKind, User
from reisgezel.places.models import OpeningHours, Room
from reisgezel.spaces.models import (
    BookableRoom,
    Booking,
    BookingGroup,
    GroupKind,
    GroupStatus,
    RoomRate,
)
from reisgezel.spaces.services import booking_request
from tests.factories import make_organisation, make_place, make_user, member_of

AMS = ZoneInfo("Europe/Amsterdam")
# A fixed "now" before every date the tests book: Monday 1 March 2027, 10:00.
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=AMS)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


@pytest.fixture
def studio() -> BookableRoom:
    place = make_place(name="Kumulus", slug="kumulus")
    for weekday in range(6):  # Monday to Saturday, 09:00-23:00; closed on Sunday
        OpeningHours.objects.create(place=place, weekday=weekday, opens=time(9), closes=time(23))
    room = Room.objects.create(place=place, name="Atelier 1", slug="atelier-1", capacity=20)
    bookable = BookableRoom.objects.create(room=room, slug="kumulus-atelier-1")
    RoomRate.objects.create(
        bookable=bookable, group_kind=GroupKind.ASSOCIATION, hourly_rate=Decimal("12.50")
    )
    RoomRate.objects.create(
        bookable=bookable, group_kind=GroupKind.RESIDENT, hourly_rate=Decimal("15.00")
    )
    RoomRate.objects.create(
        bookable=bookable, group_kind=GroupKind.COMMERCIAL, hourly_rate=Decimal("45.00")
    )
    return bookable


@pytest.fixture
def choir_member() -> User:
    return make_user(username="choir-member")


@pytest.fixture
def choir(choir_member: User) -> BookingGroup:
    organisation = make_organisation(
        name="Koor Wyck", slug="koor-wyck", kind=OrganisationKind.ASSOCIATION
    )
    member_of(organisation, username="choir-contact")
    from reisgezel.accounts.models import Membership

    Membership.objects.create(user=choir_member, organisation=organisation)
    return BookingGroup.objects.create(
        name="Koor Wyck",
        kind=GroupKind.ASSOCIATION,
        organisation=organisation,
        contact=choir_member,
        status=GroupStatus.APPROVED,
    )


@pytest.fixture
def resident() -> User:
    return make_user(username="resident")


@pytest.fixture
def new_group(resident: User) -> BookingGroup:
    return BookingGroup.objects.create(
        name="Schildersclub Anna", kind=GroupKind.RESIDENT, contact=resident
    )


@pytest.fixture
def staff() -> User:
    return make_user(username="desk", is_staff=True)


# --- A partner's own room (managed_by) ----------------------------------------------
PARTNER_TUESDAY = date(2027, 3, 9)


@pytest.fixture
def partner() -> Organisation:
    return make_organisation(name="Muziekhuis Wyck", slug="muziekhuis-wyck")


@pytest.fixture
def partner_member(partner: Organisation) -> User:
    return member_of(partner, username="muziekhuis-desk", email="desk@muziekhuis.example")


@pytest.fixture
def partner_room(partner: Organisation) -> BookableRoom:
    place = make_place(name="Muziekhuis", slug="muziekhuis")
    for weekday in range(7):
        OpeningHours.objects.create(place=place, weekday=weekday, opens=time(9), closes=time(23))
    room = Room.objects.create(place=place, name="Repetitieruimte", slug="repetitie", capacity=30)
    bookable = BookableRoom.objects.create(
        room=room, slug="muziekhuis-repetitie", managed_by=partner
    )
    for kind in GroupKind.values:
        RoomRate.objects.create(bookable=bookable, group_kind=kind, hourly_rate=10)
    return bookable


def request_on_tuesday(
    bookable: BookableRoom, group: BookingGroup, actor: User, hour: int = 19
) -> Booking:
    """A request of one hour on Tuesday 9 March 2027 (after NOW)."""
    return booking_request(
        actor=actor,
        bookable=bookable,
        group=group,
        starts_at=at(PARTNER_TUESDAY, hour),
        ends_at=at(PARTNER_TUESDAY, hour + 1),
        title="Repetitie",
        now=NOW,
    )
