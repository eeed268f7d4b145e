"""Typed input for event writes: what pages, the API and imports hand to the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from reisgezel.agenda.models import Audience, CalendarType


@dataclass(frozen=True)
class SlotInput:
    start: datetime
    end: datetime
    all_day: bool = False
    place_id: int | None = None


@dataclass(frozen=True)
class OpeningInput:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class TariffInput:
    name: dict[str, str]
    price: Decimal


@dataclass
class EventInput:
    """Everything a partner enters for an event. Language maps are {"nl": ..., "en": ...}."""

    title: dict[str, str]
    calendar_type: str = CalendarType.SINGLE
    disciplines: list[str] = field(default_factory=list)  # term codes
    themes: list[str] = field(default_factory=list)
    # None leaves the event's facilities as they are (untrusted partners' edits keep what a
    # moderator set); a list replaces them, which only trusted roles may do.
    facilities: list[str] | None = None
    summary: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    place_id: int | None = None
    online_url: str = ""
    audience: str = Audience.EVERYONE
    age_min: int | None = None
    age_max: int | None = None
    languages: list[str] = field(default_factory=list)
    is_free: bool = False
    base_price: Decimal | None = None
    tariffs: list[TariffInput] = field(default_factory=list)
    booking_url: str = ""
    booking_phone: str = ""
    booking_email: str = ""
    booking_opens_at: datetime | None = None
    booking_closes_at: datetime | None = None
    time_slots: list[SlotInput] = field(default_factory=list)
    weekly: list[OpeningInput] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    rrule: str = ""
    exception_dates: list[date] = field(default_factory=list)
    closed_on_public_holidays: bool = False
