"""Production: PostgreSQL full text (tsvector + GIN) with a pg_trgm fallback for typos.

Texts are accent-folded and split into words in Python before PostgreSQL sees them,
exactly as the query is, so both sides agree on the words (unaccent() is not
IMMUTABLE, and PostgreSQL's parser would keep "www.example.com" as one token).
Each language is indexed with its own configuration (dutch, english, german, french)
plus `simple`, which keeps every word unstemmed: names, stop words and words of
other languages stay findable as typed. Titles weigh A, bodies B.

A query word matches if any configuration's reading of it is in the vector, since
the visitor's language is unknown; all words must match. The readings are asked of
PostgreSQL once per word (and cached) and deduplicated into one tsquery: the same
lexeme OR'ed five times would make the planner think a word matches nearly every
row and choose a sequential scan over the GIN index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.search import (
    SearchQueryField,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Lookup
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from psycopg.types.json import Jsonb

from reisgezel.search.backends.base import DocumentRow, RankedId, StoredDocument
from reisgezel.search.models import SearchDocument
from reisgezel.search.registry import Document
from reisgezel.search.terms import QueryTerms
from reisgezel.search.text import words

CONFIGS = {"nl": "dutch", "en": "english", "de": "german", "fr": "french"}
QUERY_CONFIGS = ("dutch", "english", "german", "french", "simple")
# ts_rank weights for D, C, B, A: a title word (A) counts 2.5 times a body word (B).
# ts_rank, not ts_rank_cd: cover density also rewards query words standing close
# together, but costs twice as much per ranked row (about 5 against 3 microseconds,
# measured on 13,000 matches at a million documents), and a relevance page ranks every
# match; titles still come first (docs/decisions/0002-search-backends.md).
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
_READINGS_CACHE_SIZE = 50_000
# word -> its tsquery alternatives in every configuration. Dictionaries do not change
# while the site runs; a new one (or new stop words) needs a restart and a reindex.
_readings: dict[str, frozenset[str]] = {}


def _plain(text: str) -> str:
    return " ".join(words(text))


# The parts of a document's vector, in the order they are concatenated: titles (A)
# before bodies (B), configurations in alphabetical order. `||` shifts the positions of
# its right operand past those of its left, so the order is part of the vector (and of
# phrase and proximity operators); an empty part adds nothing and shifts nothing.
VECTOR_PARTS = tuple(
    (config, weight) for weight in "AB" for config in sorted({*CONFIGS.values(), "simple"})
)


def vector_texts(document: Document) -> dict[tuple[str, str], str]:
    """(config, weight) -> the folded text indexed with that configuration and weight.

    Each language's texts go to its own configuration and to `simple`; several
    languages in one configuration are joined by newlines. The shared text goes to
    `simple` only, once."""
    parts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for language, (title, body) in document.texts.items():
        folded_title, folded_body = _plain(title), _plain(body)  # once, not per config
        for config in {CONFIGS.get(language, "simple"), "simple"}:
            parts[config, "A"].append(folded_title)
            parts[config, "B"].append(folded_body)
    if document.shared:
        parts["simple", "B"].append(_plain(document.shared))
    return {key: "\n".join(texts) for key, texts in parts.items()}


def _part_name(config: str, weight: str) -> str:
    return f"{config}_{weight.lower()}"


# A batch of documents is copied into a temporary table of this session (COPY: the
# fastest way in; the table is made once per connection and emptied after each batch),
# from which one INSERT .. ON CONFLICT upserts them all, PostgreSQL computing each row's
# vector from its part texts. Only constants (the configurations and weights of
# VECTOR_PARTS) are interpolated; values never are.
_STAGE = "search_document_load"
_STAGE_COLUMNS = (
    "doc_type",
    "object_id",
    "url",
    "public",
    "boost",
    "title",
    "summary",
    "title_folded",
    *(_part_name(config, weight) for config, weight in VECTOR_PARTS),
)
_CREATE_STAGE = f"""
    CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} (
        doc_type text, object_id bigint, url text, public boolean, boost float8,
        title jsonb, summary jsonb, title_folded text,
        {", ".join(f"{_part_name(config, weight)} text" for config, weight in VECTOR_PARTS)}
    )
"""
_COPY_STAGE = f"COPY {_STAGE} ({', '.join(_STAGE_COLUMNS)}) FROM STDIN"
_VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}'::regconfig, d.{_part_name(config, weight)}), '{weight}')"
    for config, weight in VECTOR_PARTS
)
_UPSERT = f"""
    INSERT INTO search_document
        (doc_type, object_id, url, public, boost, title, summary, title_folded,
         search_vector, indexed_at)
    SELECT d.doc_type, d.object_id, d.url, d.public, d.boost, d.title, d.summary,
           d.title_folded, {_VECTOR}, %s
    FROM {_STAGE} AS d
    ON CONFLICT (doc_type, object_id) DO UPDATE SET
        url = EXCLUDED.url, public = EXCLUDED.public, boost = EXCLUDED.boost,
        title = EXCLUDED.title, summary = EXCLUDED.summary,
        title_folded = EXCLUDED.title_folded, search_vector = EXCLUDED.search_vector,
        indexed_at = EXCLUDED.indexed_at
    RETURNING id, object_id
"""  # noqa: S608


def _copy(connection: BaseDatabaseWrapper, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    # Django's cursor does not wrap COPY: its errors are made Django's here.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _quote(lexeme: str) -> str:
    """A lexeme as a tsquery operand (quoted: it is data, never syntax)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _alternative(lexemes: Sequence[str]) -> str:
    # A word some parser splits into several lexemes needs all of them.
    quoted = [_quote(lexeme) for lexeme in sorted(lexemes)]
    return quoted[0] if len(quoted) == 1 else "(" + " & ".join(quoted) + ")"


def _load_readings(words_to_read: list[str], using: str) -> dict[str, frozenset[str]]:
    """Ask PostgreSQL how each configuration reads each word, in one query."""
    sql = (
        "SELECT w.word, c.config, tsvector_to_array(to_tsvector(c.config::regconfig, w.word)) "
        "FROM unnest(%s::text[]) AS w(word) CROSS JOIN unnest(%s::text[]) AS c(config)"
    )
    found: dict[str, set[str]] = {word: set() for word in words_to_read}
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [words_to_read, list(QUERY_CONFIGS)])
        for word, config, lexemes in cursor.fetchall():
            if lexemes:
                found[word].add(_alternative(lexemes))
                if config == "simple" and len(lexemes) == 1:
                    found[word].add(_quote(lexemes[0]) + ":*")  # marked as the prefix form
    loaded = {word: frozenset(alternatives) for word, alternatives in found.items()}
    if len(_readings) + len(loaded) > _READINGS_CACHE_SIZE:
        _readings.clear()
    _readings.update(loaded)
    return loaded


def word_readings(terms: QueryTerms, using: str) -> list[list[str]]:
    """Per word that has any, its readings as tsquery operands ("'bord'", "'bord':*" for
    an unfinished last word, "('a' & 'b')" where a parser splits the word): a document
    matches a word if it matches one of its readings, and the query if every word."""
    known = {word: _readings.get(word) for word in terms.words}
    missing = [word for word, readings in known.items() if readings is None]
    if missing:
        known.update(_load_readings(missing, using))
    chosen = []
    for word in terms.words:
        readings = known[word] or frozenset()
        alternatives = sorted(r for r in readings if word == terms.prefix or not r.endswith(":*"))
        if alternatives:
            chosen.append(alternatives)
    return chosen


def tsquery_text(terms: QueryTerms, using: str) -> str:
    """The query as tsquery text: AND over words, OR over each word's readings.

    '' when no word has any reading (PostgreSQL's parser drops them all): such words
    cannot be in any vector either, so nothing matches.
    """
    return " & ".join("(" + " | ".join(readings) + ")" for readings in word_readings(terms, using))


class TsMatch(Lookup[Any]):
    """`<vector> @@ <tsquery text>::tsquery`: the text is already normalised lexemes."""

    lookup_name = "ts_match"
    prepare_rhs = False

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} @@ %s::tsquery", (*lhs_params, self.rhs)


class PostgresBackend:
    def __init__(self, using: str) -> None:
        self.using = using

    def upsert(self, rows: list[DocumentRow], documents: list[Document]) -> list[int]:
        connection = connections[self.using]
        texts = [vector_texts(document) for document in documents]
        with connection.cursor() as cursor:
            cursor.execute(_CREATE_STAGE)
        _copy(
            connection,
            _COPY_STAGE,
            (
                (
                    row.doc_type,
                    row.object_id,
                    row.url,
                    row.public,
                    row.boost,
                    Jsonb(row.title),
                    Jsonb(row.summary),
                    row.title_folded,
                    *(parts.get(part, "") for part in VECTOR_PARTS),
                )
                for row, parts in zip(rows, texts, strict=True)
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [timezone.now()])
            ids = {object_id: pk for pk, object_id in cursor.fetchall()}
            # TRUNCATE, not DELETE: nothing vacuums a temporary table, and the dead rows
            # of DELETE would make every later batch scan all earlier ones.
            cursor.execute(f"TRUNCATE {_STAGE}")
        return [ids[row.object_id] for row in rows]

    def insert_facets(self, rows: list[tuple[int, str, str]]) -> None:
        # COPY: several times faster than an INSERT of arrays for the ~15 rows a document.
        _copy(
            connections[self.using],
            "COPY search_facet (document_id, name, value) FROM STDIN",
            rows,
        )

    def after_write(self, stored: list[StoredDocument]) -> None:
        return None  # The vector is a column of the row itself.

    def column_in(self, column: str, values: list[str]) -> Q:
        return Q(**{f"{column}__in": values})  # the planner has statistics to choose with

    def match(self, terms: QueryTerms) -> Q:
        query = tsquery_text(terms, self.using)
        if not query:
            return Q(pk__in=[])
        return Q(TsMatch(F("search_vector"), query))

    def fuzzy(self, terms: QueryTerms) -> Q | None:
        # word_similarity(query, title) >= pg_trgm.word_similarity_threshold (0.6),
        # answered by the trigram GIN index on title_folded.
        return Q(title_folded__trigram_word_similar=terms.text)

    def _rank(self, terms: QueryTerms) -> Any:
        query = Cast(Value(tsquery_text(terms, self.using)), output_field=SearchQueryField())
        rank = SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS)
        return rank * F("boost")

    def ranked(
        self,
        queryset: QuerySet[SearchDocument],
        terms: QueryTerms,
        *,
        fuzzy: bool,
        offset: int,
        limit: int,
    ) -> list[RankedId]:
        ranked = queryset.annotate(rank=self._rank(terms))
        if not fuzzy:
            rows = ranked.order_by("-rank", "pk").values_list("pk", "rank")
            return [RankedId(pk=pk, rank=rank) for pk, rank in rows[offset : offset + limit]]
        # Typo fallback: real matches first, then titles by similarity to the query.
        ranked = ranked.annotate(
            exact=Case(When(self.match(terms), then=Value(True)), default=Value(False)),
            similarity=TrigramWordSimilarity(terms.text, "title_folded"),
        ).order_by("-exact", "-rank", "-similarity", "pk")
        page = ranked.values_list("pk", "rank", "exact", "similarity")[offset : offset + limit]
        return [
            RankedId(pk=pk, rank=rank if exact else similarity, fuzzy=not exact)
            for pk, rank, exact, similarity in page
        ]

    def ranked_public(
        self, terms: QueryTerms, *, doc_types: list[str] | None, offset: int, limit: int
    ) -> list[RankedId]:
        documents = SearchDocument.objects.using(self.using).filter(self.match(terms), public=True)
        if doc_types is not None:
            documents = documents.filter(self.column_in("doc_type", doc_types))
        return self.ranked(documents, terms, fuzzy=False, offset=offset, limit=limit)

    def rank_expression(self, *, doc_type: str, terms: QueryTerms, outer_field: str) -> Expression:
        ranks = (
            SearchDocument.objects.filter(doc_type=doc_type, object_id=OuterRef(outer_field))
            .annotate(rank=self._rank(terms))
            .values("rank")[:1]
        )
        return Coalesce(Subquery(ranks, output_field=FloatField()), Value(0.0))
