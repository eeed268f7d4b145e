"""Course sessions hold their room in the one calendar every room has (places.RoomClaim).

The spaces app books the same rooms for groups; the database refuses two claims of a
room that overlap, so a session and a booking can never share a room at the same time
(see reisgezel/places/services_rooms.py). A session claims its room while it has one and
is not cancelled; every service that creates, moves, cancels, restores or removes a
session calls `session_claim_sync` or `sessions_release` in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from reisgezel.learning.models import ProgrammeSlot, Session
from reisgezel.places.models import Room, RoomClaim
from reisgezel.places.services_rooms import room_claim, room_release

SESSION_HOLDER = "learning.session"
SLOT_HOLDER = "learning.slot"


def _claim_sync(
    holder_type: str, holder_id: int, room: Room | None, starts_at: datetime, ends_at: datetime
) -> None:
    """Make a holder's claim match its room and times: released, then taken again when
    it has a room (None: it holds none). ValidationError when the room is taken; the
    caller's transaction then rolls back, the old claim with it."""
    room_release(holder_type, holder_id)
    if room is not None:
        room_claim(
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            holder_type=holder_type,
            holder_id=holder_id,
        )


def _release(holder_type: str, holder_ids: Iterable[int]) -> int:
    ids = list(holder_ids)
    if not ids:
        return 0
    deleted, _by_model = RoomClaim.objects.filter(
        holder_type=holder_type, holder_id__in=ids
    ).delete()
    return deleted


def session_claim_sync(session: Session) -> None:
    """Make the session's claim match its room and times (a cancelled session holds no
    room). Raises ValidationError naming the room and the time when it is taken."""
    room = session.room if session.room_id is not None and not session.is_cancelled else None
    _claim_sync(SESSION_HOLDER, session.pk, room, session.starts_at, session.ends_at)


def sessions_release(session_ids: Iterable[int]) -> int:
    """Give back the rooms of these sessions (removed, or their edition cancelled)."""
    return _release(SESSION_HOLDER, session_ids)


def slot_claim_sync(slot: ProgrammeSlot) -> None:
    """A school programme slot at one of our places holds its room like a session does
    (in the classroom it holds none). ValidationError when the room is taken."""
    room = slot.room if slot.room_id is not None and not slot.in_school else None
    _claim_sync(SLOT_HOLDER, slot.pk, room, slot.starts_at, slot.ends_at)


def slots_release(slot_ids: Iterable[int]) -> int:
    return _release(SLOT_HOLDER, slot_ids)
