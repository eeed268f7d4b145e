"""Reads behind the persistent URIs: only what the public may see, fetched in few queries."""

from __future__ import annotations

from django.db.models import Prefetch

from reisgezel.heritage.exhibit_media import without_hidden_audio, without_hidden_media
from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    Collection,
    Concept,
    DialectEntry,
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
    ObjectAgent,
    Tombstone,
)


def public_object(pid: str) -> HeritageObject | None:
    """A public object with everything its documents show (None if absent or hidden)."""
    return (
        HeritageObject.objects.filter(pid=pid, is_public=True)
        .select_related("collection", "object_type", "specimen", "specimen__collector")
        .prefetch_related(
            "materials",
            "techniques",
            "subjects",
            "dimensions",
            "inscriptions",
            "media",
            Prefetch("makers", queryset=ObjectAgent.objects.select_related("agent")),
        )
        .first()
    )


def tombstone(pid: str) -> Tombstone | None:
    return Tombstone.objects.filter(pid=pid).first()


def exhibits_showing(obj: HeritageObject) -> list[Exhibit]:
    exhibits = Exhibit.objects.filter(is_public=True, sections__items__object=obj)
    found = list(exhibits.distinct().select_related("cover__object").order_by("position", "slug"))
    without_hidden_media(found)
    return found


def institution_agent(collection: Collection) -> Agent | None:
    """The institution holding a collection, when it is also recorded as an agent."""
    agents = Agent.objects.filter(name=collection.institution, kind=AgentKind.ORGANISATION)
    return agents.order_by("pk").first()


def agent(slug: str) -> Agent | None:
    return Agent.objects.filter(slug=slug).first()


def concept(scheme: str, code: str) -> Concept | None:
    return Concept.objects.filter(scheme=scheme, code=code).select_related("broader").first()


def concepts_of(scheme: str) -> list[Concept]:
    return list(Concept.objects.filter(scheme=scheme).order_by("code"))


def collection(code: str) -> Collection | None:
    return Collection.objects.filter(code=code).first()


def public_object_count(collection: Collection) -> int:
    return HeritageObject.objects.filter(collection=collection, is_public=True).count()


def public_exhibit(slug: str) -> Exhibit | None:
    items = ExhibitObject.objects.select_related("object").order_by("position", "pk")
    sections = ExhibitSection.objects.select_related("media__object").prefetch_related(
        Prefetch("items", queryset=items)
    )
    exhibit = (
        Exhibit.objects.filter(slug=slug, is_public=True)
        .select_related("cover__object")
        .prefetch_related(Prefetch("sections", queryset=sections.order_by("position", "pk")))
        .first()
    )
    if exhibit is not None:
        without_hidden_media([exhibit])
    return exhibit


def public_word(slug: str) -> DialectEntry | None:
    return without_hidden_audio(
        DialectEntry.objects.filter(slug=slug, is_public=True)
        .select_related("audio__object")
        .prefetch_related("senses", "examples")
        .first()
    )


def exhibits_of_word(entry: DialectEntry) -> list[Exhibit]:
    return list(entry.related_exhibits.filter(is_public=True).order_by("position", "slug"))
