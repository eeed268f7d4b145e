"""Media of heritage records: images (deep zoom, IIIF) and sound (dialect pronunciations).

Every upload goes through `media_add`, whatever its source (admin, import, demo data):
the type is sniffed from the bytes, never taken from a name or a declared type; images
are validated and normalised by `reisgezel.core.images` (upright, metadata stripped,
every pixel kept) and get static IIIF tiles from a task after commit; sound files are
checked by their container and, where cheap, their duration is read from the headers.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.core.i18n import SOURCE_LANGUAGE, language_map
from reisgezel.core.images import ImagePolicy, clean_image, is_image
from reisgezel.heritage.iiif.tiles import remove_tiles
from reisgezel.heritage.models import HeritageObject, MediaFile, MediaKind, TileState
from reisgezel.heritage.rights import DEFAULT_RIGHTS, canonical_rights_uri
from reisgezel.heritage.services import OBJECT_DOC_TYPE
from reisgezel.search.registry import index_later

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF")
ARCHIVE_JPEG_QUALITY = 92  # re-encoding is unavoidable (orientation, metadata): keep detail


@dataclass(frozen=True)
class Sound:
    content_type: str
    extension: str
    duration_seconds: float | None


# --- Sound: container sniffing and cheap durations --------------------------------------

_MP3_BITRATES = {  # kbit/s by bitrate index, for MPEG-1 and MPEG-2/2.5 Layer III
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame(data: bytes, at: int) -> tuple[int, int, int, int] | None:
    """(frame length, sample rate, samples per frame, MPEG version bits) of a Layer III
    frame header at `at`, or None when there is none."""
    if at + 4 > len(data) or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return None
    version, layer = (data[at + 1] >> 3) & 3, (data[at + 1] >> 1) & 3
    bitrate_index, rate_index = data[at + 2] >> 4, (data[at + 2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    rate = _MP3_RATES[version][rate_index]
    bitrate = _MP3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    samples = 1152 if version == 3 else 576
    length = samples // 8 * bitrate // rate + ((data[at + 2] >> 1) & 1)
    return length, rate, samples, version


def _mp3(data: bytes) -> Sound | None:
    start = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for byte in data[6:10]:  # "syncsafe" integer: 7 bits a byte
            size = (size << 7) | (byte & 0x7F)
        start = 10 + size + (10 if data[5] & 0x10 else 0)
    first = _mp3_frame(data, start)
    # Two consecutive frame headers: a random 0xFFE... in other data is no MP3.
    if first is None or (start + first[0] < len(data) and not _mp3_frame(data, start + first[0])):
        return None
    length, rate, samples, version = first
    mono = data[start + 3] >> 6 == 3
    side_info = (17 if mono else 32) if version == 3 else (9 if mono else 17)
    xing = start + 4 + side_info
    frames: int | None = None
    if data[xing : xing + 4] in (b"Xing", b"Info") and data[xing + 7] & 1:
        frames = struct.unpack(">I", data[xing + 8 : xing + 12])[0]
    elif data[start + 36 : start + 40] == b"VBRI":
        frames = struct.unpack(">I", data[start + 50 : start + 54])[0]
    if frames:
        duration = frames * samples / rate
    else:  # constant bit rate: the audio bytes over the byte rate
        duration = (len(data) - start) / (length * rate / samples)
    return Sound("audio/mpeg", "mp3", round(duration, 3))


def _ogg(data: bytes) -> Sound | None:
    if data[:4] != b"OggS" or len(data) < 28:
        return None
    segments = data[26]
    packet = data[27 + segments : 27 + segments + 40]
    if packet.startswith(b"OpusHead"):
        rate, skip, extension = 48000, struct.unpack("<H", packet[10:12])[0], "opus"
    elif packet.startswith(b"\x01vorbis"):
        rate, skip, extension = struct.unpack("<I", packet[12:16])[0], 0, "ogg"
    else:
        return None  # Ogg FLAC, Speex, Theora video: not accepted
    last = data.rfind(b"OggS", max(0, len(data) - 65536))
    granule = struct.unpack("<q", data[last + 6 : last + 14])[0] if last >= 0 else -1
    duration = round((granule - skip) / rate, 3) if granule > 0 and rate else None
    return Sound("audio/ogg", extension, duration)


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """The ISO BMFF boxes between start and end as (type, body start, body end).
    Stops at a malformed size."""
    found: list[tuple[bytes, int, int]] = []
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if size == 1 and at + 16 <= end:
            size, header = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            break
        found.append((kind, at + header, at + size))
        at += size
    return found


def _child(data: bytes, parent: tuple[int, int] | None, kind: bytes) -> tuple[int, int] | None:
    if parent is None:
        return None
    return next(((s, e) for k, s, e in _boxes(data, *parent) if k == kind), None)


def _m4a(data: bytes) -> Sound | None:
    if data[4:8] != b"ftyp":
        return None
    moov = _child(data, (0, len(data)), b"moov")
    if moov is None:
        return None
    handlers = set()
    for kind, start, end in _boxes(data, *moov):
        hdlr = (
            _child(data, _child(data, (start, end), b"mdia"), b"hdlr") if kind == b"trak" else None
        )
        if hdlr:
            handlers.add(data[hdlr[0] + 8 : hdlr[0] + 12])
    if b"soun" not in handlers or b"vide" in handlers:
        return None  # a video, or nothing to hear
    duration = None
    mvhd = _child(data, moov, b"mvhd")
    if mvhd is not None:
        body = mvhd[0]
        if data[body] == 1:  # version 1: 64-bit times
            scale, length = struct.unpack(">IQ", data[body + 20 : body + 32])
        else:
            scale, length = struct.unpack(">II", data[body + 12 : body + 20])
        duration = round(length / scale, 3) if scale else None
    return Sound("audio/mp4", "m4a", duration)


def _wav(data: bytes) -> Sound | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    chunks: dict[bytes, tuple[int, int]] = {}
    at = 12
    while at + 8 <= len(data):
        kind, size = struct.unpack("<4sI", data[at : at + 8])
        chunks.setdefault(kind, (at + 8, size))
        at += 8 + size + (size & 1)
    if b"fmt " not in chunks:
        return None
    fmt_at = chunks[b"fmt "][0]
    byte_rate = struct.unpack("<I", data[fmt_at + 8 : fmt_at + 12])[0]
    data_at, data_size = chunks.get(b"data", (len(data), 0))
    data_size = min(data_size, len(data) - data_at)  # streamed WAVs may say 0xFFFFFFFF
    duration = round(data_size / byte_rate, 3) if byte_rate and data_size else None
    return Sound("audio/wav", "wav", duration)


def sniff_sound(data: bytes) -> Sound | None:
    """The sound file in `data` (MP3, Ogg Opus/Vorbis, WAV, M4A), or None."""
    try:
        for reader in (_wav, _ogg, _m4a, _mp3):
            sound = reader(data)
            if sound is not None:
                return sound
    except (struct.error, IndexError, KeyError, ZeroDivisionError):
        return None  # a damaged header: not a sound file we can accept
    return None


# --- Services --------------------------------------------------------------------------


def _image_policy() -> ImagePolicy:
    return ImagePolicy(
        max_bytes=settings.HERITAGE["MEDIA_MAX_BYTES"],
        max_pixels=settings.HERITAGE["IMAGE_MAX_PIXELS"],
        formats=IMAGE_FORMATS,
        max_side=None,  # deep zoom needs every pixel
        jpeg_quality=ARCHIVE_JPEG_QUALITY,
        field="file",
    )


def _metadata_errors(
    kind: str, alt_text: Mapping[str, str], rights_uri: str
) -> tuple[dict[str, list[str]], str]:
    errors: dict[str, list[str]] = {}
    if kind == MediaKind.IMAGE and not alt_text.get(SOURCE_LANGUAGE):
        errors["alt_text"] = [
            _("Describe the image in Dutch (alt text) for people who cannot see it.")
        ]
    try:
        rights = canonical_rights_uri(rights_uri)
    except ValueError:
        rights = rights_uri
        errors["rights_uri"] = [
            _("Use a Creative Commons or RightsStatements.org URI, e.g. %(example)s.")
            % {"example": "http://creativecommons.org/licenses/by/4.0/"}
        ]
    return errors, rights


def _raise_with(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _object_touched(obj: HeritageObject | None) -> None:
    """Media count for the record's facets ("has image") and harvest datestamps."""
    if obj is not None:
        HeritageObject.objects.filter(pk=obj.pk).update(updated_at=timezone.now())
        index_later(OBJECT_DOC_TYPE, [obj.pk])


def schedule_tiles(media: MediaFile) -> None:
    """Make the IIIF tiles after the transaction commits (the task reads the row)."""
    from reisgezel.heritage.tasks import make_tiles

    media_id = media.pk
    transaction.on_commit(lambda: make_tiles.enqueue(media_id=media_id))


@dataclass(frozen=True)
class _Content:
    """What an upload turned out to be, ready to store."""

    kind: MediaKind
    data: bytes
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def _content(data: bytes, expect: MediaKind | None, errors: dict[str, list[str]]) -> _Content:
    """Sniff and check the bytes, adding what is wrong to `errors` (a file that is too
    large is refused at once: nothing else about it is worth reading)."""
    limit = settings.HERITAGE["MEDIA_MAX_BYTES"]
    if len(data) > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(megabytes)s MB.") % {"megabytes": limit // 2**20}
                ]
            }
        )
    refused = _Content(MediaKind.IMAGE, data, "", "bin")
    sound = sniff_sound(data)
    if sound is not None:
        if expect == MediaKind.IMAGE:
            errors["file"] = [_("Upload an image (JPEG, PNG, WebP or TIFF).")]
        return _Content(
            MediaKind.AUDIO,
            data,
            sound.content_type,
            sound.extension,
            duration_seconds=sound.duration_seconds,
        )
    if not is_image(data):
        errors["file"] = [
            _("Upload an image (JPEG, PNG, WebP or TIFF) or a sound file (MP3, Ogg, WAV or M4A).")
        ]
        return refused
    if expect == MediaKind.AUDIO:
        errors["file"] = [_("Upload a sound file (MP3, Ogg, WAV or M4A).")]
        return refused
    try:
        image = clean_image(data, policy=_image_policy())
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return refused
    return _Content(
        MediaKind.IMAGE,
        image.data,
        image.content_type,
        image.extension,
        width=image.width,
        height=image.height,
    )


def media_check(
    *,
    data: bytes,
    alt_text: Mapping[str, str] | None = None,
    rights_uri: str = DEFAULT_RIGHTS,
    expect: MediaKind | None = None,
) -> None:
    """The checks of `media_add` without storing anything (an import's dry run): raises
    the ValidationError media_add would raise for these bytes and fields."""
    errors: dict[str, list[str]] = {}
    content = _content(data, expect, errors)
    meta_errors, _rights = _metadata_errors(content.kind, language_map(alt_text), rights_uri)
    _raise_with({**errors, **meta_errors})


@transaction.atomic
def media_add(
    *,
    actor: Any,
    data: bytes,
    obj: HeritageObject | None = None,
    alt_text: Mapping[str, str] | None = None,
    caption: Mapping[str, str] | None = None,
    credit: str = "",
    rights_uri: str = DEFAULT_RIGHTS,
    position: int | None = None,
    expect: MediaKind | None = None,
) -> MediaFile:
    """Validate, normalise and store an uploaded file (bytes) as a MediaFile of `obj`
    (or unattached, e.g. for a dictionary entry's pronunciation).

    The kind follows from the content; `expect` refuses the other kind. Images need a
    Dutch alt text; every file needs a Creative Commons or RightsStatements.org URI.
    Raises ValidationError with messages per field ("file", "alt_text", "rights_uri").
    Tiles are made by a task after commit (tile_state goes pending -> ready/failed)."""
    errors: dict[str, list[str]] = {}
    content = _content(data, expect, errors)
    alt = language_map(alt_text)
    meta_errors, rights = _metadata_errors(content.kind, alt, rights_uri)
    _raise_with({**errors, **meta_errors})
    media = MediaFile(
        key=uuid.uuid4(),
        kind=content.kind,
        object=obj,
        content_type=content.content_type,
        size_bytes=len(content.data),
        sha256=hashlib.sha256(content.data).hexdigest(),
        width=content.width,
        height=content.height,
        duration_seconds=content.duration_seconds,
        alt_text=alt,
        caption=language_map(caption),
        credit=credit.strip(),
        rights_uri=rights,
        position=position if position is not None else _next_position(obj),
        tile_state=TileState.PENDING
        if content.kind == MediaKind.IMAGE
        else TileState.NOT_APPLICABLE,
    )
    _validate_fields(media)
    media.file.save(f"{media.key.hex}.{content.extension}", ContentFile(content.data), save=False)
    media.save()
    audit_record(
        actor=actor,
        action="media.add",
        target=media,
        data={"key": media.key.hex, "kind": content.kind, "object": obj.pid if obj else None},
    )
    _object_touched(obj)
    if content.kind == MediaKind.IMAGE:
        schedule_tiles(media)
    return media


def _next_position(obj: HeritageObject | None) -> int:
    return obj.media.count() if obj is not None else 0


def _validate_fields(media: MediaFile) -> None:
    """The model's own checks (lengths per language, choices) as field messages."""
    media.full_clean(
        exclude={"file", "key", "content_type", "sha256"},
        validate_unique=False,
        validate_constraints=False,
    )


@transaction.atomic
def media_update(
    *,
    actor: Any,
    media: MediaFile,
    alt_text: Mapping[str, str] | None = None,
    caption: Mapping[str, str] | None = None,
    credit: str | None = None,
    rights_uri: str | None = None,
    position: int | None = None,
) -> MediaFile:
    """Change the description of a media file (the file itself is replaced by removing
    it and adding a new one, so that its key, and every IIIF URL, stays truthful).
    Arguments left at None stay as they are."""
    alt = language_map(alt_text) if alt_text is not None else language_map(media.alt_text)
    errors, rights = _metadata_errors(
        media.kind, alt, rights_uri if rights_uri is not None else media.rights_uri
    )
    _raise_with(errors)
    before = {"rights_uri": media.rights_uri, "alt_text": dict(language_map(media.alt_text))}
    media.alt_text = alt
    if caption is not None:
        media.caption = language_map(caption)
    if credit is not None:
        media.credit = credit.strip()
    if position is not None:
        media.position = position
    media.rights_uri = rights
    _validate_fields(media)
    media.save()
    audit_record(actor=actor, action="media.update", target=media, data={"before": before})
    _object_touched(media.object)
    return media


@transaction.atomic
def media_remove(*, actor: Any, media: MediaFile) -> None:
    """Delete a media file, its stored file and its tiles (the files after commit, so a
    rolled-back removal leaves everything in place)."""
    audit_record(
        actor=actor,
        action="media.remove",
        target=media,
        data={"key": media.key.hex, "object": media.object.pid if media.object else None},
    )
    obj, key, name, storage = media.object, media.key, media.file.name, media.file.storage
    media.delete()
    _object_touched(obj)

    def delete_files() -> None:
        if name:
            storage.delete(name)
        remove_tiles(key)

    transaction.on_commit(delete_files)
