"""`IdIn` and `TextIn`: a column in a list of values, given to the database as one
parameter.

`filter(pk__in=ids)` puts one placeholder per id into the SQL and prepares every id on
its own; with the 500 ids of an indexing batch that costs more Python than the query
itself (Django's per-value preparation, psycopg's parsing of a statement that differs
with every batch size). `IdIn` sends the whole list as one value instead: an array on
PostgreSQL (`= ANY(%s)`), a JSON array read by `json_each` on SQLite. Use it as a filter
expression: `queryset.filter(IdIn(F("object_id"), ids))`; `TextIn` does the same for
lists of strings (identifiers, slugs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class _InArray(Lookup[Any]):
    prepare_rhs = False
    array_type = ""

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values: list[Any] = self.rhs
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s::{self.array_type}[])", (*lhs_params, values)
        return (
            f"{lhs_sql} IN (SELECT value FROM json_each(%s))",  # noqa: S608 (a column)
            (*lhs_params, json.dumps(values)),
        )


class IdIn(_InArray):
    lookup_name = "id_in"
    array_type = "bigint"

    def __init__(self, lhs: Any, rhs: Iterable[int]) -> None:
        super().__init__(lhs, [int(value) for value in rhs])


class TextIn(_InArray):
    lookup_name = "text_in"
    array_type = "text"

    def __init__(self, lhs: Any, rhs: Iterable[str]) -> None:
        super().__init__(lhs, [str(value) for value in rhs])
