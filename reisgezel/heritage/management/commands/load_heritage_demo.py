"""manage.py load_heritage_demo: the heritage demo (docs/heritage-admin.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reisgezel.heritage.demo.loader import load_heritage_demo
from reisgezel.heritage.demo.pictures import add_demo_images


class Command(BaseCommand):
    help = (
        "Load demo collections: Maastricht ceramics, Maastricht Formation fossils, 50 "
        "Mestreechs words, 3 exhibits, generated pictures. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-images", action="store_true", help="Records only.")
        parser.add_argument(
            "--no-tiles",
            action="store_true",
            help="Leave the IIIF tiles of new pictures to the task worker.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = load_heritage_demo()
        if not options["no_images"]:
            add_demo_images(report, tiles_now=not options["no_tiles"])
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Heritage demo ready in {time.monotonic() - started:.1f} s.")
        )
