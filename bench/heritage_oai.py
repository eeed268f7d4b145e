"""Heritage benchmark: a full OAI-PMH harvest with sickle.

    python bench/heritage_oai.py [--records 100000] [--db postgres|sqlite|both]
                                 [--prefix oai_dc,lido] [--workers 2] [--regenerate]

Builds (or reuses) a heritage database with `--records` public objects (plus hidden
objects and tombstones, see bench/heritage_data.py), starts the real site under granian
with a deployment's environment (DEBUG=0, its own SECRET_KEY, `--workers` processes),
and harvests the whole list with sickle's ListRecords from this process. Next to it, in
the same run and on the same server:

- a plain HTTP loop: the same requests (`requests.get`, as sickle sends them) that only
  find the resumptionToken with a regular expression: what the server and HTTP cost;
- parse-only: sickle's own iterator over the responses the loop fetched, without the
  network: what the client costs (sickle parses each page three times and turns every
  record into a dict);
- the server's time per page inside the application (`respond()` drained, no HTTP),
  replayed from the loop's tokens in a process with the server's settings, with its
  number of queries, and a cProfile of those pages in the report.

A harvest is sequential (each page needs the token of the previous one), so its time is
about the loop's time plus the parse-only time. Results: a table on stdout and
bench/results/<date>-heritage-oai.md. `run(db, records)` gives the rows to a combined
heritage runner.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import heritage_data  # noqa: E402  (needs ROOT on the path when run as a script)
from bench.databases import pg_settings  # noqa: E402
from bench.machine import cpu_reference  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET = 2000.0  # records per second (issue 3)
PREFIXES = ("oai_dc", "lido")
WORKERS = 2  # docs/operations.md: as many granian workers as cores (this machine: 2)
REPLAY_PAGES = 150  # pages replayed in-process for the server's time per page
PROFILE_PAGES = 20
_TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]*)</resumptionToken>")


@dataclass
class Harvest:
    prefix: str
    records: int = 0
    deleted: int = 0
    pages: int = 0
    seconds: float = 0.0
    bytes: int = 0
    loop_seconds: float = 0.0
    parse_seconds: float = 0.0
    server_ms: list[float] = field(default_factory=list)
    queries: int = 0
    profile: str = ""
    load: str = ""  # load average before and after, on a shared machine
    plain_seconds: float = 0.0  # the same harvest from a server without read-ahead

    def rate(self, seconds: float) -> float:
        return self.records / seconds if seconds else 0.0


# --- The server -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(db: str, port: int, home: Path, page_size: int = 0) -> dict[str, str]:
    """What a deployment sets (docs/operations.md), with the two loopback relaxations of
    tests/production (plain HTTP). No REDIS_URL: the pages built ahead (read_ahead) go
    to embedded mode's file cache, which both workers share. `page_size` 0 keeps the
    endpoint's default."""
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": heritage_data.database_url(db),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(home / "static"),
    }
    if page_size:
        env["OAI_PAGE_SIZE"] = str(page_size)
    return env


@contextmanager
def running_site(
    db: str, workers: int, page_size: int = 0, *, read_ahead: bool = True
) -> Iterator[tuple[str, dict[str, str]]]:
    """granian serving config.wsgi:application; yields (base URL, its environment)."""
    import requests

    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="h_oaibench-") as tmp:
        home = Path(tmp)
        (home / "static").mkdir()
        env = server_env(db, port, home, page_size)
        env["OAI_READ_AHEAD"] = "1" if read_ahead else "0"
        granian = Path(sys.executable).parent / "granian"
        command = [
            str(granian),
            *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
            *("--workers", str(workers), "--no-ws", "config.wsgi:application"),
        ]
        log_path = home / "granian.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"granian stopped:\n{log_path.read_text()[-3000:]}")
                try:
                    if requests.get(f"{url}/healthz", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"granian did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
            yield url, env
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


# --- The three client-side measurements ------------------------------------------------


def http_loop(url: str, prefix: str) -> tuple[list[bytes], float]:
    """Every page with plain requests (like sickle's), the token found by a regex."""
    import requests

    params: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": prefix}
    bodies: list[bytes] = []
    started = time.perf_counter()
    while True:
        response = requests.get(f"{url}/oai", params=params, timeout=120)
        response.raise_for_status()
        bodies.append(response.content)
        found = _TOKEN.search(response.content)
        if found is None or not found.group(1):
            break
        params = {"verb": "ListRecords", "resumptionToken": found.group(1).decode()}
    return bodies, time.perf_counter() - started


def sickle_harvest(url: str, prefix: str, result: Harvest) -> None:
    """The real client, as a harvester uses it; checks that every item came once."""
    from sickle import Sickle

    seen: set[str] = set()
    started = time.perf_counter()
    for record in Sickle(f"{url}/oai").ListRecords(metadataPrefix=prefix):
        seen.add(record.header.identifier)
        result.records += 1
        result.deleted += record.deleted
    result.seconds = time.perf_counter() - started
    if len(seen) != result.records:
        raise RuntimeError(f"{result.records - len(seen)} records came twice")


class _Stored:
    """A stored page in the shape sickle reads from `requests` (content, text)."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.status_code = 200

    @property
    def text(self) -> str:
        return self.content.decode()


def parse_only(bodies: list[bytes], prefix: str) -> tuple[int, float]:
    """sickle's iterator and record mapping over stored pages: no network, no server."""
    from sickle import Sickle
    from sickle.response import OAIResponse

    pages = iter(bodies)

    class StoredSickle(Sickle):
        def harvest(self, **kwargs: Any) -> OAIResponse:
            return OAIResponse(_Stored(next(pages)), params=kwargs)

    started = time.perf_counter()
    count = sum(1 for _ in StoredSickle("stored").ListRecords(metadataPrefix=prefix))
    return count, time.perf_counter() - started


# --- Server time per page (in a process with the server's settings) -------------------


def _replay_requests(bodies: list[bytes], prefix: str) -> list[dict[str, str]]:
    """The requests of an evenly spread sample of pages (first page included)."""
    requests_: list[dict[str, str]] = [{"verb": "ListRecords", "metadataPrefix": prefix}]
    for body in bodies[:-1]:
        found = _TOKEN.search(body)
        assert found is not None
        requests_.append({"verb": "ListRecords", "resumptionToken": found.group(1).decode()})
    step = max(1, len(requests_) // REPLAY_PAGES)
    return requests_[::step]


def server_times(env: dict[str, str], pages: list[dict[str, str]], result: Harvest) -> None:
    with tempfile.TemporaryDirectory(prefix="h_oaibench-replay-") as tmp:
        job = Path(tmp) / "pages.json"
        job.write_text(json.dumps(pages))
        out = Path(tmp) / "times.json"
        command = [sys.executable, __file__, "--replay", str(job), "--out", str(out)]
        # Each page built by the request itself: the application's time per page (a page
        # built ahead would cost only the envelope).
        replay_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "OAI_READ_AHEAD": "0"}
        subprocess.run(command, cwd=ROOT, env=replay_env, check=True)
        data = json.loads(out.read_text())
    result.server_ms, result.queries, result.profile = data["ms"], data["queries"], data["profile"]


def replay(job: Path, out: Path) -> None:
    """Time `respond()` for each request (drained: every byte written), count the
    queries of one page, and profile the first PROFILE_PAGES pages."""
    import cProfile
    import io
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reisgezel.interop.oai.protocol import respond

    pages = json.loads(job.read_text())

    def one(params: dict[str, str]) -> int:
        return sum(len(chunk) for chunk in respond([(k, [v]) for k, v in params.items()]))

    for params in pages[:3]:  # warm-up: imports, connection, caches
        one(params)
    timings = []
    for params in pages:
        started = time.perf_counter()
        one(params)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        one(pages[len(pages) // 2])
    profiler = cProfile.Profile()
    profiler.enable()
    for params in pages[:PROFILE_PAGES]:
        one(params)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(22)
    report = {"ms": timings, "queries": len(queries.captured_queries), "profile": text.getvalue()}
    out.write_text(json.dumps(report))


# --- One database ----------------------------------------------------------------------


def prepare(db: str, records: int, regenerate: bool) -> dict[str, Any]:
    """Build or reuse the data set in a process of its own (Django reads DATABASE_URL
    at import), as bench/heritage_data.py's command line."""
    command = [sys.executable, str(ROOT / "bench" / "heritage_data.py"), "--db", db]
    command += ["--objects", str(records)] + (["--regenerate"] if regenerate else [])
    last = ""
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:  # progress lines, then the description as JSON
            if last:
                print(last, end="", flush=True)
            last = line
    if process.returncode != 0:
        raise RuntimeError(f"generating the data on {db} failed")
    meta: dict[str, Any] = json.loads(last)
    return meta


def measure(
    db: str, records: int, prefixes: tuple[str, ...], workers: int, page_size: int = 0
) -> list[Harvest]:
    meta = prepare(db, records, regenerate=False)
    expected = meta["objects"] + meta["tombstones"]
    results = []
    with running_site(db, workers, page_size) as (url, env):
        for prefix in prefixes:
            result = Harvest(prefix)
            load_before = os.getloadavg()[0]
            print(f"[{db}] {prefix}: plain HTTP loop", flush=True)
            bodies, result.loop_seconds = http_loop(url, prefix)  # also warms the database
            result.pages, result.bytes = len(bodies), sum(len(b) for b in bodies)
            print(f"[{db}] {prefix}: sickle harvest", flush=True)
            sickle_harvest(url, prefix, result)
            if result.records != expected:
                raise RuntimeError(f"harvested {result.records} records, expected {expected}")
            # The first loop also warmed the database's cache: the baseline is the
            # better of a loop before and one after the harvest.
            print(f"[{db}] {prefix}: plain HTTP loop again", flush=True)
            result.loop_seconds = min(result.loop_seconds, http_loop(url, prefix)[1])
            parsed, result.parse_seconds = parse_only(bodies, prefix)
            assert parsed == result.records
            print(f"[{db}] {prefix}: server time per page", flush=True)
            server_times(env, _replay_requests(bodies, prefix), result)
            server = f"; {pg_settings()}" if db == "postgres" else ""
            result.load = (
                f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
                f"{cpu_reference()}{server}"
            )
            results.append(result)
    # The baseline of read-ahead: the same harvest from a server that builds each page
    # when it is asked for.
    with running_site(db, workers, page_size, read_ahead=False) as (url, _env):
        for result in results:
            print(f"[{db}] {result.prefix}: sickle harvest without read-ahead", flush=True)
            plain = Harvest(result.prefix)
            sickle_harvest(url, result.prefix, plain)
            result.plain_seconds = plain.seconds
    return results


def rows_for(db: str, results: list[Harvest], workers: int) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        rate, loop_rate = r.rate(r.seconds), r.rate(r.loop_seconds)
        notes = (
            f"{r.records} records ({r.deleted} deleted) in {r.pages} pages of "
            f"{r.bytes / r.pages / 1024:.0f} KB, {r.seconds:.1f} s; parse-only (sickle "
            f"without network) {r.rate(r.parse_seconds):,.0f} records/s; server "
            f"{statistics.median(r.server_ms):.1f} ms/page median, {r.queries} queries/page; "
            f"without read-ahead {r.rate(r.plain_seconds):,.0f} records/s; "
            f"granian {workers} workers; load average {r.load}"
        )
        rows.append(
            {
                "measure": f"OAI-PMH harvest, sickle ListRecords {r.prefix}",
                "db": db,
                "figure": round(rate, 1),
                "unit": "records/s",
                "baseline_name": "plain HTTP loop, no XML parsing",
                "baseline": round(loop_rate, 1),
                "ratio": round(rate / loop_rate, 2) if loop_rate else 0.0,
                "target": TARGET,
                "meets": rate >= TARGET,
                "notes": notes,
            }
        )
    return rows


def run(
    db: str,
    records: int,
    *,
    prefixes: tuple[str, ...] = PREFIXES,
    workers: int = WORKERS,
) -> list[dict[str, Any]]:
    """Rows (measure, db, figure, unit, baseline_name, baseline, ratio, target, meets,
    notes) for a combined heritage runner."""
    return rows_for(db, measure(db, records, prefixes, workers), workers)


# --- Report ----------------------------------------------------------------------------


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def table(all_results: dict[str, list[Harvest]]) -> list[str]:
    lines = [
        "| format | db | records | harvest s | records/s | target | meets"
        " | without read-ahead rec/s | HTTP loop rec/s"
        " | parse-only rec/s | server ms/page median (p95) | queries/page | KB/page |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for db, results in all_results.items():
        for r in results:
            rate = r.rate(r.seconds)
            lines.append(
                f"| {r.prefix} | {db} | {r.records:,} | {r.seconds:.1f} | {rate:,.0f} "
                f"| {TARGET:,.0f} | {'yes' if rate >= TARGET else 'no'} "
                f"| {r.rate(r.plain_seconds):,.0f} "
                f"| {r.rate(r.loop_seconds):,.0f} | {r.rate(r.parse_seconds):,.0f} "
                f"| {statistics.median(r.server_ms):.1f} ({_percentile(r.server_ms, 95):.1f}) "
                f"| {r.queries} | {r.bytes / r.pages / 1024:.0f} |"
            )
    return lines


def write_report(all_results: dict[str, list[Harvest]], args: argparse.Namespace) -> Path:
    out = [
        f"# Heritage: OAI-PMH harvest, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"`python bench/heritage_oai.py --records {args.records} --db {args.db} "
        f"--prefix {args.prefix} --workers {args.workers}"
        + (f" --page-size {args.page_size}" if args.page_size else "")
        + "`; target: at least "
        f"{TARGET:,.0f} records/s for a full harvest with sickle.",
        "",
        *table(all_results),
        "",
        "A harvest is sequential. Without read-ahead its time is about the HTTP loop's",
        "(server and transfer) plus sickle's parsing (parse-only); with it (the server",
        "builds the next page while sickle parses this one) about the larger of the two.",
        "The server's time per page is `respond()`",
        "in-process; the rest of the loop's time per page is WSGI, HTTP and transfer.",
        f"The machine has {os.cpu_count()} cores shared with other work: see the load",
        "averages per measurement below.",
        "",
    ]
    for db, results in all_results.items():
        for r in results:
            loop_ms = r.loop_seconds / r.pages * 1000
            parse_ms = r.parse_seconds / r.pages * 1000
            out += [
                f"## {r.prefix} on {db}",
                "",
                f"{r.records:,} records ({r.deleted:,} deleted) in {r.pages} pages; per page: "
                f"harvest {r.seconds / r.pages * 1000:.1f} ms (without read-ahead "
                f"{r.plain_seconds / r.pages * 1000:.1f} ms); HTTP loop {loop_ms:.1f} ms; "
                f"the application alone (in-process replay, median) "
                f"{statistics.median(r.server_ms):.1f} ms; sickle parsing {parse_ms:.1f} ms. "
                f"Load average {r.load}.",
                "",
                f"cProfile of {PROFILE_PAGES} pages in the application (by own time):",
                "",
                "```",
                r.profile.strip()[-6000:],
                "```",
                "",
            ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y-%m-%d')}-heritage-oai.md"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--prefix", default=",".join(PREFIXES))
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--page-size", type=int, default=0, help="OAI_PAGE_SIZE for the server (0: its default)"
    )
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--replay", type=Path, help=argparse.SUPPRESS)  # internal
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replay:
        replay(args.replay, args.out)
        return 0
    prefixes = tuple(p.strip() for p in args.prefix.split(",") if p.strip())
    all_results = {}
    for db in ["postgres", "sqlite"] if args.db == "both" else [args.db]:
        if args.regenerate:
            prepare(db, args.records, regenerate=True)
        all_results[db] = measure(db, args.records, prefixes, args.workers, args.page_size)
    print("\n".join(["", *table(all_results)]))
    print(f"\nWritten to {write_report(all_results, args).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
