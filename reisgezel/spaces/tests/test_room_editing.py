"""Whoever answers a room's requests edits the room on the desk: its text, capacity,
settings, rates and photos (services_rooms, views_rooms)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from reisgezel.accounts.models import Organisation, User
from reisgezel.core.models import AuditEntry
from reisgezel.places.models import Room
from reisgezel.spaces.models import (
    BookableRoom,
    BookingGroup,
    BookingStatus,
    Equipment,
    GroupKind,
    RoomPhoto,
)
from reisgezel.spaces.services_rooms import (
    MAX_PHOTOS,
    RoomInput,
    room_edit,
    room_photo_add,
    room_photo_change,
    room_photo_remove,
)
from reisgezel.spaces.tests.conftest import request_on_tuesday
from tests.factories import make_organisation, member_of

pytestmark = pytest.mark.django_db
PHOTOS = Path(settings.SHARED_DATA_DIR) / "iiif" / "images"
EDIT = "/{lang}/spaces/staff/rooms/{slug}/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def piano() -> Equipment:
    return Equipment.objects.create(code="piano", name={"nl": "Vleugel", "en": "Grand piano"})


def _unchanged(bookable: BookableRoom, **changes: Any) -> RoomInput:
    """The room's current values as an input, with `changes`."""
    room = bookable.room
    current = RoomInput(
        description=room.description,
        accessibility_notes=room.accessibility_notes,
        capacity=room.capacity,
        equipment=list(bookable.equipment.all()),
        step_free=bookable.step_free,
        hearing_loop=bookable.hearing_loop,
        free_cancellation_days=bookable.free_cancellation_days,
        is_bookable=bookable.is_bookable,
    )
    return replace(current, **changes)


def _small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="PNG")
    return out.getvalue()


# --- The service ------------------------------------------------------------------------


def test_staff_and_the_partners_active_members_edit_the_room_and_nobody_else(
    partner: Organisation,
    partner_room: BookableRoom,
    studio: BookableRoom,
    partner_member: User,
    staff: User,
    resident: User,
) -> None:
    stranger = member_of(make_organisation(name="Ander koor", slug="ander-koor"))
    gone = member_of(partner, username="vertrokken", is_active=False)
    for actor in (stranger, gone, resident):
        with pytest.raises(PermissionDenied):
            room_edit(actor=actor, bookable=partner_room, data=_unchanged(partner_room))
        with pytest.raises(PermissionDenied):
            room_photo_add(
                actor=actor, bookable=partner_room, data=_small_png(), alt_text={"nl": "Zaal"}
            )
    with pytest.raises(PermissionDenied):  # the houses' room is not the partner's
        room_edit(actor=partner_member, bookable=studio, data=_unchanged(studio))
    room_edit(
        actor=partner_member, bookable=partner_room, data=_unchanged(partner_room, capacity=40)
    )
    room_edit(actor=staff, bookable=studio, data=_unchanged(studio, capacity=25))
    assert Room.objects.get(pk=partner_room.room_id).capacity == 40
    assert Room.objects.get(pk=studio.room_id).capacity == 25


def test_text_settings_equipment_and_rates_are_saved_and_a_removed_rate_refuses_that_kind(
    partner_room: BookableRoom,
    partner_member: User,
    new_group: BookingGroup,
    resident: User,
    choir: BookingGroup,
    choir_member: User,
    piano: Equipment,
) -> None:
    _trust(partner_room)
    texts = {"nl": "Ruime zaal", "en": "A large hall", "de": "Ein großer Saal", "fr": "Une salle"}
    room_edit(
        actor=partner_member,
        bookable=partner_room,
        data=_unchanged(
            partner_room,
            description=texts,
            accessibility_notes={"nl": "Lift naast de ingang"},
            capacity=45,
            equipment=[piano],
            step_free=True,
            hearing_loop=True,
            free_cancellation_days=14,
            rates={
                GroupKind.ASSOCIATION: Decimal("12.5"),
                GroupKind.RESIDENT: None,
                GroupKind.COMMERCIAL: Decimal("40.00"),
            },
        ),
    )
    bookable = BookableRoom.objects.get(pk=partner_room.pk)
    assert bookable.room.description == texts
    assert bookable.room.accessibility_notes == {"nl": "Lift naast de ingang"}
    assert (bookable.room.capacity, bookable.free_cancellation_days) == (45, 14)
    assert (
        bookable.step_free and bookable.hearing_loop and list(bookable.equipment.all()) == [piano]
    )
    rates = {rate.group_kind: rate.hourly_rate for rate in bookable.rates.all()}
    assert rates == {"association": Decimal("12.50"), "commercial": Decimal("40.00")}
    entry = AuditEntry.objects.get(action="spaces.room_edit")
    assert entry.target_id == str(partner_room.pk) and "rates" in entry.data["changed"]
    # No rate for residents: the resident's group can no longer ask for the room.
    with pytest.raises(ValidationError, match="not for hire"):
        request_on_tuesday(bookable, new_group, resident)
    assert request_on_tuesday(bookable, choir, choir_member).hourly_rate == Decimal("12.50")
    room_edit(
        actor=partner_member,
        bookable=bookable,
        data=_unchanged(bookable, rates={GroupKind.RESIDENT: Decimal("7")}),
    )
    assert request_on_tuesday(bookable, new_group, resident, hour=10).status == (
        BookingStatus.PENDING
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": 0}, "capacity", "from 1 to 9999"),
        ({"capacity": 10_000}, "capacity", "from 1 to 9999"),
        ({"free_cancellation_days": 91}, "free_cancellation_days", "from 0 to 90"),
        ({"free_cancellation_days": -1}, "free_cancellation_days", "from 0 to 90"),
        ({"rates": {"association": Decimal("-0.01")}}, "rate_association", "negative"),
        ({"rates": {"resident": Decimal("10000.01")}}, "rate_resident", "at most € 10000 per hour"),
        ({"rates": {"commercial": Decimal("1.005")}}, "rate_commercial", "two decimals"),
        ({"rates": {"commercial": Decimal("NaN")}}, "rate_commercial", "two decimals"),
        ({"description": {"nl": "x" * 4001}}, "description", "4000 characters"),
        ({"accessibility_notes": {"nl": "a\x00b"}}, "accessibility_notes", "Null characters"),
    ],
)
def test_impossible_values_are_refused_by_field_and_nothing_changes(
    partner_room: BookableRoom,
    partner_member: User,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        room_edit(
            actor=partner_member,
            bookable=partner_room,
            data=_unchanged(partner_room, step_free=True, **changes),
        )
    assert message in " ".join(caught.value.message_dict[field])
    partner_room.refresh_from_db()
    assert not partner_room.step_free and partner_room.rates.count() == 3
    assert not AuditEntry.objects.filter(action="spaces.room_edit").exists()


def test_a_photo_is_stored_upright_without_metadata_and_with_its_description(
    partner_room: BookableRoom, partner_member: User
) -> None:
    photo = room_photo_add(
        actor=partner_member,
        bookable=partner_room,
        data=(PHOTOS / "landscape_6.jpg").read_bytes(),  # stored 450x600, EXIF orientation 6
        alt_text={"nl": "De zaal met vleugel", "en": "The hall with a grand piano"},
    )
    stored = Image.open(photo.image.path)
    assert stored.size == (600, 450) and (photo.width, photo.height) == (600, 450)
    assert not stored.getexif()
    assert photo.alt_text == {"nl": "De zaal met vleugel", "en": "The hall with a grand piano"}
    second = room_photo_add(
        actor=partner_member,
        bookable=partner_room,
        data=(PHOTOS / "landscape_1.jpg").read_bytes(),
        alt_text={"nl": "De ingang"},
    )
    assert (photo.position, second.position) == (0, 1)  # a new photo comes last
    assert AuditEntry.objects.filter(action="spaces.room_photo_add").count() == 2


def test_a_non_image_and_a_missing_dutch_description_are_refused_on_their_fields(
    partner_room: BookableRoom, partner_member: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        room_photo_add(
            actor=partner_member,
            bookable=partner_room,
            data=b"%PDF-1.4 not a photo",
            alt_text={"en": "Only English"},
        )
    errors = caught.value.message_dict
    assert "not an image we can read" in " ".join(errors["image"])
    assert "in Dutch" in " ".join(errors["alt_text"])
    assert not RoomPhoto.objects.exists()


def test_a_room_has_at_most_twelve_photos(partner_room: BookableRoom, partner_member: User) -> None:
    for n in range(MAX_PHOTOS):
        room_photo_add(
            actor=partner_member, bookable=partner_room, data=_small_png(), alt_text={"nl": f"{n}"}
        )
    with pytest.raises(ValidationError) as caught:
        room_photo_add(
            actor=partner_member, bookable=partner_room, data=_small_png(), alt_text={"nl": "13"}
        )
    assert "at most 12 photos" in " ".join(caught.value.message_dict["image"])
    assert partner_room.photos.count() == MAX_PHOTOS


def test_a_photo_is_changed_and_its_file_deleted_once_the_removal_commits(
    partner_room: BookableRoom,
    partner_member: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    photo = room_photo_add(
        actor=partner_member, bookable=partner_room, data=_small_png(), alt_text={"nl": "Zaal"}
    )
    with pytest.raises(ValidationError) as caught:
        room_photo_change(actor=partner_member, photo=photo, alt_text={"nl": "Zaal"}, position=100)
    assert "position" in caught.value.message_dict
    room_photo_change(
        actor=partner_member, photo=photo, alt_text={"nl": "Zaal", "fr": "Salle"}, position=5
    )
    photo.refresh_from_db()
    assert (photo.alt_text, photo.position) == ({"nl": "Zaal", "fr": "Salle"}, 5)
    name = str(photo.image.name)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        room_photo_remove(actor=partner_member, photo=photo)
        assert default_storage.exists(name)  # not before the commit
    assert len(callbacks) == 1 and not default_storage.exists(name)
    assert not RoomPhoto.objects.exists()
    assert AuditEntry.objects.filter(action="spaces.room_photo_remove").count() == 1
    # A change posted from a page loaded before the removal: a message, not an error page.
    with pytest.raises(ValidationError, match="removed in the meantime"):
        room_photo_change(actor=partner_member, photo=photo, alt_text={"nl": "Zaal"}, position=1)


# --- The pages --------------------------------------------------------------------------


def _field_errors(html: str, field: str) -> str:
    """The text of the error list Django renders next to the field `field`."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def _room_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description_nl": "Repetitieruimte met vleugel",
        "description_en": "Rehearsal room with a grand piano",
        "description_de": "",
        "description_fr": "",
        "accessibility_notes_nl": "",
        "accessibility_notes_en": "Lift next to the entrance",
        "accessibility_notes_de": "",
        "accessibility_notes_fr": "",
        "capacity": "45",
        "hearing_loop": "on",
        "free_cancellation_days": "3",
        "is_bookable": "on",
        "rate_association": "11.50",
        "rate_resident": "",
        "rate_commercial": "60",
    }
    data.update(changes)
    return data


def test_the_partner_reaches_the_page_of_its_own_rooms_only(
    client: Client,
    partner_room: BookableRoom,
    studio: BookableRoom,
    partner_member: User,
    staff: User,
    resident: User,
) -> None:
    own = EDIT.format(lang="nl", slug=partner_room.slug)
    assert client.get(own).status_code == 302  # to the login page
    client.force_login(resident)
    assert client.get(own).status_code == 403  # no desk at all
    client.force_login(partner_member)
    desk = client.get("/nl/spaces/staff/")
    assert f'href="{own}"' in desk.text and "Muziekhuis: Repetitieruimte bewerken" in desk.text
    page = client.get(own)
    assert page.status_code == 200
    assert '<html lang="nl"' in page.text and "Prijzen per uur" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert client.get(EDIT.format(lang="nl", slug=studio.slug)).status_code == 404
    other = member_of(make_organisation(name="Ander huis", slug="ander-huis"))
    studio.managed_by = other.memberships.get().organisation
    studio.save(update_fields=["managed_by"])
    assert client.get(EDIT.format(lang="nl", slug=studio.slug)).status_code == 404
    assert client.post(EDIT.format(lang="nl", slug=studio.slug), _room_post()).status_code == 404
    client.force_login(staff)
    assert client.get(own).status_code == 200  # staff edit every room
    assert "/spaces/staff/rooms/" not in client.get("/nl/spaces/staff/").text  # no room list


def test_posted_changes_show_on_the_public_room_page(
    client: Client, partner_room: BookableRoom, partner_member: User, piano: Equipment
) -> None:
    _trust(partner_room)
    client.force_login(partner_member)
    url = EDIT.format(lang="en", slug=partner_room.slug)
    saved = client.post(url, _room_post(equipment=[str(piano.pk)]), follow=True)
    assert saved.redirect_chain == [(url, 302)]
    assert "Muziekhuis: Repetitieruimte is saved." in saved.text
    public = client.get(f"/en/spaces/rooms/{partner_room.slug}/").text
    assert "Rehearsal room with a grand piano" in public and "45 people" in public
    assert "Grand piano" in public and "hearing loop" in public
    assert "Lift next to the entrance" in public
    assert "until 3 days before" in public
    assert "€ 11.50" in public and "€ 60.00" in public and "Resident" not in public
    unbookable = _room_post()
    del unbookable["is_bookable"]
    client.post(url, unbookable)
    assert client.get(f"/en/spaces/rooms/{partner_room.slug}/").status_code == 404
    assert "not shown on the site" in client.get(url).text
    desk = client.get("/en/spaces/staff/").text  # no link to the page that is gone
    assert "Repetitieruimte (not bookable now)" in desk
    assert f'href="/en/spaces/rooms/{partner_room.slug}/"' not in desk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": "99999999999999999999"}, "capacity", "less than or equal to 9999"),
        ({"capacity": "1e3"}, "capacity", "whole number"),
        ({"free_cancellation_days": "-3"}, "free_cancellation_days", "greater than or equal"),
        ({"rate_association": "-1"}, "rate_association", "greater than or equal to 0"),
        ({"rate_resident": "1e999999"}, "rate_resident", "less than or equal to 10000"),
        ({"rate_commercial": "NaN"}, "rate_commercial", "Enter a number"),
        ({"rate_commercial": "12.345"}, "rate_commercial", "2 decimal places"),
        ({"equipment": ["99999999999999999999999"]}, "equipment", "not a valid value"),
        ({"equipment": ["piano"]}, "equipment", "not a valid value"),
        ({"equipment": ["4242"]}, "equipment", "Select a valid choice"),
        ({"description_nl": "x" * 4001}, "description", "at most 4000 characters"),
        ({"description_en": "a\x00b"}, "description", "Null characters are not allowed"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_never_a_server_error(
    client: Client,
    partner_room: BookableRoom,
    partner_member: User,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    client.force_login(partner_member)
    page = client.post(EDIT.format(lang="en", slug=partner_room.slug), _room_post(**changes))
    assert page.status_code == 200
    assert message in _field_errors(page.text, field)
    assert "Please correct the following" in page.text
    assert Room.objects.get(pk=partner_room.room_id).capacity == 30  # nothing saved


def test_photos_are_added_refused_changed_and_removed_on_the_page(
    client: Client,
    partner_room: BookableRoom,
    studio: BookableRoom,
    partner_member: User,
    staff: User,
) -> None:
    client.force_login(partner_member)
    base = EDIT.format(lang="en", slug=partner_room.slug) + "photos/"
    refused = client.post(
        base,
        {
            "image": SimpleUploadedFile("hall.jpg", b"not a photo", content_type="image/jpeg"),
            "alt_text_nl": "De zaal",
        },
    )
    assert refused.status_code == 200
    assert "not an image we can read" in _field_errors(refused.text, "image")
    no_alt = client.post(
        base,
        {"image": SimpleUploadedFile("hall.jpg", _small_png()), "alt_text_en": "The hall"},
    )
    assert "The Dutch text is required" in _field_errors(no_alt.text, "alt_text")
    assert not RoomPhoto.objects.exists()
    added = client.post(
        base,
        {
            "image": SimpleUploadedFile("hall.jpg", (PHOTOS / "landscape_5.jpg").read_bytes()),
            "alt_text_nl": "De zaal",
            "alt_text_en": "The hall",
        },
        follow=True,
    )
    assert "The photo is added." in added.text
    photo = RoomPhoto.objects.get()
    assert Image.open(photo.image.path).size == (600, 450)
    public = client.get(f"/en/spaces/rooms/{partner_room.slug}/").text
    assert f'src="{photo.image.url}" alt="The hall"' in public
    changed = client.post(
        f"{base}{photo.pk}/",
        {f"photo-{photo.pk}-alt_text_nl": "", f"photo-{photo.pk}-position": "2"},
    )
    assert changed.status_code == 200
    assert "The Dutch text is required" in _field_errors(changed.text, f"photo-{photo.pk}-alt_text")
    client.post(
        f"{base}{photo.pk}/",
        {f"photo-{photo.pk}-alt_text_nl": "Het podium", f"photo-{photo.pk}-position": "2"},
    )
    photo.refresh_from_db()
    assert (photo.alt_text, photo.position) == ({"nl": "Het podium"}, 2)
    # Another room's photo is not reached through this room, nor that room itself.
    theirs = room_photo_add(
        actor=staff, bookable=studio, data=_small_png(), alt_text={"nl": "Atelier"}
    )
    assert client.post(f"{base}{theirs.pk}/remove/").status_code == 404
    assert client.post(f"{base}{theirs.pk}/", {}).status_code == 404
    studio_photos = EDIT.format(lang="en", slug=studio.slug) + f"photos/{theirs.pk}/remove/"
    assert client.post(studio_photos).status_code == 404
    client.post(f"{base}{photo.pk}/remove/")
    assert list(RoomPhoto.objects.all()) == [theirs]


def test_a_full_room_says_so_instead_of_offering_the_upload(
    client: Client, partner_room: BookableRoom, partner_member: User
) -> None:
    for n in range(MAX_PHOTOS):
        room_photo_add(
            actor=partner_member, bookable=partner_room, data=_small_png(), alt_text={"nl": f"{n}"}
        )
    client.force_login(partner_member)
    page = client.get(EDIT.format(lang="en", slug=partner_room.slug)).text
    assert "A room has at most 12 photos. Remove one before adding another." in page
    assert 'enctype="multipart/form-data"' not in page


def _trust(bookable: BookableRoom) -> None:
    partner = bookable.managed_by
    assert partner is not None
    partner.is_trusted = True
    partner.save(update_fields=["is_trusted"])


def test_only_staff_or_a_trusted_partner_set_step_free_access_and_a_hearing_loop(
    client: Client, partner_room: BookableRoom, partner_member: User, staff: User
) -> None:
    promise = _unchanged(partner_room, step_free=True, hearing_loop=True)
    with pytest.raises(ValidationError) as refused:
        room_edit(actor=partner_member, bookable=partner_room, data=promise)
    assert set(refused.value.message_dict) == {"step_free", "hearing_loop"}
    # The notes are theirs to write; the page shows the two ticks without letting them change.
    client.force_login(partner_member)
    url = EDIT.format(lang="en", slug=partner_room.slug)
    form = client.get(url).context["room_form"]
    assert form.fields["step_free"].disabled and form.fields["hearing_loop"].disabled
    client.post(url, _room_post())  # ticks posted anyway are ignored, the rest is saved
    partner_room.refresh_from_db()
    assert (partner_room.step_free, partner_room.hearing_loop) == (False, False)
    assert partner_room.free_cancellation_days == 3
    room_edit(actor=staff, bookable=partner_room, data=promise)
    partner_room.refresh_from_db()
    assert partner_room.step_free and partner_room.hearing_loop
