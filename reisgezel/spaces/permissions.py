"""Who may act for a booking group, and who answers the requests for a room."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.selectors import is_member
from reisgezel.spaces.models import BookableRoom, BookingGroup


def is_booking_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_act_for(user: Any, group: BookingGroup) -> bool:
    """Staff; the group's contact; for an association, every member of its organisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or group.contact_id == user.pk:
        return True
    return group.organisation is not None and is_member(user=user, organisation=group.organisation)


def can_answer_requests(user: Any, bookable: BookableRoom) -> bool:
    """Staff, for every room; for a partner's own room also the partner's members."""
    if is_booking_staff(user):
        return True
    return bookable.managed_by is not None and is_member(
        user=user, organisation=bookable.managed_by
    )
