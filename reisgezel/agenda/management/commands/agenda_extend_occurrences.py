"""Roll open-ended events' occurrences forward to the horizon. Scheduled nightly:

15 3 * * *  reisgezel  /srv/reisgezel/.venv/bin/python manage.py agenda_extend_occurrences
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.agenda.occurrences import occurrences_extend_all


class Command(BaseCommand):
    help = "Materialise occurrences of permanent and open-ended periodic events up to the horizon."

    def handle(self, *args: Any, **options: Any) -> None:
        count = occurrences_extend_all()
        self.stdout.write(self.style.SUCCESS(f"Occurrences extended for {count} events."))
