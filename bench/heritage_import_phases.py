"""Heritage benchmark: an import's phases, this work tree against another revision.

    python bench/heritage_import_phases.py [--compare HEAD] [--records 2000]
                                           [--repeat 5] [--rounds 3]

A whole import's records/s (bench/heritage_import.py) moves 15-30 % between runs on a
shared two-core machine, more than most single changes gain, and three processes share
the two cores. This benchmark times the phases one at a time instead, each as the best
of `--repeat` passes (noise only ever adds time), in a fresh process per side, the two
sides alternating `--rounds` times; a side's figure is its best over all rounds. The
baseline is the revision `--compare` (default HEAD: what the uncommitted changes gain),
checked out in a git worktree under the system's temporary directory and run on the
same data.

Phases, in milliseconds per record:
- LIDO / DwC-A read and map: the importer's reader over the benchmark file (CPU);
- documents built: what the search indexer process does in Python for a batch of
  objects (read their rows, build the documents, their rows and vector texts; CPU);
- documents written: the PostgreSQL backend's upsert of those documents (vectors in
  five configurations, GIN and trigram indexes), in a transaction rolled back; wall
  time, as most of it is the server's.

Data: the files and the PostgreSQL database of bench/heritage_import.py (`--records` of
each format; the database dropped, migrated and filled by importing both files with
this tree's code). The other revision reads the same rows, so
both must share the migrations. Results: a table on stdout and
bench/results/<date>-heritage-import-phases.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.databases import pg_settings  # noqa: E402
from bench.heritage_import import (  # noqa: E402
    COLLECTIONS,
    bench_environment,
    ensure_files,
    file_path,
    import_once,
    setup_database,
)
from bench.machine import cpu_reference  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WORKTREES = Path(tempfile.gettempdir()) / "reisgezel-bench-compare"
"""Outside the project: linters, type checks and test collection never walk into it."""
BATCH = 500
PHASES = (
    ("lido read", "LIDO read and map"),
    ("dwca read", "DwC-A read and map"),
    ("lido build", "LIDO documents built"),
    ("lido write", "LIDO documents written"),
    ("dwca build", "DwC-A documents built"),
    ("dwca write", "DwC-A documents written"),
)


def environment() -> dict[str, str]:
    return {
        **os.environ,
        **bench_environment("postgres"),
        # A worktree elsewhere does not sit beside ../shared: point it there.
        "REISGEZEL_SHARED_DATA": str(ROOT.parent / "shared" / "data"),
    }


# --- In a worker process (sys.path[0] is the side's tree) ------------------------------


def _fill(records: int) -> None:
    """The import benchmark's fresh database, with both files imported by this tree."""
    setup_database("postgres")
    for fmt in ("lido", "dwca"):
        job = import_once("postgres", fmt, file_path(fmt, records)).job
        assert job.created_count == records and not job.failed_count, job.error


def _phases(records: int, repeat: int) -> dict[str, float]:
    import django

    django.setup()
    from django.db import connection, transaction

    from reisgezel.heritage.models import HeritageObject
    from reisgezel.interop.importers.base import JobOptions
    from reisgezel.interop.importers.runner import READERS
    from reisgezel.search import registry
    from reisgezel.search.services import _row, get_backend

    def read(fmt: str) -> None:
        options = JobOptions(source=f"bench-{fmt}", collection=COLLECTIONS[fmt], publish=True)
        with READERS[fmt](file_path(fmt, records), options) as reader:
            for _parsed in itertools.islice(reader.records(), records):
                pass

    def ids_of(fmt: str) -> list[int]:
        objects = HeritageObject.objects.filter(collection__code=COLLECTIONS[fmt])
        return list(objects.order_by("pk").values_list("pk", flat=True))

    def build(ids: list[int]) -> list[Any]:
        from reisgezel.search.backends.postgres import vector_texts

        documents = []
        for start in range(0, len(ids), BATCH):
            batch = list(registry.get("heritage_object").build(ids[start : start + BATCH]))
            for document in batch:
                _row(document)
                vector_texts(document)
            documents += batch
        return documents

    def write(documents: list[Any]) -> float:
        backend = get_backend()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_facet")
                cursor.execute("DELETE FROM search_document")
            started = time.perf_counter()
            for start in range(0, len(documents), BATCH):
                batch = documents[start : start + BATCH]
                backend.upsert([_row(document) for document in batch], batch)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds

    def best_cpu(action: Any) -> float:
        times = []
        for _ in range(repeat):
            started = time.process_time()
            action()
            times.append(time.process_time() - started)
        return min(times)

    result: dict[str, float] = {}
    for fmt in ("lido", "dwca"):
        result[f"{fmt} read"] = best_cpu(lambda fmt=fmt: read(fmt)) / records
        ids = ids_of(fmt)
        result[f"{fmt} build"] = best_cpu(lambda ids=ids: build(ids)) / len(ids)
        documents = build(ids)
        write(documents)  # a first pass warms the caches of both sides alike
        result[f"{fmt} write"] = min(write(documents) for _ in range(repeat)) / len(ids)
    return {name: seconds * 1000 for name, seconds in result.items()}


# --- The runner ---------------------------------------------------------------------------


def worktree(revision: str) -> Path:
    """The revision checked out in WORKTREES/<commit> (removed after the run)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    path = WORKTREES / commit[:12]
    if not path.exists():
        WORKTREES.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(path), commit], cwd=ROOT, check=True
        )
    (path / "var").mkdir(exist_ok=True)
    return path


def run_worker(tree: Path, *args: str) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(tree), *args]
    done = subprocess.run(
        command, cwd=tree, env=environment(), check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}


def report(args: argparse.Namespace, best: dict[str, dict[str, float]], label: str) -> list[str]:
    lines = [
        f"# Heritage: import phases, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"`python bench/heritage_import_phases.py --compare {args.compare} --records "
        f"{args.records} --repeat {args.repeat} --rounds {args.rounds}`: milliseconds per "
        f"record, each the best of {args.repeat} passes and {args.rounds} rounds; baseline: "
        f"{label}, on the same data, the two sides alternating.",
        "",
        "| phase | figure | baseline | ratio |",
        "|---|---:|---:|---:|",
    ]
    for key, name in PHASES:
        figure, baseline = best["tree"][key], best["baseline"][key]
        lines.append(f"| {name} | {figure:.3f} ms | {baseline:.3f} ms | {figure / baseline:.2f} |")
    lines += [
        "",
        "Read and map, documents built: CPU of the process. Documents written: wall time "
        "of the PostgreSQL backend's upserts (rolled back), most of it the server's.",
        "",
        f"{cpu_reference()}; {pg_settings()}.",
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compare", default="HEAD", help="the baseline revision")
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fill", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:  # sys.path[0] is this file's tree: put the side's tree first
        sys.path.insert(0, str(args.worker))
        if args.fill:
            _fill(args.records)
        else:
            print(json.dumps(_phases(args.records, args.repeat)))
        return 0

    ensure_files(args.records)
    baseline_tree = worktree(args.compare)
    label = f"revision {baseline_tree.name}"
    best: dict[str, dict[str, float]] = {"tree": {}, "baseline": {}}
    try:
        run_worker(ROOT, "--fill", "--records", str(args.records))
        for round_number in range(1, args.rounds + 1):
            for side, tree in (("baseline", baseline_tree), ("tree", ROOT)):
                found = run_worker(
                    tree, "--records", str(args.records), "--repeat", str(args.repeat)
                )
                print(f"round {round_number}, {side}: " + json.dumps(found), flush=True)
                for key, value in found.items():
                    best[side][key] = min(value, best[side].get(key, value))
    finally:  # no checkout left behind, nor its entry in the repository's worktree list
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(baseline_tree)], cwd=ROOT, check=False
        )
    lines = report(args, best, label)
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y-%m-%d')}-heritage-import-phases.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
