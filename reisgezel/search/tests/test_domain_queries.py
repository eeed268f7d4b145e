"""How a domain combines text search with its own SQL: one query, on both databases.

auth.Group stands in for a domain model (search may not import the real ones).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from reisgezel.search.query import matching_object_ids, rank_annotation
from reisgezel.search.tests.conftest import FakeType

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(books: FakeType) -> dict[str, Group]:
    titles = {
        "choir": ("Koor van de basiliek", "Zingen in de Sint-Servaas"),
        "brass": ("Harmonie Sint-Pieter", "Blaasmuziek en een koor"),
        "dance": ("Dansgroep", "Moderne dans"),
        "quiet": ("Stille koorrepetities", ""),
    }
    made = {}
    for name, texts in titles.items():
        group = Group.objects.create(name=name)
        books.put(group.pk, nl=texts, public=name != "quiet")
        made[name] = group
    return made


def test_matching_object_ids_is_a_subquery_in_one_query(
    groups: dict[str, Group], django_assert_num_queries: Any
) -> None:
    ids = matching_object_ids(doc_type="book", text="koor ", typo_tolerant=False)
    queryset = Group.objects.filter(pk__in=ids).exclude(name="brass").order_by("name")

    with django_assert_num_queries(1):
        names = [group.name for group in queryset]

    assert names == ["choir"]
    assert "search_document" in str(queryset.query)


def test_typo_tolerance_costs_one_small_query_first(groups: dict[str, Group]) -> None:
    # On SQLite there is no typo fallback and nothing to check; on PostgreSQL the
    # check is a LIMIT query on the indexes. Either way the result is a subquery.
    ids = matching_object_ids(doc_type="book", text="koor ")
    assert sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True)) == [
        "brass",
        "choir",
    ]


def test_empty_text_gives_an_empty_subquery(groups: dict[str, Group]) -> None:
    assert list(Group.objects.filter(pk__in=matching_object_ids(doc_type="book", text=" "))) == []


def test_other_types_do_not_leak_in(groups: dict[str, Group], films: FakeType) -> None:
    films.put(groups["dance"].pk, nl=("Koor in beeld", ""))

    ids = matching_object_ids(doc_type="book", text="koor ", typo_tolerant=False)

    assert sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True)) == [
        "brass",
        "choir",
    ]


def test_rank_annotation_orders_a_domain_queryset(groups: dict[str, Group]) -> None:
    text = "koor "
    ranked = (
        Group.objects.filter(
            pk__in=matching_object_ids(doc_type="book", text=text, typo_tolerant=False)
        )
        .annotate(relevance=rank_annotation(doc_type="book", text=text))
        .order_by("-relevance", "name")
    )

    rows = [(group.name, group.relevance) for group in ranked]

    assert [name for name, _ in rows] == ["choir", "brass"]  # title beats body
    assert rows[0][1] > rows[1][1] > 0


def test_rank_annotation_is_zero_for_non_matching_rows(groups: dict[str, Group]) -> None:
    annotated = Group.objects.annotate(
        relevance=rank_annotation(doc_type="book", text="koor ")
    ).order_by("name")
    relevance = {group.name: group.relevance for group in annotated}

    assert relevance["dance"] == 0
    assert relevance["choir"] > 0
    blank = Group.objects.annotate(relevance=rank_annotation(doc_type="book", text=""))
    assert {group.relevance for group in blank} == {0.0}


def test_backend_is_the_configured_database() -> None:
    assert connection.vendor in {"sqlite", "postgresql"}
