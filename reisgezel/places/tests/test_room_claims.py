"""One room, one calendar: the database refuses overlapping claims (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from reisgezel.places.models import Room, RoomClaim
from reisgezel.places.services_rooms import room_claim, room_conflicts, room_release
from tests.factories import make_place

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=AMS)


@pytest.fixture
def room() -> Room:
    return Room.objects.create(place=make_place(), name="Atelier 1", slug="atelier-1")


def _claim(room: Room, start: datetime, end: datetime, holder_id: int = 1) -> RoomClaim:
    return room_claim(
        room=room, starts_at=start, ends_at=end, holder_type="spaces.booking", holder_id=holder_id
    )


def test_an_overlapping_claim_is_refused_with_a_readable_message(room: Room) -> None:
    _claim(room, _at(3, 19, 30), _at(3, 21, 30))
    with pytest.raises(ValidationError) as refused:
        _claim(room, _at(3, 20), _at(3, 22), holder_id=2)
    assert refused.value.message_dict["starts_at"] == [
        "Atelier 1 is already taken on 3 March from 19:30 to 21:30."
    ]
    assert RoomClaim.objects.count() == 1


def test_back_to_back_claims_are_allowed_half_open_ranges(room: Room) -> None:
    _claim(room, _at(3, 19, 30), _at(3, 21, 30))
    _claim(room, _at(3, 21, 30), _at(3, 22, 30), holder_id=2)
    _claim(room, _at(3, 18), _at(3, 19, 30), holder_id=3)
    assert RoomClaim.objects.count() == 3


def test_another_room_at_the_same_time_is_free(room: Room) -> None:
    other = Room.objects.create(place=room.place, name="Atelier 2", slug="atelier-2")
    _claim(room, _at(3, 19), _at(3, 21))
    _claim(other, _at(3, 19), _at(3, 21), holder_id=2)
    assert RoomClaim.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((3, 20, 0), (3, 21, 0)),  # inside
        ((3, 18, 0), (3, 23, 0)),  # around
        ((3, 18, 0), (3, 19, 31)),  # over the start
        ((3, 21, 29), (3, 23, 0)),  # over the end
        ((3, 19, 30), (3, 21, 30)),  # the same
    ],
)
def test_direct_orm_inserts_are_refused_by_the_database(
    room: Room, start: tuple[int, int, int], end: tuple[int, int, int]
) -> None:
    RoomClaim.objects.create(
        room=room, starts_at=_at(3, 19, 30), ends_at=_at(3, 21, 30), holder_type="x", holder_id=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomClaim.objects.create(
            room=room, starts_at=_at(*start), ends_at=_at(*end), holder_type="x", holder_id=2
        )


def test_moving_a_claim_onto_another_is_refused_by_the_database(room: Room) -> None:
    RoomClaim.objects.create(
        room=room, starts_at=_at(3, 19), ends_at=_at(3, 21), holder_type="x", holder_id=1
    )
    later = RoomClaim.objects.create(
        room=room, starts_at=_at(3, 21), ends_at=_at(3, 22), holder_type="x", holder_id=2
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomClaim.objects.filter(pk=later.pk).update(starts_at=_at(3, 20))
    # Moving a claim within its own old range is not a conflict with itself.
    RoomClaim.objects.filter(pk=later.pk).update(ends_at=_at(3, 21, 45))


def test_end_must_follow_start(room: Room) -> None:
    with pytest.raises(ValidationError):
        _claim(room, _at(3, 21), _at(3, 19))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomClaim.objects.create(
            room=room, starts_at=_at(3, 21), ends_at=_at(3, 21), holder_type="x", holder_id=1
        )


def test_release_frees_the_room_and_is_idempotent(room: Room) -> None:
    _claim(room, _at(3, 19), _at(3, 21))
    assert room_release("spaces.booking", 1) == 1
    assert room_release("spaces.booking", 1) == 0
    _claim(room, _at(3, 19), _at(3, 21), holder_id=2)


def test_a_refused_claim_leaves_the_callers_transaction_usable(room: Room) -> None:
    with transaction.atomic():
        _claim(room, _at(3, 19), _at(3, 21))
        with pytest.raises(ValidationError):
            _claim(room, _at(3, 20), _at(3, 22), holder_id=2)
        _claim(room, _at(3, 21), _at(3, 22), holder_id=3)
    assert RoomClaim.objects.count() == 2


def test_conflicts_report_which_ranges_are_taken(room: Room) -> None:
    _claim(room, _at(9, 19), _at(9, 21))
    wanted = [(_at(day, 19, 30), _at(day, 21, 30)) for day in (2, 9, 16)]
    conflicts = room_conflicts(room, wanted)
    assert [c.starts_at for c in conflicts] == [_at(9, 19, 30)]
    assert conflicts[0].claim.holder_type == "spaces.booking"
    assert room_conflicts(room, []) == []


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_claims_of_one_slot_leave_exactly_one(room: Room) -> None:
    start = timezone_now_plus(days=30)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def request(holder_id: int) -> None:
        try:
            barrier.wait()
            # Each thread its own connection; half the threads want a shifted range.
            shift = timedelta(minutes=30 * (holder_id % 2))
            _claim(room, start + shift, start + shift + timedelta(hours=2), holder_id=holder_id)
            result = "ok"
        except ValidationError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("ok") == 1
    assert outcomes.count("refused") == 19
    assert RoomClaim.objects.filter(room=room).count() == 1


def timezone_now_plus(*, days: int) -> datetime:
    from django.utils import timezone

    return timezone.now().replace(microsecond=0) + timedelta(days=days)
