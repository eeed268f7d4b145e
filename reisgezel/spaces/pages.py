"""Sections room booking adds to other apps' pages (core.sections)."""

from __future__ import annotations

from typing import Any

from reisgezel.core.sections import PageSection
from reisgezel.spaces import selectors


def partner_desk_section(user: Any) -> PageSection | None:
    """On the partner pages' home: the way to the booking desk, for a partner whose own
    rooms take requests (staff reach every room's desk from the staff pages)."""
    rooms = selectors.rooms_answered_by(user)
    if getattr(user, "is_staff", False) or not rooms.exists():
        return None
    waiting = selectors.pending_bookings(user=user).count()
    return PageSection("spaces/_desk_link.html", {"waiting": waiting}, order=10)
