"""What every importer shares: the parsed record, the reader interface, file errors.

A reader turns a file into `ParsedRecord`s, one at a time (never the whole file in
memory), numbered from 1 in file order; `records(skip=n)` passes over the first n
without mapping them (a resumed job). Reader problems use the source's own field
names; `source_field` translates the record field names that object_upsert reports.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from django.utils.translation import gettext as _

from reisgezel.heritage.records import WARNING, ObjectRecord, Problem


# Problems every format reports, worded once. Report lines are in the job's language:
# the runner activates it while the job runs (ImportJob.language).
def not_a_number(text: str) -> str:
    return _("%(text)r is not a number") % {"text": text}


def no_rights_stated() -> str:
    return _("no rights statement: copyright not evaluated")


def title_stands_in(language: str) -> str:
    return _("no Dutch title: the %(language)s title stands in for it") % {"language": language}


def unreadable_after(name: str, number: int, error: object) -> str:
    return _("%(file)s cannot be read after record %(number)s: %(error)s") % {
        "file": name,
        "number": number,
        "error": error,
    }


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not an archive, not XML, a bad mapping).
    The message is for the person who chose the file."""


@dataclass(frozen=True)
class JobOptions:
    source: str
    collection: str = ""
    mapping: dict[str, Any] = field(default_factory=dict)
    publish: bool = False
    validate_schema: bool = False


@dataclass
class ParsedRecord:
    number: int
    identifier: str
    """How the report names the record, e.g. "lido:lidoRecID DE-MUS-059918/dc00018494"."""
    record: ObjectRecord | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return self.record is None or any(p.severity != WARNING for p in self.problems)


@dataclass(frozen=True)
class FileProblem:
    """A problem found outside the record pass (e.g. a multimedia extension row)."""

    identifier: str
    problem: Problem


@dataclass(frozen=True)
class LocalMedia:
    """An image inside the imported file, for the object with `source_id`."""

    identifier: str
    source_id: str
    path: Path
    description: str = ""
    licence: str = ""


class RecordReader(ABC):
    identifier_label = "id"
    field_names: dict[str, str] = {}
    """Record field name -> the source's name for it, for the report."""

    def __init__(self, path: Path, options: JobOptions) -> None:
        self.path = path
        self.options = options

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:  # noqa: B027 (optional hook)
        """Check the file and get ready; raise ImportFileError if it cannot be read."""

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release what open() took (temporary folders, file handles)."""

    @abstractmethod
    def records(self, *, skip: int = 0) -> Iterator[ParsedRecord]: ...

    def total_estimate(self) -> int | None:
        return None

    def closing_items(self) -> Iterator[FileProblem | LocalMedia]:
        """What a pass after the records found: problems, media files (default: none)."""
        return iter(())

    def source_field(self, record_field: str) -> str:
        if record_field in self.field_names:
            return self.field_names[record_field]
        head = record_field.split(".", 1)[0]
        return self.field_names.get(head, record_field)

    def identify(self, value: str) -> str:
        return f"{self.identifier_label} {value}" if value else ""


def count_matches(path: Path, pattern: bytes, *, chunk_size: int = 1 << 20) -> int:
    """How often `pattern` (a regular expression on bytes) occurs in the file, read in
    chunks: a cheap estimate of a file's number of records, in flat memory."""
    regex = re.compile(pattern)
    overlap = 256
    count, tail = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            data = tail + chunk
            # Count matches that start before the overlap zone; the rest are counted
            # with the next chunk (which starts with that zone).
            cut = max(0, len(data) - overlap)
            count += sum(1 for m in regex.finditer(data) if m.start() < cut)
            tail = data[cut:]
    count += sum(1 for _ in regex.finditer(tail))
    return count


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        handle.seek(max(0, path.stat().st_size - 1))
        last = handle.read(1)
    return lines + (1 if last not in (b"\n", b"") else 0)


def clean_text(value: str | None) -> str:
    """Whitespace as people expect it: trimmed, runs of blanks and newlines made one.
    A NUL character (junk from an export; PostgreSQL stores none) is dropped."""
    return " ".join(value.replace("\x00", "").split()) if value else ""
