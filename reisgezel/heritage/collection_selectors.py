"""Reads behind the collection search page: results, facet counts with their labels.

The query shapes are in `collection_query`; this module caches the counts, reads the
page's objects fresh from their own tables (never from the index: an object hidden a
moment ago is not shown even if its document were stale) and labels facet values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from reisgezel.heritage import search as keys
from reisgezel.heritage.collection_cache import cached
from reisgezel.heritage.collection_query import (
    COUNTED_FACETS,
    CollectionQuery,
    Counts,
    search_memory,
)
from reisgezel.heritage.filters import PARAMETERS, CollectionFilters, Cursor
from reisgezel.heritage.models import (
    Agent,
    Collection,
    Concept,
    ConceptScheme,
    HeritageObject,
)
from reisgezel.heritage.period_histogram import CenturyBar, century_bars
from reisgezel.heritage.selectors import ObjectCard, images_prefetch, object_card


@dataclass
class FacetValue:
    value: str
    label: Any
    count: int
    selected: bool


@dataclass
class CollectionResult:
    items: list[ObjectCard]
    total: int
    sort: str
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    next_cursor: Cursor | None = None
    previous_cursor: Cursor | None = None
    fuzzy: bool = False
    periods: list[CenturyBar] = field(default_factory=list)
    """The period histogram: matches per century, over every filter but the period."""


def collection_search(filters: CollectionFilters, *, language: str) -> CollectionResult:
    """The collection search page: a page of objects, the total and the facet counts."""

    def count() -> Counts:
        query = CollectionQuery(filters, language=language)
        if query.needs_typo_fallback():
            query = CollectionQuery(filters, language=language, fuzzy=True)
        return query.counts()

    with search_memory():
        counts: Counts = cached(filters.match_parts(), "counts", count)
        query = CollectionQuery(filters, language=language, fuzzy=counts.fuzzy)
        rows = query.page(total=counts.total, matches=counts.matches)
    return CollectionResult(
        items=collection_items(rows.object_ids),
        total=counts.total,
        sort=filters.sort,
        facets=facet_values(counts.facets, filters),
        next_cursor=rows.next_cursor,
        previous_cursor=rows.previous_cursor,
        fuzzy=counts.fuzzy,
        periods=century_bars(counts.periods, filters.year_from, filters.year_to),
    )


def collection_items(object_ids: Sequence[int]) -> list[ObjectCard]:
    """Public objects in the given order, each with its first image."""
    objects = (
        HeritageObject.objects.filter(pk__in=list(object_ids), is_public=True)
        .select_related("collection", "object_type")
        .prefetch_related(images_prefetch(), "makers__agent")
        .in_bulk()
    )
    return [object_card(objects[pk]) for pk in object_ids if pk in objects]


_SCHEMES = {
    keys.OBJECT_TYPE: ConceptScheme.OBJECT_TYPE,
    keys.MATERIAL: ConceptScheme.MATERIAL,
    keys.TECHNIQUE: ConceptScheme.TECHNIQUE,
}
_FLAG_LABELS = {keys.HAS_IMAGE: _("With an image"), keys.REUSABLE: _("Free to reuse")}


def _labels(name: str, values: list[str]) -> dict[str, Any]:
    if name == keys.COLLECTION:
        return {c.code: c.name for c in Collection.objects.filter(code__in=values)}
    if name in _SCHEMES:
        concepts = Concept.objects.filter(scheme=_SCHEMES[name], code__in=values)
        return {c.code: c.label for c in concepts}
    if name == keys.MAKER:
        return dict(Agent.objects.filter(slug__in=values).values_list("slug", "name"))
    if name in _FLAG_LABELS:
        return {keys.YES: _FLAG_LABELS[name]}
    return {value: value for value in values}  # places are their own labels


def facet_values(
    counted: dict[str, list[tuple[str, int]]], filters: CollectionFilters
) -> dict[str, list[FacetValue]]:
    """Counted values with labels by query parameter ("material"), most frequent first;
    chosen values always stay visible (0 when nothing matches) so they can be unticked."""
    selected = filters.selected()
    result: dict[str, list[FacetValue]] = {}
    for name in COUNTED_FACETS:
        counts = dict(counted.get(name, []))
        for value in selected[name]:
            counts.setdefault(value, 0)
        labels = _labels(name, list(counts))
        values = [
            FacetValue(value, labels.get(value, value), n, value in selected[name])
            for value, n in counts.items()
            # A code nobody knows (a removed maker, a mistyped link) is not offered.
            if value in labels or value in selected[name]
        ]
        values.sort(key=lambda v: (-v.count, str(v.label).casefold()))
        result[PARAMETERS[name]] = values
    return result
