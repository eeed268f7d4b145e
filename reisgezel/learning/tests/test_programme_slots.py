"""Planning a school programme's slots: every write goes through
`services.schools.programme_slot_save` and the model's `clean()`, not only the admin's
form: the room is in the slot's place, the group fits the room, the room is free."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import ProgrammeSlot
from reisgezel.learning.services.schools import programme_slot_save
from reisgezel.learning.tests.test_schools import make_programme
from reisgezel.places.models import Room, RoomClaim
from reisgezel.places.services_rooms import room_claim
from tests.factories import make_place, make_user
from tests.learning_factories import make_room, slot_admin_form

pytestmark = pytest.mark.django_db


def new_slot(room: Room, **overrides: Any) -> ProgrammeSlot:
    start = timezone.now().replace(microsecond=0) + timedelta(days=20)
    values: dict[str, Any] = {
        "course": make_programme(),
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": room.place,
        "room": room,
        "max_pupils": 16,
        "price": Decimal("95.00"),
    }
    values.update(overrides)
    return ProgrammeSlot(**values)


def test_the_service_refuses_a_group_larger_than_the_room() -> None:
    room = make_room(capacity=16)
    staff = make_user(is_staff=True)
    with pytest.raises(ValidationError) as refused:
        programme_slot_save(actor=staff, slot=new_slot(room, max_pupils=17))
    assert refused.value.message_dict == {
        "max_pupils": [f"{room} holds at most 16 people, so the group cannot be larger."]
    }
    assert not ProgrammeSlot.objects.exists() and not RoomClaim.objects.exists()
    # In the classroom the room's size does not matter; a room without a capacity has no limit.
    assert programme_slot_save(actor=staff, slot=new_slot(room, in_school=True, max_pupils=30)).pk
    open_ended = make_room(name="Zaal", slug="zaal", capacity=None, place=room.place)
    assert programme_slot_save(actor=staff, slot=new_slot(open_ended, max_pupils=200)).pk


def test_the_service_refuses_a_room_in_another_place() -> None:
    room = make_room(capacity=40)
    elsewhere = make_place(name="Kumulus", slug="kumulus-elders")
    with pytest.raises(ValidationError) as refused:
        programme_slot_save(actor=make_user(is_staff=True), slot=new_slot(room, place=elsewhere))
    assert refused.value.message_dict == {
        "room": [f"{room.name} is in {room.place}: choose that place or another room."]
    }
    assert not ProgrammeSlot.objects.exists()


def test_the_model_refuses_both_on_every_path_that_validates() -> None:
    """A script or an import that calls full_clean() gets the same rules as the admin."""
    room = make_room(capacity=16)
    slot = new_slot(room, place=make_place(name="Elders", slug="elders"), max_pupils=20)
    with pytest.raises(ValidationError) as refused:
        slot.full_clean()
    assert set(refused.value.message_dict) == {"room", "max_pupils"}


def test_the_service_saves_claims_the_room_and_refuses_a_taken_room() -> None:
    room = make_room(capacity=16)
    staff = make_user(is_staff=True)
    slot = programme_slot_save(actor=staff, slot=new_slot(room))
    claim = RoomClaim.objects.get(holder_type="learning.slot", holder_id=slot.pk)
    assert (claim.room_id, claim.starts_at, claim.ends_at) == (
        room.pk,
        slot.starts_at,
        slot.ends_at,
    )
    assert AuditEntry.objects.filter(action="learning.slot_add", target_id=str(slot.pk)).exists()
    # Moved an hour later: the claim moves along.
    slot.starts_at += timedelta(hours=3)
    slot.ends_at += timedelta(hours=3)
    programme_slot_save(actor=staff, slot=slot)
    assert RoomClaim.objects.get(holder_id=slot.pk).starts_at == slot.starts_at
    # Another holder of the room at that time: refused, on the room, nothing saved.
    taken = new_slot(room, starts_at=slot.starts_at - timedelta(hours=5))
    taken.ends_at = taken.starts_at + timedelta(hours=2)
    room_claim(
        room=room,
        starts_at=taken.starts_at,
        ends_at=taken.ends_at,
        holder_type="spaces.booking",
        holder_id=99,
    )
    with pytest.raises(ValidationError) as refused:
        programme_slot_save(actor=staff, slot=taken)
    assert "is already taken" in refused.value.message_dict["room"][0]
    assert taken.pk is None and ProgrammeSlot.objects.count() == 1


def test_only_staff_and_the_provider_plan_slots() -> None:
    room = make_room(capacity=16)
    with pytest.raises(PermissionDenied):
        programme_slot_save(actor=make_user(), slot=new_slot(room))
    assert not ProgrammeSlot.objects.exists()


def test_the_admin_refuses_to_raise_a_slots_group_above_its_room() -> None:
    """Changing a slot in the admin goes through the same rules (and the service)."""
    room = make_room(capacity=16)
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    day = timezone.localdate() + timedelta(days=30)
    form = slot_admin_form(course_id=make_programme().pk, room=room, day=day, max_pupils=16)
    assert staff.post("/en/admin/learning/programmeslot/add/", form).status_code == 302
    slot = ProgrammeSlot.objects.get()
    assert AuditEntry.objects.filter(action="learning.slot_add", target_id=str(slot.pk)).exists()
    url = f"/en/admin/learning/programmeslot/{slot.pk}/change/"
    refused = staff.post(url, form | {"max_pupils": 25})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["max_pupils"] == [
        f"{room} holds at most 16 people, so the group cannot be larger."
    ]
    slot.refresh_from_db()
    assert slot.max_pupils == 16
