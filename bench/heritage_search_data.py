"""The data set of the collection search benchmark, in databases of its own.

`prepare(db, objects)` (call it before Django is set up) drops and creates the
benchmark database, runs the migrations, writes `objects` public heritage objects with
`bench/heritage_data.generate_objects` (plus 3 % hidden objects and tombstones; see
that module for the distributions), then builds their search index, and records what
it built in `var/bench/<database>-<db>-meta.json`. A later run with the same
`--objects` (and the same generator versions) reuses it.

Databases (never the site's, never the other benchmarks'):
- SQLite: `var/bench/heritage-search.sqlite3` (`BENCH_HERITAGE_SEARCH_SQLITE`);
- PostgreSQL: `h_searchbench_heritage` (`BENCH_HERITAGE_SEARCH_PG_NAME`), dropped and
  created through `BENCH_PG_ADMIN_URL`.

The index is built by the search app's own code: heritage/search.py's document
builder (`OBJECT_DOCUMENTS.build`, exactly the documents, texts and facet rows the
site writes) in batches of 2,000 objects, stored by the batch writer behind
`documents_index` (`services._store`: one upsert, the facet rows, the backend's side
index). On PostgreSQL two processes index side by side; on SQLite (one writer) a
second process builds the next batches while this one stores. Like a restore, the
secondary indexes of the two index tables are dropped for the load and rebuilt from
their own definitions afterwards. Then `ANALYZE` on SQLite, `VACUUM ANALYZE` on
PostgreSQL (index-only scans need the visibility map; a real database gets both from
autovacuum).

Time on this 2-core machine (shared with other work, load 4-6): 1,000,000 objects on
SQLite about 5 minutes of generation and 20 of indexing; the search index is the
cost (stems in Python, about 17 facet rows per object).
"""

from __future__ import annotations

import json
import os
import sys
import time as clock
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VAR = ROOT / "var" / "bench"
SQLITE_PATH = Path(os.environ.get("BENCH_HERITAGE_SEARCH_SQLITE", VAR / "heritage-search.sqlite3"))
from bench.databases import pg_recreate, pg_url, sqlite_remove  # noqa: E402

PG_NAME = os.environ.get("BENCH_HERITAGE_SEARCH_PG_NAME", "h_searchbench_heritage")
DATA_VERSION = 1  # raise when the data or the index changes shape: reused sets are rebuilt
INDEX_BATCH = 2000
INDEX_WORKERS = 2

Log = Callable[[str], None]


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return pg_url(PG_NAME)


def meta_path(db: str) -> Path:
    name = SQLITE_PATH.stem if db == "sqlite" else PG_NAME
    return VAR / f"{name}-{db}-meta.json"


def data_version() -> str:
    """This module's version and the object generator's: either change rebuilds."""
    from bench.heritage_data import GENERATOR_VERSION

    return f"{DATA_VERSION}.{GENERATOR_VERSION}"


def configure_django(db: str) -> None:
    """The benchmark database's settings, set before Django is imported (as the agenda
    bench's worker): test-mode settings for plain static storage and immediate tasks,
    a per-process memory cache, DEBUG off so nothing records queries."""
    os.environ["DATABASE_URL"] = database_url(db)
    os.environ.update(
        {
            "REISGEZEL_TESTING": "1",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
            "DB_CONN_MAX_AGE": "600",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def current_meta(db: str, objects: int, seed: int) -> dict[str, Any] | None:
    """The description of the existing data set, if it is the one asked for."""
    path = meta_path(db)
    if not path.exists():
        return None
    meta: dict[str, Any] = json.loads(path.read_text())
    wanted = {
        "objects_asked": objects,
        "seed": seed,
        "version": data_version(),
        "database": database_url(db),
    }
    if any(meta.get(key) != value for key, value in wanted.items()):
        return None
    return meta


def _fresh_database(db: str) -> None:
    """Drop and create this benchmark's database (never any other)."""
    meta_path(db).unlink(missing_ok=True)
    if db == "sqlite":
        sqlite_remove(SQLITE_PATH)
        return
    pg_recreate(PG_NAME)


# --- The search index -----------------------------------------------------------------


def _index_range(span: tuple[int, int]) -> int:
    """Index the objects with ids in span (inclusive) through the search services."""
    from reisgezel.heritage.services import OBJECT_DOC_TYPE
    from reisgezel.search.services import documents_index

    return documents_index(doc_type=OBJECT_DOC_TYPE, ids=range(span[0], span[1] + 1))


def _build_range(span: tuple[int, int]) -> list[Any]:
    """The documents of the objects with ids in span, as `documents_index` builds them."""
    from reisgezel.heritage.search import OBJECT_DOCUMENTS

    return list(OBJECT_DOCUMENTS.build(range(span[0], span[1] + 1)))


def _store_built(documents: list[Any]) -> int:
    """Store built documents as `documents_index` does (one transaction per batch),
    through the search app's batch writer."""
    from django.db import transaction

    from reisgezel.search.backends import get_backend
    from reisgezel.search.services import _store

    with transaction.atomic():
        return len(_store(documents, get_backend()))


def _spans() -> list[tuple[int, int]]:
    from django.db.models import Max, Min

    from reisgezel.heritage.models import HeritageObject

    bounds = HeritageObject.objects.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return []
    first, last = int(bounds["first"]), int(bounds["last"])
    return [(a, min(a + INDEX_BATCH - 1, last)) for a in range(first, last + 1, INDEX_BATCH)]


_DEFERRED_TABLES = ("search_document", "search_facet")


def _secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of the plain (non-unique) indexes of the index tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexdef NOT LIKE 'CREATE UNIQUE %%'",
                [list(_DEFERRED_TABLES)],
            )
        else:
            marks = ", ".join(["%s"] * len(_DEFERRED_TABLES))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND sql NOT LIKE 'CREATE UNIQUE %%' AND tbl_name IN ({marks})",
                list(_DEFERRED_TABLES),
            )
        return [(name, sql) for name, sql in cursor.fetchall()]


def _drop_indexes(indexes: list[tuple[str, str]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


def _create_indexes(indexes: list[tuple[str, str]], log: Log) -> None:
    """The dropped indexes again, from their own definitions (the migrations')."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, sql in indexes:
            started = clock.monotonic()
            cursor.execute(sql)
            log(f"  index {name} built in {clock.monotonic() - started:.0f} s")


def index_objects(log: Log = print) -> int:
    """The search documents of every object (see above); returns how many.

    Like a database restore, the load writes into the tables without their secondary
    indexes (the full-text and trigram GIN indexes, the (name, value, document) facet
    index) and builds those afterwards from their own definitions: one sort instead of
    millions of random index inserts. Unique indexes stay (the upsert needs them)."""
    from django.db import connection, connections

    indexes = _secondary_indexes()
    _drop_indexes(indexes)
    started = clock.monotonic()
    spans = _spans()
    total = spans[-1][1] - spans[0][0] + 1 if spans else 0
    done = 0

    def report(n: int) -> None:
        elapsed = clock.monotonic() - started
        log(f"  indexed {n}/{total} objects ({elapsed:.0f} s, {n / max(elapsed, 0.1):.0f}/s)")

    import multiprocessing

    connections.close_all()  # forked processes open connections of their own
    context = multiprocessing.get_context("fork")
    if connection.vendor == "postgresql":
        # Writers run side by side: each process builds and stores whole batches.
        with context.Pool(INDEX_WORKERS) as pool:
            for n, written in enumerate(pool.imap_unordered(_index_range, spans), start=1):
                done += written
                if n % 25 == 0:
                    report(done)
    else:
        # One writer at a time: a second process builds the next batches' documents
        # while this one stores the current batch (a few batches ahead, no more).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")  # a benchmark set is rebuilt, not recovered
        with context.Pool(INDEX_WORKERS - 1 or 1) as pool:
            pending: deque[Any] = deque()
            for n, span in enumerate([*spans, None], start=1):
                if span is not None:
                    pending.append(pool.apply_async(_build_range, (span,)))
                while pending and (span is None or len(pending) > 2):
                    done += _store_built(pending.popleft().get())
                if n % 25 == 0:
                    report(done)
    report(done)
    _create_indexes(indexes, log)
    return done


def _statistics() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _postings(db: str, *, again: bool) -> float | None:
    """Build the frequent words' posting lists, as the nightly job keeps them; on a
    reused data set only when it has none yet, or when its documents were indexed
    since. Returns the seconds it took (None: not built now)."""
    from django.db.models import Max
    from django.utils import timezone

    from reisgezel.search.models import SearchDocument, SearchPostingBuild
    from reisgezel.search.postings import CLOCK_SKEW, postings_build

    build = SearchPostingBuild.objects.order_by("-built_at").first()
    fresh = (
        build is not None
        and build.types  # (a build from before the type lists: built again)
        and not SearchDocument.objects.filter(indexed_at__gt=build.built_at).exists()
    )
    if not again and fresh:
        return None
    # A build covers what was indexed up to CLOCK_SKEW before it (later: matched in SQL,
    # and past SEARCH_POSTINGS_CHANGED_MAX documents not from the lists at all). A site
    # builds them at night, hours after its writes: so does this, a margin after its own.
    last = SearchDocument.objects.aggregate(last=Max("indexed_at"))["last"]
    if last is not None:
        wait = (last + CLOCK_SKEW - timezone.now()).total_seconds() + 1
        clock.sleep(max(0.0, wait))
    started = clock.monotonic()
    postings_build()
    return round(clock.monotonic() - started, 1)


def prepare(db: str, objects: int, *, seed: int = 1, regenerate: bool = False) -> dict[str, Any]:
    """Build (or reuse) the data set, and leave Django set up for `db`."""
    meta = None if regenerate else current_meta(db, objects, seed)
    if meta is not None:
        configure_django(db)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a data set made before the last migration
        meta["postings_s"] = _postings(db, again=False)
        return {**meta, "reused": True}
    _fresh_database(db)
    configure_django(db)
    from django.core.management import call_command

    from bench.heritage_data import generate_objects

    def log(line: str) -> None:
        print(f"[{db}]{line}", flush=True)

    started = clock.monotonic()
    call_command("migrate", verbosity=0)
    log(f" generating {objects} heritage objects")
    counts = generate_objects(objects, seed=seed, log=log)
    generated = clock.monotonic()
    log(" building the search index")
    indexed = index_objects(log)
    indexed_at = clock.monotonic()
    _statistics()
    postings_s = _postings(db, again=True)
    meta = {
        **counts,
        "indexed": indexed,
        "objects_asked": objects,
        "seed": seed,
        "version": data_version(),
        "database": database_url(db),
        "generate_s": round(generated - started, 1),
        "index_s": round(indexed_at - generated, 1),
        "analyze_s": round(clock.monotonic() - indexed_at - (postings_s or 0), 1),
        "postings_s": postings_s,
        "date": clock.strftime("%Y-%m-%d"),
    }
    meta_path(db).parent.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/bench
    meta_path(db).write_text(json.dumps(meta))
    return {**meta, "reused": False}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Build the collection search benchmark data.")
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    print(json.dumps(prepare(args.db, args.objects, seed=args.seed, regenerate=args.regenerate)))


if __name__ == "__main__":
    main()
