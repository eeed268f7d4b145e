"""The background search indexer as a process of its own (see `background`).

The child is a fresh interpreter (`python -m reisgezel.search.indexer_process`), not a
fork: the importing process may run threads and holds open database connections, and
multiprocessing's spawn would run the caller's main script again. Parent and child talk
over two pipes of their own (stdout stays free for whatever the child prints), with
multiprocessing's framed, pickled messages:

    parent -> child: (alias, settings of the caller's database), then work items, then None
    child -> parent: ("done", "") per work item, or ("error", message) once, then it exits

At most QUEUE_SIZE items are unacknowledged at a time: the import waits for the index
instead of running ahead of it. Should the parent die, the child reads the end of its
pipe and exits. Inside the child, one thread builds documents and another writes them
(`_Writer`), so that the database's work on one batch overlaps with Python's on the next.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import traceback
from itertools import batched
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from django.db import connections

from reisgezel.search.background import POLL_SECONDS, QUEUE_SIZE, Work

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class IndexerProcess:
    def __init__(self, using: str) -> None:
        self.using = using
        self.error = ""
        self.outstanding = 0
        child_reads, parent_writes = os.pipe()
        parent_reads, child_writes = os.pipe()
        path = os.environ.get("PYTHONPATH", "")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (str(PROJECT_ROOT), path) if p),
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        }
        try:
            self.process = subprocess.Popen(  # noqa: S603 (our own module, no shell)
                [sys.executable, "-m", __name__, str(child_reads), str(child_writes)],
                pass_fds=(child_reads, child_writes),
                env=env,
            )
        finally:
            os.close(child_reads)
            os.close(child_writes)
        self.sender = Connection(parent_writes, readable=False)
        self.receiver = Connection(parent_reads, writable=False)
        self.sender.send((using, dict(connections[using].settings_dict)))

    def _stopped(self) -> RuntimeError:
        if self.error:
            return RuntimeError(f"search indexing failed: {self.error}")
        code = self.process.wait()
        return RuntimeError(f"the search indexer process stopped (exit code {code})")

    def _receive(self) -> None:
        """Wait for the child's next message (an acknowledgement or its error)."""
        while not self.receiver.poll(POLL_SECONDS):
            if self.process.poll() is not None and not self.receiver.poll(0):
                raise self._stopped()
        try:
            kind, message = self.receiver.recv()
        except EOFError:
            raise self._stopped() from None
        if kind == "error":
            self.error = message
            raise self._stopped()
        self.outstanding -= 1

    def put(self, work: Work | None) -> None:
        if self.error:
            raise self._stopped()
        while self.outstanding >= QUEUE_SIZE:
            self._receive()
        try:
            self.sender.send(work)
        except OSError:  # the child is gone (a broken pipe)
            raise self._stopped() from None
        if work is not None:
            self.outstanding += 1

    def finish(self, *, raise_error: bool = True) -> None:
        try:
            self.put(None)
            while self.outstanding:
                self._receive()
            if self.process.wait() != 0:
                raise self._stopped()
        except BaseException:
            if raise_error:
                raise
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.sender.close()
            self.receiver.close()


class _Writer:
    """The child's second thread: writes built batches (and removes) in order, and
    acknowledges each work item once everything before it is written. Meanwhile the
    child's main thread builds the next batch: the database's time and Python's
    overlap (the interpreter lock is free while a statement runs)."""

    def __init__(self, sender: Connection) -> None:
        self.sender = sender
        self.queue: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="search-writer", daemon=True)
        self.thread.start()

    def put(self, item: tuple[str, Any]) -> None:
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.queue.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                continue

    def finish(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        from reisgezel.search.services import batch_write, documents_remove

        try:
            while (item := self.queue.get()) is not None:
                kind, payload = item
                if kind == "write":
                    batch_write(payload)
                elif kind == "remove":
                    documents_remove(doc_type=payload[0], ids=payload[1])
                else:
                    self.sender.send(("done", ""))
        except BaseException as exc:  # raised in the main thread at its next put
            self.error = exc
            while self.queue.get() is not None:  # let the main thread's puts through
                pass
        finally:
            connections.close_all()  # this thread's connection


def _serve(receiver: Connection, writer: _Writer) -> None:
    from reisgezel.search.services import BATCH_SIZE, batch_build

    while (work := receiver.recv()) is not None:
        kind, doc_type, ids = work
        if kind == "index":
            for chunk in batched(sorted(set(ids)), BATCH_SIZE):
                writer.put(("write", batch_build(doc_type, list(chunk))))
        else:
            writer.put(("remove", (doc_type, ids)))
        writer.put(("ack", None))
    writer.finish()


def main() -> int:
    """The child: set Django up on the parent's database, then index until None."""
    # Ctrl-C in a terminal reaches the whole process group: the import decides (it
    # stops, and this process indexes what was committed before it exits).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    receiver = Connection(int(sys.argv[1]), writable=False)
    sender = Connection(int(sys.argv[2]), readable=False)
    using, settings_dict = receiver.recv()
    writer: _Writer | None = None
    try:
        import django

        django.setup()
        # Connections are per thread, made from these settings: every thread of the
        # child then uses the parent's database (a test database, too).
        connections.settings[using] = settings_dict
        connections[using].settings_dict = settings_dict
        writer = _Writer(sender)
        _serve(receiver, writer)
    except EOFError:
        return 1  # the parent is gone
    except BaseException as exc:
        if writer is not None:  # only one thread may send: stop the writer first
            with contextlib.suppress(BaseException):  # its error is `exc` already
                writer.finish()
        traceback.print_exc(limit=8)
        sender.send(("error", f"{type(exc).__name__}: {exc}"))
        return 1
    finally:
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
