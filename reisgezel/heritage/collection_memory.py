"""The collection search's facet rows held in memory, for counts at a million objects.

Why: counting in SQL makes the database hash every active filter's posting list (a
collection or a licence holds hundreds of thousands of objects) and join the matches
to their facet rows, once per statement: 2 to 5 seconds at a million objects for a
combination nobody asked for in the last two minutes (bench/heritage_search.py,
"cold"). Here each facet holds every document's values as small integers (Column:
29 MB of arrays for a million objects), a filter is a boolean mask over document ids,
and the counts of all values of a facet are a gather of the counted documents and a
bincount: a few milliseconds.

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

import ctypes
import logging
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
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


def mask_of(ids: Ids, size: int) -> Mask:
    """A mask of `size` with `ids` set; ids beyond it (documents newer than a snapshot)
    drop out."""
    mask = np.zeros(size, dtype=np.bool_)
    mask[ids[ids < size]] = True
    return mask


@dataclass(frozen=True)
class TextMatch:
    """The documents some words match, as the cache keeps them: their ids, or a packed
    bitmap when that is smaller (a common word matches most of a million documents:
    3 MB of ids, 130 kB of bits)."""

    count: int
    ids: Ids | None = None
    bits: Ids | None = None
    """np.packbits of a mask over document ids 0 .. `length` - 1."""
    length: int = 0

    @classmethod
    def of(cls, ids: Ids) -> TextMatch:
        ids = compact(ids)
        if not len(ids):
            return cls(0, ids=ids)
        length = int(ids.max()) + 1
        if length // 8 < ids.nbytes:
            mask = np.zeros(length, dtype=np.bool_)
            mask[ids] = True
            return cls(len(ids), bits=np.packbits(mask), length=length)
        return cls(len(ids), ids=ids)

    @classmethod
    def of_mask(cls, mask: Mask) -> TextMatch:
        """From a mask over document ids (the search app's posting lists give one)."""
        count = int(np.count_nonzero(mask))
        if len(mask) // 8 < count * 4:
            return cls(count, bits=np.packbits(mask), length=len(mask))
        return cls.of(np.flatnonzero(mask))

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.ids, self.bits) if a is not None)

    def mask(self, size: int) -> Mask:
        """The documents as a mask of `size` (ids beyond it, newer documents, drop out)."""
        if self.ids is not None:
            return mask_of(self.ids, size)
        assert self.bits is not None
        found = np.unpackbits(self.bits, count=self.length).view(np.bool_)[:size]
        if len(found) == size:
            return found
        mask = np.zeros(size, dtype=np.bool_)
        mask[: len(found)] = found
        return mask


class Members:
    """A set of documents (a mask), counted by several facets: the ids of its members,
    or of its non-members when they are fewer, found once for all of them. A facet's
    counts are then a gather of those ids, and for non-members its totals minus theirs:
    the work never exceeds half the documents."""

    def __init__(self, mask: Mask) -> None:
        self.mask = mask

    @cached_property
    def fewer(self) -> tuple[bool, Ids]:
        """(True, the members' ids) or (False, the non-members' ids), the shorter."""
        if np.count_nonzero(self.mask) <= len(self.mask) // 2:
            return True, np.flatnonzero(self.mask)
        return False, np.flatnonzero(~self.mask)


MAX_LAYERS = 4
"""Facets with at most this many values per document are held per document
(Column.layers); a facet with more (subjects, say) is held as its rows."""


@dataclass(frozen=True)
class Column:
    """One facet of every document, in one of two forms.

    Layers (when no document has more than MAX_LAYERS values): layer j gives each
    document's j-th value as its index in `values` + 1 (0: none). Counting the values
    of a set of documents is one gather per layer of just those documents, and a filter
    one comparison per layer: about 1 ms each at a million documents, 2 bytes a
    document and layer (4 where a facet has more than 65,534 values).

    Rows (otherwise): `docs[starts[i]:starts[i + 1]]` hold the documents with value
    `values[i]`. Counting is a gather over every row and a running sum (3 to 5 ms per
    million rows).

    Values are sorted (code point order), so a range of values (the period bounds) is
    a range of indexes in both forms."""

    values: tuple[str, ...]
    totals: Ids
    """Per value, how many documents have it."""
    layers: tuple[Ids, ...] = ()
    starts: Ids | None = None
    docs: Ids | None = None

    @classmethod
    def of_rows(cls, values: tuple[str, ...], starts: Ids, docs: Ids, size: int) -> Column:
        """A column from its rows grouped by value (`size`: the length of every mask)."""
        layers = _layers(len(values), starts, docs, size)
        if layers:
            return cls(values, np.diff(starts), layers=layers)
        return cls(values, np.diff(starts), starts=starts, docs=docs)

    @property
    def nbytes(self) -> int:
        arrays = [self.totals, *self.layers, self.starts, self.docs]
        return sum(array.nbytes for array in arrays if array is not None)

    def counts(self, members: Members | Mask | None) -> Ids:
        """Per value, how many of its documents are members (all of them if None)."""
        if members is None:
            return self.totals
        if not isinstance(members, Members):
            members = Members(members)
        if self.layers:
            inside, ids = members.fewer
            total = np.zeros(len(self.values) + 1, dtype=np.int64)
            for layer in self.layers:
                total += np.bincount(layer[ids], minlength=len(self.values) + 1)
            return total[1:] if inside else self.totals - total[1:]
        assert self.docs is not None and self.starts is not None
        running = np.zeros(len(self.docs) + 1, dtype=np.int64)
        np.cumsum(members.mask[self.docs], out=running[1:])
        return running[self.starts[1:]] - running[self.starts[:-1]]

    def having(self, size: int, values: Iterable[str]) -> Mask:
        """The documents with any of `values` (unknown values have none)."""
        indexes = [
            i
            for value, i in ((v, bisect_left(self.values, v)) for v in values)
            if i < len(self.values) and self.values[i] == value
        ]
        return self._of_indexes(size, indexes)

    def at_most(self, size: int, value: str) -> Mask:
        """The documents with a value <= `value`."""
        return self._of_indexes(size, range(bisect_right(self.values, value)))

    def at_least(self, size: int, value: str) -> Mask:
        """The documents with a value >= `value`."""
        return self._of_indexes(size, range(bisect_left(self.values, value), len(self.values)))

    def _of_indexes(self, size: int, indexes: Sequence[int]) -> Mask:
        if not indexes:
            return np.zeros(size, dtype=np.bool_)
        if not self.layers:
            assert self.docs is not None and self.starts is not None
            if isinstance(indexes, range):  # values next to each other: one slice
                return mask_of(
                    self.docs[self.starts[indexes[0]] : self.starts[indexes[-1] + 1]], size
                )
            return mask_of(
                np.concatenate([self.docs[self.starts[i] : self.starts[i + 1]] for i in indexes]),
                size,
            )
        mask = np.zeros(size, dtype=np.bool_)
        # A range of values is two comparisons per layer, a few values one each (0.1 ms
        # at a million documents); for many, a lookup table (2 ms; np.isin 3 to 8).
        table = None
        if not isinstance(indexes, range) and len(indexes) > 16:
            table = np.zeros(len(self.values) + 1, dtype=np.bool_)
            table[np.asarray(indexes) + 1] = True
        for layer in self.layers:
            if isinstance(indexes, range):
                mask |= (layer >= indexes[0] + 1) & (layer <= indexes[-1] + 1)
            elif table is not None:
                mask |= table[layer]
            else:
                for i in indexes:
                    mask |= layer == i + 1
        return mask


def _layers(n_values: int, starts: Ids, docs: Ids, size: int) -> tuple[Ids, ...]:
    """Column.layers of these rows, or () if a document has more than MAX_LAYERS values
    (or the facet has no rows)."""
    if not len(docs):
        return ()
    per_doc = np.bincount(docs, minlength=size)
    if int(per_doc.max()) > MAX_LAYERS:
        return ()
    dtype = np.uint16 if n_values < np.iinfo(np.uint16).max else np.uint32
    codes = np.repeat(np.arange(1, n_values + 1, dtype=dtype), np.diff(starts))
    by_doc = np.argsort(docs, kind="stable")
    sorted_docs, sorted_codes = docs[by_doc], codes[by_doc]
    # Each row's place among its document's rows: 0, 1, ... in value order.
    first_of_doc = np.ones(len(sorted_docs), dtype=np.bool_)
    first_of_doc[1:] = sorted_docs[1:] != sorted_docs[:-1]
    group_start = np.maximum.accumulate(np.where(first_of_doc, np.arange(len(sorted_docs)), 0))
    place = np.arange(len(sorted_docs)) - group_start
    layers = []
    for j in range(int(place.max()) + 1):
        layer = np.zeros(size, dtype=dtype)
        at = place == j
        layer[sorted_docs[at]] = sorted_codes[at]
        layers.append(layer)
    return tuple(layers)


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
        return int(self.columns[keys.PUBLIC].totals.sum())

    @property
    def nbytes(self) -> int:
        return sum(column.nbytes for column in self.columns.values())

    @cached_property
    def _public(self) -> Mask:
        public = self.columns[keys.PUBLIC]
        mask = public.having(self.size, public.values)
        mask.flags.writeable = False  # shared by every search of the process
        return mask

    def public(self) -> Mask:
        return self._public

    def posting(self, name: str, lookup: str, values: tuple[str, ...]) -> Mask:
        """The documents of a collection_query.Posting."""
        column = self.columns[name]
        if lookup == "in":
            return column.having(self.size, values)
        if lookup == "lte":
            return column.at_most(self.size, values[0])
        return column.at_least(self.size, values[0])


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
    grouped: dict[str, tuple[tuple[str, ...], Ids, Ids]] = {}
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
            grouped[name] = (tuple(value for value, _n, _ids in rows), starts, docs)
    size = 1 + max((int(docs.max()) for _v, _s, docs in grouped.values() if len(docs)), default=0)
    columns = {name: Column.of_rows(*rows, size=size) for name, rows in grouped.items()}
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
    building: dict[str, threading.Event] = field(default_factory=dict)
    """Builds under way: their event is set when they end (built or failed)."""
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
    _return_free_memory()
    return fresh


def _return_free_memory() -> None:
    """Give the build's temporaries (and a replaced snapshot) back to the system.

    glibc's allocator keeps freed blocks below its (self-raising) mmap threshold for
    reuse: without this a web process stays about 100 MB larger after every build than
    the snapshot it holds (measured at a million objects: 140 MB, 36 MB after the trim).
    Elsewhere (musl, macOS) there is no malloc_trim and nothing to do."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Any:
    # The process's own symbols (CDLL(None)) include libc's: no library search, which
    # ctypes.util.find_library would do by running ldconfig on every build.
    return getattr(ctypes.CDLL(None), "malloc_trim", None)


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
    done = _rebuild_in_background(using)
    if current is not None and time.monotonic() - current.built_at <= _option(
        "FACET_MEMORY_MAX_AGE"
    ):
        return current
    # None fit for use: the build under way takes a few seconds, counting in SQL as long
    # or longer (and loads the database besides), so wait for it, a while.
    if done is not None and done.wait(_option("FACET_MEMORY_WAIT")):
        fresh = _state.snapshots.get(using)
        if fresh is not None and fresh is not current:
            return fresh
    return None


def warm_up(using: str = "default") -> None:
    """Build this process's snapshot in the background before its first search asks
    (a web process calls it as it starts, config/wsgi.py), when the collection is large
    enough; a search arriving meanwhile waits for it (FACET_MEMORY_WAIT)."""
    if not _option("FACET_MEMORY"):
        return

    def build_if_large() -> None:
        try:
            large = _large_enough(using, None)
        except Exception:
            log.exception("collection facets in memory: no warm-up; counting in SQL")
            large = False
        if large:
            _rebuild(using)  # ends the build (its event) and closes the connection
            return
        with _state.lock:
            done = _state.building.pop(using, None)
        if done is not None:
            done.set()
        connections[using].close()

    with _state.lock:
        if using in _state.building:
            return
        _state.building[using] = threading.Event()
        _state.last_build[using] = time.monotonic()
    threading.Thread(
        target=build_if_large, name=f"collection-facets-warm-up-{using}", daemon=True
    ).start()


def _rebuild_in_background(using: str) -> threading.Event | None:
    """Start a build unless one is under way or ran within the refresh interval; the
    event of the build under way (set when it ends), if any."""
    now = time.monotonic()
    with _state.lock:
        under_way = _state.building.get(using)
        if under_way is not None:
            return under_way
        last = _state.last_build.get(using)
        if last is not None and now - last < _option("FACET_MEMORY_REFRESH"):
            return None
        done = _state.building[using] = threading.Event()
        _state.last_build[using] = now
    threading.Thread(
        target=_rebuild, args=(using,), name=f"collection-facets-{using}", daemon=True
    ).start()
    return done


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
            done = _state.building.pop(using, None)
        if done is not None:
            done.set()
        connections[using].close()
