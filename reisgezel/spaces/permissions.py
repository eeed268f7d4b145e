"""Who may act for a booking group, and who answers the requests for a room."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from reisgezel.accounts.selectors import is_member
from reisgezel.spaces.models import BookableRoom, BookingGroup


def is_booking_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_act_for(user: Any, group: BookingGroup) -> bool:
    """Staff; for an association, the members of its (active) organisation, the contact
    only while a member (someone who left no longer books or cancels in its name); for
    a resident's or commercial group, its contact."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return True
    if group.organisation is not None:
        return is_member(user=user, organisation=group.organisation)
    return group.contact_id == user.pk


def can_answer_requests(user: Any, bookable: BookableRoom) -> bool:
    """Staff, for every room; for a partner's own room also the partner's members (while
    the partner organisation is active)."""
    if is_booking_staff(user):
        return True
    partner = bookable.managed_by
    return partner is not None and partner.is_active and is_member(user=user, organisation=partner)


def require_booking_staff(actor: Any) -> None:
    if not is_booking_staff(actor):
        raise PermissionDenied(_("Only staff of the houses may do this."))


def require_answerer(actor: Any, bookable: BookableRoom) -> None:
    """Answering, closing and reopening a room: staff, or the partner whose own room it is."""
    if not can_answer_requests(actor, bookable):
        raise PermissionDenied(_("Only the people who run this room's bookings may do this."))
