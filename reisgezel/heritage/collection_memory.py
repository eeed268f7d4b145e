"""The collection search's facet rows held in memory, for counts at a million objects.

Why: counting in SQL makes the database hash every active filter's posting list (a
collection or a licence holds hundreds of thousands of objects) and join the matches
to their facet rows, once per statement: 2 to 5 seconds at a million objects for a
combination nobody asked for in the last two minutes (bench/heritage_search.py,
"cold"). Here each facet is one array of document ids grouped by value (4 bytes per
facet row: 38 MB of arrays for a million objects), a filter is a boolean mask over
document ids, and the counts of all values of a facet are one gather and one running
sum over that facet's rows: tens of milliseconds.

A Snapshot is the facet rows as one transaction saw them, tagged with the collection's
data version (collection_cache.data_version). While that version is current, counts
from it are exact. After a change, the process rebuilds it in a background thread (at
most every FACET_MEMORY_REFRESH seconds) and meanwhile goes on counting with the old
one, for at most FACET_MEMORY_MAX_AGE seconds after it was built: a search engine's
refresh interval. The page of results is always read from the objects' own tables,
so an object hidden a moment ago is never shown, only counted, for that while.
Without a snapshot fit for use (the first search of a process, a rebuild overdue) the
counts run in SQL, exact, as before.

Collections with fewer than FACET_MEMORY_FROM public objects never use it: SQL counts
them exactly in a few milliseconds.
"""

from __future__ import annotations

import logging
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connections, transaction

from reisgezel.heritage import search as keys
from reisgezel.heritage.collection_cache import data_version
from reisgezel.search.models import SearchFacet

log = logging.getLogger(__name__)

LOADED = (
    keys.PUBLIC,
    *keys.TERM_FACETS,
    *keys.FLAG_FACETS,
    keys.PERIOD_START,
    keys.PERIOD_END,
)
"""The facet rows a snapshot holds: the public set, the counted facets, the period."""

Mask = np.ndarray[Any, np.dtype[np.bool_]]
Ids = np.ndarray[Any, Any]
"""Document ids or offsets (int64; document ids of a snapshot int32 where they fit)."""


def parse_ids(text: str | None) -> Ids:
    """Comma-separated ids, as the databases aggregate them, as an array."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def compact(ids: Ids) -> Ids:
    """`ids` as int32 where they fit: half the bytes in a cache."""
    if len(ids) and int(ids.max()) < np.iinfo(np.int32).max:
        return ids.astype(np.int32)
    return ids


@dataclass(frozen=True)
class Column:
    """One facet's rows: `docs[starts[i]:starts[i + 1]]` hold the documents with value
    `values[i]`; values are sorted (code point order), so a range of values (the period
    bounds) is one slice."""

    values: tuple[str, ...]
    starts: Ids
    docs: Ids

    def postings(self, values: Iterable[str]) -> Ids:
        """Documents with any of `values` (unknown values have none)."""
        parts = []
        for value in values:
            i = bisect_left(self.values, value)
            if i < len(self.values) and self.values[i] == value:
                parts.append(self.docs[self.starts[i] : self.starts[i + 1]])
        return np.concatenate(parts) if parts else np.zeros(0, dtype=self.docs.dtype)

    def at_most(self, value: str) -> Ids:
        return self.docs[: self.starts[bisect_right(self.values, value)]]

    def at_least(self, value: str) -> Ids:
        return self.docs[self.starts[bisect_left(self.values, value)] :]

    def counts(self, mask: Mask | None) -> Ids:
        """Per value, how many of its documents are in `mask` (all of them if None)."""
        if mask is None:
            return np.diff(self.starts)
        running = np.zeros(len(self.docs) + 1, dtype=np.int64)
        np.cumsum(mask[self.docs], out=running[1:])
        return running[self.starts[1:]] - running[self.starts[:-1]]


@dataclass(frozen=True)
class Snapshot:
    version: str
    built_at: float
    """time.monotonic() when its rows were read."""
    size: int
    """Largest document id + 1: the length of every mask."""
    columns: dict[str, Column]
    seconds: float = 0.0
    """How long the build took."""

    @property
    def public_objects(self) -> int:
        return int(self.columns[keys.PUBLIC].starts[-1])

    @property
    def nbytes(self) -> int:
        return sum(c.docs.nbytes + c.starts.nbytes for c in self.columns.values())

    def mask(self, docs: Ids) -> Mask:
        """A mask of `docs`; ids this snapshot does not know (newer documents) drop out."""
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[docs[docs < self.size]] = True
        return mask

    def public(self) -> Mask:
        return self.mask(self.columns[keys.PUBLIC].docs)

    def posting(self, name: str, lookup: str, values: tuple[str, ...]) -> Mask:
        """The documents of a collection_query.Posting."""
        column = self.columns[name]
        if lookup == "in":
            return self.mask(column.postings(values))
        if lookup == "lte":
            return self.mask(column.at_most(values[0]))
        return self.mask(column.at_least(values[0]))


def top_values(
    column: Column, counts: Ids, chosen: Iterable[str], limit: int
) -> list[tuple[str, int]]:
    """Values with a count, chosen ones first, then by count (descending) and value:
    the first `limit`, as the SQL counts rank them."""
    found = np.flatnonzero(counts)
    order = found[np.lexsort((found, -counts[found]))]
    chosen_codes = [
        i
        for value, i in ((v, bisect_left(column.values, v)) for v in dict.fromkeys(chosen))
        if i < len(column.values) and column.values[i] == value and counts[i] > 0
    ]
    picked = sorted(chosen_codes, key=lambda i: (-counts[i], i))
    seen = set(picked)
    for code in order[: limit + len(picked)].tolist():
        if code not in seen:
            picked.append(code)
    return [(column.values[i], int(counts[i])) for i in picked[:limit]]


# --- Building ---------------------------------------------------------------------------


def build(using: str) -> Snapshot:
    """Read the facet rows of LOADED into a new snapshot (one transaction)."""
    started = time.monotonic()
    version = data_version()  # before reading: a change after it makes the tag older
    connection = connections[using]
    sqlite = connection.vendor == "sqlite"
    table = connection.ops.quote_name(SearchFacet._meta.db_table)
    aggregate = "group_concat(document_id)" if sqlite else "string_agg(document_id::text, ',')"
    sql = f"SELECT value, COUNT(*), {aggregate} FROM {table} WHERE name = %s GROUP BY value"  # noqa: S608
    outermost = not connection.in_atomic_block
    columns: dict[str, Column] = {}
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if outermost and not sqlite:  # every name as of one moment
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for name in LOADED:
            cursor.execute(sql, [name])
            rows = sorted(cursor.fetchall())
            sizes = np.array([n for _value, n, _ids in rows], dtype=np.int64)
            docs = parse_ids(",".join(ids for _value, _n, ids in rows))
            if len(docs) != sizes.sum():
                raise RuntimeError(f"facet {name}: {len(docs)} ids for {sizes.sum()} rows")
            if len(docs) and docs.max() < 2**31:
                docs = docs.astype(np.int32)  # half the memory
            starts = np.zeros(len(rows) + 1, dtype=np.int64)
            np.cumsum(sizes, out=starts[1:])
            columns[name] = Column(tuple(value for value, _n, _ids in rows), starts, docs)
    size = 1 + max((int(c.docs.max()) for c in columns.values() if len(c.docs)), default=0)
    return Snapshot(
        version=version,
        built_at=started,
        size=size,
        columns=columns,
        seconds=time.monotonic() - started,
    )


# --- The process's snapshots ------------------------------------------------------------


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    building: set[str] = field(default_factory=set)
    last_build: dict[str, float] = field(default_factory=dict)
    public_count: dict[str, tuple[float, int]] = field(default_factory=dict)


_state = _State()


def _option(name: str) -> Any:
    return settings.HERITAGE[name]


def forget() -> None:
    """Drop this process's snapshots (tests; a process that changes databases)."""
    with _state.lock:
        _state.snapshots.clear()
        _state.last_build.clear()
        _state.public_count.clear()


def load_now(using: str) -> Snapshot:
    """Build this process's snapshot now, in this thread (a warm-up, benchmarks)."""
    fresh = build(using)
    with _state.lock:
        _state.snapshots[using] = fresh
    return fresh


def _large_enough(using: str, current: Snapshot | None) -> bool:
    threshold = int(_option("FACET_MEMORY_FROM"))
    if threshold <= 0:
        return True
    if current is not None:
        return current.public_objects >= threshold
    now = time.monotonic()
    checked = _state.public_count.get(using)
    if checked is None or now - checked[0] > _option("FACET_MEMORY_REFRESH"):
        # At most once per refresh interval: an index-only count.
        public = SearchFacet.objects.using(using).filter(name=keys.PUBLIC).count()
        checked = _state.public_count[using] = (now, public)
    return checked[1] >= threshold


def snapshot(using: str) -> Snapshot | None:
    """The snapshot to count with, or None: count in SQL (see the module docstring)."""
    if not _option("FACET_MEMORY"):
        return None
    current = _state.snapshots.get(using)
    if not _large_enough(using, current):
        return None
    if current is not None and current.version == data_version():
        return current
    if _option("FACET_MEMORY_INLINE"):  # tests: a transaction no thread could see
        return load_now(using)
    _rebuild_in_background(using)
    if current is not None and time.monotonic() - current.built_at <= _option(
        "FACET_MEMORY_MAX_AGE"
    ):
        return current
    return None


def _rebuild_in_background(using: str) -> None:
    now = time.monotonic()
    with _state.lock:
        last = _state.last_build.get(using)
        if using in _state.building or (
            last is not None and now - last < _option("FACET_MEMORY_REFRESH")
        ):
            return
        _state.building.add(using)
        _state.last_build[using] = now
    threading.Thread(
        target=_rebuild, args=(using,), name=f"collection-facets-{using}", daemon=True
    ).start()


def _rebuild(using: str) -> None:
    try:
        fresh = load_now(using)
        log.info(
            "collection facets in memory: %d public objects, %.0f MB, built in %.1f s",
            fresh.public_objects,
            fresh.nbytes / 1e6,
            fresh.seconds,
        )
    except Exception:
        log.exception("collection facets in memory: the rebuild failed; counting in SQL")
    finally:
        with _state.lock:
            _state.building.discard(using)
        connections[using].close()
