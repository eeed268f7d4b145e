"""The public objects behind a page of headers, read as plain rows.

A harvest reads every public object, so this avoids the ORM's model instances: one
`values_list` query per kind of related data (makers, concepts, dimensions, ...) for the
whole page, assembled into small frozen dataclasses. A metadata format asks only for
the parts it writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any
from uuid import UUID

from django.db.models import CharField, TextField, Value
from django.db.models.functions import Cast

from reisgezel.core.i18n import LanguageMap, language_map
from reisgezel.heritage.models import (
    Dimension,
    HeritageObject,
    Inscription,
    MediaFile,
    MediaKind,
    ObjectAgent,
    Specimen,
    TileState,
)
from reisgezel.interop.links import texts

MAKERS, SUBJECTS, MATERIALS, TECHNIQUES = "makers", "subjects", "materials", "techniques"
DIMENSIONS, INSCRIPTIONS, IMAGES, SPECIMEN = "dimensions", "inscriptions", "images", "specimen"
ALL_PARTS = frozenset(
    {MAKERS, SUBJECTS, MATERIALS, TECHNIQUES, DIMENSIONS, INSCRIPTIONS, IMAGES, SPECIMEN}
)


@dataclass(frozen=True)
class CollectionInfo:
    code: str
    kind: str
    institution: str


@dataclass(frozen=True)
class ConceptInfo:
    scheme: str
    code: str
    label: LanguageMap
    uri: str

    @cached_property
    def label_texts(self) -> list[tuple[str, str]]:
        """texts(label), once per concept: a page shares each concept between objects."""
        return texts(self.label)


@dataclass(frozen=True)
class MakerInfo:
    name: str
    slug: str
    role: str
    attribution: str
    same_as: tuple[str, ...]


@dataclass(frozen=True)
class DimensionInfo:
    kind: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class InscriptionInfo:
    kind: str
    transcription: str
    description: LanguageMap


@dataclass(frozen=True)
class ImageInfo:
    key: UUID
    caption: LanguageMap
    alt_text: LanguageMap
    credit: str
    rights_uri: str


@dataclass(frozen=True)
class TaxonInfo:
    scientific_name: str
    authorship: str


@dataclass
class ObjectData:
    pid: str
    inventory_number: str
    collection: CollectionInfo
    object_type: ConceptInfo | None
    title: LanguageMap
    description: LanguageMap
    date_display: str
    date_display_language: str
    date_earliest: int | None
    date_latest: int | None
    production_place: str
    production_place_uri: str
    dimensions_display: str
    rights_uri: str
    updated_at: datetime
    makers: list[MakerInfo] = field(default_factory=list)
    subjects: list[ConceptInfo] = field(default_factory=list)
    materials: list[ConceptInfo] = field(default_factory=list)
    techniques: list[ConceptInfo] = field(default_factory=list)
    dimensions: list[DimensionInfo] = field(default_factory=list)
    inscriptions: list[InscriptionInfo] = field(default_factory=list)
    images: list[ImageInfo] = field(default_factory=list)
    taxon: TaxonInfo | None = None


def _same_as(wikidata_id: str, rkd_id: str, uri: str) -> tuple[str, ...]:
    # Mirrors heritage.Agent.same_as, from columns instead of an instance.
    found = []
    if wikidata_id:
        found.append(f"http://www.wikidata.org/entity/{wikidata_id}")
    if rkd_id:
        found.append(f"https://rkd.nl/explore/artists/{rkd_id}")
    if uri:
        found.append(uri)
    return tuple(found)


def _as_text(name: str) -> Cast:
    """A JSON column read as its text, decoded by `_Decoded`: once per distinct value
    instead of by the field for every row (a page repeats the same concept labels)."""
    return Cast(name, output_field=TextField())


OBJECT_FIELDS: tuple[str | Cast, ...] = (
    "id",
    "pid",
    "inventory_number",
    "collection__code",
    "collection__kind",
    "collection__institution",
    "object_type__scheme",
    "object_type__code",
    _as_text("object_type__label"),
    "object_type__uri",
    _as_text("title"),
    _as_text("description"),
    "date_display",
    "date_earliest",
    "date_latest",
    "production_place",
    "production_place_uri",
    "dimensions_display",
    "rights_uri",
    "updated_at",
    "date_display_language",
)
_CONCEPT_RELATIONS = {SUBJECTS: "subjects", MATERIALS: "materials", TECHNIQUES: "techniques"}


class _Decoded(dict[str, LanguageMap]):
    """Language maps by their JSON text, each decoded once. They are shared by the
    objects of a page, which only read them."""

    def __missing__(self, raw: str) -> LanguageMap:
        value = self[raw] = language_map(json.loads(raw))
        return value


class _Page:
    """What the objects of one page share: decoded texts and concepts."""

    def __init__(self) -> None:
        self.texts = _Decoded()
        self.concepts: dict[tuple[str, str, str, str], ConceptInfo] = {}

    def concept(self, scheme: str, code: str, label: str, uri: str) -> ConceptInfo:
        key = (scheme, code, label, uri)
        found = self.concepts.get(key)
        if found is None:
            found = self.concepts[key] = ConceptInfo(scheme, code, self.texts[label], uri)
        return found


def _object_data(row: tuple[Any, ...], page: _Page) -> ObjectData:
    object_type = page.concept(*row[6:10]) if row[6] else None
    return ObjectData(
        pid=row[1],
        inventory_number=row[2],
        collection=CollectionInfo(*row[3:6]),
        object_type=object_type,
        title=page.texts[row[10]],
        description=page.texts[row[11]],
        date_display=row[12],
        date_display_language=row[20],
        date_earliest=row[13],
        date_latest=row[14],
        production_place=row[15],
        production_place_uri=row[16],
        dimensions_display=row[17],
        rights_uri=row[18],
        updated_at=row[19],
    )


def load(
    ids: list[int], parts: frozenset[str], rows: Iterable[tuple[Any, ...]] = ()
) -> dict[int, ObjectData]:
    """Public objects by id, with the related `parts` filled in. `rows` are objects
    already read (OBJECT_FIELDS, e.g. with their headers); `ids` are read here."""
    page = _Page()
    objects = {row[0]: _object_data(row, page) for row in rows}
    if ids:
        found = (
            HeritageObject.objects.filter(pk__in=ids, is_public=True)
            .order_by()  # read into a dict: the model's ordering would only cost a sort
            .values_list(*OBJECT_FIELDS)
        )
        objects.update((row[0], _object_data(row, page)) for row in found)
    if objects:
        _add_concepts(objects, parts, page)
        for part, add in _RELATED.items():
            if part in parts:
                add(objects)
    return objects


def _add_concepts(objects: dict[int, ObjectData], parts: frozenset[str], page: _Page) -> None:
    """Subjects, materials and techniques in one query (UNION ALL of the link tables);
    each concept is built once per page and shared by the objects linking to it."""
    queries = []
    for part, relation in _CONCEPT_RELATIONS.items():
        if part not in parts:
            continue
        through: Any = getattr(HeritageObject, relation).through
        queries.append(
            through.objects.filter(heritageobject_id__in=list(objects))
            .annotate(part=Value(part, output_field=CharField()))
            .values_list(
                "part",
                "id",
                "heritageobject_id",
                "concept__scheme",
                "concept__code",
                _as_text("concept__label"),
                "concept__uri",
            )
        )
    if not queries:
        return
    rows = list(queries[0].union(*queries[1:], all=True)) if len(queries) > 1 else list(queries[0])
    for part, _link, object_id, scheme, code, label, uri in sorted(rows, key=lambda row: row[1]):
        getattr(objects[object_id], part).append(page.concept(scheme, code, label, uri))


def _add_makers(objects: dict[int, ObjectData]) -> None:
    rows = (
        ObjectAgent.objects.filter(object_id__in=list(objects))
        .order_by("object_id", "position", "pk")
        .values_list(
            "object_id",
            "agent__name",
            "agent__slug",
            "role",
            "attribution",
            "agent__wikidata_id",
            "agent__rkd_id",
            "agent__uri",
        )
    )
    for object_id, name, slug, role, attribution, wikidata_id, rkd_id, uri in rows:
        same_as = _same_as(wikidata_id, rkd_id, uri)
        objects[object_id].makers.append(MakerInfo(name, slug, role, attribution, same_as))


def _add_dimensions(objects: dict[int, ObjectData]) -> None:
    rows = (
        Dimension.objects.filter(object_id__in=list(objects))
        .order_by("pk")
        .values_list("object_id", "kind", "value", "unit")
    )
    for object_id, kind, value, unit in rows:
        objects[object_id].dimensions.append(DimensionInfo(kind, value, unit))


def _add_inscriptions(objects: dict[int, ObjectData]) -> None:
    rows = (
        Inscription.objects.filter(object_id__in=list(objects))
        .order_by("pk")
        .values_list("object_id", "kind", "transcription", "description")
    )
    for object_id, kind, transcription, description in rows:
        objects[object_id].inscriptions.append(InscriptionInfo(kind, transcription, description))


def _add_images(objects: dict[int, ObjectData]) -> None:
    """Images whose IIIF tiles exist (the export links to them)."""
    rows = (
        MediaFile.objects.filter(
            object_id__in=list(objects), kind=MediaKind.IMAGE, tile_state=TileState.READY
        )
        .order_by("object_id", "position", "pk")
        .values_list("object_id", "key", "caption", "alt_text", "credit", "rights_uri")
    )
    for object_id, key, caption, alt_text, credit, rights_uri in rows:
        objects[object_id].images.append(ImageInfo(key, caption, alt_text, credit, rights_uri))


def _add_taxa(objects: dict[int, ObjectData]) -> None:
    rows = Specimen.objects.filter(object_id__in=list(objects)).values_list(
        "object_id", "scientific_name", "scientific_name_authorship"
    )
    for object_id, name, authorship in rows:
        objects[object_id].taxon = TaxonInfo(name, authorship)


_RELATED: dict[str, Callable[[dict[int, ObjectData]], None]] = {
    MAKERS: _add_makers,
    DIMENSIONS: _add_dimensions,
    INSCRIPTIONS: _add_inscriptions,
    IMAGES: _add_images,
    SPECIMEN: _add_taxa,
}
