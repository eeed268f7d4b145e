"""manage.py learning_sync: reconcile the agenda and the search index with the offer.

Services keep both in sync after each commit (`services.offer.editions_changed`); this
is the safety net for a nightly run, after a restore, or after bulk changes made outside
the services (see docs/learning.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.learning.agenda_sync import sync_all
from reisgezel.learning.services.offer import EDITION_DOC_TYPE
from reisgezel.search.services import documents_reindex


class Command(BaseCommand):
    help = "Mirror course editions into the agenda and re-index them for the site search."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = sync_all()
        for outcome, count in sorted(counts.items()):
            self.stdout.write(f"agenda: {count} {outcome}")
        for report in documents_reindex(doc_type=EDITION_DOC_TYPE):
            self.stdout.write(f"search: {report.indexed} indexed, {report.removed} removed")
        self.stdout.write(self.style.SUCCESS("Learning offer in sync."))
