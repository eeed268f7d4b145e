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
import threading
import time
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
_POLL = 0.005
_PREFIX = "oai:ahead:1:"  # the number changes with the Page class


@dataclass(frozen=True)
class Page:
    version: str
    """The collection's data version the page was built under."""
    body: bytes
    """Everything inside the verb's element: records (or headers), resumptionToken."""
    next_token: str
    """The token of the page after it ("" on the last page of a list)."""


type Builder = Callable[[str, str], Page | None]
"""(verb, resumption token) -> the page, or None (the request would be an error)."""


def _key(verb: str, token: str) -> str:
    return _PREFIX + hashlib.sha256(f"{verb}\n{token}".encode()).hexdigest()


def take(verb: str, token: str) -> Page | None:
    """The page built ahead for this request, if it is current; waits for one that is
    being built. None: build it now."""
    key = _key(verb, token)
    deadline = time.monotonic() + WAIT
    while True:
        page = cache.get(key)
        if isinstance(page, Page):
            return page if page.version == data_version() else None
        if not cache.get(key + ":pending") or time.monotonic() > deadline:
            return None
        time.sleep(_POLL)


def schedule(verb: str, token: str, build: Builder) -> None:
    """Build the page of `token` in a thread, unless it is built or being built."""
    key = _key(verb, token)
    if cache.get(key) is not None or not cache.add(key + ":pending", 1, timeout=3 * WAIT):
        return
    threading.Thread(
        target=_build, args=(verb, token, key, build), name="oai-read-ahead", daemon=True
    ).start()


def _build(verb: str, token: str, key: str, build: Builder) -> None:
    try:
        page = build(verb, token)
        if page is not None:
            cache.set(key, page, TTL)
    except Exception:
        log.exception("OAI-PMH read-ahead of a %s page failed", verb)
    finally:
        cache.delete(key + ":pending")
        for connection in connections.all(initialized_only=True):
            connection.close()  # this thread's own connections


def then_read_ahead(
    chunks: Iterator[bytes], verb: str, token: str, build: Builder
) -> Iterator[bytes]:
    """`chunks`, then (once the web server has taken the last one) the next page is
    built ahead."""
    yield from chunks
    schedule(verb, token, build)
