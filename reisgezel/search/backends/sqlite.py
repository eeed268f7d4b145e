"""Embedded mode: SQLite FTS5 over words and Snowball stems computed in Python.

FTS5 has no Dutch stemmer (its porter tokenizer is English only), so we index, per
language, the folded words of a text followed by their Snowball stems, and the query
asks for each word OR any of its stems (see `QueryTerms.variants`). FTS5 stays the
index and does the ranking: bm25() with the title column weighted above the body.

The FTS5 table (rowid = search_document.id) is written here after the documents;
a trigger (migration 0002) deletes rows with their document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import batched
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Expression, F, FloatField, Func, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.lookups import In, Lookup
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from reisgezel.search.backends.base import DocumentRow, RankedId, StoredDocument
from reisgezel.search.models import SearchDocument
from reisgezel.search.registry import Document
from reisgezel.search.terms import QueryTerms
from reisgezel.search.text import stem_words, words

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
# Literal weights: bm25() reads them per row, and constants keep the SQL plain.
_BM25 = f"bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
_BATCH = 500
_UPSERT = """
    INSERT INTO search_document
        (doc_type, object_id, url, public, boost, title, summary, title_folded,
         search_vector, indexed_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, %s)
    ON CONFLICT (doc_type, object_id) DO UPDATE SET
        url = excluded.url, public = excluded.public, boost = excluded.boost,
        title = excluded.title, summary = excluded.summary,
        title_folded = excluded.title_folded, indexed_at = excluded.indexed_at
    RETURNING id
"""


def index_text(pieces: Iterable[tuple[str | None, str]]) -> str:
    """The FTS5 column text of (language, text) pieces: the words, then their stems
    (none for a piece of no language: a document's shared text)."""
    lines: list[str] = []
    for language, text in pieces:
        plain = words(text)
        if not plain:
            continue
        lines.append(" ".join(plain))
        if language is None:
            continue
        stems = [s for w, s in zip(plain, stem_words(plain, language), strict=True) if s and s != w]
        if stems:
            lines.append(" ".join(stems))
    return "\n".join(lines)


def match_expression(terms: QueryTerms) -> str:
    """An FTS5 MATCH expression: every word, as itself or one of its stems.

    Each alternative is a double-quoted string made of letters and digits only
    (`parse_query` guarantees it), so user input never reaches FTS5's syntax: NEAR,
    AND, `*` or a stray quote are just not there any more.
    """
    groups = []
    for word, alternatives in zip(terms.words, terms.variants, strict=True):
        parts = [f'"{alternative}"' for alternative in sorted(alternatives)]
        if word == terms.prefix:
            parts.append(f'"{word}" *')
        groups.append("(" + " OR ".join(parts) + ")")
    return " AND ".join(groups)


class Fts5Match(Lookup[Any]):
    """`<lhs> IN (SELECT rowid FROM search_fts WHERE search_fts MATCH <rhs>)`.

    An uncorrelated subquery: SQLite runs the full-text query once and probes its
    rowids through the primary key (a join could be planned with the FTS table inside
    the loop, re-running the match per row). A Lookup, not a boolean expression, so
    Django puts it in WHERE as it is rather than comparing it with true, which would
    hide the IN from SQLite's planner.
    """

    lookup_name = "fts5_match"
    prepare_rhs = False

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        # Only the column's compiled SQL is interpolated; the match is a parameter.
        sql = f"{lhs_sql} IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"  # noqa: S608
        return sql, (*lhs_params, self.rhs)


class Bm25ForObject(Expression):
    """The boosted bm25 rank of one object's document, for another model's rows.

    bm25() exists only in a query over the FTS table, and run per outer row it would
    recount the matching documents each time (minutes for thousands of rows). So the
    ranks of all matches are computed once into a MATERIALIZED CTE, which SQLite
    builds once per statement and probes per row through an automatic index.
    """

    output_field = FloatField()

    def __init__(self, match: str, doc_type: str, object_id: Any) -> None:
        super().__init__(output_field=FloatField())
        self.match = match
        self.doc_type = doc_type
        self.object_id: Any = object_id

    def get_source_expressions(self) -> list[Any]:
        return [self.object_id]

    def set_source_expressions(self, exprs: Sequence[Combinable | Expression]) -> None:
        (self.object_id,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        object_sql, params = compiler.compile(self.object_id)
        # Only constants and the column's compiled SQL are interpolated.
        sql = (
            "COALESCE((WITH ranks AS MATERIALIZED ("  # noqa: S608
            f"SELECT d.object_id AS object_id, -{_BM25} * d.boost AS rank "
            "FROM search_fts CROSS JOIN search_document AS d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND d.doc_type = %s) "
            f"SELECT rank FROM ranks WHERE object_id = {object_sql}), 0.0)"
        )
        return sql, (self.match, self.doc_type, *params)


class Fts5Backend:
    def __init__(self, using: str) -> None:
        self.using = using

    def upsert(self, rows: list[DocumentRow], documents: list[Document]) -> list[int]:
        # SQLite runs in-process: a statement per row costs microseconds, and each one
        # answers its id (executemany cannot return rows).
        now = SearchDocument._meta.get_field("indexed_at").get_db_prep_save(
            timezone.now(), connections[self.using]
        )
        with connections[self.using].cursor() as cursor:
            ids = []
            for row in rows:
                cursor.execute(
                    _UPSERT,
                    [
                        row.doc_type,
                        row.object_id,
                        row.url,
                        row.public,
                        row.boost,
                        json.dumps(row.title),
                        json.dumps(row.summary),
                        row.title_folded,
                        now,
                    ],
                )
                ids.append(cursor.fetchone()[0])
        return ids

    def insert_facets(self, rows: list[tuple[int, str, str]]) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_facet (document_id, name, value) VALUES (%s, %s, %s)", rows
            )

    def after_write(self, stored: list[StoredDocument]) -> None:
        rows = [
            (
                item.pk,
                index_text((lang, title) for lang, (title, _body) in item.document.texts.items()),
                index_text(
                    [
                        *((lang, body) for lang, (_title, body) in item.document.texts.items()),
                        (None, item.document.shared),
                    ]
                ),
            )
            for item in stored
        ]
        with connections[self.using].cursor() as cursor:
            for chunk in batched([row[0] for row in rows], _BATCH):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", list(chunk))  # noqa: S608
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", rows
            )

    def column_in(self, column: str, values: list[str]) -> Q:
        # `+column`: without statistics (nobody runs ANALYZE) SQLite guesses that an
        # equality on an indexed column selects ~10 rows, so it would walk e.g. the
        # (doc_type, object_id) index over every event and probe the match for each.
        # The unary plus makes the column unindexable: the match result drives the
        # query through the primary key (or search_facet's document index) instead.
        unindexed = Func(F(column), template="+%(expressions)s", output_field=CharField())
        return Q(In(unindexed, values))

    def match(self, terms: QueryTerms) -> Q:
        return Q(Fts5Match(F("pk"), match_expression(terms)))

    def fuzzy(self, terms: QueryTerms) -> Q | None:
        return None  # FTS5 has no fuzzy matching; the last word's prefix helps a little.

    def ranked(
        self,
        queryset: QuerySet[SearchDocument],
        terms: QueryTerms,
        *,
        fuzzy: bool,
        offset: int,
        limit: int,
    ) -> list[RankedId]:
        compiler: SQLCompiler = (
            queryset.order_by().values("pk").query.get_compiler(using=self.using)
        )
        try:
            candidates_sql, params = compiler.as_sql()
        except EmptyResultSet:
            return []
        # Restricted to the filtered candidates, which SQLite collects once.
        return self._ranked_page(terms, f"d.id IN ({candidates_sql})", params, offset, limit)

    def ranked_public(
        self, terms: QueryTerms, *, doc_types: list[str] | None, offset: int, limit: int
    ) -> list[RankedId]:
        # The conditions on the joined row itself: `ranked`'s set of candidates would
        # run the match a second time and collect every match's id (at a million
        # documents, "schotel" 371 -> 225 ms, "maastricht" 1.8 -> 1.3 s).
        condition, params = "d.public", list[str]()
        if doc_types is not None:
            condition += f" AND d.doc_type IN ({', '.join(['%s'] * len(doc_types))})"
            params.extend(doc_types)
        return self._ranked_page(terms, condition, params, offset, limit)

    def _ranked_page(
        self, terms: QueryTerms, condition: str, params: Sequence[Any], offset: int, limit: int
    ) -> list[RankedId]:
        """A page of the documents matching `terms` that meet `condition` (SQL on the
        document row `d`), by descending rank. bm25() only exists in a query over the
        FTS table itself, so the page is a join driven by the match (CROSS JOIN fixes
        that order)."""
        sql = (
            f"SELECT d.id, -{_BM25} * d.boost AS rank "  # noqa: S608
            "FROM search_fts CROSS JOIN search_document AS d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {condition} "
            "ORDER BY rank DESC, d.id LIMIT %s OFFSET %s"
        )
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [match_expression(terms), *params, limit, offset])
            return [RankedId(pk=pk, rank=rank) for pk, rank in cursor.fetchall()]

    def rank_expression(self, *, doc_type: str, terms: QueryTerms, outer_field: str) -> Expression:
        return Bm25ForObject(match_expression(terms), doc_type, F(outer_field))
