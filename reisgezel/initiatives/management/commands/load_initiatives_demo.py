"""manage.py load_initiatives_demo: partner profiles and a few initiatives (after
load_demo_data; docs/initiatives.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reisgezel.initiatives.demo import DemoPrerequisiteError, load_initiatives_demo


class Command(BaseCommand):
    help = (
        "Set profiles (for whom, where, new members, volunteers) on the demo amateur "
        "groups and load a few initiatives in every state. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_initiatives_demo()
        except DemoPrerequisiteError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Initiatives demo ready."))
