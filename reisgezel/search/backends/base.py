"""What a search backend provides; see the sqlite and postgres modules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db.models import Expression, Q, QuerySet

from reisgezel.search.models import SearchDocument
from reisgezel.search.registry import Document
from reisgezel.search.terms import QueryTerms


@dataclass(frozen=True)
class DocumentRow:
    """The shared columns of a document's row, as `services` computes them."""

    doc_type: str
    object_id: int
    url: str
    public: bool
    boost: float
    title: dict[str, str]
    summary: dict[str, str]
    title_folded: str


@dataclass(frozen=True)
class StoredDocument:
    """A document as just written, with the id of its row."""

    pk: int
    document: Document


@dataclass(frozen=True)
class RankedId:
    """A row of a ranked page; `fuzzy` when only the typo-tolerant match found it."""

    pk: int
    rank: float
    fuzzy: bool = False


class SearchBackend(Protocol):
    using: str

    def upsert(self, rows: list[DocumentRow], documents: list[Document]) -> list[int]:
        """Insert the rows, or update the rows of the same (doc_type, object_id), with
        the backend's own columns computed from `documents` (same order); returns the
        rows' ids in that order. One statement per batch where the database allows."""
        ...

    def insert_facets(self, rows: list[tuple[int, str, str]]) -> None:
        """Insert (document id, name, value) rows (the caller removed the old ones)."""
        ...

    def after_write(self, stored: list[StoredDocument]) -> None:
        """Bring side indexes in line with rows just inserted or updated."""
        ...

    def column_in(self, column: str, values: list[str]) -> Q:
        """`column IN values` for a column of low selectivity (a document type, a facet
        name), written so that the match, not that column's index, drives the plan."""
        ...

    def match(self, terms: QueryTerms) -> Q:
        """A condition on SearchDocument: the full-text match, answered by an index."""
        ...

    def fuzzy(self, terms: QueryTerms) -> Q | None:
        """A typo-tolerant condition (titles similar to the query), if supported."""
        ...

    def ranked(
        self,
        queryset: QuerySet[SearchDocument],
        terms: QueryTerms,
        *,
        fuzzy: bool,
        offset: int,
        limit: int,
    ) -> list[RankedId]:
        """One page of `queryset` (already filtered by the match) by descending rank."""
        ...

    def ranked_public(
        self, terms: QueryTerms, *, doc_types: list[str] | None, offset: int, limit: int
    ) -> list[RankedId]:
        """`ranked` over the public documents matching `terms` (of `doc_types`, when
        given) and nothing else (the search page's groups, no typo fallback): the
        same page, which a backend may find with a plainer statement."""
        ...

    def rank_expression(self, *, doc_type: str, terms: QueryTerms, outer_field: str) -> Expression:
        """For another model's queryset: the rank of the `doc_type` document whose
        object id is that model's `outer_field` (0 when it does not match)."""
        ...
