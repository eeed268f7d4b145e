"""The site-wide search page: results grouped by type, or one type page by page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from math import ceil
from urllib.parse import urlsplit

from django.urls import translate_url
from django.utils import translation

from reisgezel.search.backends.base import RankedId
from reisgezel.search.page_cache import page_cached
from reisgezel.search.query import TYPE_FACET, SearchHit, hits_of_pages, search_ranked
from reisgezel.search.registry import registered

PER_GROUP = 5
PER_PAGE = 20


@dataclass(frozen=True)
class TypeGroup:
    doc_type: str
    label: str
    count: int
    hits: list[SearchHit] = field(default_factory=list)


@dataclass(frozen=True)
class SearchPage:
    text: str
    searched: bool
    """The text had something to search for."""
    total: int
    """Matches of every type."""
    types: list[TypeGroup]
    """Every type with matches and its count (for the type filter), largest first."""
    groups: list[TypeGroup]
    """Hits by type: the top PER_GROUP of each, or one page of the chosen type."""
    doc_type: str | None = None
    page: int = 1
    num_pages: int = 1
    fuzzy: bool = False


def search_page(
    *, text: str, doc_type: str | None = None, page: int = 1, language: str | None = None
) -> SearchPage:
    """The search page's content. An unregistered `doc_type` is ignored.

    Without a type: one query for the counts, then the best few of each type.
    With a type: that type's results, PER_PAGE at a time (the page is clamped).
    Links point to the pages in `language` (default: the active one).

    The overview decides once whether titles similar to the text join (the typo
    fallback, with its notice), and every group follows that decision: a group's
    hits and count are those its chip counts.

    What a page finds (its counts and the ranked ids of its groups) is kept for a
    short time (`page_cache`); the hits' texts are read for every visitor, in one
    query for all groups.
    """
    language = language or translation.get_language()
    labels = {name: str(document_type.label) for name, document_type in registered().items()}
    if doc_type not in labels:
        doc_type = None
    found = page_cached(("page", text, doc_type, page), lambda: _find(text, doc_type, page))
    hits = hits_of_pages([ranked for _name, _count, ranked in found.groups], language)
    return SearchPage(
        text=text,
        searched=bool(text.strip()),
        total=found.total,
        types=[
            TypeGroup(doc_type=name, label=labels.get(name, name), count=count)
            for name, count in found.types
        ],
        groups=[
            TypeGroup(
                doc_type=name,
                label=labels.get(name, name),
                count=count,
                hits=_localised(group_hits, language),
            )
            for (name, count, _ranked), group_hits in zip(found.groups, hits, strict=True)
        ],
        doc_type=doc_type,
        page=found.page,
        num_pages=found.num_pages,
        fuzzy=found.fuzzy,
    )


@dataclass(frozen=True)
class _Found:
    """What a search page found, in numbers and ids: what the page cache keeps."""

    total: int
    types: list[tuple[str, int]]
    fuzzy: bool
    groups: list[tuple[str, int, list[RankedId]]]
    """(type, count, ranked page) per group shown."""
    page: int = 1
    num_pages: int = 1


def _find(text: str, doc_type: str | None, page: int) -> _Found:
    overview = search_ranked(text=text, facets=[TYPE_FACET], limit=0)
    types = overview.facets.get(TYPE_FACET, [])
    if doc_type is None:
        groups = [
            (
                name,
                count,
                search_ranked(
                    text=text,
                    doc_types=[name],
                    limit=PER_GROUP,
                    similar_titles=overview.fuzzy,
                    total_known=count,
                ).page,
            )
            for name, count in types
        ]
        return _Found(overview.total, types, overview.fuzzy, groups)
    count = next((n for name, n in types if name == doc_type), 0)
    num_pages = max(1, ceil(count / PER_PAGE))
    page = min(max(1, page), num_pages)
    results = search_ranked(
        text=text,
        doc_types=[doc_type],
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
        similar_titles=overview.fuzzy,
        total_known=count,
    )
    groups = [(doc_type, results.total, results.page)] if results.total else []
    return _Found(overview.total, types, overview.fuzzy, groups, page, num_pages)


def _localised(hits: list[SearchHit], language: str | None) -> list[SearchHit]:
    """Hits whose links lead to the page in `language`.

    A document stores one URL, in the language it was built in ("/nl/places/vrijthof/");
    an English visitor should land on "/en/places/vrijthof/". URLs without a language
    prefix, or that do not resolve, are left as they are.
    """
    if not language:
        return hits
    return [replace(hit, url=_url_in(hit.url, language)) for hit in hits]


def _url_in(url: str, language: str) -> str:
    try:
        language = translation.get_supported_language_variant(language)
    except LookupError:
        return url
    stored = translation.get_language_from_path(urlsplit(url).path)
    if stored is None or stored == language:
        return url
    # translate_url resolves in the active language and reverses in the wanted one.
    with translation.override(stored):
        return translate_url(url, language)
