"""Site-wide search benchmark: the search page (/nl/search/) over the collection data.

    python bench/site_search.py [--objects 100000] [--db postgres|sqlite|both] [--repeat 9]

Uses the data set of the collection search benchmark (bench/heritage_search_data.py,
built or reused in databases of its own: `--objects` public heritage objects, each a
search document) and times, per word, the search page as a visitor gets it: the
overview with its counts by type and the best five of each type, through Django's test
Client, for the first visitor of the words (the cache emptied before each request) and
for the next (what the first found is kept for two minutes: search/page_cache.py).
Next to the first, in the same process: the same first visitor with the frequent
words' posting lists switched off (the page's counts by type then run in SQL; with the
lists they read no document row, search/postings.py), and one count of the word's
public matches as a single SQL statement (the number the page must state). Common words
("maastricht" is in three quarters of the objects) are the hard case: in SQL every
count and every ranking of them reads every match.

Results: a table on stdout and bench/results/<date>-site-search-<objects>-<db>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench.machine import cpu_reference  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WORDS = ("maastricht", "schotel", "bord", "sphinx")


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def worker(db: str, repeat: int) -> list[dict[str, Any]]:
    from bench.heritage_search_data import configure_django

    configure_django(db)
    from django.core.cache import cache
    from django.test import Client, override_settings

    from reisgezel.search.backends import get_backend
    from reisgezel.search.models import SearchDocument
    from reisgezel.search.terms import parse_query

    client = Client()
    rows = []
    for word in WORDS:
        url = f"/nl/search/?q={word}"
        client.get(url)  # the connection, the templates, the word's readings
        page: list[float] = []
        again: list[float] = []
        unlisted: list[float] = []
        for _ in range(repeat):
            with override_settings(SEARCH_POSTINGS={"ENABLED": 0}):
                cache.clear()  # the baseline: the same first visitor, counted in SQL
                started = time.perf_counter()
                client.get(url)
                unlisted.append(time.perf_counter() - started)
            cache.clear()  # the first visitor: nothing found before
            started = time.perf_counter()
            response = client.get(url)
            page.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            started = time.perf_counter()
            client.get(url)  # the next visitor of the same words
            again.append(time.perf_counter() - started)
        terms = parse_query(word)
        assert terms is not None
        matches = SearchDocument.objects.filter(public=True).filter(get_backend().match(terms))
        bare: list[float] = []
        count = 0
        for _ in range(repeat):
            started = time.perf_counter()
            count = matches.count()
            bare.append(time.perf_counter() - started)
        rows.append(
            {
                "word": word,
                "matches": count,
                "page_median": statistics.median(page) * 1000,
                "page_p95": _percentile(page, 95) * 1000,
                "again_median": statistics.median(again) * 1000,
                "unlisted_median": statistics.median(unlisted) * 1000,
                "bare_median": statistics.median(bare) * 1000,
            }
        )
    return rows


def measure(db: str, objects: int, repeat: int) -> dict[str, Any]:
    data = ROOT / "bench" / "heritage_search_data.py"
    subprocess.run(
        [sys.executable, str(data), "--db", db, "--objects", str(objects)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    command = [sys.executable, __file__, "--worker", db, "--repeat", str(repeat)]
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return {"db": db, "rows": json.loads(out.strip().splitlines()[-1])}


def table(runs: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| db | word | matches | first visitor, median | p95 | without the lists (median) "
        "| ratio | bare count (median) | ratio | next visitor, median |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for r in run["rows"]:
            ratio = r["page_median"] / r["bare_median"] if r["bare_median"] else 0.0
            gain = r["page_median"] / r["unlisted_median"] if r["unlisted_median"] else 0.0
            lines.append(
                f"| {run['db']} | {r['word']} | {r['matches']:,} | {r['page_median']:.1f} ms "
                f"| {r['page_p95']:.1f} ms | {r['unlisted_median']:.1f} ms | {gain:.2f} "
                f"| {r['bare_median']:.1f} ms | {ratio:.2f} | {r['again_median']:.1f} ms |"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="postgres")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat)))
        return 0
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    runs = [measure(db, args.objects, args.repeat) for db in dbs]
    lines = table(runs)
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{date.today().isoformat()}-site-search-{args.objects}-{args.db}.md"
    command = " ".join(["python bench/site_search.py", *sys.argv[1:]])
    path.write_text(
        f"# Site-wide search, {date.today().isoformat()}\n\n`{command}`: {args.objects:,} "
        f"public heritage objects (the collection search benchmark's data), the search "
        f"page's overview through Django's test Client, {args.repeat} timed requests a "
        f"word after one to warm up, each a first visitor (the cache emptied) followed by "
        f"a next one; the baselines, in the same process: the first visitor with the "
        f"frequent words' posting lists switched off (the counts by type in SQL), and one "
        f"SQL count of the word's public matches.\n\n"
        + "\n".join(lines)
        + f"\n\n{cpu_reference()}; load average "
        f"{os.getloadavg()[0]:.1f} at the end (cores: {os.cpu_count()}).\n"
    )
    print(f"Written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
