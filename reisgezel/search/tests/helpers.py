from __future__ import annotations

from typing import Any

from reisgezel.search.models import SearchDocument, SearchFacet
from reisgezel.search.query import search


def found(text: str, *, with_typos: bool = False, **options: Any) -> list[int]:
    """Object ids that search() returns for `text`, best first.

    Without `with_typos`, hits found only by PostgreSQL's typo fallback (trigram
    similarity of titles) are left out, so a test states the full-text semantics
    that both backends share.
    """
    hits = search(text=text, limit=100, **options).hits
    return [hit.object_id for hit in hits if with_typos or not hit.fuzzy]


def facets_of(document: SearchDocument) -> dict[str, list[str]]:
    """A stored document's facet rows as {name: [values]}, in the order written."""
    facets: dict[str, list[str]] = {}
    rows = SearchFacet.objects.filter(document=document).order_by("pk")
    for name, value in rows.values_list("name", "value"):
        facets.setdefault(name, []).append(value)
    return facets
