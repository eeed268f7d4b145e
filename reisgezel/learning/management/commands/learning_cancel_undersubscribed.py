"""Cancel editions that start within a week without enough participants, and send the
reminders before first sessions (cron: once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.learning.services.editions import (
    UNDERSUBSCRIBED_DAYS,
    cancel_undersubscribed,
    remind_first_session,
)


class Command(BaseCommand):
    help = (
        f"Cancel editions starting within {UNDERSUBSCRIBED_DAYS} days that have fewer "
        "participants than their minimum; then send the reminders before first sessions."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-reminders", action="store_true", help="Only cancel; send no reminders."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cancelled = cancel_undersubscribed()
        for edition in cancelled:
            self.stdout.write(f"Cancelled {edition} (minimum {edition.min_participants}).")
        if not options["no_reminders"]:
            reminded = remind_first_session()
            self.stdout.write(f"{reminded} reminder(s) scheduled.")
