"""Rebuild the search index: `manage.py search_reindex [--type event ...]`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from reisgezel.search.registry import registered
from reisgezel.search.services import ReindexReport, documents_reindex


class Command(BaseCommand):
    help = "Index every record of the registered search types again and drop stale documents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            metavar="TYPE",
            help="Only this document type (repeatable). Default: all types, and documents "
            "of types no longer registered are dropped.",
        )

    def handle(self, *args: Any, types: list[str] | None, verbosity: int, **options: Any) -> None:
        unknown = sorted(set(types or []) - set(registered()))
        if unknown:
            known = ", ".join(sorted(registered())) or "none"
            raise CommandError(
                f"Unknown search type(s): {', '.join(unknown)} (registered: {known})"
            )
        # tqdm redraws one line with carriage returns; Django's OutputWrapper would add a
        # newline to each write, so the bar goes to the wrapped stream itself.
        stream = getattr(self.stderr, "_out", sys.stderr)
        bars: dict[str, tqdm[Any]] = {}

        def progress(doc_type: str, done: int, total: int) -> None:
            bar = bars.get(doc_type)
            if bar is None:
                bar = bars[doc_type] = tqdm(
                    total=total, desc=doc_type, unit="doc", file=stream, disable=verbosity == 0
                )
            bar.update(done - bar.n)

        reports: list[ReindexReport] = []
        try:
            if types:
                for doc_type in dict.fromkeys(types):
                    reports += documents_reindex(doc_type=doc_type, progress=progress)
            else:
                reports = documents_reindex(progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
        if verbosity:
            for report in reports:
                self.stdout.write(
                    f"{report.doc_type}: {report.indexed} indexed, {report.removed} stale removed"
                )
