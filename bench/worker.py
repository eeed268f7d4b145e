"""One benchmark run against one database, in its own process (see run.py).

The environment is set before Django is imported, so the settings module reads the
benchmark database's DATABASE_URL like any deployment would.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench.databases import pg_recreate, pg_url, sqlite_remove  # noqa: E402
from bench.machine import cpu_reference  # noqa: E402

PG_NAME = "reisgezel_bench"


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{VAR / 'bench.sqlite3'}"
    return pg_url(PG_NAME)


def _environment(db: str) -> None:
    os.environ["DATABASE_URL"] = database_url(db)
    # Test-mode settings for the bits a benchmark must not depend on (plain static
    # storage, immediate tasks); DEBUG stays off so nothing records queries.
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
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _fresh_database(db: str) -> None:
    """Drop and create the benchmark database (never any other)."""
    if db == "sqlite":
        sqlite_remove(VAR / "bench.sqlite3")
        return
    pg_recreate(PG_NAME)


def _meta_path(db: str) -> Path:
    return VAR / f"{db}-meta.json"


def _needs_generation(db: str, events: int, regenerate: bool) -> bool:
    meta = _meta_path(db)
    if regenerate or not meta.exists():
        return True
    data = json.loads(meta.read_text())
    return data.get("events") != events


def prepare(db: str, events: int, regenerate: bool) -> dict[str, Any]:
    """Generate (or reuse) the data set; returns its description."""
    if not _needs_generation(db, events, regenerate):
        return {**json.loads(_meta_path(db).read_text()), "reused": True}
    _fresh_database(db)
    _environment(db)
    import django

    django.setup()
    from django.core.management import call_command

    from bench import generate

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"[{db}] generating {events} events", flush=True)
    counts = generate.generate(events, log=lambda line: print(f"[{db}]{line}", flush=True))
    generated = time.monotonic() - started
    print(f"[{db}] building the search index", flush=True)
    indexed = generate.index(log=lambda line: print(f"[{db}]{line}", flush=True))
    meta = {
        **counts,
        "indexed": indexed,
        "generate_s": round(generated, 1),
        "index_s": round(time.monotonic() - started - generated, 1),
        "date": time.strftime("%Y-%m-%d"),
    }
    _meta_path(db).write_text(json.dumps(meta))
    return {**meta, "reused": False}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    meta = prepare(args.db, args.events, args.regenerate)
    _environment(args.db)
    import django

    django.setup()
    from bench import measure

    load_before = os.getloadavg()[0]
    rows = measure.run_all(args.db, repeat=args.repeat)
    # Other work on the machine skews timings: record how busy it was.
    meta["load"] = (
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (cores: {os.cpu_count()}); "
        + cpu_reference()
    )
    args.out.write_text(json.dumps({"db": args.db, "meta": meta, "rows": rows}, default=str))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(seconds: list[float]) -> tuple[float, float]:
    return statistics.median(seconds) * 1000, percentile(seconds, 95) * 1000


if __name__ == "__main__":
    main()
