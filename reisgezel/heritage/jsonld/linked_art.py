"""Linked Art JSON-LD (API 1.0 shapes, https://linked.art/api/1.0/) for objects, agents
and collections. Checked in tests against the Linked Art JSON Schemas.

The API's object schema has no `subject_to`, so the record's rights statement is a
"license statement" (aat:300435434) whose classifications include the Creative Commons
or RightsStatements.org URI itself; images carry their own statement the same way.
Natural-history specimens are HumanMadeObjects too (the class covers "a natural object
with value imbued through interaction with human culture"), found in an `Encounter`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence

from django.utils import translation

from reisgezel.core.i18n import language_map
from reisgezel.heritage import uris
from reisgezel.heritage.jsonld import vocab as aat
from reisgezel.heritage.jsonld.common import (
    LINKED_ART_CONTEXT,
    Json,
    first_text,
    has_manifest,
    manifest_url,
    media_content_url,
    page_url,
    search_url,
    specimen_of,
    year_iso,
)
from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    Collection,
    Concept,
    Exhibit,
    HeritageObject,
    InscriptionKind,
    MediaFile,
    Specimen,
)
from reisgezel.heritage.rights import rights_label

INSCRIPTION_STATEMENTS = {
    InscriptionKind.MARK: (aat.MARKINGS_STATEMENT, "Markings"),
    InscriptionKind.SIGNATURE: (aat.SIGNATURE_STATEMENT, "Signature"),
    InscriptionKind.INSCRIPTION: (aat.INSCRIPTION_STATEMENT, "Inscription"),
    InscriptionKind.LABEL: (aat.INSCRIPTION_STATEMENT, "Inscription"),
}


def type_ref(uri: str, label: str, metatype: tuple[str, str] | None = None) -> Json:
    ref: Json = {"id": uri, "type": "Type", "_label": label}
    if metatype:
        ref["classified_as"] = [{"id": metatype[0], "type": "Type", "_label": metatype[1]}]
    return ref


def _language(lang: str | None) -> Json:
    if lang and lang in aat.LANGUAGES:
        uri, label = aat.LANGUAGES[lang]
        return {"language": [{"id": uri, "type": "Language", "_label": label}]}
    return {}


def statement(content: str, kind: tuple[str, str], lang: str | None = None) -> Json:
    """An embedded text classified by its kind (with the "brief text" meta-type)."""
    return {
        "type": "LinguisticObject",
        "classified_as": [type_ref(*kind, metatype=(aat.BRIEF_TEXT, "Brief Text"))],
        "content": content,
    } | _language(lang)


def statements(value: object, kind: tuple[str, str]) -> list[Json]:
    return [statement(text, kind, lang) for lang, text in language_map(value).all_texts()]


def names(value: object) -> list[Json]:
    primary = [type_ref(aat.PRIMARY_NAME, "Primary Name")]
    return [
        {"type": "Name", "classified_as": primary, "content": text} | _language(lang)
        for lang, text in language_map(value).all_texts()
    ]


def rights_statement(rights_uri: str) -> Json:
    with translation.override("en"):
        label = rights_label(rights_uri)
    node = statement(f"{label}: {rights_uri}", (aat.RIGHTS_STATEMENT, "License Statement"), "en")
    node["classified_as"].append({"id": rights_uri, "type": "Type", "_label": label})
    return node


def actor_ref(agent: Agent) -> Json:
    kind = "Person" if agent.kind == AgentKind.PERSON else "Group"
    ref: Json = {"id": uris.agent_uri(agent.slug), "type": kind, "_label": agent.name}
    if agent.same_as:
        ref["equivalent"] = [
            {"id": uri, "type": kind, "_label": agent.name} for uri in agent.same_as
        ]
    return ref


def concept_id(concept: Concept) -> str:
    return concept.uri or uris.concept_uri(concept.scheme, concept.code)


def timespan(
    begin: str | None, end: str | None, display: str = "", display_language: str = ""
) -> Json:
    span: Json = {"type": "TimeSpan"}
    if begin:
        span["begin_of_the_begin"] = begin
    if end:
        span["end_of_the_end"] = end
    if display:
        display_name = [type_ref(aat.DISPLAY_NAME, "Display Name")]
        span["identified_by"] = [
            {"type": "Name", "classified_as": display_name, "content": display}
            | _language(display_language)
        ]
    return span


def year_bounds(earliest: int | None, latest: int | None) -> tuple[str | None, str | None]:
    begin = f"{year_iso(earliest)}-01-01T00:00:00Z" if earliest is not None else None
    end = f"{year_iso(latest)}-12-31T23:59:59Z" if latest is not None else None
    return begin, end


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def iso_date_bounds(text: str) -> tuple[str | None, str | None]:
    """Bounds of a Darwin Core eventDate: 1998, 1998-05, 1998-05-12 or an interval a/b."""
    first, _, second = text.partition("/")
    start, end = _ISO_DATE.match(first.strip()), _ISO_DATE.match((second or first).strip())
    if not start or not end:
        return None, None
    y1, m1, d1 = start.group(1), start.group(2) or "01", start.group(3) or "01"
    y2, m2 = int(end.group(1)), int(end.group(2) or 12)
    if not 1 <= int(m1) <= 12 or not 1 <= m2 <= 12:
        return None, None
    d2 = int(end.group(3) or calendar.monthrange(y2, m2)[1])
    return f"{y1}-{m1}-{d1}T00:00:00Z", f"{y2:04d}-{m2:02d}-{d2:02d}T23:59:59Z"


def web_page(url: str, label: str, title: object = None) -> Json:
    """A LinguisticObject carried by a web page (the "home page" pattern)."""
    page: Json = {
        "type": "DigitalObject",
        "classified_as": [type_ref(aat.WEB_PAGE, "Web Page")],
        "format": "text/html",
        "access_point": [{"id": url, "type": "DigitalObject"}],
    }
    node: Json = {"type": "LinguisticObject", "_label": label, "digitally_carried_by": [page]}
    if title is not None and (title_names := names(title)):
        node["identified_by"] = title_names
    return node


def _production(obj: HeritageObject) -> Json | None:
    production: Json = {"type": "Production"}
    makers = list(obj.makers.all())
    if len(makers) == 1:
        production["carried_out_by"] = [actor_ref(makers[0].agent)]
    elif makers:
        production["part"] = [
            {
                "type": "Production",
                "_label": " ".join(v for v in (m.attribution, m.role) if v),
                "carried_out_by": [actor_ref(m.agent)],
            }
            for m in makers
        ]
    if obj.date_earliest is not None or obj.date_latest is not None or obj.date_display:
        production["timespan"] = timespan(
            *year_bounds(obj.date_earliest, obj.date_latest),
            display=obj.date_display,
            display_language=obj.date_display_language,
        )
    if obj.production_place_uri:
        place = {"id": obj.production_place_uri, "type": "Place", "_label": obj.production_place}
        production["took_place_at"] = [place]
    elif obj.production_place:
        kind = (aat.PRODUCTION_STATEMENT, "Production Statement")
        production["referred_to_by"] = [statement(f"Made in {obj.production_place}", kind, "en")]
    if techniques := [type_ref(concept_id(c), first_text(c.label)) for c in obj.techniques.all()]:
        production["technique"] = techniques
    return production if len(production) > 1 else None


def _encounter(specimen: Specimen) -> Json:
    encounter: Json = {"type": "Encounter", "_label": "Collecting"}
    if specimen.collector:
        encounter["carried_out_by"] = [actor_ref(specimen.collector)]
    begin, end = iso_date_bounds(specimen.event_date) if specimen.event_date else (None, None)
    if begin or end:
        encounter["timespan"] = timespan(begin, end, display=specimen.event_date)
    notes = []
    if specimen.recorded_by and not specimen.collector:
        notes.append(f"Collected by {specimen.recorded_by}")
    if locality := specimen.public_locality():
        notes.append(f"Locality: {locality}")
    if notes:
        kind = (aat.PRODUCTION_STATEMENT, "Production Statement")
        encounter["referred_to_by"] = [statement("; ".join(notes), kind, "en")]
    return encounter


def _specimen_note(specimen: Specimen) -> Json:
    taxon = " ".join(
        v for v in (specimen.scientific_name, specimen.scientific_name_authorship) if v
    )
    geology = ", ".join(v for v in (specimen.formation, specimen.member, specimen.stage) if v)
    text = f"{taxon} ({specimen.basis_of_record})" + (f"; {geology}" if geology else "")
    if specimen.type_status:
        text += f"; {specimen.type_status}"
    return statement(text, (aat.DESCRIPTION, "Description"), "en")


def _image(media: MediaFile, fallback_label: str) -> Json:
    label = first_text(media.caption) or first_text(media.alt_text) or fallback_label
    digital: Json = {
        "type": "DigitalObject",
        "_label": label,
        "classified_as": [type_ref(aat.DIGITAL_IMAGE, "Digital Image")],
        "format": "image/jpeg",
        "referred_to_by": [rights_statement(media.rights_uri)],
    }
    if content_url := media_content_url(media):
        digital["access_point"] = [{"id": content_url, "type": "DigitalObject"}]
    if media.credit:
        credit = statement(media.credit, (aat.CREDIT_LINE, "Credit Line"))
        digital["referred_to_by"].append(credit)
    return {"type": "VisualItem", "_label": label, "digitally_shown_by": [digital]}


def _statements(obj: HeritageObject) -> list[Json]:
    found = statements(obj.description, (aat.DESCRIPTION, "Description"))
    found += statements(obj.credit_line, (aat.CREDIT_LINE, "Credit Line"))
    found += statements(obj.provenance, (aat.PROVENANCE_STATEMENT, "Provenance Statement"))
    if obj.dimensions_display:
        kind = (aat.DIMENSIONS_STATEMENT, "Dimensions Statement")
        found.append(statement(obj.dimensions_display, kind))
    for inscription in obj.inscriptions.all():
        text = inscription.transcription
        if inscription.position:
            text = f"{text} ({inscription.position})" if text else inscription.position
        if text:
            found.append(statement(text, INSCRIPTION_STATEMENTS[InscriptionKind(inscription.kind)]))
    if specimen := specimen_of(obj):
        found.append(_specimen_note(specimen))
    found.append(rights_statement(obj.rights_uri))
    return found


def _classifications(obj: HeritageObject) -> list[Json]:
    found = [type_ref(aat.COLLECTION_ITEM, "Collection Item")]
    if obj.object_type:
        work_type = (aat.TYPE_OF_WORK, "Type of Work")
        label = first_text(obj.object_type.label)
        found.append(type_ref(concept_id(obj.object_type), label, metatype=work_type))
    return found


def object_document(
    obj: HeritageObject, exhibits: Sequence[Exhibit] = (), owner: Agent | None = None
) -> Json:
    """A HumanMadeObject record; `owner` is the institution holding the collection."""
    uri = uris.object_uri(obj.pid)
    title = first_text(obj.title)
    identifier = {
        "type": "Identifier",
        "classified_as": [type_ref(aat.ACCESSION_NUMBER, "Accession Number")],
        "content": obj.inventory_number,
    }
    doc: Json = {
        "@context": LINKED_ART_CONTEXT,
        "id": uri,
        "type": "HumanMadeObject",
        "_label": title,
        "classified_as": _classifications(obj),
        "identified_by": [*names(obj.title), identifier],
        "referred_to_by": _statements(obj),
        "member_of": [collection_ref(obj.collection)],
    }
    if production := _production(obj):
        doc["produced_by"] = production
    if specimen := specimen_of(obj):
        doc["encountered_by"] = [_encounter(specimen)]
    if materials := [_material(c) for c in obj.materials.all()]:
        doc["made_of"] = materials
    if dimensions := [_dimension(d.kind, float(d.value), d.unit) for d in obj.dimensions.all()]:
        doc["dimension"] = dimensions
    images = [_image(m, title) for m in obj.media.all() if m.kind == "image"]
    if images:
        doc["representation"] = images
    if owner is not None:
        doc["current_owner"] = [actor_ref(owner)]
    pages = [web_page(page_url("heritage:object", pid=obj.pid), "Homepage for the object")]
    if has_manifest(list(obj.media.all())):
        pages.append(_manifest(obj))
    pages += [_exhibit_page(e) for e in exhibits]
    doc["subject_of"] = pages
    return doc


def _manifest(obj: HeritageObject) -> Json:
    """The IIIF manifest, the Linked Art way: a text carried by a digital object that
    conforms to the IIIF Presentation API."""
    digital: Json = {
        "type": "DigitalObject",
        "format": 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"',
        "access_point": [{"id": manifest_url(obj), "type": "DigitalObject"}],
        "conforms_to": [{"id": "http://iiif.io/api/presentation", "type": "InformationObject"}],
    }
    manifest: Json = {"type": "LinguisticObject", "_label": "IIIF manifest"}
    return manifest | {"digitally_carried_by": [digital]}


def _exhibit_page(exhibit: Exhibit) -> Json:
    return web_page(
        page_url("heritage:exhibit", slug=exhibit.slug), first_text(exhibit.title), exhibit.title
    )


def _material(concept: Concept) -> Json:
    return {"id": concept_id(concept), "type": "Material", "_label": first_text(concept.label)}


def _dimension(kind: str, value: float, unit: str) -> Json:
    kind_uri, kind_label = aat.DIMENSION_TYPES[kind]
    unit_uri, unit_label = aat.UNITS[unit]
    return {
        "type": "Dimension",
        "classified_as": [type_ref(kind_uri, kind_label)],
        "value": value,
        "unit": {"id": unit_uri, "type": "MeasurementUnit", "_label": unit_label},
    }


def collection_ref(collection: Collection) -> Json:
    label = first_text(collection.name)
    return {"id": uris.collection_uri(collection.code), "type": "Set", "_label": label}


def collection_document(collection: Collection) -> Json:
    doc: Json = collection_ref(collection) | {"@context": LINKED_ART_CONTEXT}
    doc["classified_as"] = [type_ref(aat.COLLECTION_SET, "Collection")]
    doc["identified_by"] = names(collection.name)
    if descriptions := statements(collection.description, (aat.DESCRIPTION, "Description")):
        doc["referred_to_by"] = descriptions
    page = search_url("collection", collection.code)
    doc["subject_of"] = [web_page(page, "Homepage for the collection")]
    return doc


def _life_event(kind: str, year: int | None) -> Json | None:
    if year is None:
        return None
    begin, end = year_bounds(year, year)
    return {"type": kind, "timespan": timespan(begin, end, display=str(year))}


def agent_document(agent: Agent) -> Json:
    """A Person or Group record with names, equivalents, life or existence dates."""
    doc: Json = actor_ref(agent) | {"@context": LINKED_ART_CONTEXT}
    primary = [type_ref(aat.PRIMARY_NAME, "Primary Name")]
    doc["identified_by"] = [{"type": "Name", "classified_as": primary, "content": agent.name}]
    if agent.sort_name:
        sort = [type_ref(aat.SORT_NAME, "Sort Name")]
        doc["identified_by"].append(
            {"type": "Name", "classified_as": sort, "content": agent.sort_name}
        )
    if biography := statements(agent.biography, (aat.BIOGRAPHY_STATEMENT, "Biography Statement")):
        doc["referred_to_by"] = biography
    person = agent.kind == AgentKind.PERSON
    events = {
        ("born" if person else "formed_by"): _life_event(
            "Birth" if person else "Formation", agent.birth_year
        ),
        ("died" if person else "dissolved_by"): _life_event(
            "Death" if person else "Dissolution", agent.death_year
        ),
    }
    doc |= {prop: event for prop, event in events.items() if event}
    doc["subject_of"] = [web_page(search_url("maker", agent.slug), "Works in the collection")]
    return doc
