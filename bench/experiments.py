"""Index and query experiments on a benchmark database (after bench/run.py built it):
`python bench/experiments.py [--db sqlite|postgres] [--repeat 10]`.

Times the bare main query of the discipline + dates request (the slowest one) as the
selectors write it today, and the variants proposed in the benchmark report:

- semi-join: the discipline filter as `event_id IN (SELECT event_id FROM the link
  table WHERE term_id IN ...)` instead of joining occurrence -> event -> link table;
- covering index: (is_public, start) extended to (is_public, start, end, event_id), so
  the grouped scan never reads the table.

Experimental indexes are dropped again at the end: the benchmark database stays as
generated. Models are not changed (they belong to the agenda's owner).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.worker import _environment, summary

COVERING = "bench_exp_occ_public_start_cover"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    _environment(args.db)
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Min
    from django.http import QueryDict

    from bench.measure import _time_bare, scenarios
    from reisgezel.agenda.filters import AgendaFilterForm
    from reisgezel.agenda.models import Event
    from reisgezel.agenda.selectors import occurrences_matching
    from reisgezel.core.models import Term

    name, url, _kind = scenarios()[1]
    form = AgendaFilterForm(QueryDict(url.split("?", 1)[1]))
    assert form.is_valid()
    filters = form.filters()
    term_ids = list(
        Term.objects.filter(kind="discipline", code__in=filters.disciplines).values_list(
            "pk", flat=True
        )
    )
    links = Event.disciplines.through.objects.filter(term_id__in=term_ids).values("event_id")

    def grouped(qs):
        return (
            qs.values("event_id")
            .annotate(first_start=Min("start"), n=Count("id"))
            .order_by("first_start", "event_id")[: filters.per_page]
        )

    variants = {
        "as today (join via agenda_event)": grouped(occurrences_matching(filters)),
        "semi-join on the link table": grouped(
            occurrences_matching(filters, skip="discipline").filter(event_id__in=links)
        ),
        "count for the paginator, as today": occurrences_matching(filters)
        .values("event_id")
        .annotate(n=Count("id"))
        .order_by(),
    }

    def run(label: str) -> None:
        for variant, qs in variants.items():
            sql, params = qs.query.sql_with_params()
            if variant.startswith("count"):
                sql = f"SELECT COUNT(*) FROM ({sql}) sub"
            median, p95 = summary(_time_bare(sql, params, args.repeat))
            print(
                f"{args.db:8} {label:22} {variant:36} median {median:8.1f} ms  p95 {p95:8.1f} ms",
                flush=True,
            )

    print(f"{name}: {url}")
    run("indexes as migrated")
    quoted = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX {COVERING} ON agenda_occurrence "
            f"(is_public, start, {quoted('end')}, event_id)"
        )
        cursor.execute("ANALYZE agenda_occurrence")
    try:
        run("+ covering index")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {COVERING}")


if __name__ == "__main__":
    main()
