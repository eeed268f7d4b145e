"""Deleting one's account (accounts.erasure) and room bookings."""

from __future__ import annotations

import pytest

from reisgezel.accounts.erasure import account_erase, account_erase_blockers
from reisgezel.accounts.models import User
from reisgezel.spaces.models import BookableRoom, BookingGroup, BookingStatus
from reisgezel.spaces.tests.test_booking_rules import _request

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_a_residents_group_cancels_its_upcoming_bookings_first(
    studio: BookableRoom, new_group: BookingGroup, resident: User
) -> None:
    booking = _request(studio, new_group, resident)
    assert account_erase_blockers(resident) == [
        "Cancel the upcoming room bookings of Schildersclub Anna first."
    ]
    booking.status = BookingStatus.CANCELLED
    booking.save()
    account_erase(user=resident, password=PASSWORD)
    resident.refresh_from_db()
    assert not resident.is_active


def test_an_association_gets_another_member_as_its_contact(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    _request(studio, choir, choir_member)
    assert account_erase_blockers(choir_member) == []
    account_erase(user=choir_member, password=PASSWORD)
    choir.refresh_from_db()
    assert choir.contact.username == "choir-contact"
