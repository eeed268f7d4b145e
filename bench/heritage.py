"""Heritage benchmarks in one command, one table (issue 3).

    python bench/heritage.py [--db sqlite|postgres|both] [--objects 1000000]
                             [--oai-records 100000] [--import-records 20000]
                             [--memory-records 1000000] [--memory-stop-after 0]
                             [--only search,oai,import]

Runs, per database, the three heritage benchmarks, each in processes of its own (so
each picks its database before Django is imported):

- collection search at `--objects` objects (bench/heritage_search.py): warm and cold
  p95 of four searches with facets, against the naive icontains query and the bare
  full-text query in the same run;
- a full OAI-PMH harvest with sickle of `--oai-records` records (bench/heritage_oai.py),
  against a plain HTTP loop;
- LIDO and Darwin Core imports (bench/heritage_import.py), against the parse-only speed
  of the same file, and (PostgreSQL) the peak memory of a `--memory-records` import.

Prints one table (figure, baseline, ratio, target, meets) and writes it with every row's
notes to bench/results/<date>-heritage.md. A full run at the issue's sizes takes hours on
two cores (the million objects are generated once and kept in var/bench/); the scripts
can also be run one by one (see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import heritage_import, heritage_oai, heritage_search  # noqa: E402
from bench.machine import cpu_reference  # noqa: E402

PARTS = ("search", "oai", "import")


def _unit(value: float, unit: str) -> str:
    return f"{value:,.1f} {unit}" if unit == "ms" else f"{value:,.0f} {unit}"


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| measure | db | figure | baseline | ratio | target | meets |",
        "|---|---|---:|---|---:|---:|---|",
    ]
    for r in rows:
        unit = r["unit"]
        lines.append(
            f"| {r['measure']} | {r['db']} | {_unit(r['figure'], unit)} "
            f"| {_unit(r['baseline'], unit)} ({r['baseline_name']}) | {r['ratio']:.2f} "
            f"| {_unit(r['target'], unit)} | {'yes' if r['meets'] else 'no'} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--oai-records", type=int, default=100_000)
    parser.add_argument("--import-records", type=int, default=20_000)
    parser.add_argument("--memory-records", type=int, default=1_000_000)
    parser.add_argument("--memory-stop-after", type=int, default=0)
    parser.add_argument("--only", default=",".join(PARTS))
    args = parser.parse_args()
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"--only takes {', '.join(PARTS)}; not {', '.join(sorted(unknown))}")
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]

    rows: list[dict[str, Any]] = []
    for db in dbs:
        if "search" in parts:
            rows += heritage_search.run(db, args.objects)
        if "oai" in parts:
            rows += heritage_oai.run(db, args.oai_records)
        if "import" in parts:
            rows += heritage_import.run(
                db,
                args.import_records,
                memory_records=args.memory_records,
                memory_stop_after=args.memory_stop_after,
            )

    lines = table(rows)
    print("\n".join(lines))
    stamp = datetime.now().astimezone()
    out = ROOT / "bench" / "results" / f"{stamp:%Y-%m-%d}-heritage.md"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    notes = [f"- {r['measure']} ({r['db']}): {r['notes']}" for r in rows]
    out.write_text(
        f"# Heritage benchmarks, {stamp:%Y-%m-%d %H:%M}\n\n"
        f"`python bench/heritage.py {' '.join(sys.argv[1:])}`; targets from issue 3.\n\n"
        + "\n".join(lines)
        + "\n\nNotes per row:\n\n"
        + "\n".join(notes)
        + f"\n\nLoad average at the end: {load} (cores: {os.cpu_count()}); {cpu_reference()}.\n"
    )
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
