"""Agenda benchmarks.

    python bench/run.py [--events 100000] [--db sqlite|postgres|both] [--repeat N]

Generates (or reuses) a large data set per database in its own database (a SQLite
file under var/bench/, the PostgreSQL database `reisgezel_bench`), then measures the
five most common agenda requests. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0


def _table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| query | db | median ms | p95 ms | bare median ms | bare p95 ms | ratio p95/bare"
        " | cold ms | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['query']} | {r['db']} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['bare_median']:.1f} | {r['bare_p95']:.1f} | {r['ratio']:.1f} "
            f"| {r.get('cold', 0):.1f} | {r['n_queries']} |"
        )
    return lines


def _verdict(r: dict[str, Any]) -> str:
    ok_p95, ok_ratio = r["p95"] < TARGET_P95_MS, r["ratio"] < TARGET_RATIO
    return (
        "meets both targets"
        if ok_p95 and ok_ratio
        else ", ".join(
            x
            for x in (
                None if ok_p95 else f"p95 {r['p95']:.0f} ms >= {TARGET_P95_MS:.0f} ms",
                None if ok_ratio else f"ratio {r['ratio']:.1f} >= {TARGET_RATIO:.0f}",
            )
            if x
        )
    )


def write_report(results: list[dict[str, Any]], args: argparse.Namespace) -> Path:
    rows = [row for result in results for row in result["rows"]]
    out = [
        f"# Agenda benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"`python bench/run.py --events {args.events} --db {args.db} --repeat {args.repeat}`; "
        f"targets: p95 < {TARGET_P95_MS:.0f} ms per page and < {TARGET_RATIO:.0f}x the bare query.",
        "",
        *_table(rows),
        "",
        "How to read it: *median/p95* are repeated requests of the same view, as visitors "
        "make them between two changes of the agenda: the counts, the page of ids and the "
        "rendered results and filter fragments come from the cache (they are keyed by a "
        "data version that every change raises). *cold* is the first request after "
        "`cache.clear()`: every count, facet and fragment computed and rendered. After a "
        "change, a task prepares the list and its date presets (`prepare_popular_views`), "
        "so the cold cost falls on the first visitor of other filter combinations only. "
        "*bare* is the grouped SQL of the same filter, uncached, timed in the same run.",
        "",
    ]
    for result in results:
        meta = result["meta"]
        reused = f" (reused, generated {meta.get('date')})" if meta.get("reused") else ""
        out += [
            f"## {result['db']}",
            "",
            f"Data: {meta.get('events')} events, {meta.get('occurrences')} occurrences, "
            f"{meta.get('indexed')} search documents; generated in {meta.get('generate_s')} s, "
            f"indexed in {meta.get('index_s')} s{reused}; load average {meta.get('load')}.",
            "",
        ]
        for r in result["rows"]:
            out += [
                f"### {r['query']} ({r['db']}): {_verdict(r)}",
                "",
                f"`{r['url']}`, {r['n_queries']} queries, "
                f"{r['sql_ms']:.1f} ms in SQL (one profiled request), {r['bytes']} bytes.",
                "",
                "Slowest queries of the request:",
                "",
            ]
            out += [f"- {ms} ms: `{sql[:300]}`" for ms, sql in r["slowest"]]
            out += ["", "Plan of the bare grouped query:", "", "```", r["plan"][:3000], "```", ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y-%m-%d')}-agenda.md"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--regenerate", action="store_true", help="build the data set again even if it exists"
    )
    args = parser.parse_args()
    results = []
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        out = ROOT / "var" / "bench" / f"{db}-results.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            str(ROOT / "bench" / "worker.py"),
            "--db",
            db,
            "--events",
            str(args.events),
            "--repeat",
            str(args.repeat),
            "--out",
            str(out),
        ]
        if args.regenerate:
            command.append("--regenerate")
        if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
            print(f"benchmark on {db} failed", file=sys.stderr)
            return 1
        results.append(json.loads(out.read_text()))
    rows = [row for result in results for row in result["rows"]]
    print("\n".join(["", *_table(rows)]))
    print(f"\nWritten to {write_report(results, args).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
