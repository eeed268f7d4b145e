"""LIDO 1.1, the museum community's richer harvesting format (CIDOC, Europeana).

One lido:lido element per object: object type and (for specimens) scientific name,
title per language, inscriptions and marks, the repository with its inventory number,
description, measurements, a production event (makers with roles and identifiers, the
fuzzy date with earliest/latest year, the place, materials and techniques), subjects,
the record's rights and source, and the images (IIIF) with their own rights and credit.
Vocabulary URIs for types come from the LIDO terminology (terminology.lido-schema.org).

Written as escaped text like oai_dc (see xmltext), not as lxml elements: a LIDO record
has about a hundred elements, and building them with lxml made the writer the slowest
part of a harvest (bench/heritage_oai.py). Every value passes through `text()` or
`attr()`; the tests validate the records against the LIDO schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.utils import translation

from reisgezel.heritage.models import CollectionKind
from reisgezel.heritage.rights import rights_label
from reisgezel.heritage.uris import agent_uri, concept_uri, object_uri
from reisgezel.interop.links import iiif_image_url, texts
from reisgezel.interop.oai.objects import ALL_PARTS, ConceptInfo, ObjectData
from reisgezel.interop.oai.xmltext import attr, text

PREFIX = "lido"
NAMESPACE = "http://www.lido-schema.org"
SCHEMA = "http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

TERMS = "http://terminology.lido-schema.org/"
URI_ID = TERMS + "lido00099"
LOCAL_ID = TERMS + "lido00100"
INVENTORY_NUMBER = TERMS + "lido00113"
PRODUCTION = TERMS + "lido00007"
ITEM_RECORD = TERMS + "lido00141"
MATERIAL = TERMS + "lido00132"
TECHNIQUE = TERMS + "lido00131"
IMAGE_MASTER = TERMS + "lido00464"
SCIENTIFIC_NAME = "http://rs.tdwg.org/dwc/terms/scientificName"

PARTS = ALL_PARTS
OPEN = (
    f'<lido:lido xmlns:lido="{NAMESPACE}" xmlns:xsi="{XSI}"'
    f' xsi:schemaLocation="{NAMESPACE} {SCHEMA}">'
)
CLOSE = "</lido:lido>"


class _Writer:
    """Elements in the lido namespace as text. `lang` becomes xml:lang; every other
    attribute is in the lido namespace (lido:type, lido:sortorder, ...)."""

    __slots__ = ("out",)

    def __init__(self) -> None:
        self.out: list[str] = [OPEN]

    def open(self, name: str, **attrs: str) -> None:
        self.out.append(f"<lido:{name}{_attributes(attrs)}>" if attrs else f"<lido:{name}>")

    def close(self, name: str) -> None:
        self.out.append(f"</lido:{name}>")

    def leaf(self, name: str, value: str = "", **attrs: str) -> None:
        start = f"lido:{name}{_attributes(attrs)}" if attrs else f"lido:{name}"
        self.out.append(f"<{start}>{text(value)}</lido:{name}>")

    def texts(self, name: str, pairs: Iterable[tuple[str, str]]) -> None:
        for lang, value in pairs:
            self.out.append(f'<lido:{name} xml:lang="{attr(lang)}">{text(value)}</lido:{name}>')


def _attributes(attrs: dict[str, str]) -> str:
    return "".join(
        f' {"xml:lang" if key == "lang" else "lido:" + key}="{attr(value)}"'
        for key, value in attrs.items()
    )


@lru_cache(maxsize=64)
def _english_rights_label(uri: str) -> str:
    """The rights statement's English name (the element says xml:lang="en"), whatever
    language the request is in. Translation catalogues do not change while running."""
    with translation.override("en"):
        return rights_label(uri)


@lru_cache(maxsize=16)
def _english_kind_label(kind: str) -> str:
    if not kind:
        return "object"
    with translation.override("en"):
        return str(CollectionKind(kind).label)


def _concept(w: _Writer, name: str, concept: ConceptInfo, **attrs: str) -> None:
    w.open(name, **attrs)
    w.leaf("conceptID", concept.uri or concept_uri(concept.scheme, concept.code), type=URI_ID)
    w.texts("term", concept.label_texts)
    w.close(name)


def _legal_body(w: _Writer, name: str, body: str) -> None:
    w.open(name)
    w.open("legalBodyName")
    w.leaf("appellationValue", body)
    w.close("legalBodyName")
    w.close(name)


def _rights(w: _Writer, name: str, uri: str, credit: str = "") -> None:
    w.open(name)
    w.open("rightsType")
    w.leaf("conceptID", uri, type=URI_ID)
    w.leaf("term", _english_rights_label(uri), lang="en")
    w.close("rightsType")
    if credit:
        w.leaf("creditLine", credit)
    w.close(name)


def _classification(w: _Writer, obj: ObjectData) -> None:
    w.open("objectClassificationWrap")
    w.open("objectWorkTypeWrap")
    if obj.object_type is not None:
        _concept(w, "objectWorkType", obj.object_type)
    else:
        w.open("objectWorkType")
        w.leaf("term", _english_kind_label(obj.collection.kind), lang="en")
        w.close("objectWorkType")
    w.close("objectWorkTypeWrap")
    if obj.taxon is not None:
        w.open("classificationWrap")
        w.open("classification", type=SCIENTIFIC_NAME)
        w.leaf("term", f"{obj.taxon.scientific_name} {obj.taxon.authorship}".strip())
        w.close("classification")
        w.close("classificationWrap")
    w.close("objectClassificationWrap")


def _identification(w: _Writer, obj: ObjectData) -> None:
    w.open("objectIdentificationWrap")
    w.open("titleWrap")
    w.open("titleSet")
    w.texts("appellationValue", texts(obj.title))
    w.close("titleSet")
    w.close("titleWrap")
    if obj.inscriptions:
        w.open("inscriptionsWrap")
        for inscription in obj.inscriptions:
            w.open("inscriptions", type=inscription.kind)
            if inscription.transcription:
                w.leaf("inscriptionTranscription", inscription.transcription)
            for lang, value in texts(inscription.description):
                w.open("inscriptionDescription")
                w.leaf("descriptiveNoteValue", value, lang=lang)
                w.close("inscriptionDescription")
            w.close("inscriptions")
        w.close("inscriptionsWrap")
    w.open("repositoryWrap")
    w.open("repositorySet")
    _legal_body(w, "repositoryName", obj.collection.institution)
    w.leaf("workID", obj.inventory_number, type=INVENTORY_NUMBER)
    w.close("repositorySet")
    w.close("repositoryWrap")
    if obj.description:
        w.open("objectDescriptionWrap")
        w.open("objectDescriptionSet")
        w.texts("descriptiveNoteValue", texts(obj.description))
        w.close("objectDescriptionSet")
        w.close("objectDescriptionWrap")
    _measurements(w, obj)
    w.close("objectIdentificationWrap")


def _measurements(w: _Writer, obj: ObjectData) -> None:
    if not obj.dimensions and not obj.dimensions_display:
        return
    w.open("objectMeasurementsWrap")
    w.open("objectMeasurementsSet")
    if obj.dimensions_display:
        w.leaf("displayObjectMeasurements", obj.dimensions_display)
    if obj.dimensions:
        w.open("objectMeasurements")
        for dimension in obj.dimensions:
            w.open("measurementsSet")
            w.leaf("measurementType", dimension.kind, lang="en")
            w.leaf("measurementUnit", dimension.unit)
            w.leaf("measurementValue", f"{dimension.value.normalize():f}")
            w.close("measurementsSet")
        w.close("objectMeasurements")
    w.close("objectMeasurementsSet")
    w.close("objectMeasurementsWrap")


def _actors(w: _Writer, obj: ObjectData) -> None:
    for maker in obj.makers:
        w.open("eventActor")
        w.open("actorInRole")
        w.open("actor")
        for uri in (agent_uri(maker.slug), *maker.same_as):
            w.leaf("actorID", uri, type=URI_ID)
        w.open("nameActorSet")
        w.leaf("appellationValue", maker.name)
        w.close("nameActorSet")
        w.close("actor")
        w.open("roleActor")
        w.leaf("term", maker.role, lang="en")
        w.close("roleActor")
        if maker.attribution:
            w.leaf("attributionQualifierActor", maker.attribution)
        w.close("actorInRole")
        w.close("eventActor")


def _production(w: _Writer, obj: ObjectData) -> None:
    w.open("eventWrap")
    w.open("eventSet")
    w.open("event")
    w.open("eventType")
    w.leaf("conceptID", PRODUCTION, type=URI_ID)
    w.leaf("term", "Production", lang="en")
    w.close("eventType")
    _actors(w, obj)
    has_years = obj.date_earliest is not None and obj.date_latest is not None
    if obj.date_display or has_years:
        w.open("eventDate")
        if obj.date_display and obj.date_display_language:
            w.leaf("displayDate", obj.date_display, lang=obj.date_display_language)
        elif obj.date_display:
            w.leaf("displayDate", obj.date_display)
        if has_years:
            w.open("date")
            w.leaf("earliestDate", str(obj.date_earliest))
            w.leaf("latestDate", str(obj.date_latest))
            w.close("date")
        w.close("eventDate")
    if obj.production_place:
        w.open("eventPlace")
        w.leaf("displayPlace", obj.production_place)
        w.open("place")
        if obj.production_place_uri:
            w.leaf("placeID", obj.production_place_uri, type=URI_ID)
        w.open("namePlaceSet")
        w.leaf("appellationValue", obj.production_place)
        w.close("namePlaceSet")
        w.close("place")
        w.close("eventPlace")
    if obj.materials or obj.techniques:
        w.open("eventMaterialsTech")
        w.open("materialsTech")
        for concept in obj.materials:
            _concept(w, "termMaterialsTech", concept, type=MATERIAL)
        for concept in obj.techniques:
            _concept(w, "termMaterialsTech", concept, type=TECHNIQUE)
        w.close("materialsTech")
        w.close("eventMaterialsTech")
    w.close("event")
    w.close("eventSet")
    w.close("eventWrap")


def _subjects(w: _Writer, obj: ObjectData) -> None:
    if not obj.subjects:
        return
    w.open("objectRelationWrap")
    w.open("subjectWrap")
    for concept in obj.subjects:
        w.open("subjectSet")
        w.open("subject")
        _concept(w, "subjectConcept", concept)
        w.close("subject")
        w.close("subjectSet")
    w.close("subjectWrap")
    w.close("objectRelationWrap")


def _record(w: _Writer, obj: ObjectData) -> None:
    w.open("recordWrap")
    w.leaf("recordID", obj.pid, type=LOCAL_ID)
    w.open("recordType")
    w.leaf("conceptID", ITEM_RECORD, type=URI_ID)
    w.leaf("term", "item-level record", lang="en")
    w.close("recordType")
    _legal_body(w, "recordSource", obj.collection.institution)
    _rights(w, "recordRights", obj.rights_uri)
    w.open("recordInfoSet")
    w.leaf("recordInfoLink", object_uri(obj.pid))
    w.leaf("recordMetadataDate", obj.updated_at.isoformat(timespec="seconds"))
    w.close("recordInfoSet")
    w.close("recordWrap")


def _resources(w: _Writer, obj: ObjectData) -> None:
    if not obj.images:
        return
    w.open("resourceWrap")
    for position, image in enumerate(obj.images, start=1):
        w.open("resourceSet", sortorder=str(position))
        w.open("resourceRepresentation", type=IMAGE_MASTER)
        w.leaf("linkResource", iiif_image_url(image.key), formatResource="image/jpeg")
        w.close("resourceRepresentation")
        for lang, value in texts(image.caption) or texts(image.alt_text):
            w.leaf("resourceDescription", value, lang=lang)
        _rights(w, "rightsResource", image.rights_uri, image.credit)
        w.close("resourceSet")
    w.close("resourceWrap")


def metadata(obj: ObjectData) -> str:
    w = _Writer()
    w.leaf("lidoRecID", f"{obj.collection.code}/{obj.pid}", type=LOCAL_ID)
    w.leaf("objectPublishedID", object_uri(obj.pid), type=URI_ID)
    w.open("descriptiveMetadata", lang="nl")
    _classification(w, obj)
    _identification(w, obj)
    _production(w, obj)
    _subjects(w, obj)
    w.close("descriptiveMetadata")
    w.open("administrativeMetadata", lang="nl")
    _record(w, obj)
    _resources(w, obj)
    w.close("administrativeMetadata")
    w.out.append(CLOSE)
    return "".join(w.out)
