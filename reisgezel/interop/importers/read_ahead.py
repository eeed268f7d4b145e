"""Reading the next batch of a file while the last one is written.

An import alternates between Python's work (parsing and mapping a batch of records) and
waiting for the database (writing it, committing). `read_ahead` runs the reading in a
thread of its own, one batch ahead, so that the two overlap: the interpreter lock is
free while a statement runs, and lxml parses without it.

The readers touch no database while they read records (they look things up when they
open, in the caller's thread), so the thread needs no connection of its own. It runs
in the caller's language: the problems it reports are translated as they are made.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import Final

from django.utils import translation

POLL_SECONDS: Final = 0.5
_END: Final = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead[T](items: Iterator[T], *, depth: int = 1) -> Generator[T]:
    """The items of `items`, made in a background thread at most `depth` ahead of the
    consumer. An exception in the thread is raised here, in order, after the items made
    before it. Closing this generator (the consumer stopped, or failed) stops the
    thread before it returns, so the file under `items` may be closed after it."""
    handover: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    language = translation.get_language()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handover.put(item, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        with translation.override(language):
            try:
                for item in items:
                    if not put(item):
                        break
                else:
                    put(_END)
            except BaseException as exc:  # handed to the consumer, raised there
                put(_Failed(exc))
            finally:
                # A generator is closed where it runs: its own cleanup (a parser's
                # `finally`) happens here, before the consumer goes on.
                close = getattr(items, "close", None)
                if close is not None:
                    close()

    thread = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := handover.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]  # not _END, not _Failed: a T
    finally:
        stop.set()
        thread.join()
