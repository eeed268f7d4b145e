"""Roll open-ended events' occurrences forward to the horizon. Scheduled nightly:

15 3 * * *  reisgezel  /srv/reisgezel/.venv/bin/python manage.py agenda_extend_occurrences
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.agenda.feeds import feed_series_roll_forward
from reisgezel.agenda.occurrences import occurrences_extend_all


class Command(BaseCommand):
    help = (
        "Materialise occurrences of permanent and open-ended periodic events up to the "
        "horizon, and add the dates of imported series kept as dates that now fall within it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = occurrences_extend_all()
        rolled = feed_series_roll_forward()
        self.stdout.write(
            self.style.SUCCESS(
                f"Occurrences extended for {count} events; dates added to {rolled} imported series."
            )
        )
