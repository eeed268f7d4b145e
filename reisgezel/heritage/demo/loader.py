"""Loading the heritage demo: vocabularies, objects, exhibits, the dictionary, pictures.

Idempotent: objects go through `records.object_upsert` (key: source "demo" and a
stable source id; an unchanged record writes nothing); exhibits and dictionary entries
are found by slug and left alone when they exist (a curator may have edited them);
pictures are added only to records that have none. Deterministic: a fixed seed.
Pictures are a separate step (`add_demo_images`) so the records load in seconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from reisgezel.heritage import editing
from reisgezel.heritage.demo import vocabulary
from reisgezel.heritage.demo.ceramics import ceramic_records
from reisgezel.heritage.demo.dialect import WORDS, Word
from reisgezel.heritage.demo.exhibits import EXHIBITS, DemoExhibit
from reisgezel.heritage.demo.specimens import specimen_records
from reisgezel.heritage.models import (
    DialectEntry,
    DialectExample,
    DialectSense,
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
)
from reisgezel.heritage.records import ObjectRecord, UpsertContext, object_upsert

SOURCE = "demo"
SEED = 18340829
CERAMICS = 300
FOSSILS = 250
BATCH = 200
WORDS_EXHIBIT = "mestreechs-in-alledaagse-voorwerpen"


@dataclass
class HeritageDemoReport:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.existing))
        return [f"{k}: {self.created[k]} created, {self.existing[k]} already there" for k in kinds]


def demo_records(ceramics: int = CERAMICS, fossils: int = FOSSILS) -> list[ObjectRecord]:
    return ceramic_records(ceramics, SEED) + specimen_records(fossils, SEED + 1)


def load_heritage_demo(
    *, ceramics: int = CERAMICS, fossils: int = FOSSILS, actor: Any = None
) -> HeritageDemoReport:
    """Load (or complete) the demo records, without pictures (see add_demo_images)."""
    report = HeritageDemoReport()
    with transaction.atomic():
        report.created["collections"] += vocabulary.ensure_collections()
        report.created["concepts"] += vocabulary.ensure_vocabulary()
        report.created["agents"] += vocabulary.ensure_agents()
    _objects(demo_records(ceramics, fossils), report, actor)
    for exhibit in EXHIBITS:
        _exhibit(exhibit, report, actor)
    for word in WORDS:
        _word(word, report, actor)
    return report


def _objects(records: list[ObjectRecord], report: HeritageDemoReport, actor: Any) -> None:
    context = UpsertContext(source=SOURCE)
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        context.prefetch(batch)
        with transaction.atomic():  # one commit per batch: fast on SQLite too
            for record in batch:
                outcome = object_upsert(record, source=SOURCE, actor=actor, context=context)
                target = report.existing if outcome == "unchanged" else report.created
                target["objects"] += 1


def _demo_objects(filters: dict[str, Any], count: int) -> list[HeritageObject]:
    objects = HeritageObject.objects.filter(source=SOURCE, is_public=True, **filters)
    return list(objects.distinct().order_by("pid")[:count])


@transaction.atomic
def _exhibit(spec: DemoExhibit, report: HeritageDemoReport, actor: Any) -> None:
    if Exhibit.objects.filter(slug=spec.slug).exists():
        report.existing["exhibits"] += 1
        return
    exhibit = Exhibit(
        slug=spec.slug,
        title=dict(zip(("nl", "en"), spec.title, strict=True)),
        summary=dict(zip(("nl", "en"), spec.summary, strict=True)),
        introduction=dict(zip(("nl", "en"), spec.introduction, strict=True)),
        curator=spec.curator,
        is_public=True,
        position=EXHIBITS.index(spec),
    )
    editing.record_save(record=exhibit, actor=actor, created=True)
    for position, section_spec in enumerate(spec.sections):
        section = ExhibitSection.objects.create(
            exhibit=exhibit,
            position=position,
            heading=dict(zip(("nl", "en"), section_spec.heading, strict=True)),
            body=dict(zip(("nl", "en"), section_spec.body, strict=True)),
        )
        for index, obj in enumerate(_demo_objects(section_spec.objects, section_spec.count)):
            ExhibitObject.objects.create(section=section, object=obj, position=index)
    report.created["exhibits"] += 1


@transaction.atomic
def _word(word: Word, report: HeritageDemoReport, actor: Any) -> None:
    if DialectEntry.objects.filter(slug=word.slug).exists():
        report.existing["dictionary entries"] += 1
        return
    entry = DialectEntry(
        lemma=word.lemma,
        slug=word.slug,
        part_of_speech=word.pos,
        gender=word.gender,
        plural=word.plural,
        variants=word.variants,
        etymology={"nl": word.origin[0], "en": word.origin[1]} if word.origin[0] else {},
        is_public=True,
    )
    editing.record_save(record=entry, actor=actor, created=True)
    DialectSense.objects.create(entry=entry, meaning={"nl": word.nl, "en": word.en})
    for position, (text, nl, en) in enumerate(word.examples):
        DialectExample.objects.create(
            entry=entry, position=position, text=text, translation={"nl": nl, "en": en}
        )
    if word.objects:
        entry.related_objects.set(_demo_objects({"object_type__code__in": word.objects}, 3))
    if word.in_exhibit:
        entry.related_exhibits.set(Exhibit.objects.filter(slug=WORDS_EXHIBIT))
    report.created["dictionary entries"] += 1
