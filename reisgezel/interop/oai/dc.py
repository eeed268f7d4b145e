"""oai_dc: unqualified Dublin Core, the format every harvester reads.

Mapping: title, description (per language, xml:lang); creator (makers); subject
(subject concepts, label per language and URI); date (as displayed, e.g. "c. 1850-1870");
type (DCMI PhysicalObject plus the object type); format (dimensions, materials);
identifier (persistent URI, inventory number); rights (rights URI); publisher (the
holding institution); coverage (place of production); relation (the collection's
persistent URI); language only where the collection has one (the dialect collection).

Written as escaped text, not lxml elements: this is the hot path of a harvest.
"""

from __future__ import annotations

from collections.abc import Iterable

from reisgezel.heritage.models import CollectionKind
from reisgezel.heritage.uris import collection_uri, concept_uri, object_uri
from reisgezel.interop.links import texts
from reisgezel.interop.oai.objects import MAKERS, MATERIALS, SUBJECTS, ObjectData
from reisgezel.interop.oai.xmltext import attr, text

PREFIX = "oai_dc"
NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"oai_dc": NAMESPACE, "dc": DC, "xsi": XSI}
PARTS = frozenset({MAKERS, SUBJECTS, MATERIALS})
OPEN = (
    f'<oai_dc:dc xmlns:oai_dc="{NAMESPACE}" xmlns:dc="{DC}" xmlns:xsi="{XSI}"'
    f' xsi:schemaLocation="{NAMESPACE} {SCHEMA}">'
)
CLOSE = "</oai_dc:dc>"

# ISO 639-3 code of Limburgish, the language of the dialect collection's records.
_COLLECTION_LANGUAGE = {str(CollectionKind.DIALECT): "lim"}


def _add(out: list[str], name: str, value: str, lang: str = "") -> None:
    if value:
        lang_attr = f' xml:lang="{attr(lang)}"' if lang else ""
        out.append(f"<dc:{name}{lang_attr}>{text(value)}</dc:{name}>")


def _add_texts(out: list[str], name: str, pairs: Iterable[tuple[str, str]]) -> None:
    for lang, value in pairs:
        _add(out, name, value, lang)


def metadata(obj: ObjectData) -> str:
    out = [OPEN]
    _add_texts(out, "title", texts(obj.title))
    for maker in obj.makers:
        _add(out, "creator", maker.name)
    for concept in obj.subjects:
        _add_texts(out, "subject", concept.label_texts)
        _add(out, "subject", concept.uri or concept_uri(concept.scheme, concept.code))
    _add_texts(out, "description", texts(obj.description))
    _add(out, "publisher", obj.collection.institution)
    _add(out, "date", obj.date_display)
    _add(out, "type", "PhysicalObject")
    if obj.object_type is not None:
        _add_texts(out, "type", texts(obj.object_type.label))
    _add(out, "format", obj.dimensions_display)
    for material in obj.materials:
        _add_texts(out, "format", material.label_texts)
    _add(out, "identifier", object_uri(obj.pid))
    _add(out, "identifier", obj.inventory_number)
    _add(out, "language", _COLLECTION_LANGUAGE.get(obj.collection.kind, ""))
    _add(out, "relation", collection_uri(obj.collection.code))
    _add(out, "coverage", obj.production_place)
    _add(out, "coverage", obj.production_place_uri)
    _add(out, "rights", obj.rights_uri)
    out.append(CLOSE)
    return "".join(out)
