"""The query shapes of the collection search, on the search app's index tables.

Every object is one `search_document` row (full-text index) and, when it is public,
a set of `search_facet` rows (see heritage/search.py), indexed by the search app as
(document, name, value) and (name, value, document). This module only reads them.

- A filter is the posting list of its values: `document_id IN (SELECT document_id
  FROM search_facet WHERE name = ? AND value IN (...))`, one narrow index range that
  both databases build once per statement (SQLite: an ephemeral index; PostgreSQL: a
  hashed subplan) and probe in memory. A period is a range on the same index.
- The text match is the full-text index's own set of ids (FTS5 rowids; the GIN index
  on PostgreSQL).
- Counts are ONE statement: the candidates (text matches, or every public object) are
  materialised once with a flag per active filter; the total, the counts of every
  facet without a filter, and the disjunctive count of each facet with a filter (all
  flags but its own) are GROUP BYs over that one set joined to its facet rows.
- The counts also return the result itself (MatchSet, cached with them): up to
  MATCH_IDS the document ids, beyond that a bitmap. A page then never re-runs the
  filters, whose posting lists hold hundreds of thousands of rows at a million
  objects: it reads the known set (SQLite: one JSON parameter through json_each;
  PostgreSQL: one array through = ANY).
- A page is a keyset page (no OFFSET anywhere): for an index order, a walk of the
  (name, value, document) index from the cursor, keeping the rows that match (many
  matches; with a bitmap the walk reads growing chunks and keeps the members), or the
  matches' own sort rows, sorted (few matches); for relevance, the rank with a
  row-value cursor (with a bitmap: the best text matches, filtered by membership).
  Without a MatchSet (a caller that did not count first), the filters run as before.

See docs/heritage.md for the reasoning and the measurements.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.db.models.lookups import Lookup
from django.db.models.sql.compiler import SQLCompiler

from reisgezel.heritage import collection_memory
from reisgezel.heritage import period_histogram as periods
from reisgezel.heritage import search as keys
from reisgezel.heritage.collection_cache import cached
from reisgezel.heritage.filters import CollectionFilters, Cursor, Sort
from reisgezel.heritage.services import OBJECT_BOOST, OBJECT_DOC_TYPE
from reisgezel.search.backends import SearchBackend, get_backend
from reisgezel.search.models import SearchDocument, SearchFacet
from reisgezel.search.postings import match_mask as postings_match
from reisgezel.search.query import FUZZY_BELOW
from reisgezel.search.terms import QueryTerms, parse_query

SMALL_RESULT = 5_000
"""Up to this many matches a page sorts the matches' own sort rows; above it, it walks
the sort index (about per_page x public objects / matches rows per page)."""
MATCH_IDS = 50_000
"""Up to this many matches, the counts keep their ids; beyond, a bitmap (MatchSet)."""
TEXT_MATCH_CACHED_BYTES = 2_000_000
"""Text matches up to this size (collection_memory.TextMatch: 500,000 ids, or a bitmap
of 16 million documents) are cached with the counts; larger ones are not, as a shared
cache's entries should stay small."""
_TEXT_MATCHES = "#text"
_PERIOD_TALLIES = (
    (periods.STARTS, keys.PERIOD_START, keys.UNDATED_START),
    (periods.ENDS, keys.PERIOD_END, keys.UNDATED_END),
)
"""Per-century tallies of the period histogram: (name in the counts, facet row, the
undated objects' value, left out)."""
_IS_TALLY = f"name IN ('{periods.STARTS}', '{periods.ENDS}')"
"""Tallies are never cut to FACET_VALUES: the histogram needs every century."""


def _period_tallies(source: str, condition: str) -> tuple[list[str], list[Any]]:
    """The arms (name, century, n, sel) that tally the facet rows `f` of `source`
    meeting `condition` by the century their period starts and ends in."""
    century = f"substr(f.value, 1, {periods.CENTURY_PREFIX})"
    arm = (
        f"SELECT %s, {century}, COUNT(*), 1 {source} "
        f"WHERE f.name = %s AND f.value <> %s AND {condition} GROUP BY {century}"
    )
    params: list[Any] = []
    for marker, name, undated in _PERIOD_TALLIES:
        params.extend([marker, name, undated])
    return [arm] * len(_PERIOD_TALLIES), params


FACET_VALUES = 60
"""Values counted per facet (chosen values first, then the most frequent)."""
COUNTED_FACETS = (*keys.TERM_FACETS, *keys.FLAG_FACETS)
PERIOD = "period"
_SELECTIVITY = (
    keys.MAKER,
    keys.OBJECT_TYPE,
    keys.PLACE,
    keys.TECHNIQUE,
    keys.MATERIAL,
    PERIOD,
    keys.COLLECTION,
    keys.HAS_IMAGE,
    keys.REUSABLE,
)
"""Filters by how few objects a value typically has (for driving a small page)."""

# sort -> (facet row walked, descending)
INDEX_ORDERS: dict[str, tuple[str, bool]] = {
    Sort.DATE: (keys.PERIOD_START, False),
    Sort.DATE_DESC: (keys.PERIOD_END, True),
    Sort.INVENTORY: (keys.SORT_INVENTORY, False),
    Sort.RECENT: (keys.SORT_ADDED, True),
}

SQL = tuple[str, list[Any]]


@dataclass(frozen=True)
class Posting:
    """The documents with a facet row `name` whose value is in `values` (lookup "in")
    or at most / at least `values[0]` ("lte" / "gte")."""

    name: str
    lookup: str
    values: tuple[str, ...]

    def queryset(self) -> QuerySet[SearchFacet, Any]:
        value = self.values if self.lookup == "in" else self.values[0]
        rows = SearchFacet.objects.filter(name=self.name, **{f"value__{self.lookup}": value})
        return rows.values("document_id")


class Row(Func):
    """A row value `(a, b)`, for keyset comparisons."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = TextField()


class RowCompare(Lookup[Any]):
    """`(a, b) > (x, y)` (or `<`): one seek in an index on (a, b), where an OR of
    comparisons could not be answered from the index in order."""

    lookup_name = "row_compare"
    prepare_rhs = False

    def __init__(self, lhs: Row, rhs: tuple[Any, Any], *, greater: bool) -> None:
        super().__init__(lhs, rhs)
        self.greater = greater

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        operator = ">" if self.greater else "<"
        return f"{lhs_sql} {operator} (%s, %s)", (*lhs_params, *self.rhs)


_ID_ARRAY = "string_to_array(%s, ',')::bigint[]"


class AnyOf(Lookup[Any]):
    """`column = ANY(...)` of comma-separated ids as one parameter (PostgreSQL): a long
    id list as one value, which the planner hashes, instead of thousands of `%s`."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} = ANY({_ID_ARRAY})", (*lhs_params, self.rhs)


# PostgreSQL answers `id IN (posting list)` with a hashed subplan only when the list
# fits in work_mem; a facet value of 400,000 objects does not fit the default 4 MB, and
# the fallback compares every candidate with every listed id (minutes at a million
# objects). The collection search's statements get this much, for their transaction only.
SEARCH_WORK_MEM = "64MB"


@contextmanager
def search_memory(using: str | None = None) -> Iterator[None]:
    """Run the collection search's statements with SEARCH_WORK_MEM (PostgreSQL)."""
    alias = using or get_backend().using
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('work_mem')")
            previous = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('work_mem', %s, true)", [SEARCH_WORK_MEM])
        yield
        # Inside an outer transaction (a test, an atomic request) the local setting would
        # outlive this block: put the previous value back. (On an error the savepoint's
        # rollback undoes the setting anyway.)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])


@dataclass(frozen=True)
class MatchSet:
    """The documents of a result as the counts found them, cached with the counts, so
    that a page needs neither the text match nor the filters again (at a million
    objects their posting lists hold hundreds of thousands of rows each): up to
    MATCH_IDS their ids (a page reads that set), beyond it a bitmap (a page walks an
    index in its order and keeps the members)."""

    ids: str | None = None
    """Comma-separated, as the database aggregated them (never parsed on a page)."""
    bitmap: bytes | None = None
    """zlib-compressed; bit i (byte i // 8, bit i % 8) is set when document i matches."""
    text_matches: int = 0
    """Documents matching the words alone (0 without words)."""
    boost: float | None = None
    """SQLite, words and ids: the boost all matches share, if they share one."""

    @classmethod
    def of(cls, id_list: str | None, text_matches: int = 0) -> MatchSet:
        """From the comma-separated ids the counts statement aggregates."""
        if not id_list or id_list.count(",") < MATCH_IDS:
            return cls(ids=id_list or "", text_matches=text_matches)
        ids = collection_memory.parse_ids(id_list)
        members = np.zeros(int(ids.max()) + 1, dtype=np.bool_)
        members[ids] = True
        return cls.of_members(members, text_matches)

    @classmethod
    def of_members(cls, members: collection_memory.Mask, text_matches: int = 0) -> MatchSet:
        """From a mask over document ids (bit i set: document i matches)."""
        ids = np.flatnonzero(members)
        if len(ids) <= MATCH_IDS:
            return cls(ids=",".join(map(str, ids.tolist())), text_matches=text_matches)
        bitmap = np.packbits(members, bitorder="little").tobytes()
        return cls(bitmap=zlib.compress(bitmap, 1), text_matches=text_matches)

    def member(self) -> Callable[[int], bool]:
        """A membership test of the bitmap."""
        bits = zlib.decompress(self.bitmap or b"")
        size = len(bits)
        return lambda pk: (pk >> 3) < size and bool(bits[pk >> 3] >> (pk & 7) & 1)


@dataclass(frozen=True)
class Counts:
    total: int
    facets: dict[str, list[tuple[str, int]]]
    fuzzy: bool = False
    matches: MatchSet | None = None
    """The matching documents (see MatchSet); None when every public object matches."""
    periods: tuple[tuple[int, int], ...] = ()
    """(century, matches made at some time in it), over every filter but the period's
    own (period_histogram)."""


@dataclass(frozen=True)
class PageRows:
    object_ids: list[int]
    next_cursor: Cursor | None
    previous_cursor: Cursor | None


def _marks(values: list[Any] | tuple[Any, ...]) -> str:
    return ", ".join(["%s"] * len(values))


class CollectionQuery:
    """The collection search for one set of filters."""

    def __init__(self, filters: CollectionFilters, *, language: str, fuzzy: bool = False) -> None:
        self.filters = filters
        self.language = language
        self.backend: SearchBackend = get_backend()
        self.connection = connections[self.backend.using]
        self.sqlite = self.connection.vendor == "sqlite"
        self.terms: QueryTerms | None = parse_query(filters.text) if filters.text else None
        self.fuzzy = fuzzy
        self.facet_table = self.connection.ops.quote_name(SearchFacet._meta.db_table)
        self.flags = self._flags()

    # --- the parts ----------------------------------------------------------------------

    @property
    def matches_nothing(self) -> bool:
        """Search words without a searchable word in them ("!!!") match nothing."""
        return bool(self.filters.text) and self.terms is None

    def _match_q(self) -> Q:
        assert self.terms is not None
        condition = self.backend.match(self.terms)
        typo = self.backend.fuzzy(self.terms) if self.fuzzy else None
        return condition | typo if typo is not None else condition

    def needs_typo_fallback(self) -> bool:
        """PostgreSQL: too few full-text matches for the words, so titles similar to them
        count as matches too (as in the site-wide search)."""
        if self.terms is None or self.backend.fuzzy(self.terms) is None:
            return False
        found = SearchDocument.objects.filter(
            self._match_q(), doc_type=OBJECT_DOC_TYPE, public=True
        ).values_list("pk", flat=True)[:FUZZY_BELOW]
        return len(found) < FUZZY_BELOW

    def _match_sql(self) -> SQL:
        """Ids of the documents that match the text (any type, any visibility: public
        objects are the ones with facet rows, which every other part requires)."""
        if self.sqlite:
            from reisgezel.search.backends.sqlite import match_expression

            assert self.terms is not None
            # The FTS5 table's own rowids: no document row is read.
            return "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s", [
                match_expression(self.terms)
            ]
        sql, params = (
            SearchDocument.objects.filter(self._match_q()).values("id").query.sql_with_params()
        )
        return sql, list(params)

    def _flags(self) -> dict[str, list[Posting]]:
        """Per active filter, the posting lists a matching document must be in."""
        flags: dict[str, list[Posting]] = {}
        for name, values in self.filters.selected().items():
            if values:
                flags[name] = [Posting(name, "in", tuple(values))]
        first, last = self.filters.year_from, self.filters.year_to
        period = []
        if last is not None:
            period.append(Posting(keys.PERIOD_START, "lte", (keys.year_key(last),)))
        if first is not None:
            period.append(Posting(keys.PERIOD_END, "gte", (keys.year_key(first),)))
        if period:
            flags[PERIOD] = period
        return flags

    def _posting_sql(self, posting: Posting) -> SQL:
        if posting.lookup == "in":
            condition = f"value IN ({_marks(posting.values)})"
        else:
            condition = "value <= %s" if posting.lookup == "lte" else "value >= %s"
        table = self.facet_table
        sql = f"SELECT document_id AS id FROM {table} WHERE name = %s AND {condition}"  # noqa: S608
        return sql, [posting.name, *posting.values]

    def _flag_condition(self, column: str, name: str) -> SQL:
        # SQLite: `+column` so that an id list never becomes an index constraint; on the
        # FTS5 table it would re-run the MATCH once per listed id.
        column = f"+{column}" if self.sqlite else column
        parts, params = [], []
        for posting in self.flags[name]:
            sql, sql_params = self._posting_sql(posting)
            parts.append(f"{column} IN ({sql})")
            params.extend(sql_params)
        return " AND ".join(parts), params

    def _all_flags(self, column: str) -> SQL:
        parts, params = [], []
        for name in self.flags:
            sql, sql_params = self._flag_condition(column, name)
            parts.append(sql)
            params.extend(sql_params)
        return " AND ".join(parts) or "1 = 1", params

    def _candidates(self) -> SQL:
        """Document ids: the text matches, or (no text) every public object."""
        if self.terms is not None:
            return self._match_sql()
        sql = f"SELECT document_id AS id FROM {self.facet_table} WHERE name = %s"  # noqa: S608
        return sql, [keys.PUBLIC]

    # --- counts -------------------------------------------------------------------------

    def counts(self) -> Counts:
        """Total and facet counts: from the facet rows in memory when the collection is
        large (collection_memory), else in one statement (see the module docstring)."""
        if self.matches_nothing:
            return Counts(total=0, facets={}, fuzzy=self.fuzzy)
        in_memory = collection_memory.snapshot(self.backend.using)
        if in_memory is not None:
            return self._counts_in_memory(in_memory)
        if self.terms is None and not self.flags:
            return self._counts_of_everything()
        quote = self.connection.ops.quote_name
        aliases = {name: quote(f"f{i}") for i, name in enumerate(self.flags)}
        base_sql, params = self._candidates()
        columns, select = ["id"], ["c.id"]
        flag_params: list[Any] = []
        for name, alias in aliases.items():
            sql, sql_params = self._flag_condition("c.id", name)
            columns.append(alias)
            select.append(f"({sql})")
            flag_params.extend(sql_params)
        params = [*flag_params, *params]

        def flags_but(skip: str = "") -> str:
            parts = [f"cand.{alias}" for name, alias in aliases.items() if name != skip]
            return " AND ".join(parts) or "1 = 1"

        join = "CROSS JOIN" if self.sqlite else "JOIN"  # SQLite: keep the candidates outer
        joined = f"FROM cand {join} {self.facet_table} AS f ON f.document_id = cand.id"
        # The total, and the matches' ids as one text (see MatchSet).
        id_list = "group_concat(cand.id)" if self.sqlite else "string_agg(cand.id::text, ',')"
        count_all = f"SELECT '' AS name, {id_list} AS value, COUNT(*) AS n, 0 AS sel"
        if self.flags:  # a document with a facet row is a public object
            arms = [f"{count_all} FROM cand WHERE {flags_but()}"]
        else:  # text matches of any kind: count the public objects among them
            arms = [f"{count_all} {joined} WHERE f.name = %s"]
            params.append(keys.PUBLIC)
        if self.terms is not None:  # how many documents the words alone match
            arms.append("SELECT %s, '', COUNT(*), 0 FROM cand")
            params.append(_TEXT_MATCHES)
        unfiltered = [name for name in COUNTED_FACETS if name not in self.flags]
        if unfiltered:
            arms.append(
                f"SELECT f.name, f.value, COUNT(*), 0 {joined} "
                f"WHERE f.name IN ({_marks(unfiltered)}) AND {flags_but()} GROUP BY f.name, f.value"
            )
            params.extend(unfiltered)
        selected = self.filters.selected()
        for name in (name for name in self.flags if name in COUNTED_FACETS):
            chosen = list(selected[name])
            arms.append(
                f"SELECT f.name, f.value, COUNT(*), CASE WHEN f.value IN ({_marks(chosen)}) "
                f"THEN 1 ELSE 0 END {joined} WHERE f.name = %s AND {flags_but(skip=name)} "
                "GROUP BY f.name, f.value"
            )
            params.extend([*chosen, name])
        tally_arms, tally_params = _period_tallies(joined, flags_but(skip=PERIOD))
        arms.extend(tally_arms)
        params.extend(tally_params)
        sql = (
            f"WITH cand({', '.join(columns)}) AS MATERIALIZED "  # noqa: S608 (names, marks)
            f"(SELECT {', '.join(select)} FROM ({base_sql}) AS c) "
            "SELECT name, value, n FROM (SELECT name, value, n, ROW_NUMBER() OVER "
            "(PARTITION BY name ORDER BY sel DESC, n DESC, value) AS r FROM ("
            + " UNION ALL ".join(arms)
            + f") AS counted) AS ranked WHERE r <= %s OR {_IS_TALLY}"
        )
        total, id_list, text_matches = 0, "", 0
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in COUNTED_FACETS}
        tallies: dict[str, dict[str, int]] = {periods.STARTS: {}, periods.ENDS: {}}
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, FACET_VALUES])
            for name, value, n in cursor.fetchall():
                if name == "":
                    total, id_list = int(n), value
                elif name == _TEXT_MATCHES:
                    text_matches = int(n)
                elif name in tallies:
                    tallies[name][value] = int(n)
                else:
                    facets[name].append((value, int(n)))
        matches = self._with_shared_boost(MatchSet.of(id_list, text_matches))
        return Counts(
            total=total,
            facets=facets,
            fuzzy=self.fuzzy,
            matches=matches,
            periods=periods.overlapping(tallies[periods.STARTS], tallies[periods.ENDS]),
        )

    def _with_shared_boost(self, matches: MatchSet) -> MatchSet:
        if self.sqlite and self.terms is not None and matches.ids:
            # All object documents share one boost (OBJECT_BOOST; a test holds them to
            # it): the ranking of known matches needs no document row.
            return replace(matches, boost=OBJECT_BOOST)
        return matches

    def _text_match(self) -> collection_memory.TextMatch:
        """Ids of the documents the words match (any type), aggregated by the database,
        and cached like the counts: a visitor refining a search by its facets changes
        the filters, not the words, and at a million objects the match of a common word
        is most of a first search's time (reading ~100,000 rows of the index table)."""
        match_sql, params = self._match_sql()
        aggregate = "group_concat(id)" if self.sqlite else "string_agg(id::text, ',')"

        def fetch() -> collection_memory.TextMatch:
            if not self.fuzzy and self.terms is not None:
                # A frequent word from its posting list, not from every matching row.
                found = postings_match(self.terms, using=self.backend.using)
                if found is not None:
                    return collection_memory.TextMatch.of_mask(found)
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT {aggregate} FROM ({match_sql}) AS m", params)  # noqa: S608
                ids = collection_memory.parse_ids(cursor.fetchone()[0])
            return collection_memory.TextMatch.of(ids)

        return cached(
            {"sql": match_sql, "params": params},
            "text-ids",
            fetch,
            keep=lambda match: match.nbytes <= TEXT_MATCH_CACHED_BYTES,
        )

    def _counts_in_memory(self, snapshot: collection_memory.Snapshot) -> Counts:
        """The same counts as the statement of counts(), from a snapshot of the facet
        rows: the candidates and every filter are masks over document ids."""
        public = snapshot.public()
        if self.terms is None and not self.flags:
            everything = {
                name: collection_memory.top_values(
                    snapshot.columns[name], snapshot.columns[name].counts(None), (), FACET_VALUES
                )
                for name in COUNTED_FACETS
            }
            return Counts(
                total=snapshot.public_objects,
                facets=everything,
                periods=_periods_in_memory(snapshot, None),
            )
        text_matches = 0
        candidates = public
        if self.terms is not None:
            text_match = self._text_match()
            text_matches = text_match.count
            candidates = public & text_match.mask(snapshot.size)
        flags: dict[str, collection_memory.Mask] = {}
        for name, postings in self.flags.items():
            flag = candidates
            for posting in postings:
                flag = flag & snapshot.posting(posting.name, posting.lookup, posting.values)
            flags[name] = flag

        def flags_but(skip: str = "") -> collection_memory.Mask:
            mask = candidates
            for name, flag in flags.items():
                if name != skip:
                    mask = mask & flag
            return mask

        matching = flags_but()
        members = collection_memory.Members(matching)  # counted by every unfiltered facet
        selected = self.filters.selected()
        facets: dict[str, list[tuple[str, int]]] = {}
        for name in COUNTED_FACETS:
            column = snapshot.columns[name]
            if name in flags:
                counted = column.counts(flags_but(skip=name))
                facets[name] = collection_memory.top_values(
                    column, counted, selected[name], FACET_VALUES
                )
            else:
                counted = column.counts(members)
                facets[name] = collection_memory.top_values(column, counted, (), FACET_VALUES)
        matches = self._with_shared_boost(MatchSet.of_members(matching, text_matches))
        total = int(np.count_nonzero(matching))
        return Counts(
            total=total,
            facets=facets,
            fuzzy=self.fuzzy,
            matches=matches,
            periods=_periods_in_memory(snapshot, flags_but(skip=PERIOD)),
        )

    def _counts_of_everything(self) -> Counts:
        """No text, no filter: every facet row is a public object's, so the counts are
        one ordered walk of the (name, value) index, without a join."""
        table = self.facet_table
        tally_arms, tally_params = _period_tallies(f"FROM {table} AS f", "1 = 1")
        sql = (
            "SELECT name, value, n FROM (SELECT name, value, n, ROW_NUMBER() OVER "  # noqa: S608
            "(PARTITION BY name ORDER BY n DESC, value) AS r FROM (SELECT name, value, "
            f"COUNT(*) AS n, 0 FROM {table} WHERE name IN ({_marks(COUNTED_FACETS)}, %s) "
            f"GROUP BY name, value UNION ALL {' UNION ALL '.join(tally_arms)}) AS counted) "
            f"AS ranked WHERE r <= %s OR {_IS_TALLY}"
        )
        params = [*COUNTED_FACETS, keys.PUBLIC, *tally_params]
        total = 0
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in COUNTED_FACETS}
        tallies: dict[str, dict[str, int]] = {periods.STARTS: {}, periods.ENDS: {}}
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, FACET_VALUES])
            for name, value, n in cursor.fetchall():
                if name == keys.PUBLIC:
                    total = int(n)
                elif name in tallies:
                    tallies[name][value] = int(n)
                else:
                    facets[name].append((value, int(n)))
        return Counts(
            total=total,
            facets=facets,
            periods=periods.overlapping(tallies[periods.STARTS], tallies[periods.ENDS]),
        )

    # --- a page -------------------------------------------------------------------------

    def page(self, *, total: int, matches: MatchSet | None = None) -> PageRows:
        """One page of object ids in the chosen order, from the filters' cursor.

        `matches` (Counts.matches) are the result as counted, if known: the page then
        reads that set rather than the text match and the filters' posting lists."""
        if total == 0 or self.matches_nothing:
            return PageRows([], None, None)
        ids = matches.ids if matches is not None else None
        if self.filters.sort == Sort.RELEVANCE and self.terms is not None:
            if matches is not None and matches.bitmap is not None:
                rows = self._ranked_members(matches, total)
            elif self.sqlite:
                boost = matches.boost if matches is not None else None
                rows = self._ranked_rows_sqlite(ids, boost=boost)
            else:
                rows = self._ranked_rows(ids)
        elif matches is not None and matches.bitmap is not None and total > SMALL_RESULT:
            rows = self._walked_members(matches)
        else:
            rows = self._index_rows(total, ids)
        return self._paged(rows)

    def _in_ids(self, column: str, ids: str) -> SQL:
        """`column` is one of `ids` (MatchSet.ids): one parameter, a JSON array whose
        json_each SQLite collects once into an index, or an array on PostgreSQL."""
        if self.sqlite:
            # `+`: the list must never drive the plan (see _flag_condition).
            sql = f"+{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 (a column)
            return sql, [f"[{ids}]"]
        return f"{column} = ANY({_ID_ARRAY})", [ids]

    def _cursor(self) -> tuple[Cursor | None, bool]:
        backwards = self.filters.before is not None
        return (self.filters.before if backwards else self.filters.after), backwards

    def _sort_index(self) -> tuple[str, bool]:
        """The facet row walked for the sort order, and whether the walk goes down."""
        sort = self.filters.sort
        if sort == Sort.TITLE:
            name, descending = keys.sort_title_name(self.language), False
        else:
            name, descending = INDEX_ORDERS.get(sort, INDEX_ORDERS[Sort.RECENT])
        return name, descending != (self.filters.before is not None)

    def _walked_members(self, matches: MatchSet) -> list[tuple[int, Any]]:
        """Many matches, known as a bitmap: walk the sort index from the cursor in
        growing chunks and keep the members (about per_page x public objects / matches
        rows are read; no filter or text match runs at all)."""
        name, down = self._sort_index()
        member = matches.member()
        cursor, _backwards = self._cursor()
        start = (cursor.key, cursor.doc) if cursor is not None else None
        direction, comparison = ("DESC", "<") if down else ("ASC", ">")
        wanted, chunk, rows = self.filters.per_page + 1, 4 * (self.filters.per_page + 1), []
        with self.connection.cursor() as db:
            while True:
                seek = f" AND (f.value, f.document_id) {comparison} (%s, %s)" if start else ""
                db.execute(
                    f"SELECT f.document_id, f.value FROM {self.facet_table} AS f "  # noqa: S608
                    f"WHERE f.name = %s{seek} "
                    f"ORDER BY f.value {direction}, f.document_id {direction} LIMIT %s",
                    [name, *(start or ()), chunk],
                )
                found = db.fetchall()
                rows += [(int(doc), value) for doc, value in found if member(int(doc))]
                if len(rows) >= wanted or len(found) < chunk:
                    return rows[:wanted]
                start, chunk = (found[-1][1], found[-1][0]), min(chunk * 4, 20_000)

    def _index_rows(self, total: int, ids: str | None) -> list[tuple[int, Any]]:
        name, down = self._sort_index()
        cursor, _backwards = self._cursor()
        direction = "DESC" if down else "ASC"
        seek, seek_params = "", []
        if cursor is not None:
            seek = f" AND (f.value, f.document_id) {'<' if down else '>'} (%s, %s)"
            seek_params = [cursor.key, cursor.doc]
        order = f"ORDER BY f.value {direction}, f.document_id {direction} LIMIT %s"
        if total <= SMALL_RESULT:
            sql, params = self._few_rows(name, seek, order, ids)
        else:
            sql, params = self._walked_rows(name, seek, order, ids)
        with self.connection.cursor() as db:
            db.execute(sql, [*params[0], *seek_params, *params[1], self.filters.per_page + 1])
            return [(int(doc), value) for doc, value in db.fetchall()]

    def _few_rows(
        self, name: str, seek: str, order: str, ids: str | None
    ) -> tuple[str, tuple[list[Any], list[Any]]]:
        """Few matches: each match's own sort row through the (document, name) index."""
        if ids is not None and self.terms is None:
            base_sql = (
                "SELECT value AS id FROM json_each(%s)"
                if self.sqlite
                else f"SELECT unnest({_ID_ARRAY}) AS id"
            )
            base_params = [f"[{ids}]" if self.sqlite else ids]
        elif self.terms is not None or not self.flags:
            base_sql, base_params = self._candidates()
        else:
            # No text: the posting list of one filter bounds the work (the most
            # selective kinds first: a maker has fewer objects than a collection).
            first = min(
                self.flags, key=lambda n: _SELECTIVITY.index(n) if n in _SELECTIVITY else 99
            )
            base_sql, base_params = self._posting_sql(self.flags[first][0])
        # Filters on the matches themselves: SQLite checks them before it seeks a sort row.
        if ids is None:
            flags, flag_params = self._all_flags("c.id")
        elif self.terms is None:
            flags, flag_params = "1 = 1", []
        else:  # the text match drives (one pass over its rowids); the ids are the filters
            flags, flag_params = self._in_ids("c.id", ids)
        join = "CROSS JOIN" if self.sqlite else "JOIN"  # SQLite: drive from the matches
        sql = (
            f"SELECT f.document_id, f.value FROM ({base_sql}) AS c {join} "  # noqa: S608
            f"{self.facet_table} AS f ON f.document_id = c.id AND f.name = %s "
            f"WHERE {flags}{seek} {order}"
        )
        return sql, ([*base_params, name, *flag_params], [])

    def _walked_rows(
        self, name: str, seek: str, order: str, ids: str | None
    ) -> tuple[str, tuple[list[Any], list[Any]]]:
        """Many matches: walk the sort index from the cursor, keep the rows that match.
        Only public objects have sort rows, so without text or filters every row does."""
        if ids is not None:  # the matches are known: keep the rows in that set
            condition, id_params = self._in_ids("f.document_id", ids)
            sql = (
                f"SELECT f.document_id, f.value FROM {self.facet_table} AS f "  # noqa: S608
                f"WHERE f.name = %s{seek} AND {condition} {order}"
            )
            return sql, ([name], id_params)
        # `+`: SQLite must walk the sort index, not drive the query from an id list.
        column = "+f.document_id" if self.sqlite else "f.document_id"
        conditions, params = [], []
        if self.terms is not None:
            match_sql, match_params = self._match_sql()
            conditions.append(f"{column} IN ({match_sql})")
            params.extend(match_params)
        flags, flag_params = self._all_flags("f.document_id")
        conditions.append(flags)
        params.extend(flag_params)
        sql = (
            f"SELECT f.document_id, f.value FROM {self.facet_table} AS f "  # noqa: S608
            f"WHERE f.name = %s{seek} AND {' AND '.join(conditions)} {order}"
        )
        return sql, ([name], params)

    def _ranked_members(self, matches: MatchSet, total: int) -> list[tuple[int, Any]]:
        """Relevance, many matches known as a bitmap: the best-ranked text matches,
        filtered by membership (enough of them for a page: the share of members among
        the text matches is known from the counts)."""
        member = matches.member()
        wanted = self.filters.per_page + 1
        spread = -(-max(matches.text_matches, total) // total)  # text matches per member
        limit = wanted * (2 * spread + 1)
        while True:
            if self.sqlite:
                found = self._ranked_rows_sqlite(None, limit=limit, filtered=False)
            else:
                found = self._ranked_rows(None, limit=limit, filtered=False)
            rows = [row for row in found if member(row[0])]
            if len(rows) >= wanted or len(found) < limit:
                return rows[:wanted]
            limit *= 4

    def _ranked_rows_sqlite(
        self,
        ids: str | None,
        *,
        limit: int = 0,
        filtered: bool = True,
        boost: float | None = None,
    ) -> list[tuple[int, Any]]:
        from reisgezel.search.backends.sqlite import BODY_WEIGHT, TITLE_WEIGHT, match_expression

        assert self.terms is not None
        cursor, backwards = self._cursor()
        bm25 = f"-bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        params: list[Any]
        if ids is not None and boost is not None:
            # Known public objects sharing one boost: no document row is read (that
            # join cost more than the ranking), the same scores.
            doc, score = "search_fts.rowid", f"{bm25} * {float(boost)!r}"
            source, checks, params = "search_fts", "", []
        else:
            doc, score = "d.id", f"{bm25} * d.boost"
            source = "search_fts CROSS JOIN search_document AS d ON d.id = search_fts.rowid"
            checks, params = " AND d.public AND d.doc_type = %s", [OBJECT_DOC_TYPE]
        # Known matches: only they are ranked (bm25 is computed for the rows kept).
        if ids is not None:
            flags, flag_params = self._in_ids("search_fts.rowid", ids)
        elif filtered:
            flags, flag_params = self._all_flags("search_fts.rowid")
        else:
            flags, flag_params = "1 = 1", []
        params.extend(flag_params)
        seek = ""
        if cursor is not None:
            # Best first, ties by id: (score, -id) descends; backwards it ascends.
            seek = f" AND ({score}, -{doc}) {'>' if backwards else '<'} (%s, %s)"
            params.extend([float(cursor.key), -cursor.doc])
        order = f"score ASC, {doc} DESC" if backwards else f"score DESC, {doc} ASC"
        sql = (
            f"SELECT {doc} AS id, {score} AS score FROM {source} "  # noqa: S608
            f"WHERE search_fts MATCH %s{checks} AND {flags}{seek} ORDER BY {order} LIMIT %s"
        )
        limit = limit or self.filters.per_page + 1
        params = [match_expression(self.terms), *params, limit]
        if source == "search_fts":
            # The page's few rows are still public objects (their documents are read).
            sql = (
                f"SELECT d.id, r.score FROM ({sql}) AS r CROSS JOIN search_document AS d "  # noqa: S608
                "ON d.id = r.id WHERE d.public AND d.doc_type = %s "
                f"ORDER BY {order.replace(doc, 'd.id')}"
            )
            params.append(OBJECT_DOC_TYPE)
        with self.connection.cursor() as db:
            db.execute(sql, params)
            return [(int(pk), float(rank)) for pk, rank in db.fetchall()]

    def _rank(self) -> Expression:
        from django.contrib.postgres.search import SearchQueryField, SearchRank

        from reisgezel.search.backends.postgres import RANK_WEIGHTS, tsquery_text

        assert self.terms is not None
        query = Cast(
            Value(tsquery_text(self.terms, self.backend.using)), output_field=SearchQueryField()
        )
        rank = SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS)
        return Cast(rank * F("boost"), output_field=FloatField())

    def _ranked_rows(
        self, ids: str | None, *, limit: int = 0, filtered: bool = True
    ) -> list[tuple[int, Any]]:
        cursor, backwards = self._cursor()
        ranked: QuerySet[SearchDocument] = SearchDocument.objects.filter(
            self._match_q(), doc_type=OBJECT_DOC_TYPE, public=True
        )
        if ids is not None:  # known matches: rank only them
            ranked = ranked.filter(AnyOf(F("pk"), ids))
        elif filtered:
            for postings in self.flags.values():
                for posting in postings:
                    ranked = ranked.filter(pk__in=posting.queryset())
        ranked = ranked.annotate(rank=self._rank())
        if cursor is not None:
            ranked = ranked.filter(
                RowCompare(
                    Row(F("rank"), -F("pk")), (float(cursor.key), -cursor.doc), greater=backwards
                )
            )
        order = ("rank", "-pk") if backwards else ("-rank", "pk")
        rows = ranked.order_by(*order).values_list("pk", "rank")[
            : limit or self.filters.per_page + 1
        ]
        return [(int(pk), float(rank)) for pk, rank in rows]

    def _paged(self, rows: list[tuple[int, Any]]) -> PageRows:
        limit = self.filters.per_page
        backwards = self.filters.before is not None
        more = len(rows) > limit
        rows = rows[:limit]
        if backwards:
            rows.reverse()
        if not rows:
            return PageRows([], None, None)
        sort = self.filters.sort
        first = Cursor(sort=sort, key=rows[0][1], doc=rows[0][0])
        last = Cursor(sort=sort, key=rows[-1][1], doc=rows[-1][0])
        # Forward: a next page if the walk found more, a previous one if we came from one.
        # Backwards: the mirror image.
        has_next = more if not backwards else True
        has_previous = more if backwards else self.filters.after is not None
        documents = dict(
            SearchDocument.objects.filter(pk__in=[pk for pk, _key in rows]).values_list(
                "pk", "object_id"
            )
        )
        return PageRows(
            object_ids=[documents[pk] for pk, _key in rows if pk in documents],
            next_cursor=last if has_next else None,
            previous_cursor=first if has_previous else None,
        )


def _periods_in_memory(
    snapshot: collection_memory.Snapshot, mask: collection_memory.Mask | None
) -> tuple[tuple[int, int], ...]:
    """The period histogram of the documents in `mask` (every public object if None)."""
    tallies: dict[str, dict[str, int]] = {}
    members = collection_memory.Members(mask) if mask is not None else None
    for marker, name, undated in _PERIOD_TALLIES:
        column = snapshot.columns[name]
        per_value = column.counts(members)
        tally: dict[str, int] = {}
        for i in np.flatnonzero(per_value).tolist():
            value = column.values[i]
            if value != undated:
                prefix = value[: periods.CENTURY_PREFIX]
                tally[prefix] = tally.get(prefix, 0) + int(per_value[i])
        tallies[marker] = tally
    return periods.overlapping(tallies[periods.STARTS], tallies[periods.ENDS])
