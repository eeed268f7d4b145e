"""Twenty groups request the same slot at once on PostgreSQL: exactly one booking holds it."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from reisgezel.places.models import RoomClaim
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, GroupKind, GroupStatus
from reisgezel.spaces.services import booking_request
from reisgezel.spaces.tests.conftest import at
from tests.factories import make_user

THREADS = 20


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
