"""Indexing in the background while a bulk import writes (PostgreSQL only).

Within `indexing_in_background()`, the index work of committed transactions (what
`index_later` and `remove_later` run after a commit) is handed, in order, to one worker
with its own database connection instead of being done at once: the import writes its
next batch while the worker builds the documents of the last one and PostgreSQL computes
their vectors, so both sides of the work overlap instead of adding up.

Two kinds of worker:
- a thread (the default): starts at once, but shares the interpreter lock with the
  import, so only the database's share of indexing overlaps with the import's Python;
- a process (`separate_process=True`, for large files; `indexer_process`): costs a
  second or two to start (a fresh interpreter sets Django up), after which building
  documents runs on a core of its own too. It uses the same database as the caller's
  connection (so also a test database) and sees what the import committed.

Leaving the block waits until every handed-over call is done and raises the worker's
error if one failed (a process's error as a RuntimeError with its message), so after the
block the index is as up to date as without it. Calls made inside a transaction (tests,
nested use) run at once, as ever. SQLite allows one writer at a time, so there the block
changes nothing. At most QUEUE_SIZE calls wait: should the process die, only that much
index work is lost (as a crash between a commit and its on-commit hooks would lose
some); a reindex, or the importer's resume, repairs it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

from django.db import connections

QUEUE_SIZE = 2
POLL_SECONDS = 0.5
_local = threading.local()
Work = tuple[str, str, list[int]]
"""("index" | "remove", doc_type, ids)."""


class Worker(Protocol):
    using: str

    def put(self, work: Work | None) -> None: ...

    def finish(self, *, raise_error: bool = True) -> None: ...


@contextmanager
def indexing_in_background(
    using: str = "default", *, separate_process: bool = False
) -> Iterator[None]:
    """See the module docstring."""
    if connections[using].vendor != "postgresql" or background_worker() is not None:
        yield
        return
    if separate_process:
        from reisgezel.search.indexer_process import IndexerProcess

        worker: Worker = IndexerProcess(using)
    else:
        worker = IndexerThread(using)
    _local.worker = worker
    try:
        yield
    except BaseException:
        _local.worker = None
        worker.finish(raise_error=False)
        raise
    _local.worker = None
    worker.finish()


def background_worker() -> Worker | None:
    worker: Worker | None = getattr(_local, "worker", None)
    return worker


def handed_over(kind: str, doc_type: str, ids: Iterable[int]) -> bool:
    """Give the work to this thread's background worker, if it has one and the work
    does not belong to an open transaction."""
    worker = background_worker()
    if worker is None or connections[worker.using].in_atomic_block:
        return False
    worker.put((kind, doc_type, sorted(set(ids))))
    return True


def do_work(work: Work) -> None:
    from reisgezel.search.services import documents_index, documents_remove

    kind, doc_type, ids = work
    if kind == "index":
        documents_index(doc_type=doc_type, ids=ids)
    else:
        documents_remove(doc_type=doc_type, ids=ids)


class IndexerThread:
    def __init__(self, using: str) -> None:
        self.using = using
        self.queue: queue.Queue[Work | None] = queue.Queue(maxsize=QUEUE_SIZE)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self.thread.start()

    def put(self, work: Work | None) -> None:
        while True:
            if self.error is not None:
                raise self.error
            if not self.thread.is_alive():
                raise RuntimeError("the background search indexer stopped")
            try:
                self.queue.put(work, timeout=POLL_SECONDS)
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
                do_work(work)
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
        finally:
            connections.close_all()  # this thread's connections only
