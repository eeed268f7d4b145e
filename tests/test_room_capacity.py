"""A room made smaller: the change is allowed, and whoever makes it is told which upcoming
room bookings (spaces), school-programme slots and course editions (learning) were
planned for more people than it now holds, on the desk's room page (with links to the
admin for staff), in the audit log and in the admins' "fits the room" filters. Two apps,
so the test lives here."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from reisgezel.accounts.models import Membership, OrganisationKind
from reisgezel.agenda.calendar import city_timezone
from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import EditionState, ProgrammeSlot
from reisgezel.learning.services.sessions import session_cancel, sessions_generate
from reisgezel.places.models import Room
from reisgezel.places.room_capacity import room_over_capacity
from reisgezel.spaces.models import (
    BookableRoom,
    Booking,
    BookingGroup,
    BookingStatus,
    GroupKind,
    GroupStatus,
    RoomRate,
)
from reisgezel.spaces.services import booking_cancel, booking_request
from reisgezel.spaces.tests.test_room_editing import _room_post
from tests.factories import make_organisation, make_place, make_user
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db


def _evening(days: int) -> tuple[datetime, datetime]:
    day = timezone.localdate() + timedelta(days=days)
    city = city_timezone()
    return datetime.combine(day, time(19), tzinfo=city), datetime.combine(
        day, time(21), tzinfo=city
    )


@pytest.fixture
def room() -> Room:
    return Room.objects.create(
        place=make_place(name="Kumulus", slug="kumulus"), name="Atelier 1", slug="a1", capacity=30
    )


@pytest.fixture
def planned(room: Room) -> dict[str, object]:
    """An upcoming booking for 18 people and a slot for 25 pupils, plus what must not
    count: a booking for 25 that was cancelled, a slot for 25 in the classroom, and a
    small booking."""
    bookable = BookableRoom.objects.create(room=room, slug="kumulus-a1")
    RoomRate.objects.create(bookable=bookable, group_kind=GroupKind.ASSOCIATION, hourly_rate=10)
    member = make_user()
    organisation = make_organisation(name="Koor Wyck", kind=OrganisationKind.ASSOCIATION)
    Membership.objects.create(user=member, organisation=organisation)
    choir = BookingGroup.objects.create(
        name="Koor Wyck",
        kind=GroupKind.ASSOCIATION,
        organisation=organisation,
        contact=member,
        status=GroupStatus.APPROVED,
    )

    def book(days: int, people: int, title: str) -> Booking:
        starts, ends = _evening(days)
        return booking_request(
            actor=member,
            bookable=bookable,
            group=choir,
            title=title,
            starts_at=starts,
            ends_at=ends,
            attendees=people,
        )

    booking = book(20, 18, "Repetitie")
    book(21, 6, "Bestuur")
    cancelled = book(22, 25, "Concert")
    booking_cancel(actor=member, booking=cancelled)
    course = make_course(title={"nl": "Fossielen zoeken", "en": "Finding fossils"})
    starts, ends = _evening(30)
    slot = ProgrammeSlot.objects.create(
        course=course,
        starts_at=starts,
        ends_at=ends,
        place=room.place,
        room=room,
        max_pupils=25,
        price=Decimal("95.00"),
    )
    ProgrammeSlot.objects.create(
        course=course,
        starts_at=starts + timedelta(days=1),
        ends_at=ends + timedelta(days=1),
        in_school=True,
        room=room,
        max_pupils=25,
        price=Decimal("95.00"),
    )
    return {"bookable": bookable, "booking": booking, "slot": slot, "cancelled": cancelled}


def test_the_selector_finds_upcoming_uses_planned_for_more_people(
    room: Room, planned: dict[str, object]
) -> None:
    booking, slot = planned["booking"], planned["slot"]
    assert isinstance(booking, Booking) and isinstance(slot, ProgrammeSlot)
    assert room_over_capacity(room) == []  # 30 people fit everything
    found = room_over_capacity(room, capacity=12)
    assert [(item.holder, item.people) for item in found] == [
        (f"spaces.booking:{booking.pk}", 18),
        (f"learning.slot:{slot.pk}", 25),
    ]
    assert found[0].admin_url.endswith(f"/admin/spaces/booking/{booking.pk}/change/")
    assert [item.holder for item in room_over_capacity(room, capacity=20)] == [
        f"learning.slot:{slot.pk}"
    ]
    # Once it has started it is no longer upcoming.
    later = booking.starts_at + timedelta(minutes=1)
    assert [item.holder for item in room_over_capacity(room, capacity=12, now=later)] == [
        f"learning.slot:{slot.pk}"
    ]
    Room.objects.filter(pk=room.pk).update(capacity=None)
    room.refresh_from_db()
    assert room_over_capacity(room) == []  # no capacity entered: no limit


def test_staff_lowering_the_capacity_are_told_what_no_longer_fits(
    room: Room, planned: dict[str, object]
) -> None:
    booking, slot, bookable = planned["booking"], planned["slot"], planned["bookable"]
    assert isinstance(booking, Booking) and isinstance(slot, ProgrammeSlot)
    assert isinstance(bookable, BookableRoom)
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    url = f"/en/spaces/staff/rooms/{bookable.slug}/"
    saved = staff.post(url, _room_post(capacity="12", rate_association="10"), follow=True)
    assert saved.redirect_chain == [(url, 302)]
    # Allowed: the room really is smaller now.
    assert Room.objects.get(pk=room.pk).capacity == 12
    page = saved.text
    assert "Kumulus: Atelier 1 now holds 12 people, fewer than planned for 2" in page
    assert "Koor Wyck: Repetitie" in page and "Finding fossils" in page
    assert "Planned for more people than the room holds" in page
    assert f'href="/en/admin/spaces/booking/{booking.pk}/change/"' in page
    assert f'href="/en/admin/learning/programmeslot/{slot.pk}/change/"' in page
    assert "Concert" not in page and "Bestuur" not in page
    entry = AuditEntry.objects.get(action="spaces.room_edit")
    assert entry.data["over_capacity"] == [
        f"spaces.booking:{booking.pk}",
        f"learning.slot:{slot.pk}",
    ]
    # Findable afterwards: the room's page keeps the list, the admins filter on it.
    assert f'href="/en/admin/spaces/booking/{booking.pk}/change/"' in staff.get(url).text
    bookings = staff.get("/en/admin/spaces/booking/?fits_room=no")
    assert list(bookings.context["cl"].result_list) == [booking]
    slots = staff.get("/en/admin/learning/programmeslot/?fits_room=no")
    assert list(slots.context["cl"].result_list) == [slot]
    # Nothing was changed or cancelled by it.
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    # Made larger again, nothing is listed any more.
    staff.post(url, _room_post(capacity="40", rate_association="10"))
    assert "Planned for more people" not in staff.get(url).text


def test_course_editions_with_sessions_in_the_smaller_room_are_flagged(room: Room) -> None:
    """An edition counts from its first upcoming session in the room that is not
    cancelled; cancelled editions, and sessions held elsewhere, do not."""
    staff_user = make_user(is_staff=True, is_superuser=True)
    start = timezone.localdate() + timedelta(days=14)
    weekly: dict[str, Any] = {
        "starts_on": start,
        "ends_on": start + timedelta(weeks=4),
        "place": room.place,
        "room": room,
    }
    choir = make_edition(
        course=make_course(title={"nl": "Koorzang", "en": "Choir singing"}),
        max_participants=24,
        **weekly,
    )
    sessions_generate(edition=choir)
    first, *_rest = choir.sessions.order_by("starts_at")
    session_cancel(actor=staff_user, session=first, note={"nl": "Ziek"})
    cancelled = make_edition(max_participants=28, **weekly)
    sessions_generate(edition=cancelled)
    cancelled.state = EditionState.CANCELLED
    cancelled.save(update_fields=["state"])
    moved_out = make_edition(max_participants=28, **weekly)
    sessions_generate(edition=moved_out)
    hall = Room.objects.create(place=room.place, name="Zaal", slug="zaal", capacity=80)
    moved_out.sessions.update(room=hall)
    small = make_edition(max_participants=8, **weekly)
    sessions_generate(edition=small)

    found = room_over_capacity(room, capacity=20)
    second = choir.sessions.order_by("starts_at")[1]
    assert [(item.holder, item.people, item.starts_at) for item in found] == [
        (f"learning.edition:{choir.pk}", 24, second.starts_at)
    ]
    assert found[0].admin_url.endswith(f"/admin/learning/edition/{choir.pk}/change/")
    assert room_over_capacity(room, capacity=24) == []

    Room.objects.filter(pk=room.pk).update(capacity=20)
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(staff_user)
    listed = staff.get("/en/admin/learning/edition/?fits_room=no")
    assert list(listed.context["cl"].result_list) == [choir]
