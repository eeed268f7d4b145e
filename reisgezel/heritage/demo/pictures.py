"""The demo's pictures and stand-in sounds, added through the media service.

Every file goes through `media.media_add` (type sniffing, validation, audit, tiles).
Pictures are generated drawings (images.py) and say so in their alt text and credit;
the three sounds are plain tones made with Python's `wave` module, labelled as
placeholders: they are not recordings of the words. Idempotent: records that already
have media are left alone.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from typing import Any

from django.db import transaction

from reisgezel.heritage.demo import images
from reisgezel.heritage.demo.exhibits import EXHIBITS
from reisgezel.heritage.demo.loader import SOURCE, HeritageDemoReport
from reisgezel.heritage.media import media_add
from reisgezel.heritage.models import (
    DialectEntry,
    Exhibit,
    HeritageObject,
    MediaFile,
    MediaKind,
)
from reisgezel.heritage.tasks import make_tiles

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CREDIT = "Gegenereerde demo-afbeelding (geen foto)"
CERAMICS_EVERY = 10  # every tenth public ceramic gets a picture (30 of 300)
FOSSILS_EVERY = 12
SOUND_WORDS = ("enne", "sjiek", "vlaai")
COVERS = {
    "plate": lambda: images.plate(7),
    "ammonite": lambda: images.fossil(8, "ammonite"),
    "cup": lambda: images.vessel(9, "blauw", "cup-and-saucer"),
}
FOSSIL_SHAPES = {
    "Ammonitida": "ammonite",
    "Belemnitida": "belemnite",
    "Echinoidea": "urchin",
}


def _fossil_shape(obj: HeritageObject) -> str:
    specimen = obj.specimen
    title = str(obj.title.get("en", "")).lower()
    if "tooth" in title:
        return "tooth"
    if "vertebra" in title:
        return "vertebra"
    return FOSSIL_SHAPES.get(specimen.order) or FOSSIL_SHAPES.get(specimen.class_name) or "fragment"


def _picture(obj: HeritageObject) -> tuple[bytes, dict[str, str]]:
    seed = obj.pk
    title_nl, title_en = obj.title.get("nl", ""), obj.title.get("en", "")
    if obj.collection.code == "natural-history":
        data = images.fossil(seed, _fossil_shape(obj))
    elif obj.object_type and obj.object_type.code in ("plate", "soup-plate", "dish", "tile"):
        data = images.plate(seed, _colour(title_nl))
    else:
        data = images.vessel(
            seed, _colour(title_nl), obj.object_type.code if obj.object_type else "vase"
        )
    alt = {
        "nl": f"Getekende voorstelling (geen foto) van: {title_nl.lower()}",
        "en": f"Drawing (not a photograph) of: {title_en.lower()}",
    }
    return data, alt


def _colour(title: str) -> str:
    return next((c for c in images.INKS if f" {c} " in f" {title} "), "blauw")


def _objects_needing_pictures() -> list[HeritageObject]:
    chosen = []
    for code, every in (("ceramics", CERAMICS_EVERY), ("natural-history", FOSSILS_EVERY)):
        objects = (
            HeritageObject.objects.filter(source=SOURCE, is_public=True, collection__code=code)
            .select_related("collection", "object_type", "specimen")
            .order_by("pid")
        )
        chosen += list(objects)[::every]
    with_media = set(
        MediaFile.objects.filter(object__in=chosen).values_list("object_id", flat=True)
    )
    return [obj for obj in chosen if obj.pk not in with_media]


def add_demo_images(
    report: HeritageDemoReport,
    *,
    limit: int | None = None,
    tiles_now: bool = True,
    actor: Any = None,
) -> list[int]:
    """Pictures for a selection of demo objects and covers for the exhibits; returns
    the ids of the new images. With `tiles_now` their IIIF tiles are made at once
    (a queued tile task finds them ready later and does nothing)."""
    added: list[int] = []
    for obj in _objects_needing_pictures()[:limit]:
        data, alt = _picture(obj)
        with transaction.atomic():
            media = media_add(
                actor=actor, data=data, obj=obj, alt_text=alt, credit=CREDIT, rights_uri=CC0
            )
        added.append(media.pk)
        report.created["pictures"] += 1
    added += _exhibit_pictures(report, actor)
    _sounds(report, actor)
    if tiles_now:
        for media_id in added:
            make_tiles.call(media_id=media_id)
    return added


def _exhibit_pictures(report: HeritageDemoReport, actor: Any) -> list[int]:
    added = []
    for spec in EXHIBITS:
        exhibit = Exhibit.objects.filter(slug=spec.slug, cover__isnull=True).first()
        if exhibit is None:
            continue
        data = COVERS[spec.cover]()
        alt = {
            "nl": f"Getekende omslagafbeelding (geen foto) bij: {spec.title[0]}",
            "en": f"Drawn cover picture (not a photograph) for: {spec.title[1]}",
        }
        with transaction.atomic():
            cover = media_add(actor=actor, data=data, alt_text=alt, credit=CREDIT, rights_uri=CC0)
            exhibit.cover = cover
            exhibit.save(update_fields=["cover", "updated_at"])
            for section in exhibit.sections.filter(media__isnull=True):
                first = MediaFile.objects.filter(
                    kind=MediaKind.IMAGE, object__exhibit_items__section=section
                ).first()
                if first is not None:
                    section.media = first
                    section.save(update_fields=["media"])
        added.append(cover.pk)
        report.created["exhibit covers"] += 1
    return added


def tone(seconds: float = 0.8, frequency: float = 440.0, rate: int = 16000) -> bytes:
    """A plain sine tone as a WAV file (a placeholder, not speech)."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * i / rate)))
        for i in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return out.getvalue()


def _sounds(report: HeritageDemoReport, actor: Any) -> None:
    for index, slug in enumerate(SOUND_WORDS):
        entry = DialectEntry.objects.filter(slug=slug, audio__isnull=True).first()
        if entry is None:
            continue
        caption = {
            "nl": "Plaatsvervangende toon voor de demo, geen opname van het woord.",
            "en": "Placeholder tone for the demo, not a recording of the word.",
        }
        with transaction.atomic():
            audio = media_add(
                actor=actor,
                data=tone(frequency=330.0 + 110 * index),
                caption=caption,
                credit="Synthetische toon (Python wave)",
                rights_uri=CC0,
                expect=MediaKind.AUDIO,
            )
            entry.audio = audio
            entry.save(update_fields=["audio", "updated_at"])
        report.created["placeholder sounds"] += 1
