"""The five agenda queries: full requests through the test Client (server time) next to
the bare grouped occurrence query with the same parameters, on a raw cursor."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min, QuerySet
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.worker import summary
from reisgezel.agenda.filters import AgendaFilterForm
from reisgezel.agenda.selectors import occurrences_matching

WARMUP = 3


def scenarios() -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    d1, d2 = today + timedelta(days=7), today + timedelta(days=37)
    return [
        ("1 this weekend", "/nl/agenda/?when=weekend", "page"),
        (
            "2 discipline + dates",
            f"/nl/agenda/?discipline=music&date_from={d1}&date_to={d2}",
            "page",
        ),
        ("3 buurt + free", "/nl/agenda/?neighbourhood=binnenstad&free=on", "page"),
        ("4 text search", "/nl/agenda/?q=concert", "page"),
        ("5 iCal feed", "/ical/agenda.ics?discipline=theatre&when=month", "ical"),
    ]


def grouped_query(url: str, kind: str) -> QuerySet[Any]:
    """The main query of the page (agenda_page) or of the feed (feed_events)."""
    form = AgendaFilterForm(QueryDict(url.split("?", 1)[1]))
    assert form.is_valid(), form.errors
    filters = form.filters()
    if kind == "ical":
        from reisgezel.agenda.ical_export import MAX_FEED_EVENTS

        return (
            occurrences_matching(filters)
            .values("event_id")
            .annotate(first=Min("start"))
            .order_by("first", "event_id")[:MAX_FEED_EVENTS]
        )
    return (
        occurrences_matching(filters)
        .values("event_id")
        .annotate(first_start=Min("start"), n=Count("id"))
        .order_by("first_start", "event_id")[: filters.per_page]
    )


def _time_bare(sql: str, params: tuple[Any, ...], repeat: int) -> list[float]:
    times = []
    with connection.cursor() as cursor:
        for i in range(WARMUP + repeat):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            if i >= WARMUP:
                times.append(time.perf_counter() - started)
    return times


def _explain(sql: str, params: tuple[Any, ...]) -> str:
    prefix = (
        "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
    except Exception as exc:
        return f"(no plan: {exc})"


def _time_cold(client: Client, url: str) -> float:
    """One request with an empty cache: the first visitor after a change pays this."""
    cache.clear()
    started = time.perf_counter()
    client.get(url)
    return time.perf_counter() - started


def run_one(name: str, url: str, kind: str, repeat: int) -> dict[str, Any]:
    client = Client()
    client.get(url)  # opens the connection, loads templates
    cold = _time_cold(client, url)
    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    page = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        page.append(time.perf_counter() - started)
    size = len(response.content)
    sql, params = grouped_query(url, kind).query.sql_with_params()
    bare = _time_bare(sql, params, repeat)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = sorted(
        ((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True
    )
    median, p95 = summary(page)
    bare_median, bare_p95 = summary(bare)
    return {
        "query": name,
        "url": url,
        "db": connection.vendor,
        "median": median,
        "p95": p95,
        "bare_median": bare_median,
        "bare_p95": bare_p95,
        "ratio": p95 / bare_p95 if bare_p95 else 0,
        "cold": cold * 1000,
        "bytes": size,
        "n_queries": len(queries),
        "sql_ms": sum(ms for ms, _ in queries),
        "slowest": [(round(ms, 1), q[:600]) for ms, q in queries[:4]],
        "bare_sql": connection.ops.last_executed_query(connection.cursor(), sql, params)
        if connection.vendor == "sqlite"
        else sql,
        "plan": _explain(sql, params),
    }


def run_all(db: str, *, repeat: int) -> list[dict[str, Any]]:
    rows = []
    for name, url, kind in scenarios():
        row = run_one(name, url, kind, repeat)
        row["db"] = db
        print(
            f"[{db}] {name:<22} median {row['median']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
            f"bare p95 {row['bare_p95']:6.1f} ms  {row['n_queries']} queries",
            flush=True,
        )
        rows.append(row)
    return rows
