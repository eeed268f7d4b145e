"""Posting lists of frequent words, kept outside the full-text index.

Why: on PostgreSQL the GIN index finds the documents of a word, but cannot answer from
the index alone; it reads every matching document's row for its id. A word in a third
of a million documents costs 300 to 700 ms that way at a million objects, however warm
the server ("cold" in bench/heritage_search.py: the first visitor of a search), and it
is most of such a search's time. SQLite's FTS5 reads a word's whole list of positions
(about 200 ms for a word in most of a million documents). Here the vocabulary of the
index is kept as rows of `search_posting`: each word with the number of documents
holding it, and for frequent words (at least `FREQUENT_FROM` documents) the documents
themselves, as sorted ids or a bitmap: the match of "maastricht" is one row read and a
few array operations.

Built from the index by `postings_build()` (`manage.py search_postings`, nightly, and
in the background when too much changed since); the last build's time is kept.
Documents indexed since (`indexed_at` later than the moment the build covers: its start,
or on PostgreSQL the start of the oldest transaction still open then, less
`CLOCK_SKEW`) are matched in SQL over the `indexed_at` index and replace what the
postings say of them, and documents removed since (`search_removal`, filled by a
trigger on every delete and emptied by a build of what it saw) are left out, so a
match is exact: the documents that exist and match, no others.

A build also keeps each type's public documents (`search_posting_type`): with them the
search page's counts by type (`type_counts`) read no document row either.

`match_mask()` answers only where it pays: when a word of the query is frequent, the
rare words (prefix readings of the last word included: every word of the vocabulary
with that prefix) are few enough to read in SQL, and not too much changed since the
build; otherwise None, and the caller matches in SQL as before.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from reisgezel.core.lookups import IdIn
from reisgezel.search.backends import get_backend
from reisgezel.search.backends.postgres import word_readings
from reisgezel.search.models import (
    SearchDocument,
    SearchPostingBuild,
    SearchPostingType,
    SearchRemoval,
)
from reisgezel.search.terms import QueryTerms

log = logging.getLogger(__name__)

CLOCK_SKEW = timedelta(minutes=1)
"""`indexed_at` comes from the web or worker machine's clock, the build's moment from the
database's: documents indexed up to this long before it are matched in SQL too."""
BUILD_EVERY = timedelta(hours=1)
"""At most one build asked for in this time (the nightly one comes anyway)."""

Ids = np.ndarray[Any, Any]
Mask = np.ndarray[Any, np.dtype[np.bool_]]


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, "SEARCH_POSTINGS", {}).get(name, default))


def frequent_from() -> int:
    """Documents a word must be in to keep its posting list (smaller: more lists, more
    space and a longer build; larger: more words read in SQL)."""
    return _setting("FREQUENT_FROM", 5_000)


def rare_max() -> int:
    """Documents of rare words one query may read in SQL before the postings do not pay."""
    return _setting("RARE_MAX", 50_000)


def changed_max() -> int:
    """Documents indexed or removed since the build beyond which a search matches in SQL
    (and a new build is asked for)."""
    return _setting("CHANGED_MAX", 20_000)


# --- Building --------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildReport:
    lexemes: int
    frequent: int
    seconds: float


def _encode(ids: Ids) -> tuple[bytes, bool]:
    """Sorted ids as int32 bytes, or as a packed bitmap when that is smaller."""
    ids = np.sort(ids.astype(np.int32))
    length = int(ids[-1]) + 1 if len(ids) else 0
    if length // 8 + 1 < ids.nbytes:
        mask = np.zeros(length, dtype=np.bool_)
        mask[ids] = True
        return np.packbits(mask).tobytes(), True
    return ids.astype("<i4").tobytes(), False


def postings_build(*, using: str = "default") -> BuildReport:
    """Read the whole index once and replace the vocabulary and the posting lists. One
    transaction: searches use the old lists until it commits. Half a minute at a million
    documents; run it from a worker or the nightly job."""
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    started = time.monotonic()
    threshold = frequent_from()
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if postgres and outermost:
            # One snapshot for the vocabulary and the lists (inside a caller's
            # transaction, a test's, its own level holds; SQLite's is one anyway).
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        built_at = _covered_from(cursor, postgres)
        _vocabulary_statistics(cursor, postgres)
        # Every row written once (no UPDATE): the old ones are the only dead rows left,
        # and VACUUM below (PostgreSQL) makes their space reusable for the next build.
        cursor.execute("DELETE FROM search_posting")
        cursor.execute(
            "INSERT INTO search_posting (lexeme, documents, ids, bitmap) "
            "SELECT word, ndoc, NULL, %s FROM search_posting_stat WHERE ndoc < %s",
            [False, threshold],
        )
        lexemes = cursor.rowcount
        cursor.execute("SELECT word FROM search_posting_stat WHERE ndoc >= %s", [threshold])
        frequent = [row[0] for row in cursor.fetchall()]
        rows = 0
        for batch in _lists(connection, frequent):
            rows += _write_lists(cursor, "search_posting", "lexeme", batch)
        cursor.execute("DROP TABLE IF EXISTS search_posting_stat")
        lexemes += rows
        _type_lists(connection, cursor)
        # What this snapshot saw removed is not in its lists; later removals stay logged
        # (on PostgreSQL rows committed after the snapshot are invisible to this delete).
        cursor.execute("DELETE FROM search_removal")
        seconds = round(time.monotonic() - started, 1)
        SearchPostingBuild.objects.using(using).all().delete()
        SearchPostingBuild.objects.using(using).create(
            built_at=built_at,
            frequent_from=threshold,
            lexemes=lexemes,
            frequent=rows,
            seconds=seconds,
            types=True,
        )
    if postgres and outermost:  # (VACUUM cannot run inside a transaction)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_posting")
    log.info("search postings: %d words, %d frequent, %.1f s", lexemes, rows, seconds)
    return BuildReport(lexemes=lexemes, frequent=rows, seconds=seconds)


def _covered_from(cursor: Any, postgres: bool) -> datetime:
    """The moment the build's snapshot covers: what was indexed later is matched in SQL.
    On PostgreSQL its own start, or the start of the oldest other transaction still
    open (it may have indexed documents the snapshot does not see yet, and commit them
    later); SQLite's writers are short transactions of this machine. Less CLOCK_SKEW."""
    if not postgres:
        return timezone.now() - CLOCK_SKEW
    cursor.execute(
        "SELECT least(now(), min(xact_start)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend' AND xact_start IS NOT NULL"
    )
    covered: datetime = cursor.fetchone()[0]
    return covered - CLOCK_SKEW


def _vocabulary_statistics(cursor: Any, postgres: bool) -> None:
    """A temporary table search_posting_stat(word, ndoc): every word of the index and the
    number of documents holding it, as the full-text index counts them."""
    cursor.execute("DROP TABLE IF EXISTS search_posting_stat")  # a build earlier in it
    if postgres:
        cursor.execute(
            "CREATE TEMPORARY TABLE search_posting_stat ON COMMIT DROP AS "
            "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM search_document')"
        )
        return
    cursor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_vocab "
        "USING fts5vocab(main, search_fts, row)"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE search_posting_stat AS "
        "SELECT term AS word, doc AS ndoc FROM temp.search_fts_vocab"
    )


def _lists(connection: Any, frequent: list[str]) -> Iterator[list[tuple[str, Ids]]]:
    """The frequent words' documents, a batch of words at a time."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            for words in itertools.batched(frequent, 20):
                yield [(word, _ids_of(cursor, _FTS_IDS, [_fts_phrase(word)])) for word in words]
        return
    # Streamed from a server-side cursor: a million documents hold tens of millions of
    # (word, document) pairs, far too many to fetch at once.
    lists = connection.chunked_cursor()
    lists.execute(
        "SELECT u.lexeme, string_agg(d.id::text, ',') "
        "FROM search_document AS d "
        "CROSS JOIN LATERAL unnest(tsvector_to_array(d.search_vector)) AS u(lexeme) "
        "WHERE u.lexeme = ANY(%s) GROUP BY u.lexeme",
        [frequent],
    )
    while batch := lists.fetchmany(20):
        yield [(lexeme, np.fromstring(text, dtype=np.int64, sep=",")) for lexeme, text in batch]
    lists.close()


def _type_lists(connection: Any, cursor: Any) -> None:
    """Each type's public documents, as a list like a frequent word's."""
    cursor.execute("DELETE FROM search_posting_type")
    cursor.execute(
        f"SELECT doc_type, {_id_list(connection.vendor)} "  # noqa: S608
        "FROM search_document WHERE public GROUP BY doc_type"
    )
    rows = cursor.fetchall()
    lists = [(doc_type, np.fromstring(text, dtype=np.int64, sep=",")) for doc_type, text in rows]
    _write_lists(cursor, "search_posting_type", "doc_type", lists)


def _write_lists(cursor: Any, table: str, key: str, lists: list[tuple[str, Ids]]) -> int:
    """Store lists of documents under their keys (a word, a type), each encoded."""
    rows = [(name, len(ids), *_encode(ids)) for name, ids in lists]
    cursor.executemany(
        f"INSERT INTO {table} ({key}, documents, ids, bitmap) VALUES (%s, %s, %s, %s)",  # noqa: S608
        rows,
    )
    return len(rows)


def _id_list(vendor: str) -> str:
    """The SQL aggregate of a group's ids as comma-separated text."""
    return "string_agg(id::text, ',')" if vendor == "postgresql" else "group_concat(id)"


_FTS_IDS = "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s"


def _fts_phrase(term: str) -> str:
    """A term as an FTS5 phrase (quoted: it is data, never syntax)."""
    return '"' + term.replace('"', '""') + '"'


def postings_build_later(build: SearchPostingBuild) -> None:
    """Ask a worker for a new build (too much changed since `build`, so searches match in
    SQL until then), at most once in BUILD_EVERY."""
    if build.built_at > timezone.now() - BUILD_EVERY:
        return  # recent: what changed since came in one go (an import); tonight's build
    if not cache.add("search:postings-build-asked", True, timeout=BUILD_EVERY.seconds):
        return
    from reisgezel.search.tasks import build_postings

    try:
        build_postings.enqueue()
    except Exception:  # no worker backend reachable: the nightly build comes anyway
        log.warning("search postings: a new build could not be queued", exc_info=True)


# --- Matching --------------------------------------------------------------------------

_OPERAND = re.compile(r"'((?:[^']|'')*)'(:\*)?")


@dataclass(frozen=True)
class _Reading:
    lexemes: tuple[str, ...]
    prefix: bool


def _parse(reading: str) -> _Reading:
    operands = _OPERAND.findall(reading)
    return _Reading(
        tuple(lexeme.replace("''", "'") for lexeme, _star in operands),
        any(star for _lexeme, star in operands),
    )


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _like_prefix(lexeme: str) -> str:
    return lexeme.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _ids_of(cursor: Any, sql: str, params: list[Any]) -> Ids:
    aggregate = _id_list(cursor.db.vendor)
    cursor.execute(f"SELECT {aggregate} FROM ({sql}) AS m", params)  # noqa: S608
    text = cursor.fetchone()[0]
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


@dataclass(frozen=True)
class _Match:
    """A match from the postings, and what changed since their build."""

    mask: Mask
    build: SearchPostingBuild
    changed: Ids
    """Documents indexed since the build (the mask says of them what they are now)."""
    removed: Ids
    """Documents removed since the build (complete for builds with `types`: the log
    started with them)."""


def match_mask(terms: QueryTerms, *, using: str = "default") -> Mask | None:
    """The documents (any type, any visibility) that match `terms` as the backend's
    `match` does, from the postings, as a mask over document ids; None when they do not
    pay or are not built (the caller then matches in SQL). A common word's list is a
    bitmap: the whole match is a few array operations over a million booleans, never a
    list of its hundreds of thousands of ids."""
    found = _match(terms, using)
    return None if found is None else found.mask


def type_counts(terms: QueryTerms, *, using: str = "default") -> list[tuple[str, int]] | None:
    """The public documents matching `terms`, counted by type, most first (ties by
    type; types without a match left out), as a GROUP BY over the SQL match counts
    them; None when the postings do not answer (see `match_mask`) or their build holds
    no type lists. A common word's count reads no document row."""
    found = _match(terms, using)
    if found is None or not found.build.types:
        return None
    stored = SearchPostingType.objects.using(using).in_bulk()
    # The changed documents' type and visibility as they are now (the lists: as built).
    now: list[tuple[int, str, bool]] = []
    if len(found.changed):
        now = list(
            SearchDocument.objects.using(using)
            .filter(IdIn(F("pk"), found.changed.tolist()))
            .values_list("pk", "doc_type", "public")
        )
    size = len(found.mask)  # (it covers every changed document)
    counts: list[tuple[str, int]] = []
    for doc_type in sorted({*stored, *(kind for _pk, kind, _public in now)}):
        row = stored.get(doc_type)
        of_type = (
            _Posting(bytes(row.ids), row.bitmap).mask(size)
            if row is not None
            else np.zeros(size, dtype=np.bool_)
        )
        of_type[found.changed] = False  # (removed ones are not in the match)
        of_type[[pk for pk, kind, public in now if kind == doc_type and public]] = True
        if n := int(np.count_nonzero(of_type & found.mask)):
            counts.append((doc_type, n))
    return sorted(counts, key=lambda count: -count[1])  # stable: ties stay by type


def _match(terms: QueryTerms, using: str) -> _Match | None:
    if not _setting("ENABLED", 1):
        return None
    connection = connections[using]
    build = SearchPostingBuild.objects.using(using).order_by("-built_at").first()
    if build is None:
        return None
    postgres = connection.vendor == "postgresql"
    words = _readings(terms, using, postgres)
    if not words:  # nothing to search for: nothing matches
        return _Match(np.zeros(0, dtype=np.bool_), build, *(np.zeros(0, dtype=np.int64),) * 2)
    documents = SearchDocument.objects.using(using)
    since = build.built_at
    with connection.cursor() as cursor:
        vocabulary = _vocabulary(cursor, words, postgres)
        if not any(n for n, frequent in vocabulary.values() if frequent):
            return None  # only rare words: the SQL match reads few rows
        rare = sum(n for n, frequent in vocabulary.values() if not frequent)
        if rare > rare_max():
            return None
        # One read of the changed and removed ids, at most one more than allowed.
        limit = changed_max()
        changed = _array(documents.filter(indexed_at__gt=since)[: limit + 1])
        removed = _array(SearchRemoval.objects.using(using)[: limit + 1 - len(changed)])
        if len(changed) + len(removed) > limit:
            postings_build_later(build)
            return None
        lists = _posting_lists(cursor, [w for w, (_n, frequent) in vocabulary.items() if frequent])
        rare_ids = [_rare_ids(cursor, readings, vocabulary, lists, postgres) for readings in words]
    if postgres:  # the indexed_at index drives, each changed row's vector is checked
        changed_matches = _array(
            documents.filter(get_backend(using).match(terms), indexed_at__gt=since)
        )
    else:
        changed_matches = _fts_matches(connection, words, changed)
    size = max(
        [posting.size for posting in lists.values()]
        + [int(ids.max()) + 1 for ids in (*rare_ids, changed, changed_matches) if len(ids)],
        default=0,
    )
    result = np.ones(size, dtype=np.bool_)
    for readings, ids in zip(words, rare_ids, strict=True):
        result &= _word_mask(readings, vocabulary, lists, ids, size)
    result[changed] = False
    result[removed[removed < size]] = False
    result[changed_matches] = True
    return _Match(result, build, changed, removed)


_TOKEN = re.compile(r"[^\W_]+")
"""A token as FTS5's unicode61 tokenizer cuts them: letters and digits."""


def _fts_matches(connection: Any, words: list[list[_Reading]], ids: Ids) -> Ids:
    """Which of the documents `ids` match, read from their FTS5 rows (SQLite): a MATCH
    limited to a few rowids would still read a prefix's whole lists once per rowid
    (seconds), where their texts are a lookup each and hold what FTS5 indexed (folded
    words and their stems)."""
    found: list[int] = []
    with connection.cursor() as cursor:
        for chunk in itertools.batched(ids.tolist(), 500):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT rowid, title, body FROM search_fts WHERE rowid IN ({marks})",  # noqa: S608
                list(chunk),
            )
            for rowid, title, body in cursor.fetchall():
                tokens = set(_TOKEN.findall(f"{title}\n{body}".lower()))
                if all(any(_holds(reading, tokens) for reading in r) for r in words):
                    found.append(rowid)
    return np.array(found, dtype=np.int64)


def _holds(reading: _Reading, tokens: set[str]) -> bool:
    if reading.prefix:
        return any(token.startswith(reading.lexemes[0]) for token in tokens)
    return all(lexeme in tokens for lexeme in reading.lexemes)


def _array(documents: Any) -> Ids:
    return np.fromiter(documents.values_list("pk", flat=True), dtype=np.int64)


def _readings(terms: QueryTerms, using: str, postgres: bool) -> list[list[_Reading]]:
    """Per word, what may stand for it in a document, as the backend's match reads it:
    PostgreSQL's readings in every configuration; SQLite's word and its stems; and the
    unfinished last word as a prefix."""
    if postgres:
        return [
            [_parse(reading) for reading in readings] for readings in word_readings(terms, using)
        ]
    return [
        [
            *(_Reading((variant,), False) for variant in sorted(variants)),
            *([_Reading((word,), True)] if word == terms.prefix else []),
        ]
        for word, variants in zip(terms.words, terms.variants, strict=True)
    ]


def _vocabulary(
    cursor: Any, words: list[list[_Reading]], postgres: bool
) -> dict[str, tuple[int, bool]]:
    """lexeme -> (documents, frequent) for every word of the vocabulary the readings name
    (a prefix reading: every word that starts with it)."""
    exact = sorted(
        {lexeme for readings in words for r in readings if not r.prefix for lexeme in r.lexemes}
    )
    prefixes = sorted({r.lexemes[0] for readings in words for r in readings if r.prefix})
    conditions: list[str] = []
    params: list[Any] = []
    for lexeme in exact:
        conditions.append("lexeme = %s")
        params.append(lexeme)
    for prefix in prefixes:
        if postgres:  # walks the text_pattern_ops index
            conditions.append("lexeme LIKE %s")
            params.append(_like_prefix(prefix))
        else:  # a range of the primary key (SQLite compares text byte by byte)
            conditions.append("(lexeme >= %s AND lexeme < %s)")
            params.extend([prefix, prefix + "\U0010ffff"])
    if not conditions:
        return {}
    cursor.execute(
        "SELECT lexeme, documents, ids IS NOT NULL FROM search_posting "  # noqa: S608
        f"WHERE {' OR '.join(conditions)}",
        params,
    )
    return {
        lexeme: (documents, bool(frequent)) for lexeme, documents, frequent in cursor.fetchall()
    }


@dataclass(frozen=True)
class _Posting:
    """A frequent word's list as stored: its bytes, decoded into a mask on demand."""

    data: bytes
    bitmap: bool

    @property
    def size(self) -> int:
        """The length of mask its documents need (ids below it)."""
        if self.bitmap:
            return len(self.data) * 8
        return int(np.frombuffer(self.data[-4:], dtype="<i4")[0]) + 1 if self.data else 0

    def mask(self, size: int) -> Mask:
        """A mask of `size` (documents beyond it left out: a type's list may reach
        beyond a word's)."""
        if self.bitmap:
            bits = np.unpackbits(np.frombuffer(self.data, dtype=np.uint8)).view(np.bool_)
            if len(bits) == size:
                return bits
            mask = np.zeros(size, dtype=np.bool_)
            mask[: len(bits)] = bits[:size]
            return mask
        mask = np.zeros(size, dtype=np.bool_)
        ids = np.frombuffer(self.data, dtype="<i4")
        mask[ids[ids < size]] = True
        return mask


def _posting_lists(cursor: Any, lexemes: list[str]) -> dict[str, _Posting]:
    if not lexemes:
        return {}
    marks = ", ".join(["%s"] * len(lexemes))
    cursor.execute(
        f"SELECT lexeme, ids, bitmap FROM search_posting WHERE lexeme IN ({marks})",  # noqa: S608
        lexemes,
    )
    return {
        lexeme: _Posting(bytes(data), bool(bitmap)) for lexeme, data, bitmap in cursor.fetchall()
    }


def _matching(reading: _Reading, vocabulary: dict[str, tuple[int, bool]]) -> list[str]:
    """The words of the vocabulary a prefix reading stands for."""
    start = reading.lexemes[0]
    return [lexeme for lexeme in vocabulary if lexeme.startswith(start)]


def _rare_ids(
    cursor: Any,
    readings: list[_Reading],
    vocabulary: dict[str, tuple[int, bool]],
    lists: dict[str, _Posting],
    postgres: bool,
) -> Ids:
    """The documents (as of the build) that match one of a word's readings through a
    rare word (one without a list), in one SQL statement naming them (never a prefix:
    that would read the frequent words' documents too)."""
    rare: list[tuple[str, ...]] = []
    for reading in readings:
        if reading.prefix:
            matching = _matching(reading, vocabulary)
            rare += [(lexeme,) for lexeme in matching if lexeme not in lists]
        elif all(lexeme in vocabulary for lexeme in reading.lexemes) and not all(
            lexeme in lists for lexeme in reading.lexemes
        ):
            rare.append(reading.lexemes)
    if not rare:
        return np.zeros(0, dtype=np.int64)
    if not postgres:  # a reading is one term on SQLite
        return _ids_of(cursor, _FTS_IDS, [" OR ".join(_fts_phrase(group[0]) for group in rare)])
    query = " | ".join("(" + " & ".join(_quote(lexeme) for lexeme in group) + ")" for group in rare)
    return _ids_of(
        cursor, "SELECT id FROM search_document WHERE search_vector @@ %s::tsquery", [query]
    )


def _word_mask(
    readings: list[_Reading],
    vocabulary: dict[str, tuple[int, bool]],
    lists: dict[str, _Posting],
    rare_ids: Ids,
    size: int,
) -> Mask:
    """The documents (as of the build) that match one of a word's readings."""
    mask = np.zeros(size, dtype=np.bool_)
    mask[rare_ids] = True
    # Each list unpacked once, though a word and its prefix both name it ("bord", "bord*").
    alone: set[str] = set()
    for reading in readings:
        if reading.prefix:
            alone.update(lexeme for lexeme in _matching(reading, vocabulary) if lexeme in lists)
        elif len(reading.lexemes) == 1:
            alone.update(lexeme for lexeme in reading.lexemes if lexeme in lists)
        elif all(lexeme in lists for lexeme in reading.lexemes):
            both = lists[reading.lexemes[0]].mask(size)
            for lexeme in reading.lexemes[1:]:
                both &= lists[lexeme].mask(size)
            mask |= both
        # A reading with a word no document held at the build: only changed ones match.
    for lexeme in alone:
        mask |= lists[lexeme].mask(size)
    return mask
