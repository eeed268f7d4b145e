"""Writes to the search index: index, remove, reindex.

Domains do not call these directly inside their own transactions: they call
`registry.index_later(...)` / `remove_later(...)`, which run these after commit. Every
function here is idempotent: indexing a record twice leaves the same rows.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import batched

from django.db import connections, transaction

from reisgezel.search import registry
from reisgezel.search.backends import SearchBackend, StoredDocument, get_backend
from reisgezel.search.backends.base import DocumentRow
from reisgezel.search.models import (
    DOC_TYPE_MAX_LENGTH,
    FACET_NAME_MAX_LENGTH,
    FACET_VALUE_MAX_LENGTH,
    SearchDocument,
    SearchFacet,
)
from reisgezel.search.registry import Document, DocumentType
from reisgezel.search.text import words

BATCH_SIZE = 500
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
    (0 when the work is handed to the background indexer, see `indexing_in_background`).

    A record the type's `build` no longer returns (deleted, or no longer indexable) is
    removed from the index. Each batch of BATCH_SIZE ids is one transaction, inside
    which `build` reads the records, so on SQLite it sees the latest committed state.
    Raises ValueError when `build` returns a document that breaks the registry's
    contract (another type, an id not asked for, a facet value too long).
    """
    if _handed_over("index", doc_type, ids):
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
    if _handed_over("remove", doc_type, ids):
        return 0
    removed = 0
    for chunk in batched(sorted(set(ids)), BATCH_SIZE):
        removed += SearchDocument.objects.filter(doc_type=doc_type, object_id__in=chunk).delete()[0]
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
    if doc_type is None:
        SearchDocument.objects.exclude(doc_type__in=names).delete()
    return reports


def _reindex_type(document_type: DocumentType, progress: Progress | None) -> ReindexReport:
    ids = sorted(set(document_type.all_ids()))
    backend = get_backend()
    indexed = 0
    if progress:
        progress(document_type.name, 0, len(ids))
    for done, chunk in enumerate(batched(ids, BATCH_SIZE), start=1):
        indexed += _index_batch(document_type, list(chunk), backend)
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
        documents = _checked(document_type.name, ids, document_type.build(ids))
        stored = _store(documents, backend)
        found = {document.object_id for document in documents}
        missing = [object_id for object_id in ids if object_id not in found]
        if missing:
            documents_remove(doc_type=document_type.name, ids=missing)
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
    SearchFacet.objects.using(backend.using).filter(document_id__in=pks).delete()
    backend.insert_facets(
        [
            (item.pk, name, value)
            for item in stored
            for name, values in item.document.facets.items()
            for value in dict.fromkeys(values)
        ]
    )
    backend.after_write(stored)
    return stored


def _row(document: Document) -> DocumentRow:
    titles = {
        lang: title.strip() for lang, (title, _body) in document.texts.items() if title.strip()
    }
    summaries = {
        lang: _summary(body) for lang, (_title, body) in document.texts.items() if body.strip()
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
        facets={name: list(dict.fromkeys(values)) for name, values in document.facets.items()},
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


# --- Indexing in the background (bulk imports on PostgreSQL) ---------------------------


@contextmanager
def indexing_in_background(using: str = "default") -> Iterator[None]:
    """Within this block, index work of committed transactions (what `index_later` and
    `remove_later` run after a commit) is handed to one worker thread with its own
    database connection, in order, instead of being done at once. A bulk import then
    writes its next batch while PostgreSQL computes the search vectors of the last one
    (both sides of the work overlap instead of adding up). Leaving the block waits
    until every handed-over call is done, and raises its error if one failed: after the
    block the index is as up to date as without it.

    Calls made inside a transaction (tests, nested use) run at once, as ever. SQLite
    allows one writer at a time, so there the block changes nothing. At most
    QUEUE_SIZE calls wait: should the process die, only that much index work is lost
    (as a crash between a commit and its on-commit hooks would lose some); a reindex,
    or the importer's resume, repairs it.
    """
    if connections[using].vendor != "postgresql" or _background_indexer() is not None:
        yield
        return
    worker = _BackgroundIndexer(using)
    _local.indexer = worker
    try:
        yield
    except BaseException:
        _local.indexer = None
        worker.finish(raise_error=False)
        raise
    _local.indexer = None
    worker.finish()


QUEUE_SIZE = 2
_local = threading.local()
_Work = tuple[str, str, list[int]]  # ("index" | "remove", doc_type, ids)


def _background_indexer() -> _BackgroundIndexer | None:
    indexer: _BackgroundIndexer | None = getattr(_local, "indexer", None)
    return indexer


def _handed_over(kind: str, doc_type: str, ids: Iterable[int]) -> bool:
    worker = _background_indexer()
    if worker is None or connections[worker.using].in_atomic_block:
        return False
    worker.put((kind, doc_type, sorted(set(ids))))
    return True


class _BackgroundIndexer:
    def __init__(self, using: str) -> None:
        self.using = using
        self.queue: queue.Queue[_Work | None] = queue.Queue(maxsize=QUEUE_SIZE)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self.thread.start()

    def put(self, work: _Work | None) -> None:
        while True:
            if self.error is not None:
                raise self.error
            if not self.thread.is_alive():
                raise RuntimeError("the background search indexer stopped")
            try:
                self.queue.put(work, timeout=0.5)
                return
            except queue.Full:
                continue

    def finish(self, *, raise_error: bool = True) -> None:
        if self.thread.is_alive():
            try:
                self.put(None)
            except BaseException:
                if raise_error:
                    raise
        self.thread.join()
        if raise_error and self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while (work := self.queue.get()) is not None:
                kind, doc_type, ids = work
                if kind == "index":
                    documents_index(doc_type=doc_type, ids=ids)
                else:
                    documents_remove(doc_type=doc_type, ids=ids)
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
        finally:
            connections.close_all()  # this thread's connections only
