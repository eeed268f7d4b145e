"""LIDO 1.1, the museum community's richer harvesting format (CIDOC, Europeana).

One lido:lido element per object: object type and (for specimens) scientific name,
title per language, inscriptions and marks, the repository with its inventory number,
description, measurements, a production event (makers with roles and identifiers, the
fuzzy date with earliest/latest year, the place, materials and techniques), subjects,
the record's rights and source, and the images (IIIF) with their own rights and credit.
Vocabulary URIs for types come from the LIDO terminology (terminology.lido-schema.org).
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from reisgezel.heritage.models import CollectionKind
from reisgezel.heritage.rights import rights_label
from reisgezel.heritage.uris import agent_uri, concept_uri, object_uri
from reisgezel.interop.links import iiif_image_url, texts
from reisgezel.interop.oai.objects import ALL_PARTS, ConceptInfo, ObjectData
from reisgezel.interop.oai.xmltext import clean

PREFIX = "lido"
NAMESPACE = "http://www.lido-schema.org"
SCHEMA = "http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
L = f"{{{NAMESPACE}}}"
TYPE = f"{L}type"

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


def _el(parent: etree._Element, name: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, L + name)
    if text:
        element.text = clean(text)
    for key, value in attrs.items():
        element.set(XML_LANG if key == "lang" else L + key, clean(value))
    return element


def _add_texts(parent: etree._Element, name: str, pairs: Iterable[tuple[str, str]]) -> None:
    for lang, text in pairs:
        _el(parent, name, text, lang=lang)


def _concept(parent: etree._Element, name: str, concept: ConceptInfo, **attrs: str) -> None:
    element = _el(parent, name, **attrs)
    _el(element, "conceptID", concept.uri or concept_uri(concept.scheme, concept.code), type=URI_ID)
    _add_texts(element, "term", concept.label_texts)


def _legal_body(parent: etree._Element, name: str, body: str) -> None:
    element = _el(parent, name)
    _el(_el(element, "legalBodyName"), "appellationValue", body)


def _rights(parent: etree._Element, name: str, uri: str, credit: str = "") -> None:
    element = _el(parent, name)
    kind = _el(element, "rightsType")
    _el(kind, "conceptID", uri, type=URI_ID)
    _el(kind, "term", rights_label(uri), lang="en")
    if credit:
        _el(element, "creditLine", credit)


def _classification(parent: etree._Element, obj: ObjectData) -> None:
    wrap = _el(parent, "objectClassificationWrap")
    work_type = _el(wrap, "objectWorkTypeWrap")
    if obj.object_type is not None:
        _concept(work_type, "objectWorkType", obj.object_type)
    else:
        kind = CollectionKind(obj.collection.kind).label if obj.collection.kind else "object"
        _el(_el(work_type, "objectWorkType"), "term", str(kind), lang="en")
    if obj.taxon is not None:
        classification = _el(_el(wrap, "classificationWrap"), "classification")
        classification.set(TYPE, SCIENTIFIC_NAME)
        _el(classification, "term", f"{obj.taxon.scientific_name} {obj.taxon.authorship}".strip())


def _identification(parent: etree._Element, obj: ObjectData) -> None:
    wrap = _el(parent, "objectIdentificationWrap")
    _add_texts(_el(_el(wrap, "titleWrap"), "titleSet"), "appellationValue", texts(obj.title))
    inscriptions = obj.inscriptions
    if inscriptions:
        inscriptions_wrap = _el(wrap, "inscriptionsWrap")
        for inscription in inscriptions:
            element = _el(inscriptions_wrap, "inscriptions", type=inscription.kind)
            if inscription.transcription:
                _el(element, "inscriptionTranscription", inscription.transcription)
            for lang, text in texts(inscription.description):
                _el(_el(element, "inscriptionDescription"), "descriptiveNoteValue", text, lang=lang)
    repository = _el(_el(wrap, "repositoryWrap"), "repositorySet")
    _legal_body(repository, "repositoryName", obj.collection.institution)
    _el(repository, "workID", obj.inventory_number, type=INVENTORY_NUMBER)
    if obj.description:
        description = _el(_el(wrap, "objectDescriptionWrap"), "objectDescriptionSet")
        _add_texts(description, "descriptiveNoteValue", texts(obj.description))
    _measurements(wrap, obj)


def _measurements(parent: etree._Element, obj: ObjectData) -> None:
    dimensions = obj.dimensions
    if not dimensions and not obj.dimensions_display:
        return
    measurements_set = _el(_el(parent, "objectMeasurementsWrap"), "objectMeasurementsSet")
    if obj.dimensions_display:
        _el(measurements_set, "displayObjectMeasurements", obj.dimensions_display)
    if dimensions:
        measurements = _el(measurements_set, "objectMeasurements")
        for dimension in dimensions:
            row = _el(measurements, "measurementsSet")
            _el(row, "measurementType", dimension.kind, lang="en")
            _el(row, "measurementUnit", dimension.unit)
            _el(row, "measurementValue", f"{dimension.value.normalize():f}")


def _production(parent: etree._Element, obj: ObjectData) -> None:
    event = _el(_el(_el(parent, "eventWrap"), "eventSet"), "event")
    event_type = _el(event, "eventType")
    _el(event_type, "conceptID", PRODUCTION, type=URI_ID)
    _el(event_type, "term", "Production", lang="en")
    for maker in obj.makers:
        in_role = _el(_el(event, "eventActor"), "actorInRole")
        actor = _el(in_role, "actor")
        for uri in (agent_uri(maker.slug), *maker.same_as):
            _el(actor, "actorID", uri, type=URI_ID)
        _el(_el(actor, "nameActorSet"), "appellationValue", maker.name)
        _el(_el(in_role, "roleActor"), "term", maker.role, lang="en")
        if maker.attribution:
            _el(in_role, "attributionQualifierActor", maker.attribution)
    if obj.date_display or (obj.date_earliest is not None and obj.date_latest is not None):
        event_date = _el(event, "eventDate")
        if obj.date_display:
            _el(event_date, "displayDate", obj.date_display)
        if obj.date_earliest is not None and obj.date_latest is not None:
            date = _el(event_date, "date")
            _el(date, "earliestDate", str(obj.date_earliest))
            _el(date, "latestDate", str(obj.date_latest))
    if obj.production_place:
        event_place = _el(event, "eventPlace")
        _el(event_place, "displayPlace", obj.production_place)
        place = _el(event_place, "place")
        if obj.production_place_uri:
            _el(place, "placeID", obj.production_place_uri, type=URI_ID)
        _el(_el(place, "namePlaceSet"), "appellationValue", obj.production_place)
    materials, techniques = obj.materials, obj.techniques
    if materials or techniques:
        materials_tech = _el(_el(event, "eventMaterialsTech"), "materialsTech")
        for concept in materials:
            _concept(materials_tech, "termMaterialsTech", concept, type=MATERIAL)
        for concept in techniques:
            _concept(materials_tech, "termMaterialsTech", concept, type=TECHNIQUE)


def _subjects(parent: etree._Element, obj: ObjectData) -> None:
    subjects = obj.subjects
    if not subjects:
        return
    wrap = _el(_el(parent, "objectRelationWrap"), "subjectWrap")
    for concept in subjects:
        _concept(_el(_el(wrap, "subjectSet"), "subject"), "subjectConcept", concept)


def _record(parent: etree._Element, obj: ObjectData) -> None:
    wrap = _el(parent, "recordWrap")
    _el(wrap, "recordID", obj.pid, type=LOCAL_ID)
    record_type = _el(wrap, "recordType")
    _el(record_type, "conceptID", ITEM_RECORD, type=URI_ID)
    _el(record_type, "term", "item-level record", lang="en")
    _legal_body(wrap, "recordSource", obj.collection.institution)
    _rights(wrap, "recordRights", obj.rights_uri)
    info = _el(wrap, "recordInfoSet")
    _el(info, "recordInfoLink", object_uri(obj.pid))
    _el(info, "recordMetadataDate", obj.updated_at.isoformat(timespec="seconds"))


def _resources(parent: etree._Element, obj: ObjectData) -> None:
    images = obj.images
    if not images:
        return
    wrap = _el(parent, "resourceWrap")
    for position, image in enumerate(images, start=1):
        resource = _el(wrap, "resourceSet", sortorder=str(position))
        representation = _el(resource, "resourceRepresentation", type=IMAGE_MASTER)
        _el(representation, "linkResource", iiif_image_url(image.key), formatResource="image/jpeg")
        for lang, text in texts(image.caption) or texts(image.alt_text):
            _el(resource, "resourceDescription", text, lang=lang)
        _rights(resource, "rightsResource", image.rights_uri, image.credit)


def metadata(obj: ObjectData) -> etree._Element:
    root = etree.Element(L + "lido", nsmap={"lido": NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
    _el(root, "lidoRecID", f"{obj.collection.code}/{obj.pid}", type=LOCAL_ID)
    _el(root, "objectPublishedID", object_uri(obj.pid), type=URI_ID)
    descriptive = _el(root, "descriptiveMetadata", lang="nl")
    _classification(descriptive, obj)
    _identification(descriptive, obj)
    _production(descriptive, obj)
    _subjects(descriptive, obj)
    administrative = _el(root, "administrativeMetadata", lang="nl")
    _record(administrative, obj)
    _resources(administrative, obj)
    return root
