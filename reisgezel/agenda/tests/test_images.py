"""Event images: validated by content, upright, without metadata, with alt text and rights."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from reisgezel.agenda.images import event_image_add, event_image_remove, normalised_image
from tests.factories import OrganisationFactory, UserFactory, member_of, published_event

IMAGES = Path(settings.SHARED_DATA_DIR) / "iiif" / "images"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("landscape_1.jpg", (600, 450)),
        ("landscape_6.jpg", (600, 450)),
        ("landscape_5.jpg", (600, 450)),
        ("landscape_2.jpg", (600, 450)),
    ],
)
def test_exif_orientation_is_applied_to_the_pixels(name, size):
    """Every test photo is a landscape when shown upright, whatever its stored shape."""
    data, extension = normalised_image((IMAGES / name).read_bytes())
    image = Image.open(io.BytesIO(data))
    assert extension == "jpg" and image.size == size
    assert not image.getexif()  # orientation (and everything else) is gone


def test_gps_metadata_is_stripped():
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (50.0, 51.0, 0.0)}  # GPSInfo
    source = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(source, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(source.getvalue())).getexif()
    data, _ext = normalised_image(source.getvalue())
    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"%PDF-1.4 not an image", "not an image"),
        (lambda: _encoded(Image.new("RGB", (10, 10)), "GIF"), "JPEG, PNG or WebP"),
        (lambda: _encoded(Image.new("1", (8000, 8000)), "PNG"), "too many pixels"),
        (lambda: (IMAGES / "landscape_1.jpg").read_bytes()[:2000], "damaged"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(make, message):
    with pytest.raises(ValidationError, match=message):
        normalised_image(make())


def _encoded(image, fmt):
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


@pytest.mark.django_db
def test_member_adds_an_image_with_alt_text_credit_and_rights():
    event = published_event()
    author = event.organiser.memberships.get().user
    image = event_image_add(
        actor=author,
        event=event,
        data=(IMAGES / "landscape_6.jpg").read_bytes(),
        alt_text={"nl": "Een foto met het woord boven", "en": "A photo"},
        credit="Fotograaf X",
        rights_uri=CC_BY,
    )
    assert (image.image.name or "").endswith(".jpg") and image.alt_text["nl"]
    assert Image.open(image.image.path).size == (600, 450)  # stored 450x600 + orientation 6
    event_image_remove(actor=author, image=image)
    assert not event.images.exists()


@pytest.mark.django_db
def test_alt_text_credit_and_rights_are_required_and_outsiders_refused():
    event = published_event()
    author = event.organiser.memberships.get().user
    data = (IMAGES / "landscape_1.jpg").read_bytes()
    with pytest.raises(ValidationError) as caught:
        event_image_add(
            actor=author,
            event=event,
            data=data,
            alt_text={"en": "x"},
            credit=" ",
            rights_uri="https://example.org/mine",
        )
    assert set(caught.value.message_dict) == {"alt_text", "credit", "rights_uri"}
    with pytest.raises(PermissionDenied):
        event_image_add(
            actor=member_of(OrganisationFactory()),
            event=event,
            data=data,
            alt_text={"nl": "x"},
            credit="y",
            rights_uri=CC_BY,
        )
    with pytest.raises(PermissionDenied):
        event_image_add(
            actor=UserFactory(),
            event=event,
            data=data,
            alt_text={"nl": "x"},
            credit="y",
            rights_uri=CC_BY,
        )


@pytest.mark.django_db
def test_partner_page_uploads_and_refuses_outsiders(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = published_event()
    author = event.organiser.memberships.get().user
    url = f"/en/partners/events/{event.pk}/images/"
    form = {"alt_text_nl": "Een foto", "credit": "X", "rights_uri": CC_BY}

    client.force_login(author)
    assert client.get(url).status_code == 200
    bad = client.post(url, {**form, "image": SimpleUploadedFile("x.jpg", b"not an image")})
    assert bad.status_code == 400 and b"not an image" in bad.content
    upload = SimpleUploadedFile("photo.jpg", (IMAGES / "landscape_6.jpg").read_bytes())
    assert client.post(url, {**form, "image": upload}).status_code == 302
    assert event.images.count() == 1

    client.force_login(member_of(OrganisationFactory()))
    upload = SimpleUploadedFile("photo.jpg", (IMAGES / "landscape_1.jpg").read_bytes())
    assert client.post(url, {**form, "image": upload}).status_code == 403
    assert event.images.count() == 1
