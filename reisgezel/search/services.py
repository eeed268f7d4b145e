"""Writes to the search index: index, remove, reindex.

Domains do not call these directly inside their own transactions: they call
`registry.index_later(...)` / `remove_later(...)`, which run these after commit. Every
function here is idempotent: indexing a record twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import batched

from django.db import transaction
from django.db.models import F

from reisgezel.core.lookups import IdIn
from reisgezel.core.statistics import FIRST_ANALYZE, GrowingTables
from reisgezel.search import registry
from reisgezel.search.backends import SearchBackend, StoredDocument, get_backend
from reisgezel.search.backends.base import DocumentRow
from reisgezel.search.background import handed_over
from reisgezel.search.models import (
    DOC_TYPE_MAX_LENGTH,
    FACET_NAME_MAX_LENGTH,
    FACET_VALUE_MAX_LENGTH,
    SearchDocument,
    SearchFacet,
)
from reisgezel.search.page_cache import index_changed
from reisgezel.search.registry import Document, DocumentType
from reisgezel.search.text import words

BATCH_SIZE = 500
ANALYZE_FROM = FIRST_ANALYZE
"""Documents a reindex writes before it first analyzes the index tables (PostgreSQL)."""
SUMMARY_CHARS = 240

Progress = Callable[[str, int, int], None]
"""Called as progress(doc_type, done, total) while a type is reindexed."""


@dataclass(frozen=True)
class ReindexReport:
    doc_type: str
    indexed: int
    removed: int


def documents_index(*, doc_type: str, ids: Iterable[int]) -> int:
    """(Re)index the records `ids` of `doc_type`; returns how many documents were written
    (0 when the work is handed to the background indexer, see `background.indexing_in_background`).

    A record the type's `build` no longer returns (deleted, or no longer indexable) is
    removed from the index. Each batch of BATCH_SIZE ids is one transaction, inside
    which `build` reads the records, so on SQLite it sees the latest committed state.
    Raises ValueError when `build` returns a document that breaks the registry's
    contract (another type, an id not asked for, a facet value too long).
    """
    if handed_over("index", doc_type, ids):
        return 0
    document_type = registry.get(doc_type)
    backend = get_backend()
    written = 0
    for chunk in batched(sorted(set(ids)), BATCH_SIZE):
        written += _index_batch(document_type, list(chunk), backend)
    return written


def documents_remove(*, doc_type: str, ids: Iterable[int]) -> int:
    """Remove the documents of these records; returns how many there were.

    Facet rows go with them (ON DELETE CASCADE), and on SQLite the FTS5 row too
    (a trigger), so no index can outlive its document. Returns 0 when the work is handed
    to the background indexer (it keeps the order of index and remove calls).
    """
    if handed_over("remove", doc_type, ids):
        return 0
    removed = 0
    for chunk in batched(sorted(set(ids)), BATCH_SIZE):
        removed += SearchDocument.objects.filter(doc_type=doc_type, object_id__in=chunk).delete()[0]
    if removed:
        index_changed()
    return removed


def documents_reindex(
    *, doc_type: str | None = None, progress: Progress | None = None
) -> list[ReindexReport]:
    """Rebuild the index of one registered type, or of all of them.

    Every record of the type is indexed again and documents of records that no longer
    exist are removed. Reindexing everything also drops documents of types that are
    no longer registered. Safe to run while the site is up: documents are replaced in
    place, batch by batch, never emptied first.
    """
    names = [doc_type] if doc_type is not None else sorted(registry.registered())
    reports = [_reindex_type(registry.get(name), progress) for name in names]
    if doc_type is None and SearchDocument.objects.exclude(doc_type__in=names).delete()[0]:
        index_changed()
    return reports


def _reindex_type(document_type: DocumentType, progress: Progress | None) -> ReindexReport:
    ids = sorted(set(document_type.all_ids()))
    backend = get_backend()
    # A reindex into an empty index (a new or restored database) fills the tables whose
    # rows each batch looks up: their statistics keep up (core/statistics.py).
    tables = GrowingTables(SearchDocument, [SearchFacet], using=backend.using, first=ANALYZE_FROM)
    indexed = 0
    if progress:
        progress(document_type.name, 0, len(ids))
    for done, chunk in enumerate(batched(ids, BATCH_SIZE), start=1):
        written = _index_batch(document_type, list(chunk), backend)
        indexed += written
        tables.grown(written)
        if progress:
            progress(document_type.name, min(done * BATCH_SIZE, len(ids)), len(ids))
    keep = set(ids)
    indexed_ids = SearchDocument.objects.filter(doc_type=document_type.name).values_list(
        "object_id", flat=True
    )
    stale = [
        object_id for object_id in indexed_ids.iterator(chunk_size=5000) if object_id not in keep
    ]
    removed = documents_remove(doc_type=document_type.name, ids=stale)
    return ReindexReport(doc_type=document_type.name, indexed=indexed, removed=removed)


def _index_batch(document_type: DocumentType, ids: list[int], backend: SearchBackend) -> int:
    with transaction.atomic(using=backend.using):
        return _write_built(batch_build(document_type.name, ids), backend)


@dataclass(frozen=True)
class BuiltBatch:
    """The documents of a batch of ids, built but not written yet, and the ids whose
    record no longer gives a document (their documents are to be removed)."""

    doc_type: str
    documents: list[Document]
    missing: list[int]


def batch_build(doc_type: str, ids: list[int]) -> BuiltBatch:
    """The first half of indexing a batch (at most BATCH_SIZE ids): read and build. The
    indexer process builds the next batch while the database writes the last one."""
    documents = _checked(doc_type, ids, registry.get(doc_type).build(ids))
    found = {document.object_id for document in documents}
    return BuiltBatch(doc_type, documents, [pk for pk in ids if pk not in found])


def batch_write(batch: BuiltBatch) -> int:
    """The second half, in a transaction of its own; returns the documents written."""
    backend = get_backend()
    with transaction.atomic(using=backend.using):
        return _write_built(batch, backend)


def _write_built(batch: BuiltBatch, backend: SearchBackend) -> int:
    stored = _store(batch.documents, backend)
    if batch.missing:
        documents_remove(doc_type=batch.doc_type, ids=batch.missing)
    return len(stored)


def _store(documents: list[Document], backend: SearchBackend) -> list[StoredDocument]:
    """Write a batch of documents: one upsert of their rows, one DELETE and one INSERT
    of their facet rows, then the backend's side index. Plain rows, no model
    instances: a reindex or an import batch writes thousands of rows at once."""
    if not documents:
        return []
    # An upsert keeps each document's id (the FTS5 rowid) and, unlike delete-then-insert,
    # cannot collide with a concurrent indexing of the same record on PostgreSQL.
    pks = backend.upsert([_row(document) for document in documents], documents)
    stored = [
        StoredDocument(pk=pk, document=document)
        for pk, document in zip(pks, documents, strict=True)
    ]
    SearchFacet.objects.using(backend.using).filter(IdIn(F("document_id"), pks)).delete()
    backend.insert_facets(
        [
            (item.pk, name, value)
            for item in stored
            for name, values in item.document.facets.items()
            for value in dict.fromkeys(values)
        ]
    )
    backend.after_write(stored)
    index_changed()  # what the search page found before is not served again
    return stored


def _row(document: Document) -> DocumentRow:
    titles = {
        lang: title.strip() for lang, (title, _body) in document.texts.items() if title.strip()
    }
    summaries = {
        lang: _summary(f"{body}\n{document.shared}")
        for lang, (_title, body) in document.texts.items()
        if body.strip() or document.shared.strip()
    }
    folded_titles = dict.fromkeys(" ".join(words(title)) for title in titles.values())
    return DocumentRow(
        doc_type=document.doc_type,
        object_id=document.object_id,
        url=document.url,
        public=document.public,
        boost=document.boost,
        title=titles,
        summary=summaries,
        title_folded=" / ".join(folded for folded in folded_titles if folded),
    )


def _summary(body: str) -> str:
    """The start of the body, cut at a word boundary."""
    text = " ".join(body.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _checked(doc_type: str, ids: Sequence[int], documents: Iterable[Document]) -> list[Document]:
    asked = set(ids)
    result: dict[int, Document] = {}
    for document in documents:
        problem = _problem(document, doc_type, asked)
        if problem:
            raise ValueError(f"Search document {document.doc_type}:{document.object_id}: {problem}")
        if document.object_id in result:
            raise ValueError(f"Search document {doc_type}:{document.object_id} was built twice")
        result[document.object_id] = document
    if len(doc_type) > DOC_TYPE_MAX_LENGTH:
        raise ValueError(f"Search document type name {doc_type!r} is too long")
    return list(result.values())


def _problem(document: Document, doc_type: str, asked: set[int]) -> str:
    if document.doc_type != doc_type:
        return f"built by type {doc_type!r}"
    if document.object_id not in asked:
        return "its id was not asked for"
    if not document.boost > 0:
        return "boost must be positive"
    for name, values in document.facets.items():
        if not name or len(name) > FACET_NAME_MAX_LENGTH:
            return f"facet name {name!r} is empty or too long"
        if any(
            not isinstance(value, str) or len(value) > FACET_VALUE_MAX_LENGTH for value in values
        ):
            return f"facet {name!r} has a value that is not a string or is too long"
    return ""
