"""Taking and releasing rooms: the one calendar of a room, shared by every app.

Room bookings (spaces) and course sessions (learning) both hold a room through a
`RoomClaim`. The database refuses overlapping claims of one room (see the model and
migration 0003), so the rule holds under concurrency and for every write path; these
functions turn the database's refusal into a message a person understands.

Contract for callers (documented in docs/spaces.md):
- `room_claim(...)` inside the caller's transaction; a refused claim raises
  ValidationError and leaves the caller's transaction usable (a savepoint is rolled back).
- `holder_type` is "<app>.<model>" ("spaces.booking", "learning.session"), `holder_id`
  the holder's primary key; one claim per holder.
- `room_release(...)` when the holder is cancelled or deleted; idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reisgezel.places.models import Room, RoomClaim

NO_OVERLAP = "places_roomclaim_no_overlap"


@dataclass(frozen=True)
class RoomConflict:
    """A wanted range of a room that an existing claim overlaps."""

    starts_at: datetime
    ends_at: datetime
    claim: RoomClaim


def describe_taken(room: Room, starts_at: datetime, ends_at: datetime) -> str:
    """ "Atelier 1 is already taken on 3 March from 19:30 to 21:30" (local time)."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    return _("%(room)s is already taken on %(day)s from %(start)s to %(end)s.") % {
        "room": room.name,
        "day": formats.date_format(start, "j F"),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }


def _overlapping(room: Room, starts_at: datetime, ends_at: datetime) -> RoomClaim | None:
    return (
        RoomClaim.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .order_by("starts_at")
        .first()
    )


def room_claim(
    *, room: Room, starts_at: datetime, ends_at: datetime, holder_type: str, holder_id: int
) -> RoomClaim:
    """Take `room` from `starts_at` to `ends_at` for a holder, or raise ValidationError."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The end must be after the start.")]})
    try:
        with transaction.atomic():
            # Claims of one room wait for each other here, until the claiming transaction
            # ends: PostgreSQL's exclusion check between two open inserts of overlapping
            # ranges can deadlock (an OperationalError, a 500) instead of refusing one.
            list(Room.objects.select_for_update().filter(pk=room.pk).values_list("pk"))
            return RoomClaim.objects.create(
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                holder_type=holder_type,
                holder_id=holder_id,
            )
    except IntegrityError as exc:
        taken = _overlapping(room, starts_at, ends_at)
        if taken is not None:
            message = describe_taken(room, taken.starts_at, taken.ends_at)
        elif NO_OVERLAP in str(exc):
            # The other claim is not visible to us (yet): still refused, and said so.
            message = describe_taken(room, starts_at, ends_at)
        elif RoomClaim.objects.filter(holder_type=holder_type, holder_id=holder_id).exists():
            message = _("This already holds a room.")
        else:
            raise
        raise ValidationError({"starts_at": [message]}) from exc


def room_release(holder_type: str, holder_id: int) -> int:
    """Give the room back. Returns the number of claims removed (0 or 1)."""
    deleted, _by_model = RoomClaim.objects.filter(
        holder_type=holder_type, holder_id=holder_id
    ).delete()
    return deleted


def room_conflicts(room: Room, ranges: Iterable[tuple[datetime, datetime]]) -> list[RoomConflict]:
    """Which of the wanted ranges existing claims overlap (one query), in range order.

    A report, not a guarantee: a claim taken after this read is still refused by the
    database when the range is claimed."""
    wanted = sorted(ranges)
    if not wanted:
        return []
    claims = list(
        RoomClaim.objects.filter(
            room=room,
            starts_at__lt=max(end for _start, end in wanted),
            ends_at__gt=wanted[0][0],
        ).order_by("starts_at")
    )
    conflicts: list[RoomConflict] = []
    for starts_at, ends_at in wanted:
        for claim in claims:
            if claim.starts_at < ends_at and starts_at < claim.ends_at:
                conflicts.append(RoomConflict(starts_at=starts_at, ends_at=ends_at, claim=claim))
                break
    return conflicts
