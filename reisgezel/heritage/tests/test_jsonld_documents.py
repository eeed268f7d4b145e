"""The JSON-LD documents, read back as RDF by pyld (offline), validated with pyshacl
against our shapes of SCHEMA-AP-NDE (tests/shapes/schema-ap-nde.ttl) and checked
against the Linked Art API 1.0 JSON Schemas from ../shared/data/jsonld.

Helpers here (`offline_loader`, `rdf`, `linked_art_errors`, `rich_object`) are also used
by the tests of the persistent URIs."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from pyld import jsonld
from referencing import Registry, Resource

from reisgezel.heritage import uris
from reisgezel.heritage.jsonld import linked_art, schema_org, schema_org_texts
from reisgezel.heritage.jsonld import vocab as aat
from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    Concept,
    DialectEntry,
    DialectExample,
    DialectSense,
    Dimension,
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
    Inscription,
    MediaFile,
    ObjectAgent,
    TileState,
)
from tests.heritage_factories import ObjectFactory, SpecimenFactory
from tests.linked_data import offline_loader, shacl_findings

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
CRM = "http://www.cidoc-crm.org/cidoc-crm/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"
PORCELAIN = "http://vocab.getty.edu/aat/300010662"
JSONLD_DIR = Path(settings.SHARED_DATA_DIR) / "jsonld"


# --- Offline JSON-LD and JSON Schema machinery -------------------------------------------


Triple = tuple[str, str, str]


def rdf(document: dict[str, Any]) -> set[Triple]:
    """The document's triples: IRIs as they are, literals as "text"@lang or "text"^^type."""
    dataset = jsonld.to_rdf(document, {"documentLoader": offline_loader})
    triples = set()
    for quad in dataset["@default"]:
        obj = quad["object"]
        if obj["type"] == "literal":
            if obj.get("language"):
                value = f'"{obj["value"]}"@{obj["language"]}'
            else:
                value = f'"{obj["value"]}"^^{obj["datatype"]}'
        else:
            value = obj["value"]
        triples.add((quad["subject"]["value"], quad["predicate"]["value"], value))
    return triples


def objects_of(triples: set[Triple], subject: str, predicate: str) -> set[str]:
    return {o for s, p, o in triples if s == subject and p == predicate}


def one(values: set[str]) -> str:
    assert len(values) == 1, values
    return next(iter(values))


@cache
def _linked_art_registry() -> Registry:
    registry: Registry = Registry()
    for path in (JSONLD_DIR / "linked-art" / "schema").glob("*.json"):
        contents = json.loads(path.read_text())
        registry = registry.with_resource(contents["$id"], Resource.from_contents(contents))
    return registry


def linked_art_errors(document: dict[str, Any], schema: str) -> list[str]:
    """Messages of the Linked Art API schema `schema` ("object", "person", ...)."""
    validator = Draft202012Validator(
        {"$ref": f"https://linked.art/api/1.0/schema/{schema}.json"},
        registry=_linked_art_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# --- A well-described object --------------------------------------------------------------


def rich_object(**overrides: Any) -> HeritageObject:
    """A Sphinx plate with every kind of description, an image with tiles, an exhibit."""
    plate = Concept.objects.create(
        scheme="object_type",
        code="plate",
        label={"nl": "bord", "en": "plate"},
        uri="http://vocab.getty.edu/aat/300042990",
    )
    porcelain = Concept.objects.create(
        scheme="material",
        code="porcelain",
        label={"nl": "porselein", "en": "porcelain"},
        uri=PORCELAIN,
    )
    printing = Concept.objects.create(
        scheme="technique",
        code="transfer-printing",
        label={"nl": "drukdecor", "en": "transfer printing"},
    )
    values: dict[str, Any] = {
        "pid": "cc-sphinx-1",
        "inventory_number": "CC-1901-12",
        "title": {"nl": "Bord met Petrus-decor", "en": "Plate with Petrus pattern"},
        "description": {"nl": "Wit bord met blauw drukdecor.", "en": "White plate, blue print."},
        "date_display": "c. 1880-1890",
        "date_earliest": 1875,
        "date_latest": 1895,
        "production_place": "Maastricht",
        "production_place_uri": "http://www.wikidata.org/entity/Q1309",
        "credit_line": {"nl": "Schenking Regout", "en": "Gift of the Regout family"},
        "rights_uri": CC0,
        "object_type": plate,
    }
    obj = ObjectFactory(**(values | overrides))
    obj.materials.add(porcelain)
    obj.techniques.add(printing)
    sphinx = Agent.objects.create(
        kind=AgentKind.ORGANISATION,
        name="Petrus Regout & Co",
        slug="petrus-regout-co",
        birth_year=1834,
        death_year=1969,
        wikidata_id="Q1",
    )
    ObjectAgent.objects.create(object=obj, agent=sphinx, role="manufacturer")
    Dimension.objects.create(object=obj, kind="diameter", value=Decimal("24.5"), unit="cm")
    Dimension.objects.create(object=obj, kind="height", value=Decimal("3"), unit="cm")
    Inscription.objects.create(
        object=obj, kind="mark", transcription="P.R. SPHINX", position="underside"
    )
    MediaFile.objects.create(
        kind="image",
        object=obj,
        file="heritage/ab/plate.jpg",
        content_type="image/jpeg",
        sha256="0" * 64,
        width=1600,
        height=1200,
        alt_text={"nl": "Wit bord met blauwe rand", "en": "White plate, blue rim"},
        credit="Foto: Centre Céramique",
        rights_uri=CC_BY,
        tile_state=TileState.READY,
    )
    exhibit = Exhibit.objects.create(
        slug="sphinx",
        title={"nl": "Sphinx", "en": "Sphinx"},
        is_public=True,
        curator="Centre Céramique",
    )
    section = ExhibitSection.objects.create(
        exhibit=exhibit, heading={"nl": "Het bord", "en": "The plate"}
    )
    ExhibitObject.objects.create(section=section, object=obj)
    return obj


def object_documents(obj: HeritageObject) -> tuple[dict[str, Any], dict[str, Any]]:
    from reisgezel.heritage.jsonld import lookups

    loaded = lookups.public_object(obj.pid)
    assert loaded is not None
    exhibits = lookups.exhibits_showing(loaded)
    owner = lookups.institution_agent(loaded.collection)
    return (
        schema_org.object_document(loaded, exhibits),
        linked_art.object_document(loaded, exhibits, owner=owner),
    )


# --- schema.org (SCHEMA-AP-NDE) ------------------------------------------------------------


def test_schema_org_object_reads_back_as_the_triples_the_profile_asks_for() -> None:
    obj = rich_object()
    document, _ = object_documents(obj)
    triples = rdf(document)
    uri = uris.object_uri(obj.pid)
    assert {SCHEMA + "CreativeWork", SCHEMA + "VisualArtwork"} <= objects_of(triples, uri, RDF_TYPE)
    assert objects_of(triples, uri, SCHEMA + "name") == {
        '"Bord met Petrus-decor"@nl',
        '"Plate with Petrus pattern"@en',
    }
    assert one(objects_of(triples, uri, SCHEMA + "license")) == CC0  # an IRI, not a string
    assert objects_of(triples, uri, SCHEMA + "additionalType") == {
        "http://vocab.getty.edu/aat/300042990"
    }
    assert (
        one(objects_of(triples, uri, SCHEMA + "temporalCoverage"))
        == f'"1875/1895"^^{_xsd("string")}'
    )
    assert objects_of(triples, uri, SCHEMA + "dateCreated") == set()  # fuzzy: no exact date
    # identifier: a PropertyValue with the inventory number
    identifier = one(objects_of(triples, uri, SCHEMA + "identifier"))
    assert (
        one(objects_of(triples, identifier, SCHEMA + "value")) == f'"CC-1901-12"^^{_xsd("string")}'
    )
    # creator: our agent URI, an Organization with its Wikidata identity
    creator = one(objects_of(triples, uri, SCHEMA + "creator"))
    assert creator == uris.agent_uri("petrus-regout-co")
    assert SCHEMA + "Organization" in objects_of(triples, creator, RDF_TYPE)
    assert objects_of(triples, creator, SCHEMA + "sameAs") == {"http://www.wikidata.org/entity/Q1"}
    # material: a DefinedTerm with the AAT URI in sameAs
    material = one(objects_of(triples, uri, SCHEMA + "material"))
    assert objects_of(triples, material, SCHEMA + "sameAs") == {PORCELAIN}
    assert '"porselein"@nl' in objects_of(triples, material, SCHEMA + "name")
    # isPartOf: the collection, typed Dataset
    collection = one(objects_of(triples, uri, SCHEMA + "isPartOf"))
    assert collection == uris.collection_uri(obj.collection.code)
    assert SCHEMA + "Dataset" in objects_of(triples, collection, RDF_TYPE)
    # subjectOf: the exhibit
    assert objects_of(triples, uri, SCHEMA + "subjectOf") == {uris.exhibit_uri("sphinx")}


def _xsd(name: str) -> str:
    return f"http://www.w3.org/2001/XMLSchema#{name}"


def test_schema_org_image_comes_from_the_iiif_tiles_with_its_own_licence() -> None:
    obj = rich_object()
    document, _ = object_documents(obj)
    triples = rdf(document)
    uri = uris.object_uri(obj.pid)
    image = one(objects_of(triples, uri, SCHEMA + "image"))
    media = obj.media.get()
    base = f"{settings.SITE_URL}{settings.IIIF_URL.rstrip('/')}/{media.key.hex}"
    assert objects_of(triples, image, SCHEMA + "contentUrl") == {base + "/full/max/0/default.jpg"}
    assert objects_of(triples, image, SCHEMA + "thumbnailUrl") == {
        base + "/full/400,300/0/default.jpg"
    }
    assert objects_of(triples, image, SCHEMA + "license") == {CC_BY}
    assert SCHEMA + "ImageObject" in objects_of(triples, image, RDF_TYPE)
    manifest = f"{settings.SITE_URL}/iiif/object/{obj.pid}/manifest.json"
    assert objects_of(triples, uri, SCHEMA + "associatedMedia") == {image, manifest}
    service = one(objects_of(triples, image, SCHEMA + "isBasedOn"))
    assert service == base


def test_the_displayed_date_claims_no_language_it_may_not_be_in() -> None:
    """The displayed date is the source's own text ("um 1600" from a German LIDO record,
    "ca. 1850" typed by a curator), stored once without its language, as the place and
    the marks are: it is tagged `und` (undetermined), never Dutch."""
    obj = rich_object(date_display="um 1600", date_earliest=1596, date_latest=1605)
    document, _ = object_documents(obj)
    temporal = objects_of(rdf(document), uris.object_uri(obj.pid), SCHEMA + "temporal")
    assert temporal == {'"um 1600"@und'}
    assert shacl_findings(document, "schema-ap-nde") == []


def test_the_displayed_date_carries_its_language_when_the_record_states_it() -> None:
    obj = rich_object(
        date_display="tweede helft 19e eeuw",
        date_display_language="nl",
        date_earliest=1850,
        date_latest=1899,
    )
    document, linked = object_documents(obj)

    temporal = objects_of(rdf(document), uris.object_uri(obj.pid), SCHEMA + "temporal")
    assert temporal == {'"tweede helft 19e eeuw"@nl'}
    assert shacl_findings(document, "schema-ap-nde") == []
    (name,) = linked["produced_by"]["timespan"]["identified_by"]
    assert name["content"] == "tweede helft 19e eeuw"
    assert [language["id"] for language in name["language"]] == [aat.LANGUAGES["nl"][0]]
    assert linked_art_errors(linked, "object") == []


def test_exact_years_give_an_iso_date_created() -> None:
    obj = rich_object(date_display="1883", date_earliest=1883, date_latest=1883)
    document, _ = object_documents(obj)
    triples = rdf(document)
    created = objects_of(triples, uris.object_uri(obj.pid), SCHEMA + "dateCreated")
    assert created == {f'"1883"^^{SCHEMA}Date'}


def test_a_specimen_is_a_creative_work_about_its_taxon() -> None:
    specimen = SpecimenFactory(locality_is_sensitive=True)
    document, _ = object_documents(specimen.object)
    triples = rdf(document)
    uri = uris.object_uri(specimen.object.pid)
    assert objects_of(triples, uri, RDF_TYPE) == {SCHEMA + "CreativeWork"}
    assert "http://rs.tdwg.org/dwc/terms/FossilSpecimen" in objects_of(
        triples, uri, SCHEMA + "additionalType"
    )
    taxon = one(objects_of(triples, uri, SCHEMA + "about"))
    assert objects_of(triples, taxon, RDF_TYPE) == {SCHEMA + "Taxon"}
    assert objects_of(triples, taxon, SCHEMA + "name") == {
        f'"Mosasaurus hoffmanni"^^{_xsd("string")}'
    }
    genus = one(objects_of(triples, taxon, SCHEMA + "parentTaxon"))
    assert objects_of(triples, genus, SCHEMA + "taxonRank") == {f'"genus"^^{_xsd("string")}'}
    # a sensitive locality is published generalised and without its name
    place = one(objects_of(triples, uri, SCHEMA + "spatialCoverage"))
    geo = one(objects_of(triples, place, SCHEMA + "geo"))
    assert objects_of(triples, geo, SCHEMA + "latitude") == {f'"5.08E1"^^{_xsd("double")}'}
    assert objects_of(triples, place, SCHEMA + "name") == set()
    assert "ENCI" not in json.dumps(document)


def test_dialect_entry_is_a_defined_term_in_limburgish() -> None:
    entry = DialectEntry.objects.create(
        lemma="vlaai", slug="vlaai", part_of_speech="noun", gender="f", plural="vlaaie"
    )
    DialectSense.objects.create(
        entry=entry, meaning={"nl": "vlaai, ronde gebakken taart", "en": "Limburg fruit tart"}
    )
    DialectExample.objects.create(
        entry=entry,
        text="Mooder haet vlaai gebakke.",
        translation={"nl": "Moeder heeft vlaai gebakken."},
    )
    triples = rdf(schema_org_texts.word_document(entry))
    uri = uris.word_uri("vlaai")
    assert objects_of(triples, uri, RDF_TYPE) == {SCHEMA + "DefinedTerm"}
    assert objects_of(triples, uri, SCHEMA + "name") == {'"vlaai"@li'}
    assert objects_of(triples, uri, SCHEMA + "description") == {
        '"vlaai, ronde gebakken taart"@nl',
        '"Limburg fruit tart"@en',
    }
    term_set = one(objects_of(triples, uri, SCHEMA + "inDefinedTermSet"))
    assert '"Mestreechs woordenboek"@nl' in objects_of(triples, term_set, SCHEMA + "name")
    quotation = one(objects_of(triples, uri, SCHEMA + "subjectOf"))
    assert objects_of(triples, quotation, SCHEMA + "text") == {'"Mooder haet vlaai gebakke."@li'}


def test_exhibit_is_an_article_with_sections_about_public_objects() -> None:
    obj = rich_object()
    hidden = ObjectFactory(is_public=False, collection=obj.collection)
    exhibit = Exhibit.objects.get(slug="sphinx")
    section = exhibit.sections.get()
    ExhibitObject.objects.create(section=section, object=hidden)
    from reisgezel.heritage.jsonld import lookups

    loaded = lookups.public_exhibit("sphinx")
    assert loaded is not None
    triples = rdf(schema_org_texts.exhibit_document(loaded))
    uri = uris.exhibit_uri("sphinx")
    assert SCHEMA + "Article" in objects_of(triples, uri, RDF_TYPE)
    part = one(objects_of(triples, uri, SCHEMA + "hasPart"))
    assert objects_of(triples, part, SCHEMA + "about") == {uris.object_uri(obj.pid)}
    assert uris.object_uri(hidden.pid) not in {o for _s, _p, o in triples}


def test_agent_and_concept_documents() -> None:
    obj = rich_object()
    agent = Agent.objects.get(slug="petrus-regout-co")
    triples = rdf(schema_org.agent_document(agent))
    uri = uris.agent_uri(agent.slug)
    assert objects_of(triples, uri, SCHEMA + "foundingDate") == {f'"1834"^^{SCHEMA}Date'}
    concept = obj.materials.get()
    triples = rdf(schema_org.concept_document(concept))
    uri = uris.concept_uri("material", "porcelain")
    assert objects_of(triples, uri, SCHEMA + "inDefinedTermSet") == {
        uris.persistent_uri("concept", "material")
    }
    assert objects_of(triples, uri, SCHEMA + "sameAs") == {PORCELAIN}


def schema_org_documents() -> dict[str, dict[str, Any]]:
    """One published schema.org document of every kind, the objects well described."""
    from reisgezel.heritage.jsonld import lookups

    obj = rich_object()
    specimen = SpecimenFactory(locality_is_sensitive=True)
    entry = DialectEntry.objects.create(lemma="vlaai", slug="vlaai", part_of_speech="noun")
    DialectSense.objects.create(entry=entry, meaning={"nl": "vlaai", "en": "fruit tart"})
    exhibit = lookups.public_exhibit("sphinx")
    assert exhibit is not None
    return {
        "object": object_documents(obj)[0],
        "specimen": object_documents(specimen.object)[0],
        "exhibit": schema_org_texts.exhibit_document(exhibit),
        "word": schema_org_texts.word_document(entry),
        "agent": schema_org.agent_document(Agent.objects.get(slug="petrus-regout-co")),
        "concept": schema_org.concept_document(obj.materials.get()),
        "collection": schema_org.collection_document(obj.collection, size=1),
    }


def test_every_schema_org_document_passes_the_profile_shapes() -> None:
    for kind, document in schema_org_documents().items():
        assert shacl_findings(document, "schema-ap-nde") == [], kind


def test_the_profile_shapes_catch_a_badly_described_object() -> None:
    document, _ = object_documents(rich_object())
    (image,) = document["image"]
    broken = {
        **document,
        "license": {"@value": "CC0"},  # a text, not the licence's IRI
        "identifier": "CC-1901-12",  # not a PropertyValue
        "dateCreated": "c. 1880",
        "creator": [{"@type": "Organization", "@id": document["creator"][0]["@id"]}],
        "image": [{**image, "license": None, "encodingFormat": "jpeg"}],
    }
    del broken["mainEntityOfPage"]
    findings = shacl_findings(broken, "schema-ap-nde")
    found = {(f.severity, f.path.removeprefix(SCHEMA)) for f in findings}
    assert found == {
        ("Violation", "license"),  # the object's, and the image's (missing)
        ("Violation", "identifier"),
        ("Violation", ""),  # the details: the text is no PropertyValue, with no value
        ("Violation", "value"),
        ("Violation", "dateCreated"),
        ("Violation", "creator"),
        ("Violation", "name"),  # the creator has none (also as an Organization)
        ("Violation", "image"),
        ("Violation", "encodingFormat"),
        ("Warning", "mainEntityOfPage"),
    }


# --- Linked Art -----------------------------------------------------------------------------


def test_linked_art_object_is_valid_against_the_api_schema() -> None:
    obj = rich_object()
    _, document = object_documents(obj)
    assert linked_art_errors(document, "object") == []


def test_linked_art_object_reads_back_with_aat_classifications() -> None:
    obj = rich_object()
    _, document = object_documents(obj)
    triples = rdf(document)
    uri = uris.object_uri(obj.pid)
    assert one(objects_of(triples, uri, RDF_TYPE)) == CRM + "E22_Human-Made_Object"
    # the inventory number, classified as an accession number
    identifiers = objects_of(triples, uri, CRM + "P1_is_identified_by")
    accession = [
        i
        for i in identifiers
        if aat.ACCESSION_NUMBER in objects_of(triples, i, CRM + "P2_has_type")
    ]
    assert objects_of(triples, one(set(accession)), CRM + "P190_has_symbolic_content") == {
        f'"CC-1901-12"^^{_xsd("string")}'
    }
    # materials and the production's timespan from the earliest / latest years
    assert objects_of(triples, uri, CRM + "P45_consists_of") == {PORCELAIN}
    production = one(objects_of(triples, uri, CRM + "P108i_was_produced_by"))
    assert objects_of(triples, production, CRM + "P7_took_place_at") == {
        "http://www.wikidata.org/entity/Q1309"
    }
    span = one(objects_of(triples, production, CRM + "P4_has_time-span"))
    begin = one(objects_of(triples, span, CRM + "P82a_begin_of_the_begin"))
    assert begin.startswith('"1875-01-01T00:00:00Z"')
    # the licence of the record: a license statement classified with the CC0 URI
    statements = objects_of(triples, uri, CRM + "P67i_is_referred_to_by")
    licence = [
        s for s in statements if aat.RIGHTS_STATEMENT in objects_of(triples, s, CRM + "P2_has_type")
    ]
    assert CC0 in objects_of(triples, one(set(licence)), CRM + "P2_has_type")
    # dimensions: value, unit and type from the AAT
    dimensions = objects_of(triples, uri, CRM + "P43_has_dimension")
    units = {one(objects_of(triples, d, CRM + "P91_has_unit")) for d in dimensions}
    assert units == {aat.UNITS["cm"][0]}


def test_linked_art_specimen_is_found_in_an_encounter_and_valid() -> None:
    specimen = SpecimenFactory()
    _, document = object_documents(specimen.object)
    assert linked_art_errors(document, "object") == []
    encounter = document["encountered_by"][0]
    assert encounter["timespan"]["begin_of_the_begin"] == "1998-10-01T00:00:00Z"
    assert encounter["timespan"]["end_of_the_end"] == "1998-10-31T23:59:59Z"


def test_linked_art_agents_and_collections_are_valid() -> None:
    obj = rich_object()
    agent = Agent.objects.get(slug="petrus-regout-co")
    assert linked_art_errors(linked_art.agent_document(agent), "group") == []
    person = Agent.objects.create(
        kind=AgentKind.PERSON,
        name="Petrus Regout",
        slug="petrus-regout",
        birth_year=1801,
        death_year=1878,
    )
    document = linked_art.agent_document(person)
    assert linked_art_errors(document, "person") == []
    assert document["born"]["timespan"]["begin_of_the_begin"] == "1801-01-01T00:00:00Z"
    assert linked_art_errors(linked_art.collection_document(obj.collection), "set") == []


def test_the_schema_check_is_real() -> None:
    """A broken document fails: the validator is not accepting everything."""
    obj = rich_object()
    _, document = object_documents(obj)
    document["identified_by"][0]["content"] = 42
    del document["_label"]
    assert len(linked_art_errors(document, "object")) >= 2
