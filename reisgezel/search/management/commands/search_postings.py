"""Build the frequent words' posting lists: `manage.py search_postings` (nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.search.postings import postings_build


class Command(BaseCommand):
    help = (
        "Read the search index once and keep its vocabulary and the documents of its "
        "frequent words."
    )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        report = postings_build()
        if verbosity:
            self.stdout.write(
                f"{report.lexemes} words, {report.frequent} with their documents, "
                f"in {report.seconds} s."
            )
