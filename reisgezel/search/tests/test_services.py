"""Index writes: removal, reindex, after-commit indexing, the registry's contract."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from reisgezel.search import registry
from reisgezel.search.models import SearchDocument, SearchFacet
from reisgezel.search.query import search
from reisgezel.search.registry import Document, DocumentType
from reisgezel.search.services import documents_index, documents_reindex, documents_remove
from reisgezel.search.tests.conftest import FakeType
from reisgezel.search.tests.helpers import found

pytestmark = pytest.mark.django_db


def _fts_rows() -> int:
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts")
        return int(cursor.fetchone()[0])


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        SearchDocument.objects.order_by("pk").values_list(
            "pk",
            "doc_type",
            "object_id",
            "url",
            "public",
            "boost",
            "title",
            "summary",
            "title_folded",
        )
    )


def test_remove_takes_the_document_its_facets_and_its_index_entry(books: FakeType) -> None:
    books.put(1, nl=("Tentoonstelling", ""), facets={"theme": ["art"]})
    books.put(2, nl=("Tentoonstelling", ""), facets={"theme": ["art"]})

    assert documents_remove(doc_type="book", ids=[1, 99]) == 1

    assert found("tentoonstelling") == [2]
    assert SearchFacet.objects.count() == 1
    assert _fts_rows() == (1 if connection.vendor == "sqlite" else 0)


def test_indexing_a_record_that_is_gone_removes_it(books: FakeType) -> None:
    books.put(1, nl=("Tentoonstelling", ""))
    del books.records[1]

    assert documents_index(doc_type="book", ids=[1]) == 0
    assert found("tentoonstelling") == []
    assert SearchDocument.objects.count() == 0


def test_reindexing_replaces_changed_texts_in_place(books: FakeType) -> None:
    books.put(1, nl=("Tentoonstelling", ""), facets={"theme": ["art"]})
    before = SearchDocument.objects.get().pk

    books.put(1, nl=("Concert", ""), facets={"theme": ["music"]})

    assert found("tentoonstelling") == []
    assert found("concert") == [1]
    assert SearchDocument.objects.get().pk == before
    assert list(SearchFacet.objects.values_list("value", flat=True)) == ["music"]
    assert search(text="concert", facets=["theme"]).facets == {"theme": [("music", 1)]}


def test_reindex_is_idempotent_and_drops_stale_documents(books: FakeType, films: FakeType) -> None:
    for object_id in range(1, 6):
        books.put(
            object_id,
            nl=(f"Boek {object_id} over de Maas", "tekst"),
            facets={"n": [str(object_id)]},
        )
    films.put(1, nl=("Film over de Maas", ""))
    del books.records[5]  # deleted without telling the index

    first = documents_reindex(doc_type="book")
    state = _snapshot()
    second = documents_reindex(doc_type="book")

    assert [(r.indexed, r.removed) for r in first] == [(4, 1)]
    assert [(r.indexed, r.removed) for r in second] == [(4, 0)]
    assert _snapshot() == state
    assert sorted(found("maas", doc_types=["book"])) == [1, 2, 3, 4]
    assert found("maas", doc_types=["film"]) == [1]
    assert _fts_rows() == (5 if connection.vendor == "sqlite" else 0)


def test_full_reindex_reports_progress_and_drops_unregistered_types(
    books: FakeType, films: FakeType
) -> None:
    books.put(1, nl=("Maas", ""))
    films.put(1, nl=("Maas", ""))
    registry.unregister("film")
    calls: list[tuple[str, int, int]] = []

    reports = documents_reindex(
        progress=lambda name, done, total: calls.append((name, done, total))
    )

    assert {r.doc_type for r in reports} >= {"book"}
    assert ("book", 1, 1) in calls
    assert list(SearchDocument.objects.values_list("doc_type", flat=True)) == ["book"]


def test_index_later_indexes_after_commit_only(
    books: FakeType, django_capture_on_commit_callbacks: Any
) -> None:
    books.put(1, nl=("Tentoonstelling", ""), index=False)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registry.index_later("book", [1, 1])
        assert found("tentoonstelling") == []
    assert found("tentoonstelling") == [1]

    with django_capture_on_commit_callbacks(execute=True):
        del books.records[1]  # the record deleted, its removal queued
        registry.remove_later("book", [1])
    assert found("tentoonstelling") == []


def test_a_removal_rolled_back_with_its_savepoint_leaves_the_record_findable(
    books: FakeType, django_capture_on_commit_callbacks: Any
) -> None:
    """A deletion rolled back in a savepoint (one record of an import) while an outer
    drain is pending: its queued removal must not take the record out of the index."""
    books.put(1, nl=("Boek een", "kasteel"))
    books.put(2, nl=("Boek twee", "kasteel"))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registry.index_later("book", [1])
        try:
            with transaction.atomic():
                registry.remove_later("book", [2])
                raise RuntimeError("the deletion failed")
        except RuntimeError:
            pass
    assert sorted(found("kasteel ")) == [1, 2]


def test_index_later_in_one_transaction_builds_once_and_survives_rolled_back_savepoints(
    books: FakeType, django_capture_on_commit_callbacks: Any
) -> None:
    built: list[list[int]] = []
    original = books.build

    def counting_build(ids: Any) -> Any:
        built.append(list(ids))
        return original(ids)

    books.build = counting_build  # type: ignore[method-assign]
    books.document_type = DocumentType(
        name="book", label="Book", build=counting_build, all_ids=books.all_ids
    )
    registry.unregister("book")
    registry.register(books.document_type)
    for object_id in (1, 2, 3):
        books.put(object_id, nl=(f"Boek {object_id}", "kasteel"), index=False)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registry.index_later("book", [1])
        try:
            with transaction.atomic():  # the callback registered in here is dropped
                registry.index_later("book", [2])
                raise RuntimeError
        except RuntimeError:
            pass
        registry.index_later("book", [3])
        registry.remove_later("book", [3])

    assert built == [[1, 2, 3]], "one build for the whole transaction"
    assert sorted(found("kasteel")) == [1, 2, 3]


def test_work_queued_in_a_rolled_back_transaction_never_reaches_the_index(
    books: FakeType, django_capture_on_commit_callbacks: Any
) -> None:
    books.put(1, nl=("Boek een", "kasteel"))
    books.put(2, nl=("Boek twee", "kasteel"), index=False)

    with pytest.raises(RuntimeError), transaction.atomic():
        registry.remove_later("book", [1])  # e.g. a deletion that then fails
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registry.index_later("book", [2])

    assert sorted(found("kasteel")) == [1, 2], "the rolled-back removal was not replayed"


def test_unknown_type_is_an_error() -> None:
    with pytest.raises(LookupError):
        documents_index(doc_type="nope", ids=[1])


def _bad_type(document: Document) -> DocumentType:
    return DocumentType(name="bad", label="Bad", build=lambda ids: [document], all_ids=lambda: [1])


@pytest.mark.parametrize(
    "document",
    [
        Document(doc_type="other", object_id=1, url="/", texts={}),
        Document(doc_type="bad", object_id=2, url="/", texts={}),
        Document(doc_type="bad", object_id=1, url="/", texts={}, boost=0),
        Document(doc_type="bad", object_id=1, url="/", texts={}, facets={"x" * 41: ["a"]}),
        Document(doc_type="bad", object_id=1, url="/", texts={}, facets={"theme": ["a" * 201]}),
    ],
)
def test_documents_breaking_the_contract_are_refused(document: Document) -> None:
    registry.register(_bad_type(document))
    try:
        with pytest.raises(ValueError, match="Search document"):
            documents_index(doc_type="bad", ids=[1])
    finally:
        registry.unregister("bad")
    assert SearchDocument.objects.count() == 0


def test_a_document_without_texts_is_stored_but_found_by_nothing(books: FakeType) -> None:
    books.put(1, texts={})

    assert SearchDocument.objects.count() == 1
    assert search(text="boek").total == 0


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL")
def test_a_reindex_into_an_empty_index_analyzes_it_as_it_grows(
    books: FakeType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reisgezel.search import services

    for object_id in range(1, 13):
        books.put(object_id, nl=(f"Boek {object_id}", ""), index=False)
    monkeypatch.setattr(services, "BATCH_SIZE", 5)
    monkeypatch.setattr(services, "ANALYZE_FROM", 4)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")  # known to be empty: 0 rows
    documents_reindex(doc_type="book")
    # Batches of 5: 5 documents (>= 4: ANALYZE, the next at 10), 10 (ANALYZE), 12.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'search_document'::regclass")
        assert cursor.fetchone()[0] == 10
    assert SearchDocument.objects.count() == 12
