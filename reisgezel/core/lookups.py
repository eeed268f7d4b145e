"""`IdIn`: a column in a list of integer ids, given to the database as one parameter.

`filter(pk__in=ids)` puts one placeholder per id into the SQL and prepares every id on
its own; with the 500 ids of an indexing batch that costs more Python than the query
itself (Django's per-value preparation, psycopg's parsing of a statement that differs
with every batch size). `IdIn` sends the whole list as one value instead: an array on
PostgreSQL (`= ANY(%s)`), a JSON array read by `json_each` on SQLite. Use it as a filter
expression: `queryset.filter(IdIn(F("object_id"), ids))`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class IdIn(Lookup[Any]):
    lookup_name = "id_in"
    prepare_rhs = False

    def __init__(self, lhs: Any, rhs: Iterable[int]) -> None:
        super().__init__(lhs, [int(value) for value in rhs])

    def get_db_prep_lookup(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return ("%s", [value])

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        ids: list[int] = self.rhs
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s::bigint[])", (*lhs_params, ids)
        return (
            f"{lhs_sql} IN (SELECT value FROM json_each(%s))",  # noqa: S608 (a column)
            (*lhs_params, json.dumps(ids)),
        )
