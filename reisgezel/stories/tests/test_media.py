"""Uploads are validated by content, within limits, and photos lose their metadata."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from reisgezel.stories.media import AUDIO_MAX_BYTES, PHOTO_POLICY, audio_type, clean_audio
from reisgezel.stories.models import StoryMedia
from reisgezel.stories.services import Uploads, story_withdraw
from reisgezel.stories.tests.conftest import published, submit
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "heritage" / "tests" / "media_samples"
GPS_IFD = 0x8825


def photo_with_gps(size: tuple[int, int] = (800, 600)) -> bytes:
    """A JPEG with an EXIF GPS position (Maastricht) and a camera make."""
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (50.0, 50.0, 56.8)
    gps[3] = "E"
    gps[4] = (5.0, 42.0, 8.4)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_the_test_photo_really_has_gps() -> None:
    assert Image.open(io.BytesIO(photo_with_gps())).getexif().get_ifd(GPS_IFD)


def test_stored_photos_have_no_exif_or_gps(django_capture_on_commit_callbacks: Any) -> None:
    story = published(
        django_capture_on_commit_callbacks, uploads=Uploads(photos=[(photo_with_gps(), "De Maas")])
    )
    item = story.media.get()
    name = str(item.file.name)
    with default_storage.open(name) as stored:
        image = Image.open(stored)
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert len(exif) == 0
        assert "exif" not in image.info
    assert item.content_type == "image/jpeg" and (item.width, item.height) == (800, 600)
    assert name.startswith("stories/") and "upload" not in name


def test_a_file_named_jpg_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        submit(uploads=Uploads(photos=[(b"<?php echo 'hi'; ?>", "")]))
    assert "photos" in exc.value.message_dict
    assert not StoryMedia.objects.exists()


def test_too_many_pixels_are_refused_before_decoding() -> None:
    side = int(PHOTO_POLICY.max_pixels**0.5) + 10
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")
    with pytest.raises(ValidationError, match="pixels"):
        submit(uploads=Uploads(photos=[(out.getvalue(), "")]))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("uitspraak.mp3", "mp3"),
        ("woord-id3.mp3", "mp3"),
        ("uitspraak.ogg", "ogg"),
        ("uitspraak.m4a", "m4a"),
    ],
)
def test_real_audio_files_are_recognised_by_content(name: str, kind: str) -> None:
    detected = audio_type((SAMPLES / name).read_bytes())
    assert detected is not None and detected[0] == kind


def test_wav_is_recognised_and_other_files_are_not() -> None:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\x00\x00" * 800)
    assert audio_type(out.getvalue()) == ("wav", "audio/wav")
    assert audio_type(photo_with_gps()) is None
    assert audio_type((SAMPLES / "clip.mp4").read_bytes()[:4] + b"xxxxxxxxxxxx") is None
    with pytest.raises(ValidationError):
        clean_audio(b"MZ\x90\x00 an executable")
    with pytest.raises(ValidationError, match="MB"):
        clean_audio(b"ID3" + b"\x00" * AUDIO_MAX_BYTES)


def test_media_are_served_only_while_the_story_may_be_seen(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    author = make_user()
    story = published(
        django_capture_on_commit_callbacks,
        author=author,
        uploads=Uploads(
            photos=[(photo_with_gps(), "")],
            audio=((SAMPLES / "uitspraak.mp3").read_bytes(), "Stem"),
        ),
    )
    items = list(story.media.all())
    names = [str(item.file.name) for item in items]
    for item in items:
        response = client.get(f"/nl/stories/media/{item.uuid}/")
        assert response.status_code == 200
        assert response["Content-Type"] == item.content_type
    page = client.get(f"/nl/stories/{story.uuid}/").content.decode()
    assert "<audio" in page and f"/nl/stories/media/{items[0].uuid}/" in page
    with django_capture_on_commit_callbacks(execute=True):
        story_withdraw(actor=author, story=story)
    for item in items:
        assert client.get(f"/nl/stories/media/{item.uuid}/").status_code == 404
    assert not any(default_storage.exists(name) for name in names)
