"""The match is answered by the full-text index, not by scanning documents.

Performance regressions hide well on test-sized tables, so these read the plans.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import QuerySet

from reisgezel.search.backends import get_backend
from reisgezel.search.models import SearchDocument
from reisgezel.search.query import matching_object_ids
from reisgezel.search.terms import parse_query
from reisgezel.search.tests.conftest import FakeType

pytestmark = pytest.mark.django_db


def _plan(queryset: QuerySet[Any]) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[3]) for row in cursor.fetchall())
        # The test tables are tiny: forbid sequential scans to see what the
        # indexes can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def indexed(books: FakeType) -> None:
    for object_id in range(1, 30):
        books.put(object_id, nl=(f"Concert {object_id}", "In de kerk"), facets={"theme": ["music"]})


def test_sqlite_match_drives_the_plan_through_primary_keys(indexed: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite plan")
    ids = matching_object_ids(doc_type="book", text="concert")
    plan = _plan(Group.objects.filter(pk__in=ids))

    assert "VIRTUAL TABLE INDEX" in plan  # FTS5 MATCH
    assert "SEARCH U0 USING INTEGER PRIMARY KEY" in plan
    # Neither a scan of all documents nor a walk of the doc_type index.
    assert "SCAN U0" not in plan
    assert "search_document_unique_object" not in plan
    assert "sqlite_autoindex_search_document" not in plan


def test_postgres_match_and_typo_fallback_use_gin_indexes(indexed: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL plan")
    backend = get_backend()
    terms = parse_query("konzert")
    assert terms is not None
    # Without the doc_type condition (whose btree the planner may prefer on a tiny
    # table), the conditions themselves must be answerable by the GIN indexes.
    typo = backend.fuzzy(terms)
    assert typo is not None
    matching = SearchDocument.objects.filter(backend.match(terms) | typo)
    plan = _plan(matching)

    assert "Bitmap Index Scan on search_document_vector" in plan
    assert "Bitmap Index Scan on search_document_title_trgm" in plan
    assert "Seq Scan" not in plan
