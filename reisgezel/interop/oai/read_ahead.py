"""Read-ahead of list pages: while a harvester parses one page, the server builds the next.

A harvest is sequential: a client asks for a page, parses it, and only then asks for
the next one with the resumption token it found. Its time per page is the server's time
plus the client's; for LIDO each takes about 100 ms per page of 250 records
(bench/heritage_oai.py), so each side waits half the time. After the last chunk of a
list page with a resumption token, the process builds the page that token asks for in
a thread, and keeps its inner part (the records and the next resumptionToken, as bytes)
in the cache for TTL seconds, under the token and the collection's data version. The
request for that page then only writes the envelope (with its own responseDate) around
those bytes, and reads ahead again.

- Exact: every change of an object moves the data version (heritage collection_cache:
  the document builder bumps it, and the newest tombstone is part of it). A page built
  under another version is never served; the request builds its page itself.
- A request that arrives while its page is still being built waits for it (a pending
  mark in the cache, at most WAIT seconds) instead of building it a second time.
- Cost: at most one page built ahead per page served. A harvester that stops leaves
  one unused page in the cache, which expires.
- The cache is shared by the web processes (Redis in production, the file cache in
  embedded mode), so a harvest whose requests land on different processes gains too.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections

from reisgezel.heritage.collection_cache import data_version

log = logging.getLogger(__name__)

TTL = 120
"""Seconds a page built ahead is kept (a harvester asks for it within a second or so)."""
WAIT = 10.0
"""Seconds a request waits for its page while another thread builds it."""
_POLL = 0.002
_PREFIX = "oai:ahead:2:"  # the number changes with the Page class
_KEPT_HERE = 8
"""Pages this process keeps for its own requests, besides the shared cache."""


@dataclass(frozen=True)
class Page:
    version: str
    """The collection's data version the page was built under."""
    body: str
    """Everything inside the verb's element: the records and the resumptionToken."""
    next_token: str
    """The token of the page after it ("" on the last page of a list)."""


type Builder = Callable[[str, str], Page | None]
"""(verb, resumption token) -> the page, or None (the request would be an error)."""


class _Here:
    """This process's pages: a request served by the process that built its page takes
    it without the shared cache's round trip (the file cache compresses every value)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ready: OrderedDict[str, threading.Event] = OrderedDict()
        self.pages: dict[str, Page | None] = {}

    def expect(self, key: str) -> None:
        with self.lock:
            self.ready[key] = threading.Event()
            while len(self.ready) > _KEPT_HERE:
                old, _event = self.ready.popitem(last=False)
                self.pages.pop(old, None)

    def done(self, key: str, page: Page | None) -> None:
        with self.lock:
            event = self.ready.get(key)
            if event is None:
                return
            self.pages[key] = page
        event.set()

    def wait(self, key: str) -> tuple[bool, Page | None]:
        """(known here, the page): waits for a page this process is building."""
        event = self.ready.get(key)
        if event is None or not event.wait(WAIT):
            return False, None
        return True, self.pages.get(key)


_here = _Here()
_jobs: queue.SimpleQueue[tuple[str, str, str, Builder] | None] = queue.SimpleQueue()
_worker_lock = threading.Lock()
_worker: threading.Thread | None = None


def _key(verb: str, token: str) -> str:
    return _PREFIX + hashlib.sha256(f"{verb}\n{token}".encode()).hexdigest()


def _current(page: Page | None) -> Page | None:
    return page if page is not None and page.version == data_version() else None


def take(verb: str, token: str) -> Page | None:
    """The page built ahead for this request, if it is current; waits for one that is
    being built. None: build it now."""
    key = _key(verb, token)
    known, page = _here.wait(key)
    if known:
        return _current(page)
    deadline = time.monotonic() + WAIT
    while True:  # built, or being built, by another process
        found = cache.get(key)
        if isinstance(found, Page):
            return _current(found)
        if not cache.get(key + ":pending") or time.monotonic() > deadline:
            return None
        time.sleep(_POLL)


def schedule(verb: str, token: str, build: Builder) -> None:
    """Build the page of `token` ahead, unless it is built or being built."""
    key = _key(verb, token)
    if cache.get(key) is not None or not cache.add(key + ":pending", 1, timeout=3 * WAIT):
        return
    _here.expect(key)
    _jobs.put((verb, token, key, build))
    _start_worker()


def _start_worker() -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            # One long-lived thread per process: it keeps its database connection from
            # page to page (a new connection per page cost more than it saved).
            _worker = threading.Thread(target=_work, name="oai-read-ahead", daemon=True)
            _worker.start()


def _work() -> None:
    while True:
        job = _jobs.get()
        if job is None:  # stop(): leave no connection behind
            connections.close_all()
            return
        verb, token, key, build = job
        page = None
        try:
            page = build(verb, token)
        except Exception:
            log.exception("OAI-PMH read-ahead of a %s page failed", verb)
        finally:
            _here.done(key, page)
            try:
                if page is not None:
                    cache.set(key, page, TTL)  # for requests served by another process
            finally:
                cache.delete(key + ":pending")
                for connection in connections.all(initialized_only=True):
                    connection.close_if_unusable_or_obsolete()


def stop() -> None:
    """Let this process's worker finish its pages, close its connections and end (tests:
    a test database cannot be dropped while a thread is connected to it)."""
    global _worker
    with _worker_lock:
        worker, _worker = _worker, None
    if worker is not None and worker.is_alive():
        _jobs.put(None)
        worker.join(60)


def then_read_ahead(
    chunks: Iterator[bytes], verb: str, token: str, build: Builder
) -> Iterator[bytes]:
    """`chunks`, then (once the web server has taken the last one) the next page is
    built ahead."""
    yield from chunks
    schedule(verb, token, build)
