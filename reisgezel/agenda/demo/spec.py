"""What a demo event is before it is created: the service input plus what happens next."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from reisgezel.agenda.inputs import EventInput, SlotInput, TariffInput

AMS = ZoneInfo("Europe/Amsterdam")
DEMO_UID_PREFIX = "demo:"
HORIZON_DAYS = 91  # "the coming three months"


@dataclass
class DemoEvent:
    """`key` is the natural key (stored as source_uid "demo:<key>"); `moderation` is
    the state the demo leaves it in; `status` a status set after publishing."""

    key: str
    org: str
    data: EventInput
    moderation: str = "approved"  # approved | ready | rejected | draft
    reject_message: str = ""
    status: str = "scheduled"
    status_reason: dict[str, str] = field(default_factory=dict)
    highlight: bool = False


@dataclass
class Context:
    today: date
    rng: random.Random
    places: dict[str, int]  # venue key -> Place id

    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.today + timedelta(days=days), time(hour, minute), tzinfo=AMS)

    def slot(
        self, days: int, hour: int, minutes: int, *, minute: int = 0, place: str | None = None
    ) -> SlotInput:
        start = self.at(days, hour, minute)
        return SlotInput(
            start=start,
            end=start + timedelta(minutes=minutes),
            place_id=self.places[place] if place else None,
        )

    def next_weekday(self, weekday: int) -> int:
        """Days from today to the next `weekday` (0 = Monday), today included."""
        return (weekday - self.today.weekday()) % 7


def tariffs(*pairs: tuple[dict[str, str], str]) -> list[TariffInput]:
    return [TariffInput(name=name, price=Decimal(price)) for name, price in pairs]
