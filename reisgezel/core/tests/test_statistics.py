"""GrowingTables: ANALYZE as a bulk write doubles a table (PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.db import connection

from reisgezel.core.models import AuditEntry, Term
from reisgezel.core.statistics import GrowingTables

pytestmark = pytest.mark.django_db


def _planner_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return int(cursor.fetchone()[0])


def _add(count: int) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(action="test", target_type="t", target_id=str(n)) for n in range(count)
    )


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL")
def test_analyzes_at_the_first_mark_then_each_time_the_rows_double() -> None:
    with connection.cursor() as cursor:
        # Statistics outlive a rolled-back test: start from known ones (an empty table).
        cursor.execute("ANALYZE core_auditentry")
    tables = GrowingTables(AuditEntry, [Term], first=10)
    assert tables.rows == 0 and tables.next_analyze == 10
    _add(6)
    tables.grown(6)
    assert tables.analyses == 0 and _planner_rows("core_auditentry") == 0
    _add(4)
    tables.grown(4)
    assert tables.analyses == 1 and _planner_rows("core_auditentry") == 10
    _add(9)
    tables.grown(9)
    assert tables.analyses == 1  # 19 < 20
    _add(1)
    tables.grown(1)
    assert tables.analyses == 2 and _planner_rows("core_auditentry") == 20
    # A later bulk write starts from the statistics: the next ANALYZE at twice 20.
    again = GrowingTables(AuditEntry, [], first=10)
    assert (again.rows, again.next_analyze) == (20, 40)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite case")
def test_does_nothing_on_sqlite() -> None:
    tables = GrowingTables(AuditEntry, [Term], first=1)
    _add(10)
    tables.grown(10)
    assert (tables.enabled, tables.analyses) == (False, 0)
