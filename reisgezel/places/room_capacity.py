"""What a smaller room no longer fits: upcoming uses planned for more people than it holds.

A room's capacity may be lowered after groups booked it and school programmes were
planned in it (a wall moved, a fire officer's new count). The change is allowed, as the
room really changed, and nothing becomes inconsistent in the data (a booking's people
and a slot's maximum are what was asked and planned; new requests and school bookings
are held to the new capacity). But whoever lowers it must hear which plans no longer
fit, so that the groups and schools can be asked to come with fewer or elsewhere.

`places` sits below the apps that use rooms (`spaces`, `learning`), which may not
import each other; each registers a finder here from its `AppConfig.ready()`, as they
register their account-erasure steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from reisgezel.places.models import Room


@dataclass(frozen=True)
class OverCapacity:
    """An upcoming use of a room planned for more people than the room holds."""

    kind: str  # what it is, for people: "Room booking", "School programme"
    name: str  # which one: the group and what for, the programme
    starts_at: datetime
    people: int  # the group size it was planned for
    holder: str  # "<app>.<model>:<id>", for the audit log
    admin_url: str  # its page in the admin (for staff)


OverCapacityFinder = Callable[[Room, int, datetime], list[OverCapacity]]
_finders: dict[str, OverCapacityFinder] = {}


def over_capacity_finder_register(name: str, finder: OverCapacityFinder) -> None:
    """Register (or replace) an app's finder: `finder(room, capacity, now)` returns its
    uses of `room` starting after `now` planned for more than `capacity` people."""
    _finders[name] = finder


def room_over_capacity(
    room: Room, *, capacity: int | None = None, now: datetime | None = None
) -> list[OverCapacity]:
    """Upcoming uses of `room`, of every app, planned for more people than `capacity`
    (default: the room's own), earliest first. None when the room has no capacity
    entered (no limit). One query per registered app."""
    capacity = room.capacity if capacity is None else capacity
    if capacity is None:
        return []
    now = now or timezone.now()
    found = [item for finder in _finders.values() for item in finder(room, capacity, now)]
    return sorted(found, key=lambda item: (item.starts_at, item.holder))
