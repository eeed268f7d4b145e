"""schema.org JSON-LD following SCHEMA-AP-NDE: objects, images, agents, concepts, collections.

Choices the profile leaves to us (docs/linked-data.md has the reasoning):
- every heritage object is a `CreativeWork` (the profile's catch-all); ceramics are also
  `VisualArtwork`; the object type and, for specimens, the Darwin Core basis of record
  are `additionalType` IRIs; a specimen's taxon is `about` a schema.org `Taxon`;
- names and descriptions are language-tagged values, one per language;
- terms (materials, techniques, subjects, object types) are `DefinedTerm`s with our
  persistent URI as `@id` and the AAT / Wikidata URI in `sameAs`;
- `dateCreated` only when the year is exact (the profile requires ISO 8601); the
  displayed text goes in `temporal` (tagged `und`: it is the source's text, in a
  language we do not know) and the earliest/latest years in `temporalCoverage` as an
  ISO 8601 interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import translation

from reisgezel.heritage import uris
from reisgezel.heritage.jsonld.common import (
    SCHEMA_CONTEXT,
    Json,
    first_text,
    has_manifest,
    has_tiles,
    iiif_image_base,
    lang_values,
    manifest_url,
    media_content_url,
    media_thumbnail_url,
    page_url,
    search_url,
    specimen_of,
    year_iso,
)
from reisgezel.heritage.jsonld.vocab import UNIT_CODES
from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    Collection,
    CollectionKind,
    Concept,
    ConceptScheme,
    Exhibit,
    HeritageObject,
    MediaFile,
    Specimen,
)

DWC = "http://rs.tdwg.org/dwc/terms/"
IIIF_IMAGE_FORMAT = "application/ld+json;profile='http://iiif.io/api/image/3/context.json'"
IIIF_MANIFEST_FORMAT = (
    "application/ld+json;profile='http://iiif.io/api/presentation/3/context.json'"
)
SEARCH_PARAMS = {"object_type": "type", "material": "material", "technique": "technique"}
"""The search page's filter parameter for each concept scheme (subjects have none: their
page is a text search for the label)."""
STRUCTURED_DIMENSIONS = {
    "height": "height",
    "width": "width",
    "diameter": "width",
    "depth": "depth",
    "weight": "weight",
}


def agent_node(agent: Agent) -> Json:
    """A Person or Organization: our URI, a language-tagged name, external identities."""
    node: Json = {
        "@type": "Person" if agent.kind == AgentKind.PERSON else "Organization",
        "@id": uris.agent_uri(agent.slug),
        "name": {"@value": agent.name, "@language": "nl"},
    }
    if agent.same_as:
        node["sameAs"] = agent.same_as
    return node


def defined_term(concept: Concept) -> Json:
    """A term reference as the profile asks: DefinedTerm, name and sameAs."""
    node: Json = {
        "@type": "DefinedTerm",
        "@id": uris.concept_uri(concept.scheme, concept.code),
        "name": lang_values(concept.label),
        "termCode": concept.code,
        "inDefinedTermSet": uris.persistent_uri("concept", concept.scheme),
    }
    if concept.uri:
        node["sameAs"] = concept.uri
    return node


def collection_node(collection: Collection) -> Json:
    return {
        "@type": ["Dataset", "Collection"],
        "@id": uris.collection_uri(collection.code),
        "name": lang_values(collection.name),
    }


def media_id(owner_uri: str, media: MediaFile) -> str:
    return f"{owner_uri}#media-{media.key.hex}"


def media_object(media: MediaFile, owner_uri: str) -> Json:
    """An ImageObject / AudioObject with its own licence, credit and caption."""
    kind = "ImageObject" if media.kind == "image" else "AudioObject"
    node: Json = {
        "@type": ["MediaObject", kind],
        "@id": media_id(owner_uri, media),
        "license": media.rights_uri,
    }
    if content_url := media_content_url(media):
        node["contentUrl"] = content_url
    if media.content_type:
        node["encodingFormat"] = media.content_type
    if media.credit:
        node["creditText"] = media.credit
        node["copyrightNotice"] = {"@value": media.credit, "@language": "nl"}
    if media.caption:
        node["caption"] = lang_values(media.caption)
    if media.alt_text:
        node["description"] = lang_values(media.alt_text)
    if thumbnail := media_thumbnail_url(media):
        node["thumbnailUrl"] = thumbnail
    if has_tiles(media):
        node["isBasedOn"] = {"@id": iiif_image_base(media), "encodingFormat": IIIF_IMAGE_FORMAT}
    if media.duration_seconds:
        node["duration"] = f"PT{media.duration_seconds:.1f}S"
    return node


def exhibit_ref(exhibit: Exhibit) -> Json:
    return {
        "@type": ["CreativeWork", "Article"],
        "@id": uris.exhibit_uri(exhibit.slug),
        "name": lang_values(exhibit.title),
    }


def _dates(obj: HeritageObject) -> Json:
    data: Json = {}
    earliest, latest = obj.date_earliest, obj.date_latest
    if earliest is not None and earliest == latest:
        data["dateCreated"] = year_iso(earliest)
    if earliest is not None or latest is not None:
        start = year_iso(earliest) if earliest is not None else ".."
        end = year_iso(latest) if latest is not None else ".."
        data["temporalCoverage"] = start if start == end else f"{start}/{end}"
    if obj.date_display:
        # The source's own text ("um 1600", "ca. 1850"), in its language where the
        # record says it; "und" (undetermined) where it does not, never the site's.
        language = obj.date_display_language or "und"
        data["temporal"] = {"@value": obj.date_display, "@language": language}
    return data


def _measurements(obj: HeritageObject) -> Json:
    """`size` as displayed (or built from the rows), and the dimensions schema.org has a
    property for; a diameter is given as the width, as most museums do."""
    dimensions = list(obj.dimensions.all())
    parts = [f"{d.kind} {d.value.normalize():f} {d.unit}" for d in dimensions]
    size = obj.dimensions_display or " x ".join(parts)
    data: Json = {"size": size} if size else {}
    for dimension in dimensions:
        prop = STRUCTURED_DIMENSIONS.get(dimension.kind)
        if prop is None:
            continue
        data.setdefault(prop, []).append(
            {
                "@type": "QuantitativeValue",
                "value": float(dimension.value),
                "unitCode": UNIT_CODES[dimension.unit],
                "unitText": dimension.unit,
                "name": {"@value": dimension.kind, "@language": "en"},
            }
        )
    return data


def taxon_node(specimen: Specimen) -> Json:
    """The specimen's taxon with its parents (schema.org Taxon, the Bioschemas way)."""
    ranks = [
        ("kingdom", specimen.kingdom),
        ("phylum", specimen.phylum),
        ("class", specimen.class_name),
        ("order", specimen.order),
        ("family", specimen.family),
        ("genus", specimen.genus),
    ]
    parent: Json | None = None
    for rank, name in ranks:
        if name and name != specimen.scientific_name:
            node: Json = {"@type": "Taxon", "name": name, "taxonRank": rank}
            if parent:
                node["parentTaxon"] = parent
            parent = node
    taxon: Json = {"@type": "Taxon", "name": specimen.scientific_name}
    if specimen.taxon_rank:
        taxon["taxonRank"] = specimen.taxon_rank
    if specimen.vernacular_name:
        taxon["alternateName"] = specimen.vernacular_name
    if parent:
        taxon["parentTaxon"] = parent
    return taxon


def _specimen(specimen: Specimen) -> Json:
    data: Json = {"additionalType": [{"@id": DWC + specimen.basis_of_record}]}
    data["about"] = [taxon_node(specimen)]
    stage = ", ".join(v for v in (specimen.stage, specimen.formation, specimen.member) if v)
    if stage:
        data["temporal"] = {"@value": stage, "@language": "en"}
    place: Json = {"@type": "Place"}
    if locality := specimen.public_locality():
        place["name"] = {"@value": locality, "@language": "nl"}
    if coordinates := specimen.public_coordinates():
        lat, lon, _uncertainty = coordinates
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(lat), "longitude": float(lon)}
    if specimen.country_code:
        place["address"] = {"@type": "PostalAddress", "addressCountry": specimen.country_code}
    if len(place) > 1:
        data["spatialCoverage"] = place
    return data


def _vocabulary(obj: HeritageObject, is_artwork: bool) -> Json:
    data: Json = {}
    if obj.object_type:
        data["additionalType"] = [{"@id": obj.object_type.uri or _concept_id(obj.object_type)}]
        if is_artwork:
            data["artform"] = defined_term(obj.object_type)
    if materials := [defined_term(c) for c in obj.materials.all()]:
        data["material"] = materials
    if techniques := [defined_term(c) for c in obj.techniques.all()]:
        data["keywords"] = techniques
    if subjects := [defined_term(c) for c in obj.subjects.all()]:
        data["about"] = subjects
    return data


def _concept_id(concept: Concept) -> str:
    return uris.concept_uri(concept.scheme, concept.code)


def _merge(doc: Json, extra: Json) -> None:
    """Add properties, concatenating list values both sides have (additionalType, about)."""
    for key, value in extra.items():
        if key in doc and isinstance(doc[key], list) and isinstance(value, list):
            doc[key] = doc[key] + value
        else:
            doc[key] = value


def object_document(obj: HeritageObject, exhibits: Sequence[Exhibit] = ()) -> Json:
    """The schema.org description of a public object (with `@context`)."""
    uri = uris.object_uri(obj.pid)
    page = page_url("heritage:object", pid=obj.pid)
    specimen = specimen_of(obj)
    is_artwork = obj.collection.kind == CollectionKind.CERAMICS and specimen is None
    doc: Json = {
        "@context": SCHEMA_CONTEXT,
        "@id": uri,
        "@type": ["CreativeWork", "VisualArtwork"] if is_artwork else ["CreativeWork"],
        "name": lang_values(obj.title),
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "inventory number",
            "value": obj.inventory_number,
        },
        "url": page,
        "mainEntityOfPage": page,
        "isPartOf": collection_node(obj.collection),
        "license": obj.rights_uri,
        "sdDatePublished": obj.updated_at.date().isoformat(),
    }
    if obj.description:
        doc["description"] = lang_values(obj.description)
    if makers := [agent_node(m.agent) for m in obj.makers.all()]:
        doc["creator"] = makers
    if obj.production_place:
        doc["locationCreated"] = _place(obj.production_place, obj.production_place_uri)
    if obj.credit_line:
        doc["creditText"] = lang_values(obj.credit_line)
    if marks := [i.transcription for i in obj.inscriptions.all() if i.transcription]:
        doc["text"] = {"@value": " | ".join(marks), "@language": "und"}
    _merge(doc, _dates(obj))
    _merge(doc, _measurements(obj))
    _merge(doc, _vocabulary(obj, is_artwork))
    if specimen:
        _merge(doc, _specimen(specimen))
    _merge(doc, _media(obj, uri))
    if exhibits:
        doc["subjectOf"] = [exhibit_ref(e) for e in exhibits]
    return doc


def _place(name: str, uri: str) -> Json:
    if uri:
        return {"@type": "DefinedTerm", "name": {"@value": name, "@language": "nl"}, "sameAs": uri}
    return {"@type": "Place", "name": {"@value": name, "@language": "nl"}}


def _media(obj: HeritageObject, uri: str) -> Json:
    files = list(obj.media.all())
    images = [media_object(m, uri) for m in files if m.kind == "image"]
    data: Json = {}
    if images:
        data["image"] = images
    associated: list[Json] = [{"@id": node["@id"]} for node in images]
    associated += [media_object(m, uri) for m in files if m.kind != "image"]
    if has_manifest(files):  # the profile asks for the manifest as one more MediaObject
        manifest = {"@id": manifest_url(obj), "encodingFormat": IIIF_MANIFEST_FORMAT}
        associated.append({"@type": "MediaObject"} | manifest)
    if associated:
        data["associatedMedia"] = associated
    return data


def agent_document(agent: Agent) -> Json:
    doc = agent_node(agent) | {"@context": SCHEMA_CONTEXT}
    doc["url"] = search_url("maker", agent.slug)
    doc["mainEntityOfPage"] = doc["url"]
    if agent.kind == AgentKind.PERSON:
        dates = {"birthDate": agent.birth_year, "deathDate": agent.death_year}
    else:
        dates = {"foundingDate": agent.birth_year, "dissolutionDate": agent.death_year}
    for prop, year in dates.items():
        if year is not None:
            doc[prop] = year_iso(year)
    if agent.biography:
        doc["description"] = lang_values(agent.biography)
    return doc


def concept_document(concept: Concept) -> Json:
    doc = defined_term(concept) | {"@context": SCHEMA_CONTEXT}
    doc["url"] = search_url(*concept_search(concept))
    if concept.broader:
        doc["isPartOf"] = {"@id": _concept_id(concept.broader)}
    return doc


def concept_search(concept: Concept) -> tuple[str, str]:
    """The search filter (parameter, value) that lists a concept's objects."""
    if concept.scheme in SEARCH_PARAMS:
        return SEARCH_PARAMS[concept.scheme], concept.code
    return "q", first_text(concept.label)


def term_set_document(scheme: str, concepts: Iterable[Concept]) -> Json:
    """A vocabulary of ours (object types, materials, ...) as a DefinedTermSet."""
    with translation.override("en"):
        label = str(ConceptScheme(scheme).label)
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "DefinedTermSet",
        "@id": uris.persistent_uri("concept", scheme),
        "name": {"@value": label, "@language": "en"},
        "hasDefinedTerm": [defined_term(c) for c in concepts],
    }


def collection_document(collection: Collection, size: int, owner: Agent | None = None) -> Json:
    """`owner`: the institution as an agent (the profile wants organisations by URI;
    without one, the institution is an untyped creator with a name)."""
    doc = collection_node(collection) | {"@context": SCHEMA_CONTEXT}
    doc["url"] = search_url("collection", collection.code)
    doc["mainEntityOfPage"] = doc["url"]
    if collection.description:
        doc["description"] = lang_values(collection.description)
    if owner is not None:
        doc["creator"] = agent_node(owner)
    else:
        doc["creator"] = {"name": {"@value": collection.institution, "@language": "nl"}}
    doc["collectionSize"] = size
    return doc
