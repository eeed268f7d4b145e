"""The heritage demo: it loads, has the promised records, and a second run changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.dates import parse_fuzzy_date
from reisgezel.heritage.demo.loader import HeritageDemoReport, load_heritage_demo
from reisgezel.heritage.demo.pictures import add_demo_images, tone
from reisgezel.heritage.media import sniff_sound
from reisgezel.heritage.models import (
    Agent,
    DialectEntry,
    Exhibit,
    ExhibitObject,
    HeritageObject,
    MediaFile,
    Specimen,
    TileState,
)
from reisgezel.heritage.tests.test_jsonld_documents import linked_art_errors, rdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_dirs(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_ROOT = tmp_path / "iiif"
    yield tmp_path


def _counts() -> dict[str, int]:
    return {
        "objects": HeritageObject.objects.count(),
        "specimens": Specimen.objects.count(),
        "words": DialectEntry.objects.count(),
        "exhibits": Exhibit.objects.count(),
        "exhibit objects": ExhibitObject.objects.count(),
        "agents": Agent.objects.count(),
        "media": MediaFile.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_the_demo_loads_with_its_counts_and_is_idempotent() -> None:
    out = StringIO()
    call_command("load_heritage_demo", "--no-images", stdout=out)
    counts = _counts()
    assert counts["objects"] == 550 and counts["specimens"] == 250
    assert counts["words"] == 50 and counts["exhibits"] == 3
    assert counts["exhibit objects"] >= 20
    ceramics = HeritageObject.objects.filter(collection__code="ceramics")
    assert ceramics.count() == 300
    assert ceramics.filter(is_public=True).count() >= 270  # a few are kept hidden
    makers = set(ceramics.values_list("makers__agent__slug", flat=True))
    assert makers == {"de-sphinx", "societe-ceramique", "mosa"}
    # every ceramic has a factory mark and a period that agrees with its displayed date
    for obj in ceramics.prefetch_related("inscriptions")[:50]:
        assert obj.inscriptions.get().kind == "mark"
        assert (obj.date_earliest, obj.date_latest) == parse_fuzzy_date(obj.date_display)
        assert obj.date_earliest is not None or obj.date_latest is not None
    assert Specimen.objects.filter(locality_is_sensitive=True).exists()
    assert set(Specimen.objects.values_list("basis_of_record", flat=True)) == {"FossilSpecimen"}
    assert "Heritage demo ready" in out.getvalue()
    # a second run writes nothing: no row, no audit entry
    report = load_heritage_demo()
    assert _counts() == counts
    assert sum(report.created.values()) == 0
    assert report.existing["objects"] == 550


def test_demo_records_are_deterministic() -> None:
    load_heritage_demo(ceramics=20, fossils=10)
    first = list(HeritageObject.objects.order_by("pid").values_list("pid", "title", "date_display"))
    HeritageObject.objects.all().delete()  # (tombstones do not matter here)
    load_heritage_demo(ceramics=20, fossils=10)
    again = list(HeritageObject.objects.order_by("pid").values_list("pid", "title", "date_display"))
    assert first == again


def test_demo_documents_are_valid_linked_data(client: Client) -> None:
    load_heritage_demo(ceramics=30, fossils=30)
    exhibit = Exhibit.objects.get(slug="mosasaurus-sint-pietersberg")
    shown = HeritageObject.objects.filter(exhibit_items__section__exhibit=exhibit)
    assert shown.exists() and all(o.specimen.family or o.specimen.class_name for o in shown)
    for obj in HeritageObject.objects.filter(is_public=True).order_by("pid")[::7]:
        response = client.get(f"/id/object/{obj.pid}?format=linked-art")
        assert linked_art_errors(json.loads(response.content), "object") == [], obj.pid
        schema = client.get(f"/id/object/{obj.pid}", HTTP_ACCEPT="application/ld+json")
        assert rdf(json.loads(schema.content))
    word = client.get("/id/word/versjet", HTTP_ACCEPT="application/ld+json")
    assert json.loads(word.content)["name"]["@value"] == "versjèt"


def test_pictures_and_sounds_go_through_the_media_service(media_dirs: Path) -> None:
    load_heritage_demo(ceramics=40, fossils=24)
    report = HeritageDemoReport()
    added = add_demo_images(report, limit=4)
    assert report.created["pictures"] == 4 and report.created["exhibit covers"] == 3
    assert report.created["placeholder sounds"] == 3
    images = MediaFile.objects.filter(pk__in=added)
    assert {m.tile_state for m in images} == {TileState.READY}
    for media in images:
        assert (Path(media_dirs / "iiif" / media.key.hex / "info.json")).exists()
        assert "geen foto" in media.credit and media.alt_text["nl"]
    assert Exhibit.objects.filter(cover__isnull=False).count() == 3
    sound = DialectEntry.objects.get(slug="vlaai").audio
    assert sound is not None and sound.kind == "audio" and "not a recording" in sound.caption["en"]
    entries = AuditEntry.objects.filter(action="media.add").count()
    assert entries == MediaFile.objects.count()
    # again: the two chosen objects still without a picture (4 + 2 of 40 + 24, every
    # tenth ceramic and twelfth fossil), nothing for what has media already
    again = HeritageDemoReport()
    add_demo_images(again, limit=4)
    assert dict(again.created) == {"pictures": 2}
    third = HeritageDemoReport()
    assert add_demo_images(third) == [] and not third.created


def test_the_placeholder_tone_is_a_real_wav() -> None:
    sound = sniff_sound(tone(seconds=0.5))
    assert sound is not None and sound.content_type == "audio/wav"
    assert sound.duration_seconds == pytest.approx(0.5, abs=0.01)
