"""Heritage benchmark: import throughput (LIDO, Darwin Core Archive) and peak memory.

    python bench/heritage_import.py [--records 20000] [--db postgres|sqlite|both]
                                    [--memory-records 1000000] [--memory-stop-after N]
                                    [--formats lido dwca] [--profile]

Generates the import files once (bench/heritage_files.py, cached under
var/bench/import/), then per database, in a process of its own whose DATABASE_URL is set
before Django is imported (a fresh database: `var/bench/import.sqlite3`, or the
PostgreSQL database `$BENCH_IMPORT_PG_NAME`, default `reisgezel_bench_import`, dropped
and created through `BENCH_PG_ADMIN_URL`), for LIDO and for DwC-A:

- parse-only: the importer's own reader over the file, mapping every record into an
  ObjectRecord, without writing anything (the floor an import is compared with);
- first import: `import_job_run`, the code behind `manage.py import_heritage` and the
  admin's upload task, into an empty database, with new objects published. The clock
  stops when the job is done, and the job is done only when the search index is too
  (documents are indexed after each batch's commit); the run is checked: every record
  created, none failed, one search document per object;
- re-import of the unchanged file (every record "unchanged", nothing written).

Then, on PostgreSQL, the peak memory (maximum resident set size, from `wait4()` of the
child process) of `manage.py import_heritage --format dwca` over a file of
`--memory-records` records, next to the same command over a tenth of that: memory is
flat when both are about equal. RSS is also sampled from /proc while the import runs.
`--memory-stop-after N` interrupts the large import (Ctrl-C) once N records are
committed, when the whole file would take too long.

Besides records/s, each import reports its CPU per record: this process's (importer
and, on SQLite, database), the search indexer process's (files of INDEX_PROCESS_FROM
records and more, on PostgreSQL) and that of the PostgreSQL backends serving both (from
/proc), which a loaded machine does not inflate the way it inflates wall time.

Results: a table on stdout and bench/results/<date>-heritage-import.md. `run(db,
records)` gives the rows to a combined heritage runner.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VAR = ROOT / "var" / "bench"
FILES = VAR / "import"
RESULTS = ROOT / "bench" / "results"
from bench.databases import (  # noqa: E402
    PG_ADMIN_URL,
    pg_recreate,
    pg_settings,
    pg_url,
    sqlite_remove,
)
from bench.machine import cpu_reference  # noqa: E402

PG_NAME = os.environ.get("BENCH_IMPORT_PG_NAME", "reisgezel_bench_import")
SQLITE_PATH = VAR / "import.sqlite3"
TARGET = 2000.0  # records per second on PostgreSQL (issue 3)
FLAT = 1.25  # peak memory of the large file at most this times the small file's
MEMORY_RECORDS = 1_000_000
FORMATS = ("lido", "dwca")
COLLECTIONS = {"lido": "ceramics", "dwca": "natural-history"}
PROFILE_LINES = 35


# --- Files ------------------------------------------------------------------------------


def file_path(fmt: str, records: int) -> Path:
    return FILES / (f"lido-{records}.xml" if fmt == "lido" else f"dwca-{records}.zip")


def make_files(records: int, formats: tuple[str, ...]) -> None:
    """Write the files not made yet (in this process; needs Django's settings only)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("REISGEZEL_TESTING", "1")
    import django

    django.setup()
    from bench.heritage_files import write_dwca, write_lido

    FILES.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        path = file_path(fmt, records)
        if path.exists():
            continue
        started = time.monotonic()
        partial = path.with_name(f"partial-{path.name}")  # never reuse a half-written file
        (write_lido if fmt == "lido" else write_dwca)(partial, records)
        partial.rename(path)
        size = path.stat().st_size / 1e6
        print(f"wrote {path.name}: {size:.1f} MB in {time.monotonic() - started:.0f} s", flush=True)


def ensure_files(records: int, formats: tuple[str, ...] = FORMATS) -> None:
    if all(file_path(fmt, records).exists() for fmt in formats):
        return
    command = [sys.executable, __file__, "--make-files", str(records), "--formats", *formats]
    subprocess.run(command, cwd=ROOT, check=True)


# --- A database of its own ----------------------------------------------------------------


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return pg_url(PG_NAME)


def bench_environment(db: str) -> dict[str, str]:
    """What a benchmark process (and the import command it starts) runs with."""
    return {
        "DATABASE_URL": database_url(db),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REISGEZEL_TESTING": "1",  # immediate tasks, plain static storage
        "DEBUG": "0",  # nothing records queries
        "ALLOWED_HOSTS": "testserver,localhost",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }


def fresh_database(db: str) -> None:
    """Drop and create the import benchmark database (never any other)."""
    if db == "sqlite":
        sqlite_remove(SQLITE_PATH)
        return
    pg_recreate(PG_NAME)


def setup_database(db: str) -> None:
    """A fresh, migrated database with the two collections the files import into;
    Django is set up in this process with it."""
    fresh_database(db)
    os.environ.update(bench_environment(db))
    import django

    django.setup()
    from django.core.management import call_command

    from reisgezel.heritage.models import Collection, CollectionKind

    call_command("migrate", verbosity=0)
    Collection.objects.create(
        code=COLLECTIONS["lido"],
        kind=CollectionKind.CERAMICS,
        name={"nl": "Keramiek", "en": "Ceramics"},
        institution="Centre Céramique",
    )
    Collection.objects.create(
        code=COLLECTIONS["dwca"],
        kind=CollectionKind.NATURAL_HISTORY,
        name={"nl": "Natuurhistorische collectie", "en": "Natural history collection"},
        institution="Natuurhistorisch Museum Maastricht",
    )


# --- Throughput (in the worker process) ----------------------------------------------------


@dataclass
class Throughput:
    fmt: str
    db: str
    records: int
    parse_s: float = 0.0
    import_s: float = 0.0
    reimport_s: float = 0.0
    import_queries: int = 0
    reimport_queries: int = 0
    import_cpu: float = 0.0
    import_server_cpu: float = 0.0
    reimport_cpu: float = 0.0
    reimport_server_cpu: float = 0.0
    import_indexer_cpu: float = 0.0
    reimport_indexer_cpu: float = 0.0
    documents: int = 0
    facets: int = 0
    warnings: int = 0
    profile: str = ""

    def rate(self, seconds: float) -> float:
        return self.records / seconds if seconds else 0.0


class QueryCounter:
    """Counts the statements of every connection of this process opened while it is
    installed (the importing one and an indexer thread's; not those of an indexer
    process, which large files get); DEBUG stays off."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        with self.lock:
            self.count += 1
        return execute(sql, params, many, context)

    def install(self, connection: Any, **kwargs: Any) -> None:
        connection.execute_wrappers.append(self)

    def remove(self, connection: Any) -> None:
        if self in connection.execute_wrappers:
            connection.execute_wrappers.remove(self)


class ServerCpu:
    """CPU seconds spent by the PostgreSQL backends of the benchmark database while the
    block runs, read from /proc (utime + stime) every 0.2 s: the database's share of an
    import, whatever else the machine is doing. A backend that ends between two samples
    loses up to 0.2 s of its time; one that existed before counts from the start."""

    def __init__(self, db: str) -> None:
        self.enabled = db == "postgres"
        self.start: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _ticks(pid: int) -> int | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)

    def _pids(self, conn: Any) -> list[int]:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [PG_NAME]
        ).fetchall()
        return [int(row[0]) for row in rows]

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            for pid in self._pids(conn):
                if (ticks := self._ticks(pid)) is not None:
                    self.start[pid] = self.last[pid] = ticks
            self.started.set()
            while not self.done.wait(0.2):
                for pid in self._pids(conn):
                    if (ticks := self._ticks(pid)) is not None:
                        self.start.setdefault(pid, 0)
                        self.last[pid] = ticks
            for pid in list(self.last):
                if (ticks := self._ticks(pid)) is not None:
                    self.last[pid] = ticks

    def __enter__(self) -> ServerCpu:
        self.started = threading.Event()
        if self.enabled:
            self.thread.start()
            self.started.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.done.set()
            self.thread.join()

    @property
    def seconds(self) -> float:
        ticks = sum(self.last[pid] - self.start[pid] for pid in self.last)
        return ticks / os.sysconf("SC_CLK_TCK")


def parse_only(fmt: str, path: Path) -> tuple[int, float]:
    """The importer's reader over the whole file: read, map, no writes."""
    from reisgezel.interop.importers.base import JobOptions
    from reisgezel.interop.importers.runner import READERS

    options = JobOptions(source=f"bench-{fmt}", collection=COLLECTIONS[fmt], publish=True)
    started = time.perf_counter()
    with READERS[fmt](path, options) as reader:
        mapped = sum(1 for parsed in reader.records() if not parsed.has_errors)
    return mapped, time.perf_counter() - started


@dataclass
class Run:
    """One import job: wall time, CPU of this process and of the database, queries."""

    job: Any
    seconds: float
    client_cpu: float
    server_cpu: float
    indexer_cpu: float
    queries: int
    profile: str = ""


def import_once(db: str, fmt: str, path: Path, *, profile: bool = False) -> Run:
    """One import job over the file, timed until it is finished (index included)."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.db.backends.signals import connection_created

    from reisgezel.interop.importers.runner import import_job_run
    from reisgezel.interop.models import ImportJob

    job = ImportJob.objects.create(
        format=fmt,
        source=f"bench-{fmt}",
        path=str(path),
        collection_code=COLLECTIONS[fmt],
        publish=True,
    )
    counter = QueryCounter()
    counter.install(connection)
    connection_created.connect(counter.install)
    profiler = cProfile.Profile() if profile else None
    try:
        with ServerCpu(db) as server:
            started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
            if profiler is not None:
                profiler.enable()
            job = import_job_run(job)
            if profiler is not None:
                profiler.disable()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            children = _children_cpu() - children
    finally:
        connection_created.disconnect(counter.install)
        counter.remove(connection)
    text = ""
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
        stats.sort_stats("tottime").print_stats(PROFILE_LINES)
        text = out.getvalue()
    return Run(job, seconds, cpu, server.seconds, children, counter.count, text)


def _children_cpu() -> float:
    """CPU seconds of this process's ended children: the search indexer process that
    a large import starts (search/indexer_process.py)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_format(db: str, fmt: str, records: int, *, profile: bool) -> Throughput:
    from reisgezel.heritage.models import HeritageObject
    from reisgezel.heritage.services import OBJECT_DOC_TYPE
    from reisgezel.interop.models import JobStatus
    from reisgezel.search.models import SearchDocument, SearchFacet

    path = file_path(fmt, records)
    result = Throughput(fmt, db, records)
    mapped, result.parse_s = parse_only(fmt, path)
    if mapped != records:
        raise RuntimeError(f"{fmt}: {records - mapped} records did not map")
    print(f"[{db}] {fmt}: first import", flush=True)
    first = import_once(db, fmt, path, profile=profile)
    job, result.import_s, result.import_queries = first.job, first.seconds, first.queries
    result.import_cpu, result.import_server_cpu = first.client_cpu, first.server_cpu
    result.import_indexer_cpu = first.indexer_cpu
    result.profile = first.profile
    if job.status != JobStatus.FINISHED or job.created_count != records or job.failed_count:
        raise RuntimeError(f"{fmt} import: {job.status} {job.error} {job.failed_count} failed")
    result.warnings = job.warning_count
    objects = HeritageObject.objects.filter(source=f"bench-{fmt}")
    documents = SearchDocument.objects.filter(
        doc_type=OBJECT_DOC_TYPE, object_id__in=objects.values("pk"), public=True
    )
    result.documents = documents.count()
    result.facets = SearchFacet.objects.filter(document__in=documents).count()
    if result.documents != records:
        raise RuntimeError(f"{fmt}: {result.documents} search documents for {records} objects")
    print(f"[{db}] {fmt}: re-import of the unchanged file", flush=True)
    again = import_once(db, fmt, path)
    job, result.reimport_s, result.reimport_queries = again.job, again.seconds, again.queries
    result.reimport_cpu, result.reimport_server_cpu = again.client_cpu, again.server_cpu
    result.reimport_indexer_cpu = again.indexer_cpu
    if job.status != JobStatus.FINISHED or job.unchanged_count != records:
        raise RuntimeError(f"{fmt} re-import: {job.status}, {job.unchanged_count} unchanged")
    return result


def throughput_worker(
    db: str, records: int, formats: tuple[str, ...], profile: bool
) -> dict[str, Any]:
    setup_database(db)
    load = os.getloadavg()[0]
    results = [measure_format(db, fmt, records, profile=profile) for fmt in formats]
    server = pg_settings() if db == "postgres" else "SQLite"
    return {
        "results": [asdict(r) for r in results],
        "load": f"{load:.1f} before, {os.getloadavg()[0]:.1f} after (cores: {os.cpu_count()}); "
        + f"{cpu_reference()}; {server}",
    }


# --- Peak memory (a worker starts manage.py import_heritage and watches it) --------------


@dataclass
class Memory:
    records: int
    peak_kb: int = 0
    seconds: float = 0.0
    samples: list[tuple[float, int, int]] = field(default_factory=list)
    """(seconds, RSS in kB, records committed) once a second."""
    objects: int = 0
    documents: int = 0
    stopped: bool = False
    """Interrupted after `records` records (of a larger file)."""
    file_records: int = 0
    indexer_peak_kb: int = 0
    """Largest RSS sampled of the import's indexer process (large files start one)."""
    parse_s: float = 0.0
    """Parse-only time of the whole file (measured when the import was not stopped)."""

    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def rss_at(self, share: float) -> int:
        """Sampled RSS (kB) when about this share of the records was committed."""
        if not self.samples:
            return 0
        wanted = self.records * share
        return min(self.samples, key=lambda s: abs(s[2] - wanted))[1]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children_rss_kb(pid: int) -> int:
    """RSS of the process's children (the search indexer process of a large import)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    return sum(_rss_kb(int(child)) for child in children)


def memory_worker(records: int, stop_after: int = 0) -> dict[str, Any]:
    """Peak memory of the import command over the DwC-A file of `records` records; with
    `stop_after`, the command is interrupted (Ctrl-C, as a person would) once its job
    has committed that many records, and the figures are of that part of the file."""
    setup_database("postgres")
    from django.db import connections

    from reisgezel.heritage.models import HeritageObject
    from reisgezel.interop.models import ImportJob
    from reisgezel.search.models import SearchDocument

    connections.close_all()
    path = file_path("dwca", records)
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "import_heritage",
        *("--format", "dwca", "--collection", COLLECTIONS["dwca"], "--publish"),
        str(path),
    ]
    result = Memory(records)
    log = VAR / f"import-memory-{records}.log"
    with log.open("w") as output:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.DEVNULL)
        done = threading.Event()

        def sample() -> None:
            # RSS and records committed, once a second (this thread's own connection).
            while not done.wait(1.0):
                rss = _rss_kb(process.pid)
                result.indexer_peak_kb = max(result.indexer_peak_kb, _children_rss_kb(process.pid))
                checkpoint = ImportJob.objects.values_list("checkpoint", flat=True).first()
                result.samples.append((time.monotonic() - started, rss, checkpoint or 0))
                if stop_after and (checkpoint or 0) >= stop_after and not result.stopped:
                    result.stopped = True
                    process.send_signal(signal.SIGINT)
            connections.close_all()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        result.seconds = time.monotonic() - started
        done.set()
        sampler.join()
    returncode = os.waitstatus_to_exitcode(status)
    if returncode != 0 and not (result.stopped and returncode == 130):
        raise RuntimeError(f"import_heritage exited with {returncode}: see {log}")
    result.peak_kb = usage.ru_maxrss  # kilobytes on Linux
    result.objects = HeritageObject.objects.count()
    result.documents = SearchDocument.objects.count()
    expected = ImportJob.objects.get().checkpoint if result.stopped else records
    # Ctrl-C may land between a batch's commit and its indexing (a resume repairs that).
    if result.objects != expected or (result.documents != expected and not result.stopped):
        raise RuntimeError(f"{result.objects} objects, {result.documents} documents")
    result.records = expected
    if not stop_after:
        result.parse_s = parse_only("dwca", path)[1]
    return asdict(result)


# --- Driving the workers --------------------------------------------------------------------


def _worker(args: list[str]) -> dict[str, Any]:
    out = VAR / f"import-{os.getpid()}-{time.monotonic_ns()}.json"
    VAR.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, __file__, *args, "--out", str(out)], cwd=ROOT, check=True)
        data: dict[str, Any] = json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)
    return data


def measure_throughput(
    db: str, records: int, *, formats: tuple[str, ...] = FORMATS, profile: bool = False
) -> tuple[list[Throughput], str]:
    ensure_files(records, formats)
    args = ["--worker", db, "--records", str(records), "--formats", *formats]
    data = _worker(args + (["--profile"] if profile else []))
    return [Throughput(**r) for r in data["results"]], data["load"]


def measure_memory(records: int, stop_after: int = 0) -> tuple[Memory, Memory]:
    """Peak memory of the import of `records` (or of its first `stop_after`) and of the
    whole file of a tenth of that (PostgreSQL)."""
    small_records = max(1, records // 10)
    ensure_files(records, ("dwca",))
    ensure_files(small_records, ("dwca",))
    print(f"[postgres] peak memory: import of {small_records:,} records", flush=True)
    small = _memory_from(_worker(["--memory-worker", str(small_records)]))
    part = f" (stopped after {stop_after:,})" if stop_after else ""
    print(f"[postgres] peak memory: import of {records:,} records{part}", flush=True)
    args = ["--memory-worker", str(records), "--memory-stop-after", str(stop_after)]
    large = _memory_from(_worker(args))
    large.file_records = records
    return large, small


def _memory_from(data: dict[str, Any]) -> Memory:
    data["samples"] = [tuple(s) for s in data["samples"]]
    return Memory(**data)


# --- Rows, table, report ---------------------------------------------------------------------

LABELS = {"lido": "LIDO", "dwca": "DwC-A"}


def record_kb(fmt: str, records: int) -> float:
    """Size of a record in the file (uncompressed: the archive's data files)."""
    path = file_path(fmt, records)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    else:
        size = path.stat().st_size
    return size / records / 1000


def cpu_note(records: int, client: float, server: float, indexer: float = 0.0) -> str:
    """CPU per record of every side, and what that allows on this machine when idle:
    the importer's Python runs on one core at a time (the GIL), so does the indexer
    process's (large files), the database on any."""
    mine, theirs = client / records * 1000, server / records * 1000
    child = indexer / records * 1000
    best = 1000 / max(mine, child, (mine + child + theirs) / (os.cpu_count() or 1))
    indexer_part = f", indexer process {child:.2f} ms" if indexer else ""
    return (
        f"CPU per record: importer {mine:.2f} ms{indexer_part}, PostgreSQL {theirs:.2f} ms "
        f"(at best ~{best:,.0f} records/s on {os.cpu_count()} idle cores)"
        if server
        else f"CPU per record: {mine:.2f} ms (importer and database in one process)"
    )


def throughput_rows(results: list[Throughput]) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        parse_rate = r.rate(r.parse_s)
        size = record_kb(r.fmt, r.records)
        for name, seconds, queries, cpu, server, indexer in (
            (
                "first import",
                r.import_s,
                r.import_queries,
                r.import_cpu,
                r.import_server_cpu,
                r.import_indexer_cpu,
            ),
            (
                "re-import, unchanged",
                r.reimport_s,
                r.reimport_queries,
                r.reimport_cpu,
                r.reimport_server_cpu,
                r.reimport_indexer_cpu,
            ),
        ):
            rate = r.rate(seconds)
            notes = (
                f"{r.records:,} records ({size:.1f} kB each in the file) in {seconds:.1f} s, "
                f"{queries / r.records:.2f} queries/record in this process; "
                f"{cpu_note(r.records, cpu, server, indexer)}"
            )
            if name == "first import":
                notes += (
                    f"; search index up to date at the end ({r.documents:,} documents, "
                    f"{r.facets:,} facet rows); {r.warnings:,} warnings"
                )
            rows.append(
                {
                    "measure": f"{LABELS[r.fmt]} {name}",
                    "db": r.db,
                    "figure": round(rate, 1),
                    "unit": "records/s",
                    "baseline_name": "parse-only, same file",
                    "baseline": round(parse_rate, 1),
                    "ratio": round(rate / parse_rate, 2) if parse_rate else 0.0,
                    "target": TARGET,
                    "meets": rate >= TARGET,
                    "notes": notes,
                }
            )
    return rows


def memory_rows(large: Memory, small: Memory) -> list[dict[str, Any]]:
    peak, base = large.peak_kb / 1024, small.peak_kb / 1024
    what = f"{large.file_records:,}-record file"
    if large.stopped:
        what += f", stopped after {large.records:,} records"
    notes = (
        f"max RSS of `manage.py import_heritage --format dwca` (wait4: the command or its "
        f"indexer process, whichever was larger) over the {what}: "
        f"{large.records:,} records in {large.seconds:.0f} s ({large.rate():,.0f} records/s, "
        f"index included); RSS when 10/50/90 % of them were committed: "
        + "/".join(f"{large.rss_at(s) / 1024:.0f}" for s in (0.1, 0.5, 0.9))
        + f" MB; its indexer process at most {large.indexer_peak_kb / 1024:.0f} MB (sampled); "
        f"baseline: the whole {small.records:,}-record file in {small.seconds:.0f} s "
        f"(indexer process at most {small.indexer_peak_kb / 1024:.0f} MB)"
    )
    command_rate, parse_rate = small.rate(), small.records / small.parse_s if small.parse_s else 0
    throughput = {
        "measure": f"DwC-A first import, the command over a {small.records:,}-record file",
        "db": "postgres",
        "figure": round(command_rate, 1),
        "unit": "records/s",
        "baseline_name": "parse-only, same file",
        "baseline": round(parse_rate, 1),
        "ratio": round(command_rate / parse_rate, 2) if parse_rate else 0.0,
        "target": TARGET,
        "meets": command_rate >= TARGET,
        "notes": (
            f"`manage.py import_heritage --format dwca --publish` (a process of its own, "
            f"with its progress bar and indexer process, into an empty database): "
            f"{small.records:,} records in {small.seconds:.1f} s, index included"
        ),
    }
    return [
        throughput,
        {
            "measure": f"DwC-A import peak memory, {what}",
            "db": "postgres",
            "figure": round(peak, 1),
            "unit": "MB",
            "baseline_name": f"same import of {small.records:,} records",
            "baseline": round(base, 1),
            "ratio": round(peak / base, 2) if base else 0.0,
            "target": round(base * FLAT, 1),
            "meets": peak <= base * FLAT,
            "notes": notes,
        },
    ]


def run(
    db: str,
    records: int,
    *,
    memory_records: int = MEMORY_RECORDS,
    memory_stop_after: int = 0,
    profile: bool = False,
) -> list[dict[str, Any]]:
    """Rows (measure, db, figure, unit, baseline_name, baseline, ratio, target, meets,
    notes) for a combined heritage runner. Peak memory is measured on PostgreSQL only
    (skipped when memory_records is 0)."""
    results, _load = measure_throughput(db, records, profile=profile)
    rows = throughput_rows(results)
    if db == "postgres" and memory_records:
        rows += memory_rows(*measure_memory(memory_records, memory_stop_after))
    return rows


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| measure | db | figure | baseline | ratio | target | meets |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        unit = r["unit"]
        lines.append(
            f"| {r['measure']} | {r['db']} | {r['figure']:,.0f} {unit} "
            f"| {r['baseline']:,.0f} {unit} ({r['baseline_name']}) | {r['ratio']:.2f} "
            f"| {r['target']:,.0f} {unit} | {'yes' if r['meets'] else 'no'} |"
        )
    return lines


def write_report(
    rows: list[dict[str, Any]],
    profiles: dict[str, str],
    loads: dict[str, str],
    args: argparse.Namespace,
) -> Path:
    out = [
        f"# Heritage: imports, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"`python bench/heritage_import.py --records {args.records} --db {args.db} "
        f"--memory-records {args.memory_records}"
        + (f" --memory-stop-after {args.memory_stop_after}" if args.memory_stop_after else "")
        + f"`; targets: at least {TARGET:,.0f} records/s "
        "on PostgreSQL (issue 3); peak memory flat: the large file within "
        f"{FLAT:.2f}x the peak of a tenth of it.",
        "",
        *table(rows),
        "",
        "Notes per row:",
        "",
        *(f"- {r['measure']} ({r['db']}): {r['notes']}" for r in rows),
        "",
        "First import: empty database, new objects published (so each gets its facet rows",
        "in the collection search), batches of the default size; the time runs until the",
        "job is finished, which includes indexing every batch after its commit.",
        "",
        *(f"Load average on {db}: {load}." for db, load in loads.items()),
        "",
    ]
    for name, text in profiles.items():
        out += [f"## cProfile of the first import: {name}", "", "```", text.strip(), "```", ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y-%m-%d')}-heritage-import.md"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--memory-records", type=int, default=MEMORY_RECORDS, help="0: skip")
    parser.add_argument(
        "--memory-stop-after",
        type=int,
        default=0,
        help="interrupt the large import after this many records (0: import the whole file)",
    )
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--profile", action="store_true", help="cProfile the first imports")
    # Internal: the worker processes.
    parser.add_argument("--make-files", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--memory-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    formats = tuple(args.formats)
    if args.make_files:
        make_files(args.make_files, formats)
        return 0
    if args.worker:
        data = throughput_worker(args.worker, args.records, formats, args.profile)
        args.out.write_text(json.dumps(data))
        return 0
    if args.memory_worker:
        data = memory_worker(args.memory_worker, args.memory_stop_after)
        args.out.write_text(json.dumps(data))
        return 0
    rows: list[dict[str, Any]] = []
    profiles: dict[str, str] = {}
    loads: dict[str, str] = {}
    for db in ["postgres", "sqlite"] if args.db == "both" else [args.db]:
        results, loads[db] = measure_throughput(
            db, args.records, formats=formats, profile=args.profile
        )
        rows += throughput_rows(results)
        profiles.update({f"{LABELS[r.fmt]} on {db}": r.profile for r in results if r.profile})
    if args.db in ("postgres", "both") and args.memory_records:
        rows += memory_rows(*measure_memory(args.memory_records, args.memory_stop_after))
    print("\n".join(["", *table(rows)]))
    print(f"\nWritten to {write_report(rows, profiles, loads, args).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
