"""Twenty groups request the same slot at once on PostgreSQL: exactly one booking holds it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from reisgezel.places.models import Room, RoomClaim
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, GroupKind, GroupStatus
from reisgezel.spaces.services import booking_request
from reisgezel.spaces.tests.conftest import at
from tests.factories import make_user

THREADS = 20
# Long enough for the other connection to reach the locked row and wait for it.
WAIT_FOR_THE_OTHER = 0.5


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_slot_book_it_once(studio: BookableRoom) -> None:
    groups = [
        BookingGroup.objects.create(
            name=f"Groep {n}",
            kind=GroupKind.RESIDENT,
            contact=make_user(username=f"g{n}"),
            status=GroupStatus.APPROVED,
        )
        for n in range(THREADS)
    ]
    day: date = timezone.localdate() + timedelta(days=14)
    while day.weekday() != 1:
        day += timedelta(days=1)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def request(group: BookingGroup, n: int) -> None:
        # Overlapping, never equal ranges: 19:00-21:00, 19:15-21:15, ...
        start = at(day, 19, 15 * (n % 4))
        try:
            barrier.wait()
            booking_request(
                actor=group.contact,
                bookable=studio,
                group=group,
                title="Repetitie",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )
            result = "booked"
        except ValidationError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=request, args=(g, n)) for n, g in enumerate(groups)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1
    assert outcomes.count("refused") == THREADS - 1
    assert Booking.objects.count() == 1  # refused requests leave no booking behind
    assert RoomClaim.objects.filter(room=studio.room).count() == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_room_change_waits_for_a_booking_being_made_and_then_is_refused(
    studio: BookableRoom,
) -> None:
    """The trigger of migration spaces 0007 refuses a bookable room's new room once it
    has bookings; a booking not yet committed is invisible to it, so the booking holds
    the bookable room's row until it commits."""
    group, other, day = _group_other_room_and_a_tuesday(studio)
    booked, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def book() -> None:
        try:
            with transaction.atomic():
                booking_request(
                    actor=group.contact,
                    bookable=studio,
                    group=group,
                    title="Repetitie",
                    starts_at=at(day, 19),
                    ends_at=at(day, 21),
                )
                booked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def change_room() -> None:
        try:
            BookableRoom.objects.filter(pk=studio.pk).update(room=other)
            outcome["change"] = "saved"
        except IntegrityError as error:
            outcome["change"] = str(error)
        finally:
            connections.close_all()

    _second_waits_for_first(book, booked, change_room, release)
    assert "spaces_bookableroom_room_fixed" in str(outcome["change"])
    assert BookableRoom.objects.get(pk=studio.pk).room_id == studio.room_id
    assert RoomClaim.objects.get().room_id == studio.room_id


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_booking_made_while_the_room_changes_claims_the_new_room(
    studio: BookableRoom,
) -> None:
    group, other, day = _group_other_room_and_a_tuesday(studio)
    changed, release = threading.Event(), threading.Event()

    def change_room() -> None:
        try:
            with transaction.atomic():
                BookableRoom.objects.filter(pk=studio.pk).update(room=other)
                changed.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def book() -> None:
        try:
            booking_request(  # `studio` still names the old room
                actor=group.contact,
                bookable=studio,
                group=group,
                title="Repetitie",
                starts_at=at(day, 19),
                ends_at=at(day, 21),
            )
        finally:
            connections.close_all()

    _second_waits_for_first(change_room, changed, book, release)
    assert RoomClaim.objects.get().room_id == other.pk


def _second_waits_for_first(
    first: Callable[[], None],
    holding: threading.Event,
    second: Callable[[], None],
    release: threading.Event,
) -> None:
    """Run `first` until it holds its rows (`holding`), then `second`, which must still
    be waiting a while later; then let the first commit, and both end."""
    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(timeout=30)
    two = threading.Thread(target=second)
    two.start()
    two.join(timeout=WAIT_FOR_THE_OTHER)
    assert two.is_alive(), "the second write did not wait for the first"
    release.set()
    one.join(timeout=30)
    two.join(timeout=30)


def _group_other_room_and_a_tuesday(studio: BookableRoom) -> tuple[BookingGroup, Room, date]:
    """A group that may book, another room of the studio's house, a Tuesday ahead."""
    group = BookingGroup.objects.create(
        name="Koor", kind=GroupKind.RESIDENT, contact=make_user(), status=GroupStatus.APPROVED
    )
    other = Room.objects.create(place=studio.room.place, name="Zaal", slug="zaal", capacity=80)
    day: date = timezone.localdate() + timedelta(days=14)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return group, other, day
