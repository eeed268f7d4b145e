"""read_ahead: an import reads its next batch in a thread while it writes the last."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from reisgezel.heritage.models import HeritageObject
from reisgezel.interop.importers.lido import LidoReader
from reisgezel.interop.importers.read_ahead import read_ahead
from reisgezel.interop.importers.runner import import_job_run
from reisgezel.interop.models import JobStatus
from reisgezel.interop.tests.test_import_fixtures import collections, make_job, write_many_lido

__all__ = ["collections"]


def test_items_arrive_in_order_and_are_made_in_another_thread() -> None:
    makers: set[str] = set()

    def numbers() -> Iterator[int]:
        for number in range(50):
            makers.add(threading.current_thread().name)
            yield number

    assert list(read_ahead(numbers())) == list(range(50))
    assert makers == {"import-read-ahead"}


def test_an_error_comes_after_the_items_made_before_it() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("line 3: not well-formed")

    received: list[int] = []
    with pytest.raises(ValueError, match="line 3"):
        for item in read_ahead(failing()):
            received.append(item)
    assert received == [1, 2]


def test_the_reading_stays_at_most_depth_ahead() -> None:
    made: list[int] = []

    def counted() -> Iterator[int]:
        for number in range(100):
            made.append(number)
            yield number

    items = read_ahead(counted(), depth=2)
    assert next(items) == 0
    time.sleep(0.3)  # time for the thread to run ahead as far as it would
    # One handed over, two waiting in the queue, one made and waiting for room.
    assert len(made) <= 4
    items.close()


def test_closing_stops_the_thread_and_closes_what_it_reads() -> None:
    closed_in: list[str] = []

    def endless() -> Iterator[int]:
        try:
            number = 0
            while True:
                yield number
                number += 1
        finally:
            closed_in.append(threading.current_thread().name)

    before = threading.active_count()
    items = read_ahead(endless())
    assert [next(items) for _ in range(3)] == [0, 1, 2]
    items.close()
    # The file under the items may be closed now: nothing reads it any more.
    assert closed_in == ["import-read-ahead"]
    assert threading.active_count() == before


def test_the_thread_reads_in_the_callers_language() -> None:
    def languages() -> Iterator[str | None]:
        yield translation.get_language()

    with translation.override("de"):
        assert list(read_ahead(languages())) == ["de"]
    with translation.override("fr"):
        assert list(read_ahead(languages())) == ["fr"]


@pytest.mark.django_db(transaction=True)
def test_an_import_reads_ahead_on_postgresql_only(
    collections, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL works in processes of its own: the import reads its next batch in a
    thread meanwhile. SQLite works in the importing process, where it would not pay."""
    readers: set[str] = set()
    parse = LidoReader._parse

    def parse_and_note(reader: LidoReader, number: int, element: object) -> object:
        readers.add(threading.current_thread().name)
        return parse(reader, number, element)

    monkeypatch.setattr(LidoReader, "_parse", parse_and_note)
    job = make_job("lido", write_many_lido(tmp_path / "12.xml", 12), collection_code="other")
    job = import_job_run(job, batch_size=5)
    assert (job.status, job.created_count) == (JobStatus.FINISHED, 12)
    assert HeritageObject.objects.count() == 12
    expected = "import-read-ahead" if connection.vendor == "postgresql" else "MainThread"
    assert readers == {expected}
