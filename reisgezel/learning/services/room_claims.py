"""Course sessions hold their room in the one calendar every room has (places.RoomClaim).

The spaces app books the same rooms for groups; the database refuses two claims of a
room that overlap, so a session and a booking can never share a room at the same time
(see reisgezel/places/services_rooms.py). A session claims its room while it has one and
is not cancelled; every service that creates, moves, cancels, restores or removes a
session calls `session_claim_sync` or `sessions_release` in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from reisgezel.learning.models import ProgrammeSlot, Session
from reisgezel.places.models import RoomClaim
from reisgezel.places.services_rooms import room_claim, room_release

SESSION_HOLDER = "learning.session"
SLOT_HOLDER = "learning.slot"


def session_claim_sync(session: Session) -> None:
    """Make the session's claim match its room and times. Raises ValidationError (on the
    field `starts_at`, naming the room and the time) when the room is taken; the caller's
    transaction then rolls back, the old claim with it."""
    room_release(SESSION_HOLDER, session.pk)
    room = session.room if session.room_id is not None else None
    if room is None or session.is_cancelled:
        return
    room_claim(
        room=room,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        holder_type=SESSION_HOLDER,
        holder_id=session.pk,
    )


def sessions_release(session_ids: Iterable[int]) -> int:
    """Give back the rooms of these sessions (removed, or their edition cancelled)."""
    ids = list(session_ids)
    if not ids:
        return 0
    deleted, _by_model = RoomClaim.objects.filter(
        holder_type=SESSION_HOLDER, holder_id__in=ids
    ).delete()
    return deleted


def slot_claim_sync(slot: ProgrammeSlot) -> None:
    """A school programme slot at one of our places holds its room like a session does
    (in the classroom it holds none). ValidationError when the room is taken."""
    room_release(SLOT_HOLDER, slot.pk)
    room = slot.room if slot.room_id is not None else None
    if room is None or slot.in_school:
        return
    room_claim(
        room=room,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        holder_type=SLOT_HOLDER,
        holder_id=slot.pk,
    )


def slots_release(slot_ids: Iterable[int]) -> int:
    ids = list(slot_ids)
    deleted, _by_model = RoomClaim.objects.filter(
        holder_type=SLOT_HOLDER, holder_id__in=ids
    ).delete()
    return deleted
