"""Fixtures of the spaces tests: a house with opening hours, a bookable studio, groups."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from reisgezel.accounts.models import OrganisationKind, User
from reisgezel.places.models import OpeningHours, Room
from reisgezel.spaces.models import (
    BookableRoom,
    BookingGroup,
    GroupKind,
    GroupStatus,
    RoomRate,
)
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
