"""The spaces admin: every page loads, photos are cleaned on upload, actions use services."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from reisgezel.accounts.models import User
from reisgezel.places.models import RoomClaim
from reisgezel.spaces.models import (
    BookableRoom,
    Booking,
    BookingGroup,
    BookingStatus,
    GroupStatus,
    RoomPhoto,
)
from reisgezel.spaces.services import booking_request
from reisgezel.spaces.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
MODELS = ["equipment", "bookableroom", "closure", "bookinggroup", "bookingseries", "booking"]


@pytest.fixture
def admin_client_(staff: User) -> Client:
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(staff)
    return client


def test_every_spaces_admin_page_loads(admin_client_: Client, studio: BookableRoom) -> None:
    for model in MODELS:
        url = reverse(f"admin:spaces_{model}_changelist")
        assert admin_client_.get(url, {"q": "Atelier"}).status_code == 200, model
    change = reverse("admin:spaces_bookableroom_change", args=[studio.pk])
    assert admin_client_.get(change).status_code == 200


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 51.0, 0.0)}
    raw = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(raw, format="JPEG", exif=exif)
    return raw.getvalue()


def _inline_form(studio: BookableRoom, upload: SimpleUploadedFile) -> dict[str, object]:
    return {
        "room": studio.room_id,
        "slug": studio.slug,
        "free_cancellation_days": 7,
        "is_bookable": "on",
        "rates-TOTAL_FORMS": 0,
        "rates-INITIAL_FORMS": 0,
        "photos-TOTAL_FORMS": 1,
        "photos-INITIAL_FORMS": 0,
        "photos-0-image": upload,
        "photos-0-alt_text_nl": "Studio met spiegelwand",
        "photos-0-alt_text_en": "Studio with mirror wall",
        "photos-0-alt_text_de": "",
        "photos-0-alt_text_fr": "",
        "photos-0-position": 0,
    }


def test_a_photo_uploaded_in_the_admin_is_stored_without_gps(
    admin_client_: Client, studio: BookableRoom, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    change = reverse("admin:spaces_bookableroom_change", args=[studio.pk])
    upload = SimpleUploadedFile("studio.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = admin_client_.post(change, _inline_form(studio, upload))
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert response.status_code == 302, errors
    photo = RoomPhoto.objects.get()
    with photo.image.open("rb") as stored:
        data = stored.read()
    assert data[:2] == b"\xff\xd8" and b"Exif" not in data
    assert (photo.width, photo.height) == (64, 48)


def _stored_photo(client: Client, studio: BookableRoom) -> tuple[RoomPhoto, dict[str, Any]]:
    """A photo uploaded through the room's inline, and the form to post it again."""
    upload = SimpleUploadedFile("studio.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    client.post(_change_url(studio), _inline_form(studio, upload))
    photo = RoomPhoto.objects.get()
    assert photo.image.name and photo.image.storage.exists(photo.image.name)
    again = _inline_form(studio, upload) | {
        "photos-INITIAL_FORMS": 1,
        "photos-0-id": photo.pk,
        "photos-0-bookable": studio.pk,
    }
    return photo, again


def _change_url(studio: BookableRoom) -> str:
    return reverse("admin:spaces_bookableroom_change", args=[studio.pk])


def test_a_photo_removed_in_the_admin_takes_its_file_along(
    admin_client_: Client,
    studio: BookableRoom,
    settings: object,
    tmp_path: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    photo, form = _stored_photo(admin_client_, studio)
    storage, name = photo.image.storage, str(photo.image.name)
    removal = form | {"photos-0-image": "", "photos-0-DELETE": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(_change_url(studio), removal)
    assert response.status_code == 302
    assert not RoomPhoto.objects.exists()
    assert not storage.exists(name)


def test_a_photo_replaced_in_the_admin_takes_the_old_file_along(
    admin_client_: Client,
    studio: BookableRoom,
    settings: object,
    tmp_path: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    photo, form = _stored_photo(admin_client_, studio)
    storage, old_name = photo.image.storage, str(photo.image.name)
    second = SimpleUploadedFile("studio2.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(_change_url(studio), form | {"photos-0-image": second})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.image.name and photo.image.name != old_name
    assert storage.exists(photo.image.name) and not storage.exists(old_name)


def test_a_file_that_is_not_an_image_is_refused_in_the_admin(
    admin_client_: Client, studio: BookableRoom
) -> None:
    change = reverse("admin:spaces_bookableroom_change", args=[studio.pk])
    upload = SimpleUploadedFile("studio.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = admin_client_.post(change, _inline_form(studio, upload))
    assert response.status_code == 200
    assert not RoomPhoto.objects.exists()


def test_admin_actions_go_through_the_services(
    admin_client_: Client, studio: BookableRoom, new_group: BookingGroup, resident: User
) -> None:
    booking = booking_request(
        actor=resident,
        bookable=studio,
        group=new_group,
        title="Repetitie",
        starts_at=at(NOW.date().replace(day=9), 19),
        ends_at=at(NOW.date().replace(day=9), 21),
        now=NOW,
    )
    admin_client_.post(
        reverse("admin:spaces_bookinggroup_changelist"),
        {"action": "approve", "_selected_action": [new_group.pk]},
    )
    new_group.refresh_from_db()
    booking.refresh_from_db()
    assert new_group.status == GroupStatus.APPROVED
    assert booking.status == BookingStatus.CONFIRMED
    admin_client_.post(
        reverse("admin:spaces_booking_changelist"),
        {"action": "cancel", "_selected_action": [booking.pk]},
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not RoomClaim.objects.exists()
    assert Booking.objects.count() == 1


def test_the_admin_refuses_a_room_closure_under_another_house(
    admin_client_: Client, studio: BookableRoom
) -> None:
    from reisgezel.spaces.models import Closure
    from tests.factories import make_place

    other = make_place(name="Centre Céramique", slug="centre-ceramique")
    form = {
        "place": other.pk,
        "bookable": studio.pk,
        "starts_on": "2027-03-09",
        "ends_on": "2027-03-10",
        "reason_nl": "Nieuwe vloer",
        "reason_en": "",
        "reason_de": "",
        "reason_fr": "",
    }
    url = reverse("admin:spaces_closure_add")
    refused = admin_client_.post(url, form)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["bookable"] == [
        "Kumulus: Atelier 1 is in Kumulus: choose that house, or no room to close the whole house."
    ]
    assert not Closure.objects.exists()
    assert admin_client_.post(url, form | {"place": studio.room.place_id}).status_code == 302
    assert Closure.objects.get().place_id == studio.room.place_id


def test_the_admin_keeps_the_room_of_a_bookable_room_that_has_bookings(
    admin_client_: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    """Bookings hold their room in its calendar (RoomClaim): pointing their bookable room
    at another room would move them there on paper only."""
    from reisgezel.places.models import Room

    other = Room.objects.create(place=studio.room.place, name="Atelier 2", slug="atelier-2")
    spare = Room.objects.create(place=studio.room.place, name="Atelier 3", slug="atelier-3")
    form = {
        "slug": studio.slug,
        "free_cancellation_days": 7,
        "is_bookable": "on",
        "rates-TOTAL_FORMS": 0,
        "rates-INITIAL_FORMS": 0,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    # Without bookings the room may still be corrected.
    assert admin_client_.post(_change_url(studio), form | {"room": spare.pk}).status_code == 302
    studio.refresh_from_db()
    assert studio.room == spare
    booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Repetitie",
        starts_at=at(NOW.date().replace(day=9), 19),
        ends_at=at(NOW.date().replace(day=9), 21),
        now=NOW,
    )
    refused = admin_client_.post(_change_url(studio), form | {"room": other.pk})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["room"] == [
        "There are bookings of Kumulus: Atelier 3, so the room cannot be changed here. Make "
        "this one not bookable and the other room bookable on its own."
    ]
    studio.refresh_from_db()
    assert studio.room == spare
    assert RoomClaim.objects.get().room == spare


def _book_studio(studio: BookableRoom, choir: BookingGroup, choir_member: User) -> Booking:
    return booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Repetitie",
        starts_at=at(NOW.date().replace(day=9), 19),
        ends_at=at(NOW.date().replace(day=9), 21),
        now=NOW,
    )


def test_a_bookable_room_with_bookings_keeps_its_room_on_every_path(
    studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    """Not only the admin's form: the model's clean() (every form, any script that
    validates) and the database itself (a save, an update, a shell) refuse the move."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from reisgezel.places.models import Room

    other = Room.objects.create(place=studio.room.place, name="Atelier 2", slug="atelier-2")
    # Without bookings the room may still be corrected, also by a plain save.
    original = studio.room
    studio.room = other
    studio.full_clean()
    studio.save()
    studio.room = original
    studio.save()
    _book_studio(studio, choir, choir_member)
    studio.room = other
    with pytest.raises(ValidationError) as refused:
        studio.full_clean()
    assert refused.value.message_dict["room"] == [
        "There are bookings of Kumulus: Atelier 1, so the room cannot be changed here. Make "
        "this one not bookable and the other room bookable on its own."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        studio.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        BookableRoom.objects.filter(pk=studio.pk).update(room=other)
    assert BookableRoom.objects.get(pk=studio.pk).room_id == original.pk
    assert RoomClaim.objects.get().room == original
    # Everything else of the room can still change.
    BookableRoom.objects.filter(pk=studio.pk).update(is_bookable=False, room=original)
