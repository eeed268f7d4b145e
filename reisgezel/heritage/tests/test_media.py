"""media_add / media_update / media_remove: uploads validated by their content, images
stored upright and without metadata, tiles made after commit, every change audited."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.iiif.tiles import read_info, service_dir
from reisgezel.heritage.media import media_add, media_remove, media_update, sniff_sound
from reisgezel.heritage.models import MediaKind, TileState
from reisgezel.heritage.tests.media_fixtures import (
    CC0,
    SOUNDS,
    add_image,
    looks_upright,
    media_dirs,
    photo,
    wav_bytes,
)
from tests.heritage_factories import ObjectFactory

__all__ = ["media_dirs"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_dirs")]


@pytest.mark.parametrize("orientation", [1, 2, 5, 6])
def test_images_are_stored_upright_without_metadata_and_tiled(
    orientation: int, django_capture_on_commit_callbacks: Any
) -> None:
    obj = ObjectFactory()
    media = add_image(django_capture_on_commit_callbacks, obj, photo(orientation))
    assert (media.kind, media.width, media.height) == (MediaKind.IMAGE, 600, 450)
    assert media.content_type == "image/jpeg" and (media.file.name or "").endswith(".jpg")
    stored = media.file.read()
    assert media.sha256 == hashlib.sha256(stored).hexdigest()
    assert media.size_bytes == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (600, 450)
        assert not image.getexif() and "xmp" not in image.info
        assert looks_upright(image)
    assert media.tile_state == TileState.READY and media.tile_error == ""
    info = read_info(media.key)
    assert info is not None and (info["width"], info["height"]) == (600, 450)
    with Image.open(service_dir(media.key) / "full" / "max" / "0" / "default.jpg") as full:
        assert full.size == (600, 450) and looks_upright(full)


def test_png_tiff_and_webp_are_accepted_and_tiff_is_stored_as_png(
    django_capture_on_commit_callbacks: Any,
) -> None:
    source = Image.open(io.BytesIO(photo(1)))
    for fmt, content_type in (("PNG", "image/png"), ("TIFF", "image/png"), ("WEBP", "image/webp")):
        out = io.BytesIO()
        source.save(out, format=fmt)
        media = add_image(django_capture_on_commit_callbacks, None, out.getvalue())
        assert media.content_type == content_type, fmt
        assert media.tile_state == TileState.READY, media.tile_error


def test_gps_and_other_metadata_are_stripped(django_capture_on_commit_callbacks: Any) -> None:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (50.0, 51.0, 0.0)}  # GPSInfo: where the photo was taken
    exif[0x013B] = "Photographer Name"  # Artist
    source = io.BytesIO()
    Image.open(io.BytesIO(photo(1))).save(source, format="JPEG", exif=exif, xmp=b"<x:xmpmeta/>")
    media = add_image(django_capture_on_commit_callbacks, None, source.getvalue())
    with Image.open(media.file.path) as stored:
        assert not stored.getexif() and "xmp" not in stored.info


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (b"%PDF-1.7 not media at all", "file", "Upload an image"),
        (b"GIF89a" + b"\x00" * 20, "file", "Upload an image"),
        (photo(1)[:3000], "file", "damaged or incomplete"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        media_add(actor=None, data=data, alt_text={"nl": "x"}, rights_uri=CC0)
    assert message in " ".join(caught.value.message_dict[field])


def test_gif_is_not_an_accepted_image_format() -> None:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG, WebP or TIFF"):
        media_add(actor=None, data=out.getvalue(), alt_text={"nl": "x"}, rights_uri=CC0)


def test_limits_come_from_the_heritage_settings(settings: Any) -> None:
    settings.HERITAGE = {**settings.HERITAGE, "IMAGE_MAX_PIXELS": 600 * 450 - 1}
    with pytest.raises(ValidationError, match="too many pixels"):
        media_add(actor=None, data=photo(1), alt_text={"nl": "x"}, rights_uri=CC0)
    settings.HERITAGE = {**settings.HERITAGE, "MEDIA_MAX_BYTES": 1024 * 1024}
    with pytest.raises(ValidationError) as caught:
        media_add(actor=None, data=b"\xff" * (1024 * 1024 + 1), alt_text={"nl": "x"})
    assert caught.value.message_dict["file"] == ["The file is larger than 1 MB."]


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, format="PNG")  # 400 MP in a few kB
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ValidationError, match="too many pixels"):
        media_add(actor=None, data=bomb.getvalue(), alt_text={"nl": "x"}, rights_uri=CC0)


def test_alt_text_and_rights_are_required_with_messages_per_field() -> None:
    with pytest.raises(ValidationError) as caught:
        media_add(
            actor=None, data=photo(1), alt_text={"en": "only English"}, rights_uri="mine, all mine"
        )
    errors = caught.value.message_dict
    assert set(errors) == {"alt_text", "rights_uri"}
    assert "Dutch" in errors["alt_text"][0] and "RightsStatements.org" in errors["rights_uri"][0]
    with pytest.raises(ValidationError) as caught:
        media_add(actor=None, data=photo(1), alt_text={"nl": "x" * 301}, rights_uri=CC0)
    assert "alt_text" in caught.value.message_dict


def test_rights_are_stored_in_their_canonical_form() -> None:
    media = media_add(
        actor=None,
        data=photo(1),
        alt_text={"nl": "Een waterval"},
        rights_uri="https://creativecommons.org/licenses/by/4.0/deed.nl",
    )
    assert media.rights_uri == "http://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize(
    ("name", "content_type", "extension", "duration"),
    [
        ("uitspraak.mp3", "audio/mpeg", "mp3", 2.0),
        ("woord-id3.mp3", "audio/mpeg", "mp3", 1.5),
        ("uitspraak.opus", "audio/ogg", "opus", 2.0),
        ("uitspraak.ogg", "audio/ogg", "ogg", 2.0),
        ("uitspraak.m4a", "audio/mp4", "m4a", 2.0),
    ],
)
def test_sound_is_recognised_by_its_content_with_its_duration(
    name: str, content_type: str, extension: str, duration: float
) -> None:
    media = media_add(
        actor=None, data=(SOUNDS / name).read_bytes(), rights_uri=CC0, expect=MediaKind.AUDIO
    )
    assert (media.kind, media.content_type) == (MediaKind.AUDIO, content_type)
    assert (media.file.name or "").endswith(f".{extension}")
    assert media.duration_seconds == pytest.approx(duration, abs=0.1)
    assert media.tile_state == TileState.NOT_APPLICABLE and media.width is None


def test_wav_duration_and_refusals_of_video_and_wrong_kind() -> None:
    sound = sniff_sound(wav_bytes(seconds=1.25))
    assert sound is not None and sound.duration_seconds == pytest.approx(1.25)
    with pytest.raises(ValidationError, match="Upload an image"):
        media_add(actor=None, data=(SOUNDS / "clip.mp4").read_bytes(), rights_uri=CC0)
    with pytest.raises(ValidationError, match="Upload a sound file"):
        media_add(actor=None, data=photo(1), alt_text={"nl": "x"}, expect=MediaKind.AUDIO)
    with pytest.raises(ValidationError, match="Upload an image"):
        media_add(actor=None, data=wav_bytes(), expect=MediaKind.IMAGE)


def test_damaged_sound_headers_are_not_accepted() -> None:
    mp3 = (SOUNDS / "uitspraak.mp3").read_bytes()
    assert sniff_sound(mp3[:3]) is None
    assert sniff_sound(b"OggS" + b"\x00" * 40) is None
    assert sniff_sound(b"\x00\x00\x00\x20ftypM4A " + b"\xff" * 30) is None
    assert sniff_sound(bytes([0xFF, 0xFB]) + b"\x00" * 100) is None  # a lone "frame sync"


def test_positions_follow_the_order_of_upload(django_capture_on_commit_callbacks: Any) -> None:
    obj = ObjectFactory()
    first = add_image(django_capture_on_commit_callbacks, obj, photo(1))
    second = add_image(django_capture_on_commit_callbacks, obj, photo(6))
    assert (first.position, second.position) == (0, 1)
    assert list(obj.media.all()) == [first, second]


def test_update_changes_the_description_and_keeps_rules(
    django_capture_on_commit_callbacks: Any,
) -> None:
    media = add_image(django_capture_on_commit_callbacks, ObjectFactory(), photo(1))
    media_update(
        actor=None,
        media=media,
        alt_text={"nl": "Waterval", "en": "Waterfall"},
        caption={"nl": "Bij Millaa Millaa"},
        credit="Foto: Wagtail",
        rights_uri="cc-by",
    )
    media.refresh_from_db()
    assert media.alt_text == {"nl": "Waterval", "en": "Waterfall"}
    assert media.rights_uri == "http://creativecommons.org/licenses/by/4.0/"
    assert media.credit == "Foto: Wagtail" and media.caption["nl"] == "Bij Millaa Millaa"
    with pytest.raises(ValidationError) as caught:
        media_update(actor=None, media=media, alt_text={"en": "gone"})
    assert set(caught.value.message_dict) == {"alt_text"}
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count("media.add") == 1 and actions.count("media.update") == 1


def test_remove_deletes_file_and_tiles_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    media = add_image(django_capture_on_commit_callbacks, ObjectFactory(), photo(5))
    stored, tiles = Path(media.file.path), service_dir(media.key)
    assert stored.exists() and (tiles / "info.json").exists()
    with django_capture_on_commit_callbacks(execute=True):
        media_remove(actor=None, media=media)
    assert not stored.exists() and not tiles.exists()
    assert AuditEntry.objects.filter(action="media.remove").count() == 1


def test_tiling_failure_is_recorded_not_raised(django_capture_on_commit_callbacks: Any) -> None:
    media = add_image(django_capture_on_commit_callbacks, None, photo(1))
    Path(media.file.path).write_bytes(b"not a jpeg any more")
    from reisgezel.heritage.tasks import make_tiles

    assert make_tiles.call(media_id=media.pk, force=True) == TileState.FAILED
    media.refresh_from_db()
    assert media.tile_state == TileState.FAILED and media.tile_error
    assert read_info(media.key) is not None  # the earlier tiles stay until a good rebuild
    assert make_tiles.call(media_id=10**9) == "gone"
