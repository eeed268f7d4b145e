"""Who reaches the booking desk, and which rooms it shows them (views and views_closures)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from reisgezel.spaces import selectors
from reisgezel.spaces.models import BookableRoom
from reisgezel.spaces.permissions import is_booking_staff


def desk_scope(request: HttpRequest) -> bool:
    """Staff answer every room (True); a partner's members only their own rooms (False)."""
    if is_booking_staff(request.user):
        return True
    if not selectors.rooms_answered_by(request.user).exists():
        raise PermissionDenied
    return False


def answered_rooms(request: HttpRequest) -> QuerySet[BookableRoom]:
    return selectors.rooms_answered_by(request.user).select_related("room__place")
