"""Benchmark of a buurt page with 100,000 events and 10,000 stories in the city.

    python bench/neighbourhood_page.py [--events 100000] [--stories 10000] [--repeat 30]
                                       [--db sqlite|postgres] [--reuse]

Builds its own database (SQLite: var/bench/neighbourhood.sqlite3; PostgreSQL: the
database `$BENCH_NEIGHBOURHOOD_PG_NAME`, default `reisgezel_bench_neighbourhood`, dropped
and created through `BENCH_PG_ADMIN_URL`; rebuilt each run unless --reuse) with
bench/generate.py's agenda (events, occurrences over a year at 800
places inside the real CBS buurten) plus stories spread over the buurten when the
stories app has its models, then times the busiest buurt's page through Django's test
Client next to its bare queries (the same SQL on a raw cursor). Writes
bench/results/<date>-neighbourhood.md (<date>-neighbourhood-postgres.md for PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench" / "neighbourhood.sqlite3"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench.databases import pg_exists, pg_recreate, pg_url, sqlite_remove  # noqa: E402
from bench.machine import cpu_reference  # noqa: E402

PG_NAME = os.environ.get("BENCH_NEIGHBOURHOOD_PG_NAME", "reisgezel_bench_neighbourhood")
RESULTS = ROOT / "bench" / "results"


def _database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{DB}"
    return pg_url(PG_NAME)


def _fresh_database(db: str, reuse: bool) -> bool:
    """Drop and create the benchmark's own database (never another); True when an
    existing one is kept for --reuse."""
    if db == "sqlite":
        if reuse and DB.exists():
            return True
        sqlite_remove(DB)
        return False
    if reuse and pg_exists(PG_NAME):
        return True
    pg_recreate(PG_NAME)
    return False


def _environment(db: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": _database_url(db),
            "REISGEZEL_TESTING": "1",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _stories(n: int) -> int:
    """Published stories spread over the buurten (bulk: this measures reads)."""
    try:
        from reisgezel.stories.models import Story
    except ImportError:
        return 0
    from django.utils import timezone

    from reisgezel.places.models import Neighbourhood

    rng = random.Random(2)
    buurten = list(Neighbourhood.objects.values_list("pk", flat=True))
    now = timezone.now()
    rows = [
        Story(
            title=f"Verhaal {i}",
            text="Een herinnering aan de buurt.",
            language="nl",
            display_name="Buurtbewoner",
            contributor_email="bench@example.org",
            email_confirmed_at=now,
            licence="cc-by-4.0",
            people_consent=True,
            about="neighbourhood",
            neighbourhood_id=rng.choice(buurten),
            state="published",
            published_at=now,
        )
        for i in range(n)
    ]
    Story.objects.bulk_create(rows, batch_size=2000)
    return n


def _summary(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(seconds) * 1000, p95 * 1000


def _bare(slug: str, repeat: int) -> list[float]:
    """The page's own selectors, uncached queries only (no template, no middleware)."""
    from reisgezel.neighbourhoods import selectors

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        area = selectors.neighbourhood_area(slug=slug)
        assert area is not None and area.neighbourhood is not None
        selectors.upcoming_events(area)
        selectors.courses_nearby(area)
        selectors.stories_nearby(area)
        selectors.cultural_places(area)
        selectors.partners(area)
        selectors.amateur_groups(area)
        selectors.neighbouring_buurten(area.neighbourhood)
        selectors.districts_with_neighbourhoods()
        timings.append(time.perf_counter() - started)
    return timings


def _count_stories() -> int:
    try:
        from reisgezel.stories.models import Story
    except ImportError:
        return 0
    return Story.objects.count()


def _raw(connection: Any, statements: list[str], repeat: int) -> list[float]:
    """The page's queries as captured (with their parameters inlined), on a raw cursor."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the data set of the last run again"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    DB.parent.mkdir(parents=True, exist_ok=True)
    reuse = _fresh_database(args.db, args.reuse)
    _environment(args.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import generate
    from reisgezel.places.models import Neighbourhood

    started = time.monotonic()
    if reuse:
        from reisgezel.agenda.models import Event, Occurrence

        counts = {"events": Event.objects.count(), "occurrences": Occurrence.objects.count()}
        n_stories = _count_stories()
    else:
        call_command("migrate", verbosity=0)
        counts = generate.generate(args.events, log=lambda line: print(line, flush=True))
        n_stories = _stories(args.stories)
    generated = time.monotonic() - started
    busiest = (
        Neighbourhood.objects.annotate(n=Count("occurrences"))
        .order_by("-n")
        .values_list("slug", "n")
        .first()
    )
    assert busiest is not None
    slug, n_occurrences = busiest
    url = f"/nl/neighbourhoods/{slug}/"
    client = Client()
    for _ in range(3):
        assert client.get(url).status_code == 200
    page = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        client.get(url)
        page.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    bare = _bare(slug, args.repeat)
    raw = _raw(connection, [q["sql"] for q in captured.captured_queries], args.repeat)
    median, p95 = _summary(page)
    bare_median, bare_p95 = _summary(bare)
    raw_median, raw_p95 = _summary(raw)
    rows: list[tuple[str, Any, Any, str]] = [
        ("page median ms", f"{median:.1f}", f"{bare_median:.1f}", f"{median / bare_median:.1f}"),
        ("page p95 ms", f"{p95:.1f}", f"{bare_p95:.1f}", f"{p95 / bare_p95:.1f}"),
        (
            "page median ms vs raw SQL",
            f"{median:.1f}",
            f"{raw_median:.1f}",
            f"{median / raw_median:.1f}",
        ),
        ("page p95 ms vs raw SQL", f"{p95:.1f}", f"{raw_p95:.1f}", f"{p95 / raw_p95:.1f}"),
        ("queries per page", len(captured.captured_queries), "-", "-"),
    ]
    table = [
        "| figure | buurt page | baseline | ratio |",
        "|---|---:|---:|---:|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
    ]
    slowest = sorted(
        ((float(q["time"]) * 1000, q["sql"][:300]) for q in captured.captured_queries),
        reverse=True,
    )[:4]
    report = [
        f"# Neighbourhood page benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"`python bench/neighbourhood_page.py --events {args.events} --stories {args.stories}"
        f" --repeat {args.repeat} --db {args.db}` on "
        + ("SQLite." if args.db == "sqlite" else "PostgreSQL."),
        "",
        f"Data: {counts.get('events')} events, {counts.get('occurrences')} occurrences, "
        f"{n_stories} stories"
        + ("" if n_stories else " (the stories app had no models: events only)")
        + f"; generated in {generated:.0f} s. Page: `{url}`, the busiest buurt "
        f"({n_occurrences} occurrences). Load average {os.getloadavg()[0]:.1f} "
        f"(cores: {os.cpu_count()}); {cpu_reference()}.",
        "",
        *table,
        "",
        "*baseline*: first the page's selectors called directly (their queries and model "
        "instances, without middleware or template), then *raw SQL*: the SQL text of the "
        "page's own queries (captured from one request) executed on a raw cursor with "
        "`fetchall()`, all of them per sample. Both timed in the same run. No fragment "
        "caching is used: every request runs every query.",
        "",
        "Slowest queries of one request (ms, SQL):",
        "",
        *[f"- {ms:.1f} ms: `{sql}`" for ms, sql in slowest],
        "",
    ]
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if args.db == "sqlite" else "-postgres"
    out = RESULTS / f"{time.strftime('%Y-%m-%d')}-neighbourhood{suffix}.md"
    out.write_text("\n".join(report))
    print("\n".join(table))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
