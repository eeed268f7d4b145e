"""Reads of the search index: the site-wide search and the building blocks for domains.

Matching semantics, the same on SQLite and PostgreSQL: the query is cut into words
(letters and digits; everything else is ignored, so no input is ever a syntax error);
a document matches when it contains every word, as typed, accent-folded, or as the
same Snowball stem in any of nl/en/de/fr; the last word also matches as a prefix
while it is being typed. Only public documents are searched unless a function says
otherwise. Empty or whitespace-only text matches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Expression, FloatField, OuterRef, QuerySet, Value

from reisgezel.core.i18n import LanguageMap, language_map
from reisgezel.search.backends import SearchBackend, get_backend
from reisgezel.search.backends.base import RankedId
from reisgezel.search.models import SearchDocument, SearchFacet
from reisgezel.search.postings import type_counts
from reisgezel.search.terms import parse_query

TYPE_FACET = "type"
"""The pseudo-facet of document types: counted from SearchDocument.doc_type."""
FUZZY_BELOW = 3
"""PostgreSQL: with fewer full-text matches than this, titles similar to the query
(pg_trgm) are added, so a typo still finds something."""
MAX_LIMIT = 100
FACET_VALUES_LIMIT = 100


@dataclass(frozen=True)
class SearchHit:
    doc_type: str
    object_id: int
    url: str
    title: LanguageMap
    rank: float
    snippet: str
    """The start of the body in the requested language (stored, not computed per query)."""
    fuzzy: bool = False
    """Found only by title similarity (a typo), not by the full-text match."""


@dataclass(frozen=True)
class RankedResults:
    """What `search_ranked` finds: numbers and ids, no texts (see `search`)."""

    page: list[RankedId]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    fuzzy: bool = False


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Per requested facet: (value, count), most frequent first."""
    fuzzy: bool = False
    """The typo fallback was used (the full-text match alone found too little)."""


def search(
    *,
    text: str,
    doc_types: Sequence[str] | None = None,
    filters: dict[str, list[str]] | None = None,
    facets: Sequence[str] = (),
    limit: int = 20,
    offset: int = 0,
    language: str | None = None,
    similar_titles: bool | None = None,
    total_known: int | None = None,
) -> SearchResults:
    """Public documents matching `text`, best first, with facet counts.

    `search_ranked` with the hits' texts: see there for the arguments. `language` picks
    the language of the snippets (default: the active one). Matching does not depend
    on it: a record is found through the texts of all its languages.
    """
    ranked = search_ranked(
        text=text,
        doc_types=doc_types,
        filters=filters,
        facets=facets,
        limit=limit,
        offset=offset,
        similar_titles=similar_titles,
        total_known=total_known,
    )
    return SearchResults(
        hits=hits_of(ranked.page, language),
        total=ranked.total,
        facets=ranked.facets,
        fuzzy=ranked.fuzzy,
    )


def search_ranked(
    *,
    text: str,
    doc_types: Sequence[str] | None = None,
    filters: dict[str, list[str]] | None = None,
    facets: Sequence[str] = (),
    limit: int = 20,
    offset: int = 0,
    similar_titles: bool | None = None,
    total_known: int | None = None,
) -> RankedResults:
    """The ids of public documents matching `text`, best first, with facet counts.

    `filters` maps a facet name to accepted values: values of one facet are OR'ed,
    facets are AND'ed; an empty list does not filter. `doc_types` is the filter of the
    pseudo-facet "type" (TYPE_FACET); an empty list matches nothing.

    Facet counts are disjunctive: each facet is counted over the matches with every
    filter applied except its own, so a visitor sees how many results each other value
    of a facet they already chose would add. `total` and `hits` have all filters.

    `similar_titles` decides the typo fallback (PostgreSQL): by default titles similar
    to the text join when the full-text match finds fewer than FUZZY_BELOW documents;
    True lets them join whatever it finds, False never. Several searches shown on one
    page must share one decision (`selectors.search_page` takes its overview's), else
    a narrower one falls back alone and its hits and total disagree with the overview.
    `fuzzy` in the results says whether similar titles added anything.

    `total_known`, with `similar_titles=False`: the number of matches, when the caller
    has counted them already (a search page's group, counted in its overview): they are
    not counted again. A common word matches most of a large index, and every count of
    it reads every match.
    """
    facet_names = list(dict.fromkeys(facets))
    terms = parse_query(text)
    wanted = _wanted_filters(filters, doc_types)
    if terms is None or wanted is None:
        return RankedResults(page=[], total=0, facets={name: [] for name in facet_names})
    backend = get_backend()
    public = SearchDocument.objects.filter(public=True)
    condition = backend.match(terms)
    by_type: list[tuple[str, int]] | None = None
    types_only = wanted.keys() <= {TYPE_FACET}  # filtered by type at most
    if total_known is not None and similar_titles is False:
        total = total_known
    elif TYPE_FACET in facet_names and types_only:
        # The type counts (which leave the type filter out) add up to the total, so
        # one count gives both: from the postings (no document row read) when they
        # answer.
        by_type = type_counts(terms, using=backend.using)
        if by_type is None:  # the postings do not answer: counted in SQL
            by_type = _facet_counts(backend, public.filter(condition), wanted, TYPE_FACET)
        chosen = set(wanted.get(TYPE_FACET, ()))
        total = sum(n for name, n in by_type if not chosen or name in chosen)
    else:
        total = _filtered(backend, public.filter(condition), wanted).count()
    fuzzy = False
    wants_typos = total < FUZZY_BELOW if similar_titles is None else similar_titles
    typo = backend.fuzzy(terms) if wants_typos else None
    if typo is not None:
        with_typos = _filtered(backend, public.filter(condition | typo), wanted).count()
        if with_typos > total:
            condition, total, fuzzy = condition | typo, with_typos, True
    matched = public.filter(condition)
    counts = {
        name: by_type
        if name == TYPE_FACET and by_type is not None and not fuzzy
        else _facet_counts(backend, matched, wanted, name)
        for name in facet_names
    }
    limit = max(0, min(limit, MAX_LIMIT))
    page: list[RankedId] = []
    if total and limit and not fuzzy and types_only:
        page = backend.ranked_public(
            terms, doc_types=wanted.get(TYPE_FACET), offset=max(0, offset), limit=limit
        )
    elif total and limit:
        page = backend.ranked(
            _filtered(backend, matched, wanted),
            terms,
            fuzzy=fuzzy,
            offset=max(0, offset),
            limit=limit,
        )
    return RankedResults(page=page, total=total, facets=counts, fuzzy=fuzzy)


def matching_object_ids(
    *,
    doc_type: str,
    text: str,
    public_only: bool = True,
    typo_tolerant: bool = True,
) -> QuerySet[SearchDocument, int]:
    """The object ids of `doc_type` whose documents match `text`, as a lazy subquery.

    Meant for `Model.objects.filter(pk__in=matching_object_ids(doc_type=..., text=...))`:
    the domain's own filters and the full-text match become one SQL query, answered
    by the FTS5 table or the GIN index. With `typo_tolerant` on PostgreSQL, one quick
    query first checks whether the full-text match finds fewer than FUZZY_BELOW
    documents, and if so titles similar to the text match too. Empty text matches
    nothing (callers normally skip the filter instead).
    """
    backend = get_backend()
    documents = SearchDocument.objects.filter(backend.column_in("doc_type", [doc_type]))
    if public_only:
        documents = documents.filter(public=True)
    terms = parse_query(text)
    if terms is None:
        return documents.none().values_list("object_id", flat=True)
    condition = backend.match(terms)
    typo = backend.fuzzy(terms) if typo_tolerant else None
    if typo is not None:
        found = documents.filter(condition).values_list("pk", flat=True)[:FUZZY_BELOW]
        if len(found) < FUZZY_BELOW:
            condition = condition | typo
    return documents.filter(condition).values_list("object_id", flat=True)


def rank_annotation(*, doc_type: str, text: str, outer_field: str = "pk") -> Expression:
    """An expression for ordering another model's queryset by relevance, e.g.

        Event.objects.filter(pk__in=matching_object_ids(doc_type="event", text=q))
            .annotate(relevance=rank_annotation(doc_type="event", text=q))
            .order_by("-relevance")

    It is the document's rank (0.0 when it does not match), computed per row by a
    correlated subquery, so apply it to a narrowed queryset: on SQLite each row's
    bm25() recounts the matching documents.
    """
    terms = parse_query(text)
    if terms is None:
        return Value(0.0, output_field=FloatField())
    return get_backend().rank_expression(doc_type=doc_type, terms=terms, outer_field=outer_field)


def _wanted_filters(
    filters: dict[str, list[str]] | None, doc_types: Sequence[str] | None
) -> dict[str, list[str]] | None:
    """Non-empty filters by facet name, or None when `doc_types` excludes everything."""
    wanted = {name: list(values) for name, values in (filters or {}).items() if values}
    if doc_types is not None:
        if not doc_types:
            return None
        wanted[TYPE_FACET] = list(doc_types)
    return wanted


def _filtered(
    backend: SearchBackend,
    documents: QuerySet[SearchDocument],
    wanted: dict[str, list[str]],
    *,
    skip: str | None = None,
) -> QuerySet[SearchDocument]:
    for name, values in wanted.items():
        if name == skip:
            continue
        if name == TYPE_FACET:
            documents = documents.filter(backend.column_in("doc_type", values))
        else:
            # EXISTS probes the (document, name, value) unique index per candidate.
            has_value = SearchFacet.objects.filter(
                document=OuterRef("pk"), name=name, value__in=values
            )
            documents = documents.filter(Exists(has_value))
    return documents


def _facet_counts(
    backend: SearchBackend,
    matched: QuerySet[SearchDocument],
    wanted: dict[str, list[str]],
    name: str,
) -> list[tuple[str, int]]:
    scope = _filtered(backend, matched, wanted, skip=name)
    if name == TYPE_FACET:
        rows = scope.values("doc_type").annotate(n=Count("pk")).order_by("-n", "doc_type")
        return [(row["doc_type"], row["n"]) for row in rows]
    values = (
        SearchFacet.objects.filter(backend.column_in("name", [name]), document__in=scope)
        .values("value")
        .annotate(n=Count("pk"))
        .order_by("-n", "value")[:FACET_VALUES_LIMIT]
    )
    return [(row["value"], row["n"]) for row in values]


def hits_of(page: list[RankedId], language: str | None) -> list[SearchHit]:
    """The hits of a ranked page, with their texts as they are now: a document removed
    or no longer public since it was ranked (a page found a while ago, see
    `page_cache`) is left out."""
    return hits_of_pages([page], language)[0]


def hits_of_pages(pages: list[list[RankedId]], language: str | None) -> list[list[SearchHit]]:
    """`hits_of` for several ranked pages (a search page's groups), in one query."""
    wanted = [row.pk for page in pages for row in page]
    if not wanted:
        return [[] for _page in pages]
    documents = (
        SearchDocument.objects.filter(public=True)
        .only("doc_type", "object_id", "url", "title", "summary")
        .in_bulk(wanted)
    )
    return [
        [
            SearchHit(
                doc_type=document.doc_type,
                object_id=document.object_id,
                url=document.url,
                title=language_map(document.title),
                rank=float(row.rank),
                snippet=language_map(document.summary).get_for(language),
                fuzzy=row.fuzzy,
            )
            for row in page
            # (None: removed or hidden since it was ranked)
            if (document := documents.get(row.pk)) is not None
        ]
        for page in pages
    ]


__all__ = [
    "FUZZY_BELOW",
    "TYPE_FACET",
    "RankedResults",
    "SearchHit",
    "SearchResults",
    "hits_of",
    "hits_of_pages",
    "matching_object_ids",
    "rank_annotation",
    "search",
    "search_ranked",
]
