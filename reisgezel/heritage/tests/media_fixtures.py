"""Shared helpers of the media and IIIF tests: real files, media added through the
service, tiles made by the real task (the immediate task backend runs it at once)."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image, ImageStat

from reisgezel.heritage.media import media_add
from reisgezel.heritage.models import HeritageObject, MediaFile

IMAGES = Path(settings.SHARED_DATA_DIR) / "iiif" / "images"
SOUNDS = Path(__file__).resolve().parent / "media_samples"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
SITE = "https://collectie.example.org"


@pytest.fixture
def media_dirs(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Media and tiles in a temporary folder; a SITE_URL unlike the default."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_ROOT = tmp_path / "iiif"
    settings.SITE_URL = SITE
    yield tmp_path


def photo(orientation: int) -> bytes:
    """A test photo (upright 600x450) stored with this EXIF orientation (1, 2, 5, 6)."""
    return (IMAGES / f"landscape_{orientation}.jpg").read_bytes()


def wav_bytes(seconds: float = 1.0, rate: int = 16000) -> bytes:
    """A real WAV file (16-bit mono silence) written by Python's wave module."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def add_image(
    capture: Callable[..., Any],
    obj: HeritageObject | None,
    data: bytes,
    *,
    alt_text: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> MediaFile:
    """media_add, then the after-commit callbacks (the tile task among them)."""
    with capture(execute=True):
        media = media_add(
            actor=None,
            data=data,
            obj=obj,
            alt_text=alt_text or {"nl": "Een waterval in het bos", "en": "A waterfall"},
            rights_uri=CC0,
            **kwargs,
        )
    media.refresh_from_db()
    return media


def looks_upright(image: Image.Image) -> bool:
    """The test photo the right way up: sky at the top, red flowers bottom left."""
    rgb = image.convert("RGB").resize((600, 450))
    sky = ImageStat.Stat(rgb.crop((220, 0, 420, 60)).convert("L")).mean[0]
    red, green, _blue = ImageStat.Stat(rgb.crop((130, 270, 230, 330))).mean
    m_red, m_green, _m_blue = ImageStat.Stat(rgb.crop((370, 270, 470, 330))).mean
    return sky > 160 and red - green > 40 and m_red - m_green < 20
