"""Planner statistics kept fresh while a bulk write grows its tables (PostgreSQL).

Without statistics PostgreSQL guesses that `column = ANY(<hundreds of ids>)` matches a
large share of a table (0.5 % per element) and reads the whole table instead of its
index. A bulk import looks each batch up that way (existing objects, their facet rows),
so without fresh statistics every batch reads all earlier ones again: a 1,000,000-record
import into an empty database read 4 billion facet rows and slowed from ~2,000 to ~900
records/s. Autovacuum analyzes eventually, when it is on and keeps up; a bulk writer
does not rely on that and runs ANALYZE itself, each time the table it fills has doubled.
SQLite is left alone: its queries here do not depend on statistics (the search backend
steers them, see search/backends/sqlite.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections
from django.db.models import Model

FIRST_ANALYZE = 2_000
"""Rows written before the first ANALYZE: below this any plan is fast enough."""


class GrowingTables:
    """ANALYZE `models`' tables whenever the table of `counted` (whose new rows the
    caller reports through `grown`) has doubled since it last had statistics."""

    def __init__(
        self,
        counted: type[Model],
        models: Iterable[type[Model]],
        *,
        using: str = "default",
        first: int = FIRST_ANALYZE,
    ) -> None:
        self.using = using
        self.enabled = connections[using].vendor == "postgresql"
        self.tables = sorted({m._meta.db_table for m in (counted, *models)})
        self.analyses = 0
        self.rows = self._estimated_rows(counted._meta.db_table) if self.enabled else 0
        self.next_analyze = max(first, 2 * self.rows)

    def _estimated_rows(self, table: str) -> int:
        """The planner's idea of the table's size (0 when it was never analyzed)."""
        with connections[self.using].cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            row = cursor.fetchone()
        return max(int(row[0]), 0) if row else 0

    def grown(self, rows: int) -> None:
        """`rows` more rows were committed to the counted table."""
        if not self.enabled or rows <= 0:
            return
        self.rows += rows
        if self.rows < self.next_analyze:
            return
        connection = connections[self.using]
        with connection.cursor() as cursor:
            # Names come from the models' Meta, quoted all the same.
            names = ", ".join(connection.ops.quote_name(t) for t in self.tables)
            cursor.execute(f"ANALYZE {names}")
        self.analyses += 1
        self.next_analyze = 2 * self.rows
