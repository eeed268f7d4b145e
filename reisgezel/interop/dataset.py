"""Dataset descriptions for the Dutch NDE dataset register (schema.org, SCHEMA-AP-NDE).

One schema:Dataset per collection and a schema:DataCatalog that holds them, with the
properties the NDE "Requirements for Datasets" ask for: an IRI, name, description,
licence, publisher and creator (Organization with name and url), dates, languages and a
distribution per way to get the data (OAI-PMH in Dublin Core and LIDO, JSON-LD by
content negotiation, the IIIF collection, and the Darwin Core Archive for specimens).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils import translation

from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    Collection,
    CollectionKind,
    HeritageObject,
    Tombstone,
)
from reisgezel.heritage.uris import agent_uri, collection_uri
from reisgezel.interop.dwca_export.metadata import ARCHIVE_PATH, data_license
from reisgezel.interop.links import absolute, iiif_collection_url, texts
from reisgezel.interop.oai.conf import base_url

CONTEXT = "https://schema.org/"
OAI_PMH_SPEC = "https://www.openarchives.org/OAI/openarchivesprotocol.html"
IIIF_JSON = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
DWCA_GUIDE = "https://dwc.tdwg.org/text/"
LANGUAGES = ["nl", "en"]


@dataclass(frozen=True)
class CollectionFacts:
    """What the descriptions say about a collection's contents, read in bulk."""

    modified: datetime | None
    earliest_year: int | None
    latest_year: int | None


def catalog_uri() -> str:
    return absolute(reverse("interop:catalog"))


def dataset_uri(code: str) -> str:
    return absolute(reverse("interop:dataset", kwargs={"code": code}))


def _texts(values: dict[str, str]) -> list[dict[str, str]]:
    """A language map as JSON-LD value objects (rdf:langString)."""
    return [{"@language": lang, "@value": text} for lang, text in texts(values)]


def text_in(values: list[dict[str, str]], language: str | None) -> str:
    """The text of a list of value objects in `language`, else Dutch, else the first."""
    by_language = {v["@language"]: v["@value"] for v in values}
    for lang in (language or "", "nl"):
        if by_language.get(lang):
            return by_language[lang]
    return next(iter(by_language.values()), "")


def publisher() -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Organization",
        "@id": f"{catalog_uri()}#publisher",
        "name": settings.HERITAGE["PUBLISHER"],
        "url": settings.SITE_URL,
    }
    email = settings.HERITAGE.get("CONTACT_EMAIL")
    if email:
        node["contactPoint"] = {"@type": "ContactPoint", "email": str(email)}
    return node


def institution_agents(collections: list[Collection]) -> dict[str, str]:
    """The agent slug of each institution that is also recorded as an organisation
    (the first by id, as `lookups.institution_agent`), in one query for a catalogue."""
    names = {c.institution for c in collections}
    rows = (
        Agent.objects.filter(name__in=names, kind=AgentKind.ORGANISATION)
        .order_by("-pk")
        .values_list("name", "slug")
    )
    return dict(rows)  # the last pair of a name wins: its lowest id


def creator(collection: Collection, agents: dict[str, str] | None = None) -> dict[str, Any]:
    """The institution holding the collection; identified by its agent URI when it is
    also recorded as an agent (so the register can link it to the objects' owner)."""
    node: dict[str, Any] = {
        "@type": "Organization",
        "name": collection.institution,
        "url": settings.SITE_URL,
    }
    slug = (agents if agents is not None else institution_agents([collection])).get(
        collection.institution
    )
    if slug:
        node["@id"] = agent_uri(slug)
    return node


def _facts() -> dict[str, CollectionFacts]:
    objects: dict[str, dict[str, Any]] = {
        row["collection__code"]: dict(row)
        for row in HeritageObject.objects.values("collection__code").annotate(
            modified=Max("updated_at"),
            earliest=Min("date_earliest", filter=Q(is_public=True)),
            latest=Max("date_latest", filter=Q(is_public=True)),
        )
    }
    deletions = dict(
        Tombstone.objects.values("collection_code")
        .annotate(modified=Max("deleted_at"))
        .values_list("collection_code", "modified")
    )
    facts: dict[str, CollectionFacts] = {}
    for code in {*objects, *deletions}:
        row: dict[str, Any] = objects.get(code, {})
        changes = [t for t in (row.get("modified"), deletions.get(code)) if t is not None]
        facts[code] = CollectionFacts(
            max(changes) if changes else None, row.get("earliest"), row.get("latest")
        )
    return facts


def _download(name: str, url: str, encoding: str, **extra: str) -> dict[str, Any]:
    return {
        "@type": "DataDownload",
        "name": name,
        "contentUrl": url,
        "encodingFormat": encoding,
        **extra,
    }


def _kind_labels(collection: Collection) -> dict[str, str]:
    labels = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            labels[lang] = str(collection.get_kind_display())
    return labels


def distributions(collection: Collection) -> list[dict[str, Any]]:
    code = collection.code
    oai = f"{base_url()}?verb=ListRecords&set={code}&metadataPrefix="
    items = [
        _download(
            "OAI-PMH, Dublin Core", oai + "oai_dc", "application/xml", usageInfo=OAI_PMH_SPEC
        ),
        _download("OAI-PMH, LIDO 1.1", oai + "lido", "application/xml", usageInfo=OAI_PMH_SPEC),
        _download(
            "Linked data (schema.org and Linked Art JSON-LD per object)",
            collection_uri(code),
            "application/ld+json",
        ),
        _download("IIIF Presentation 3 collection", iiif_collection_url(code), IIIF_JSON),
    ]
    if collection.kind == CollectionKind.NATURAL_HISTORY:
        items.append(
            _download(
                "Darwin Core Archive of the specimens",
                absolute(ARCHIVE_PATH),
                "application/zip",
                usageInfo=DWCA_GUIDE,
            )
        )
    return items


def dataset(
    collection: Collection,
    facts: CollectionFacts | None = None,
    agents: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The schema:Dataset of one collection (without @context: see dataset_document)."""
    facts = facts or _facts().get(collection.code) or CollectionFacts(None, None, None)
    description = dict(collection.description) or {
        lang: f"{name} ({collection.institution})" for lang, name in collection.name.items()
    }
    node: dict[str, Any] = {
        "@type": "Dataset",
        "@id": dataset_uri(collection.code),
        "name": _texts(dict(collection.name)),
        "description": _texts(description),
        "license": data_license(),
        "publisher": publisher(),
        "creator": creator(collection, agents),
        "inLanguage": LANGUAGES,
        "keywords": _texts(_kind_labels(collection)),
        "spatialCoverage": {"@type": "Place", "name": settings.REISGEZEL["CITY"]},
        "about": {"@id": collection_uri(collection.code)},
        "includedInDataCatalog": {"@id": catalog_uri()},
        "distribution": distributions(collection),
    }
    modified = max(filter(None, (facts.modified, collection.updated_at)))
    node["dateModified"] = modified.date().isoformat()
    node["dateCreated"] = collection.created_at.date().isoformat()
    if facts.earliest_year and facts.latest_year and 0 < facts.earliest_year <= facts.latest_year:
        node["temporalCoverage"] = f"{facts.earliest_year:04d}/{facts.latest_year:04d}"
    return node


def dataset_document(collection: Collection) -> dict[str, Any]:
    return {"@context": CONTEXT, **dataset(collection)}


def catalog_document() -> dict[str, Any]:
    facts = _facts()
    collections = list(Collection.objects.order_by("position", "code"))
    agents = institution_agents(collections)
    city = settings.REISGEZEL["CITY"]
    return {
        "@context": CONTEXT,
        "@type": "DataCatalog",
        "@id": catalog_uri(),
        "name": _texts(
            {"nl": f"Erfgoedcollecties {city}", "en": f"Heritage collections of {city}"}
        ),
        "description": _texts(
            {
                "nl": f"Open data van de erfgoedcollecties van {city}.",
                "en": f"Open data of the heritage collections of {city}.",
            }
        ),
        "publisher": publisher(),
        "inLanguage": LANGUAGES,
        "dataset": [dataset(c, facts.get(c.code), agents) for c in collections],
    }
