"""Who answers a room's requests closes it for some days: requests for those days are
refused with the reason, bookings already made are listed (not cancelled)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from reisgezel.accounts.models import Organisation, User
from reisgezel.core.models import AuditEntry
from reisgezel.spaces.models import BookableRoom, BookingGroup, Closure
from reisgezel.spaces.services_closures import room_closure_add, room_closure_remove
from reisgezel.spaces.tests.conftest import NOW, request_on_tuesday
from tests.factories import make_organisation, member_of

pytestmark = pytest.mark.django_db
TUESDAY = date(2027, 3, 9)
TODAY = NOW.date()


def test_a_closed_room_refuses_requests_with_the_reason_and_lists_what_stands(
    partner_room: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    partner_member: User,
) -> None:
    standing = request_on_tuesday(partner_room, choir, choir_member)
    closure, affected = room_closure_add(
        actor=partner_member,
        bookable=partner_room,
        starts_on=TUESDAY,
        ends_on=TUESDAY + timedelta(days=6),
        reason={"en": "summer holiday"},
        today=TODAY,
    )
    assert affected == [standing]  # still stands: the partner tells the group
    with pytest.raises(ValidationError, match=r"closed that day \(summer holiday\)"):
        request_on_tuesday(partner_room, choir, choir_member, hour=10)
    assert AuditEntry.objects.filter(action="spaces.room_closure_add").count() == 1
    room_closure_remove(actor=partner_member, closure=closure)
    assert request_on_tuesday(partner_room, choir, choir_member, hour=10).pk


def test_only_who_answers_the_room_closes_or_reopens_it(
    partner_room: BookableRoom, studio: BookableRoom, partner_member: User, staff: User
) -> None:
    stranger = member_of(make_organisation(name="Ander koor", slug="ander-koor"))
    days: dict[str, Any] = {"starts_on": TUESDAY, "ends_on": TUESDAY, "today": TODAY}
    with pytest.raises(PermissionDenied):
        room_closure_add(actor=stranger, bookable=partner_room, **days)
    with pytest.raises(PermissionDenied):
        room_closure_add(actor=partner_member, bookable=studio, **days)
    by_staff, _ = room_closure_add(actor=staff, bookable=partner_room, **days)
    whole_house = Closure.objects.create(
        place=studio.room.place, starts_on=TUESDAY, ends_on=TUESDAY
    )
    with pytest.raises(PermissionDenied):
        room_closure_remove(actor=partner_member, closure=whole_house)
    room_closure_remove(actor=partner_member, closure=by_staff)  # its own room
    assert list(Closure.objects.all()) == [whole_house]


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field", "message"),
    [
        (TUESDAY, TUESDAY - timedelta(days=1), "ends_on", "must not be before the first day"),
        (TODAY - timedelta(days=9), TODAY - timedelta(days=2), "ends_on", "have passed"),
        (TUESDAY, TUESDAY + timedelta(days=366), "ends_on", "at most 366 days"),
        (TUESDAY, date(9999, 12, 31), "ends_on", "between 1900 and 2199"),
    ],
)
def test_impossible_periods_are_refused_by_field(
    partner_room: BookableRoom,
    partner_member: User,
    starts_on: date,
    ends_on: date,
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        room_closure_add(
            actor=partner_member,
            bookable=partner_room,
            starts_on=starts_on,
            ends_on=ends_on,
            today=TODAY,
        )
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not Closure.objects.exists()


def test_the_desk_closes_and_reopens_only_the_partners_rooms(
    client: Client,
    partner: Organisation,
    partner_room: BookableRoom,
    studio: BookableRoom,
    partner_member: User,
) -> None:
    client.force_login(partner_member)
    first = date.today() + timedelta(days=30)
    closed = client.post(
        "/en/spaces/staff/closures/",
        {
            "bookable": partner_room.pk,
            "starts_on": first,
            "ends_on": first + timedelta(days=13),
            "reason": "summer holiday",
        },
        follow=True,
    )
    assert "is closed on those days" in closed.text
    closure = Closure.objects.get()
    assert closure.bookable == partner_room and closure.reason == {"en": "summer holiday"}
    assert "summer holiday" in client.get("/en/spaces/staff/").text
    not_theirs = client.post(
        "/en/spaces/staff/closures/",
        {"bookable": studio.pk, "starts_on": first, "ends_on": first},
        follow=True,
    )
    assert "Select a valid choice" in not_theirs.text
    assert Closure.objects.count() == 1
    other = Closure.objects.create(
        place=studio.room.place, bookable=studio, starts_on=first, ends_on=first
    )
    assert client.post(f"/en/spaces/staff/closures/{other.pk}/remove/").status_code == 404
    client.post(f"/en/spaces/staff/closures/{closure.pk}/remove/")
    assert list(Closure.objects.all()) == [other]


def test_a_room_closure_closes_its_room_whatever_house_it_names(
    studio: BookableRoom,
    partner_room: BookableRoom,
    choir: BookingGroup,
    choir_member: User,
    staff: User,
) -> None:
    """A closure of one room closes that room, also when the row names another house
    (entered so in the admin, or the room moved house since); it closes no other room."""
    from reisgezel.spaces.selectors import room_week
    from reisgezel.spaces.services import series_plan

    closure = Closure.objects.create(
        bookable=studio, starts_on=TUESDAY, ends_on=TUESDAY, reason={"en": "new floor"}
    )
    # A row stored under the wrong house before Closure.save() derived it (an update
    # skips save(): it stands for such an old row).
    Closure.objects.filter(pk=closure.pk).update(place=partner_room.room.place)
    with pytest.raises(ValidationError, match=r"closed that day \(new floor\)"):
        request_on_tuesday(studio, choir, choir_member)
    monday = TUESDAY - timedelta(days=1)
    assert [row.closed_because for row in room_week(studio, monday)][1] == (
        "The house is closed that day (new floor)."
    )
    plan = series_plan(
        bookable=studio,
        weekday=TUESDAY.weekday(),
        start_time=time(19),
        end_time=time(20),
        first_date=TUESDAY,
        last_date=TUESDAY + timedelta(days=7),
    )
    assert [date_.is_free for date_ in plan] == [False, True]
    # The partner's room in the house the row names stays open.
    assert request_on_tuesday(partner_room, choir, choir_member).pk


def test_a_room_closure_is_stored_under_the_rooms_house_on_every_save(
    studio: BookableRoom, partner_room: BookableRoom
) -> None:
    """The house of a room's closure is derived from the room, whatever a script passes;
    a closure of a whole house keeps the house it names."""
    elsewhere = partner_room.room.place
    assert elsewhere.pk != studio.room.place_id
    closure = Closure.objects.create(
        place=elsewhere, bookable=studio, starts_on=TUESDAY, ends_on=TUESDAY
    )
    assert Closure.objects.get(pk=closure.pk).place_id == studio.room.place_id
    closure.bookable = partner_room
    closure.save(update_fields=["bookable"])
    assert Closure.objects.get(pk=closure.pk).place_id == elsewhere.pk
    whole_house = Closure.objects.create(place=elsewhere, starts_on=TUESDAY, ends_on=TUESDAY)
    assert Closure.objects.get(pk=whole_house.pk).place_id == elsewhere.pk
    # A form (the admin's) is told instead of silently corrected.
    wrong = Closure(place=elsewhere, bookable=studio, starts_on=TUESDAY, ends_on=TUESDAY)
    with pytest.raises(ValidationError) as refused:
        wrong.full_clean()
    assert list(refused.value.message_dict) == ["bookable"]


def test_migration_0008_moves_room_closures_to_their_rooms_house(
    studio: BookableRoom, partner_room: BookableRoom
) -> None:
    from importlib import import_module

    from django.apps import apps

    correct = import_module(
        "reisgezel.spaces.migrations.0008_room_closures_name_the_rooms_house"
    ).closures_under_their_rooms_house
    elsewhere = partner_room.room.place
    wrong = Closure.objects.create(bookable=studio, starts_on=TUESDAY, ends_on=TUESDAY)
    right = Closure.objects.create(bookable=partner_room, starts_on=TUESDAY, ends_on=TUESDAY)
    whole_house = Closure.objects.create(place=elsewhere, starts_on=TUESDAY, ends_on=TUESDAY)
    Closure.objects.filter(pk=wrong.pk).update(place=elsewhere)  # as stored before
    correct(apps, None)
    houses = dict(Closure.objects.values_list("pk", "place_id"))
    assert houses == {
        wrong.pk: studio.room.place_id,
        right.pk: elsewhere.pk,
        whole_house.pk: elsewhere.pk,
    }
    correct(apps, None)  # running it again changes nothing
    assert dict(Closure.objects.values_list("pk", "place_id")) == houses
