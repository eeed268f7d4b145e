"""Load the demo data set (idempotent). Never run by migrations: only by this command."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reisgezel.agenda.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load realistic demo data (places, partners, people, 300+ events). Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = load_demo()
        seconds = time.monotonic() - started
        created = (
            ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()) if n) or "nothing"
        )
        existing = ", ".join(f"{n} {what}" for what, n in sorted(report.existing.items()) if n)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {seconds:.1f} s. Created: {created}.")
        )
        if existing:
            self.stdout.write(f"Already there (left unchanged): {existing}.")
        if not options["quiet_logins"]:
            self.stdout.write("\nDemo logins (demo only; never use these passwords elsewhere):")
            for username, password, role in report.logins:
                self.stdout.write(f"  {username:<28} {password:<22} {role}")
