"""manage.py load_stories_demo: demo residents' stories (docs/stories.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.stories.demo import load_stories_demo


class Command(BaseCommand):
    help = (
        "Load 60+ demo stories across Maastricht's neighbourhoods (some about Sphinx "
        "ceramics and the mosasaurus, some about places, a few in English) and the themed "
        'collection "Sphinx, een plek van herinnering". Run after load_demo_data and '
        "load_heritage_demo. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in load_stories_demo().lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Stories demo ready."))
