"""The collection search's statements use the indexes they were designed for.

Performance regressions hide well on test-sized tables, so these read SQLite's plans
(the shapes are explained in collection_query and docs/heritage.md): the FTS5 match
runs once as a set (never once per id of a filter list), filters are posting lists of
the (name, value) index, counts join each match's rows through the (document, name)
index, and an index-ordered page walks the (name, value) index without sorting.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reisgezel.heritage import collection_query
from reisgezel.heritage.tests.test_pages_world import World, heritage_world
from reisgezel.heritage.tests.test_search_collection import run

pytestmark = pytest.mark.django_db
__all__ = ["heritage_world"]


@pytest.fixture(autouse=True)
def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite query plans")


def plans(**params: Any) -> dict[str, str]:
    """EXPLAIN QUERY PLAN of the statements on the search tables, by their first words."""
    with CaptureQueriesContext(connection) as captured:
        run(**params)
    found = {}
    for query in captured.captured_queries:
        sql = query["sql"]
        if "search_facet" not in sql and "search_fts" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = "\n".join(str(row[3]) for row in cursor.fetchall())
        kind = "counts" if "ROW_NUMBER()" in sql else "page"
        found[kind] = plan
    return found


def test_text_and_filters_count_from_one_materialised_set(heritage_world: World) -> None:
    found = plans(q="maastricht", material="aardewerk", image="1", year_from=1800)
    counts = found["counts"]
    assert counts.count("VIRTUAL TABLE INDEX 0:M") == 1  # one full-text match, as a set
    assert "INDEX 0:=" not in counts  # no rowid list pushed into FTS5
    assert "MATERIALIZE cand" in counts
    assert "search_facet_name_value (name=? AND value=?)" in counts  # posting lists
    assert "sqlite_autoindex_search_facet_1 (document_id=? AND name=?)" in counts
    assert "SCAN search_facet" not in counts


@pytest.mark.parametrize("sort", ["title", "date", "inventory", "recent"])
def test_a_large_result_walks_the_sort_index_in_order(
    heritage_world: World, monkeypatch: Any, sort: str
) -> None:
    monkeypatch.setattr(collection_query, "SMALL_RESULT", 0)
    page = plans(q="maastricht", material="aardewerk", sort=sort)["page"]
    assert page.splitlines()[0].startswith("SEARCH f USING COVERING INDEX search_facet_name_value")
    assert "TEMP B-TREE" not in page  # no sort: the index is the order
    assert "INDEX 0:=" not in page


def test_a_small_result_is_driven_by_the_matches(heritage_world: World) -> None:
    page = plans(q="maastricht", material="aardewerk", sort="title")["page"]
    lines = page.splitlines()
    assert "VIRTUAL TABLE INDEX 0:M" in lines[0]
    assert any("sqlite_autoindex_search_facet_1 (document_id=? AND name=?)" in x for x in lines)


def test_relevance_ranks_the_matches_once(heritage_world: World) -> None:
    page = plans(q="maastricht", material="aardewerk")["page"]
    assert page.count("VIRTUAL TABLE INDEX 0:M") == 1
    assert "INDEX 0:=" not in page
    assert "SEARCH d USING INTEGER PRIMARY KEY" in page


def test_browsing_everything_counts_from_the_index_alone(heritage_world: World) -> None:
    counts = plans()["counts"]
    assert "MATERIALIZE" not in counts and "search_fts" not in counts
    assert "USING COVERING INDEX search_facet_name_value (name=?)" in counts
