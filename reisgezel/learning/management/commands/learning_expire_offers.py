"""Lapse waiting-list offers past their deadline and offer the next in line (cron: every
few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.learning.services.waiting import expire_offers


class Command(BaseCommand):
    help = "Lapse waiting-list offers past their deadline and offer the places to the next in line."

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = expire_offers()
        self.stdout.write(f"{lapsed} offer(s) lapsed.")
