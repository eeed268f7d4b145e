"""manage.py load_learning_demo: the talent developer's demo (docs/learning.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.learning.demo import load_learning_demo


class Command(BaseCommand):
    help = (
        "Load demo courses: the three houses and three freelance teachers, 16 courses "
        "for toddlers to seniors with editions, sessions and prices, the school holidays "
        "of region Zuid, the five discount schemes, schools with a CJP budget, and "
        "families who enrolled. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = load_learning_demo()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Learning demo ready in {time.monotonic() - started:.1f} s.")
        )
