"""Indexing in the background: the worker process (PostgreSQL) does the work in order
on the caller's database, and its failure reaches the caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from reisgezel.heritage.models import Collection, CollectionKind, HeritageObject
from reisgezel.heritage.services import OBJECT_DOC_TYPE
from reisgezel.search.background import background_worker, indexing_in_background
from reisgezel.search.models import SearchDocument
from reisgezel.search.services import documents_index, documents_remove

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def objects() -> list[int]:
    collection = Collection.objects.create(
        code="c", kind=CollectionKind.CERAMICS, name={"nl": "Keramiek"}
    )
    return [
        HeritageObject.objects.create(
            pid=f"c-{n}",
            inventory_number=f"C-{n}",
            collection=collection,
            title={"nl": f"Bord {n}"},
            is_public=True,
        ).pk
        for n in range(3)
    ]


def _indexed() -> list[int]:
    documents = SearchDocument.objects.filter(doc_type=OBJECT_DOC_TYPE)
    return sorted(documents.values_list("object_id", flat=True))


@pytest.mark.parametrize("separate_process", [False, True])
def test_work_is_done_in_order_by_the_time_the_block_ends(
    objects: list[int], separate_process: bool
) -> None:
    with indexing_in_background(separate_process=separate_process):
        handed_over = documents_index(doc_type=OBJECT_DOC_TYPE, ids=objects) == 0
        documents_remove(doc_type=OBJECT_DOC_TYPE, ids=objects[:1])
        documents_index(doc_type=OBJECT_DOC_TYPE, ids=objects[2:])
    assert handed_over == (connection.vendor == "postgresql")
    assert _indexed() == objects[1:]


def test_the_process_reports_its_failure_to_the_caller(objects: list[int]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite indexes in line: no background worker")
    failed = pytest.raises(RuntimeError, match="search indexing failed: LookupError: No search")
    with failed, indexing_in_background(separate_process=True):
        documents_index(doc_type="no_such_type", ids=objects)
    # The caller's connection is fine, and indexing in line works as before.
    assert documents_index(doc_type=OBJECT_DOC_TYPE, ids=objects) == len(objects)


def test_a_failure_in_the_callers_block_stops_the_process(objects: list[int]) -> None:
    workers: list[Any] = []
    broke = pytest.raises(ValueError, match="the import broke")
    with broke, indexing_in_background(separate_process=True):
        workers.append(background_worker())
        raise ValueError("the import broke")
    if connection.vendor == "postgresql":
        assert workers[0].process.poll() is not None  # ended, not left behind
