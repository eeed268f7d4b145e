"""Typed edges of the agenda API: what goes in (parsed by ninja/pydantic) and what goes out.

Input schemas mirror `reisgezel.agenda.inputs.EventInput` (nested `calendar` and
`booking` for readability) and convert to it with `.to_input()`; every rule beyond
types lives in `reisgezel.agenda.services`. Datetimes must carry an offset
(`AwareDatetime`): a naive time is ambiguous around the DST switch, so it is refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.utils.translation import gettext
from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field, field_validator

from reisgezel.agenda.inputs import EventInput, OpeningInput, SlotInput, TariffInput

LanguageMapT = dict[str, str]
CalendarTypeT = Literal["single", "multiple", "periodic", "permanent"]
AudienceT = Literal["everyone", "members", "schools"]
StatusT = Literal["scheduled", "postponed", "cancelled", "moved_online"]
ID_MAX = 2**63 - 1  # a database id is a signed 64-bit integer (SQLite overflows beyond)


# Characters no database column can hold: NUL (PostgreSQL stores it in neither text nor
# jsonb) and lone UTF-16 surrogates (JSON may escape them as \ud800; they are not
# Unicode scalar values, so UTF-8 cannot encode them and PostgreSQL refuses them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(value: object) -> str | None:
    """The first character of `value` (strings, keys and items nested in dicts and
    lists) that cannot be stored, or None."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        return found.group() if found else None
    if isinstance(value, dict):
        items: list[object] = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    return next((c for c in map(_unstorable, items) if c is not None), None)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_unstorable_characters(cls, value: object) -> object:
        # Refused here with a message, not by the database with a server error.
        # Validation runs inside the request, so gettext answers in the visitor's language.
        character = _unstorable(value)
        if character == "\x00":
            raise ValueError(gettext("Text cannot contain NUL characters (U+0000)."))
        if character is not None:
            raise ValueError(
                gettext(
                    "Text cannot contain a lone surrogate (U+%(code)04X): it is not a character."
                )
                % {"code": ord(character)}
            )
        return value


# --- Input ------------------------------------------------------------------------------
class SlotIn(_Strict):
    start: AwareDatetime
    end: AwareDatetime
    all_day: bool = False
    place_id: int | None = Field(None, ge=1, le=ID_MAX)


class OpeningIn(_Strict):
    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    opens: time
    closes: time


class CalendarIn(_Strict):
    type: CalendarTypeT = "single"
    time_slots: list[SlotIn] = Field(default_factory=list)
    weekly: list[OpeningIn] = Field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    rrule: str = Field("", max_length=500, description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU")
    exception_dates: list[date] = Field(default_factory=list)
    closed_on_public_holidays: bool = False


class TariffIn(_Strict):
    name: LanguageMapT
    price: Decimal = Field(max_digits=7, decimal_places=2)


class BookingIn(_Strict):
    url: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None


class EventIn(_Strict):
    """An event as a partner sends it. Language maps are {"nl": ..., "en": ...} (Dutch required)."""

    title: LanguageMapT
    summary: LanguageMapT = Field(default_factory=dict)
    description: LanguageMapT = Field(default_factory=dict)
    disciplines: list[str] = Field(default_factory=list, description="Term codes, e.g. music")
    themes: list[str] = Field(default_factory=list)
    facilities: list[str] | None = Field(
        default=None, description="Trusted partners only; leave out to keep the current ones"
    )
    place_id: int | None = Field(None, ge=1, le=ID_MAX)
    online_url: str = Field("", max_length=200)
    audience: AudienceT = "everyone"
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes, or li")
    is_free: bool = False
    base_price: Decimal | None = Field(None, max_digits=7, decimal_places=2)
    tariffs: list[TariffIn] = Field(default_factory=list)
    booking: BookingIn = Field(default_factory=lambda: BookingIn.model_validate({}))
    calendar: CalendarIn

    def to_input(self) -> EventInput:
        cal, booking = self.calendar, self.booking
        return EventInput(
            title=self.title,
            summary=self.summary,
            description=self.description,
            calendar_type=cal.type,
            disciplines=self.disciplines,
            themes=self.themes,
            facilities=self.facilities,
            place_id=self.place_id,
            online_url=self.online_url,
            audience=self.audience,
            age_min=self.age_min,
            age_max=self.age_max,
            languages=self.languages,
            is_free=self.is_free,
            base_price=self.base_price,
            tariffs=[TariffInput(name=t.name, price=t.price) for t in self.tariffs],
            booking_url=booking.url,
            booking_phone=booking.phone,
            booking_email=booking.email,
            booking_opens_at=booking.opens_at,
            booking_closes_at=booking.closes_at,
            time_slots=[SlotInput(s.start, s.end, s.all_day, s.place_id) for s in cal.time_slots],
            weekly=[OpeningInput(o.weekday, o.opens, o.closes) for o in cal.weekly],
            period_start=cal.period_start,
            period_end=cal.period_end,
            rrule=cal.rrule,
            exception_dates=cal.exception_dates,
            closed_on_public_holidays=cal.closed_on_public_holidays,
        )


class EventCreateIn(EventIn):
    submit: bool = Field(
        False, description="Submit for validation at once (trusted partners publish)"
    )


class StatusIn(_Strict):
    status: StatusT
    reason: LanguageMapT = Field(
        default_factory=dict, description="Required (in Dutch) unless scheduled"
    )


# --- Output -----------------------------------------------------------------------------
class TermOut(Schema):
    code: str
    label: str


class NamedRef(Schema):
    slug: str
    name: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class EventSummaryOut(Schema):
    id: int
    uuid: UUID
    title: LanguageMapT
    title_text: str
    url: str
    first_start: datetime | None
    occurrence_count: int
    status: StatusT
    organiser: NamedRef
    place: NamedRef | None
    disciplines: list[TermOut]
    is_free: bool
    price: Decimal | None
    age_min: int | None
    age_max: int | None
    languages: list[str]


class EventPageOut(Schema):
    items: list[EventSummaryOut]
    total: int
    page: int
    num_pages: int
    facets: dict[str, list[FacetValueOut]]


class OccurrenceOut(Schema):
    start: datetime
    end: datetime
    all_day: bool
    place: NamedRef | None
    status: StatusT


class TariffOut(Schema):
    name: LanguageMapT
    price: Decimal


class BookingOut(Schema):
    url: str
    phone: str
    email: str
    opens_at: datetime | None
    closes_at: datetime | None


class ImageOut(Schema):
    url: str
    alt: LanguageMapT
    credit: str
    rights: str


class EventDetailOut(EventSummaryOut):
    summary: LanguageMapT
    description: LanguageMapT
    online_url: str
    themes: list[TermOut]
    facilities: list[TermOut]
    audience: AudienceT
    status_reason: LanguageMapT
    calendar_type: CalendarTypeT
    tariffs: list[TariffOut]
    booking: BookingOut
    occurrences: list[OccurrenceOut]
    images: list[ImageOut]


ModerationT = Literal["draft", "ready", "approved", "rejected"]


class SlotOut(Schema):
    start: datetime
    end: datetime
    all_day: bool
    place_id: int | None


class OpeningOut(Schema):
    weekday: int
    opens: time
    closes: time


class CalendarOut(Schema):
    """The calendar as entered (the input's shape), so a client can GET, change and PUT."""

    type: CalendarTypeT
    time_slots: list[SlotOut]
    weekly: list[OpeningOut]
    period_start: date | None
    period_end: date | None
    rrule: str
    exception_dates: list[date]
    closed_on_public_holidays: bool


class PartnerEventSummaryOut(EventSummaryOut):
    moderation: ModerationT
    moderation_message: str = Field(description="The moderator's message of the last decision")


class PartnerEventOut(EventDetailOut):
    moderation: ModerationT
    moderation_message: str = Field(description="The moderator's message of the last decision")
    sequence: int
    place_id: int | None
    calendar: CalendarOut


class PartnerEventListOut(Schema):
    items: list[PartnerEventSummaryOut]
    total: int
    page: int
    num_pages: int
