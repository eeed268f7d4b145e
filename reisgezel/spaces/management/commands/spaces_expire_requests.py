"""Nightly: pending booking requests that staff did not answer give their room back.

15 4 * * *  manage.py spaces_expire_requests
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reisgezel.spaces.services import expire_pending_requests


class Command(BaseCommand):
    help = "Cancel pending booking requests older than the hold period and free their rooms."

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = expire_pending_requests()
        self.stdout.write(f"{lapsed} pending requests lapsed")
