"""Facet counts of the agenda from one scan of the matching occurrences.

A disjunctive facet ignores its own filter, so in general every facet needs its own
query. But a facet whose filter is not in use counts over exactly the matching set, and
most views use one or two filters: those facets, and the total, are counted in one
statement over a materialised set of the matching occurrences (a common table
expression) instead of one scan of the occurrence table each. At 900,000 occurrences
that turns seven scans into one plus a few cheap joins.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from reisgezel.agenda.models import Event, EventLanguage, Occurrence

# facet name -> SELECT over "matching" (occurrences) / "matched" (distinct event ids),
# giving (value, count) rows. Values are cast to text so the branches can be UNIONed.
_BRANCHES: dict[str, str] = {
    "total": "SELECT NULL, COUNT(*) FROM matched",
    "discipline": (
        "SELECT CAST(l.term_id AS VARCHAR(20)), COUNT(*) FROM {disciplines} l "
        "JOIN matched m ON m.event_id = l.event_id GROUP BY l.term_id"
    ),
    "facility": (
        "SELECT CAST(l.term_id AS VARCHAR(20)), COUNT(*) FROM {facilities} l "
        "JOIN matched m ON m.event_id = l.event_id GROUP BY l.term_id"
    ),
    "language": (
        "SELECT l.code, COUNT(DISTINCT l.event_id) FROM {languages} l "
        "JOIN matched m ON m.event_id = l.event_id GROUP BY l.code"
    ),
    "organiser": (
        "SELECT CAST(e.organiser_id AS VARCHAR(20)), COUNT(*) FROM {events} e "
        "JOIN matched m ON m.event_id = e.id GROUP BY e.organiser_id"
    ),
    "neighbourhood": (
        "SELECT CAST(o.neighbourhood_id AS VARCHAR(20)), COUNT(DISTINCT o.event_id) "
        "FROM matching o WHERE o.neighbourhood_id IS NOT NULL GROUP BY o.neighbourhood_id"
    ),
    "free": "SELECT NULL, COUNT(DISTINCT o.event_id) FROM matching o WHERE o.is_free",
}


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def counts_over(occurrences: QuerySet[Occurrence], facets: list[str]) -> dict[str, dict[Any, int]]:
    """For each named facet (and "total"), value -> number of events, counted over the
    given occurrences in one statement."""
    wanted = ["total", *[f for f in facets if f != "total"]]
    result: dict[str, dict[Any, int]] = {name: {} for name in wanted}
    inner = occurrences.values("event_id", "neighbourhood_id", "is_free").order_by()
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. an unknown code)
        return result
    tables = {
        "disciplines": _table(Event.disciplines.through),
        "facilities": _table(Event.facilities.through),
        "languages": _table(EventLanguage),
        "events": _table(Event),
    }
    # Only fixed SQL is interpolated (the branches above, table names from the models,
    # the ORM's own SQL); every value is a bound parameter.
    union = " UNION ALL ".join(
        f"SELECT '{name}' AS facet, v.* FROM ({_BRANCHES[name].format(**tables)}) v"  # noqa: S608
        for name in wanted
    )
    statement = (
        f"WITH matching AS MATERIALIZED ({sql}), "  # noqa: S608
        "matched AS MATERIALIZED (SELECT DISTINCT event_id FROM matching) "
        f"{union}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for facet, value, count in cursor.fetchall():
            result[facet][value] = int(count)
    return result
