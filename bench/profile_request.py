"""Profile one request against a benchmark database:
`python bench/profile_request.py [--db sqlite|postgres] URL` (after bench/run.py has built it).

Prints the queries (count, time) and the top of a cProfile of the warm request.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.worker import _environment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    _environment(args.db)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(3):
        client.get(args.url)
    with CaptureQueriesContext(connection) as captured:
        client.get(args.url)
    total = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    print(f"{len(captured.captured_queries)} queries, {total:.1f} ms in SQL")
    for q in captured.captured_queries:
        print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
    profiler = cProfile.Profile()
    profiler.enable()
    response = client.get(args.url)
    profiler.disable()
    print(f"status {response.status_code}, {len(response.content)} bytes")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
