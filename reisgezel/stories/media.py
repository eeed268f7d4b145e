"""Photos and audio recordings of stories, validated by their content, never their name.

Photos go through reisgezel.core.images (format from the bytes, byte and pixel limits
before decoding, re-encoded so that EXIF with GPS and every other metadata block is
gone before anything is stored). Audio is recognised by its magic bytes: MP3 (an ID3
tag or an MPEG frame header), Ogg, MP4/M4A (an `ftyp` box) and WAV (RIFF/WAVE).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reisgezel.core.images import ImagePolicy, clean_image

PHOTO_POLICY = ImagePolicy(
    max_bytes=10 * 1024 * 1024,
    max_pixels=40_000_000,
    formats=("JPEG", "PNG", "WEBP"),
    max_side=2400,
    field="photos",
)
AUDIO_MAX_BYTES = 20 * 1024 * 1024
MAX_PHOTOS = 6

_M4A_BRANDS = (b"M4A ", b"M4B ", b"mp42", b"isom", b"mp41", b"iso2", b"dash")


@dataclass(frozen=True)
class CleanMedia:
    data: bytes
    extension: str
    content_type: str
    width: int | None = None
    height: int | None = None


def audio_type(data: bytes) -> tuple[str, str] | None:
    """(extension, content type) of an audio file recognised by its first bytes."""
    head = data[:16]
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3", "audio/mpeg"
    if head.startswith(b"OggS"):
        return "ogg", "audio/ogg"
    if head[4:8] == b"ftyp" and head[8:12] in _M4A_BRANDS:
        return "m4a", "audio/mp4"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav", "audio/wav"
    return None


def clean_photo(data: bytes) -> CleanMedia:
    image = clean_image(data, policy=PHOTO_POLICY)
    return CleanMedia(
        data=image.data,
        extension=image.extension,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
    )


def clean_audio(data: bytes) -> CleanMedia:
    if len(data) > AUDIO_MAX_BYTES:
        raise ValidationError(
            {
                "audio": [
                    _("The recording is larger than %(mb)s MB.")
                    % {"mb": AUDIO_MAX_BYTES // (1024 * 1024)}
                ]
            }
        )
    kind = audio_type(data)
    if kind is None:
        raise ValidationError(
            {
                "audio": [
                    _(
                        "This file is not a recording we can play. "
                        "Upload an MP3, Ogg, M4A or WAV file."
                    )
                ]
            }
        )
    return CleanMedia(data=data, extension=kind[0], content_type=kind[1])
