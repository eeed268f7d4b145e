"""From an event's calendar to its occurrences (pure functions, no database writes).

Times are wall-clock times in the city's time zone: a weekly 20:00 concert stays at
20:00 across the change to and from summer time, which is what people expect. All-day
dates of a rule are whole calendar days, midnight to midnight (see `rule_instance`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.utils.translation import gettext as _

from reisgezel.agenda.models import MAX_OCCURRENCE_SPAN, CalendarType

# An open-ended recurrence materialises at most this far back.
OPEN_ENDED_LOOKBACK = timedelta(days=365)
# A guard against runaway rules (FREQ=MINUTELY, say): no event gets more than this.
MAX_OCCURRENCES_PER_EVENT = 5000


class CalendarError(ValueError):
    """The calendar cannot be expanded; the message is for the person who entered it."""


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    all_day: bool = False
    place_id: int | None = None


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class CalendarSpec:
    """What `expand` needs of an event, without the ORM (so it can be tested alone)."""

    calendar_type: str
    time_slots: tuple[Slot, ...] = ()
    weekly: tuple[WeeklyHours, ...] = ()
    period_start: date | None = None
    period_end: date | None = None
    rrule: str = ""
    exception_dates: frozenset[date] = frozenset()
    closed_on_public_holidays: bool = False


def city_timezone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=32)
def public_holidays(year: int) -> frozenset[date]:
    """The city's public holidays (the Netherlands, with Limburg's none extra)."""
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def _closed(day: date, spec: CalendarSpec) -> bool:
    if day in spec.exception_dates:
        return True
    return spec.closed_on_public_holidays and day in public_holidays(day.year)


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=city_timezone())


def split_long(slot: Slot) -> Iterator[Slot]:
    """Split a slot longer than MAX_OCCURRENCE_SPAN into one slot per local day."""
    if slot.end - slot.start <= MAX_OCCURRENCE_SPAN:
        yield slot
        return
    tz = city_timezone()
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    day = start.date()
    while _local(day, time.min) < end:
        day_start = max(start, _local(day, time.min))
        day_end = min(end, _local(day + timedelta(days=1), time.min))
        if day_end > day_start:
            full_day = day_start.time() == time.min and day_end == _local(
                day + timedelta(days=1), time.min
            )
            yield Slot(day_start, day_end, slot.all_day or full_day, slot.place_id)
        day += timedelta(days=1)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _weekly(spec: CalendarSpec, first: date, last: date) -> Iterator[Slot]:
    by_weekday: dict[int, list[WeeklyHours]] = {}
    for hours in spec.weekly:
        by_weekday.setdefault(hours.weekday, []).append(hours)
    for day in _days(first, last):
        if _closed(day, spec):
            continue
        for hours in by_weekday.get(day.weekday(), []):
            yield Slot(_local(day, hours.opens), _local(day, hours.closes))


# RFC 5545 RRULE parts. FREQ finer than DAILY is refused: an agenda repeats by the day
# at the finest (several times a day with BYHOUR), and dateutil searches a SECONDLY rule
# that can never match second by second up to the year 9999.
RULE_PARTS = frozenset(
    [
        *("FREQ", "UNTIL", "COUNT", "INTERVAL", "WKST", "BYSETPOS"),
        *("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY"),
        *("BYWEEKNO", "BYMONTH"),
    ]
)
RULE_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_RULE_INTERVAL = 1000
_UTC_UNTIL = re.compile(r"^(\d{8}T\d{6})Z$")


def _too_many() -> CalendarError:
    return CalendarError(
        _("This calendar gives more than %(max)d dates; shorten the period or the rule.")
        % {"max": MAX_OCCURRENCES_PER_EVENT}
    )


def _rule_error(detail: object) -> CalendarError:
    return CalendarError(_("The recurrence rule is not valid: %(error)s") % {"error": detail})


def local_rule_text(text: str) -> str:
    """The rule checked part by part, one RRULE with its UNTIL in city wall-clock time
    (a UTC UNTIL, ending in Z, converted: rules are expanded in wall-clock time, so a
    20:00 event on the UNTIL day of `UNTIL=...T190000Z` in winter is kept)."""
    text = text.strip().removeprefix("RRULE:")
    if not text or any(c in text for c in "\r\n"):
        raise _rule_error(_("give one RRULE line"))
    parts: dict[str, str] = {}
    for item in text.split(";"):
        name, _sep, value = item.partition("=")
        name = name.strip().upper()
        if name not in RULE_PARTS or not value or name in parts:
            raise _rule_error(item)
        parts[name] = value.strip()
    if parts.get("FREQ", "").upper() not in RULE_FREQUENCIES:
        raise _rule_error(_("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY"))
    interval = parts.get("INTERVAL", "1")
    if not (interval.isascii() and interval.isdigit() and 1 <= int(interval) <= MAX_RULE_INTERVAL):
        raise _rule_error(
            _("INTERVAL must be a whole number from 1 to %(max)d") % {"max": MAX_RULE_INTERVAL}
        )
    utc_until = _UTC_UNTIL.match(parts.get("UNTIL", ""))
    if utc_until:
        try:
            moment = datetime.strptime(utc_until.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            local = moment.astimezone(city_timezone())
        except (ValueError, OverflowError) as exc:
            raise _rule_error(parts["UNTIL"]) from exc
        parts["UNTIL"] = local.strftime("%Y%m%dT%H%M%S")
    return ";".join(f"{name}={value}" for name, value in parts.items())


def recurrence_rule(text: str, start: datetime) -> rrule:
    """The rule of `text` from `start` (city wall-clock time, naive), or CalendarError."""
    try:
        rule = rrulestr(local_rule_text(text), dtstart=start, ignoretz=True)
    except CalendarError:
        raise
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        raise _rule_error(exc) from exc
    if not isinstance(rule, rrule):
        raise _rule_error(_("give one RRULE line"))
    return rule


def rule_instance(base: Slot, start: datetime) -> Slot:
    """The date of a rule that starts at `start` (naive, city wall-clock time), as long
    as its first date `base`. An all-day date covers as many whole calendar days as the
    first one: counted in hours, a day is 23 or 25 long when summer time starts or ends,
    so a length copied from the first date would end another date at 23:00 or 01:00."""
    tz = city_timezone()
    begin = start.replace(tzinfo=tz)
    if not base.all_day:
        return Slot(begin, begin + (base.end - base.start), False, base.place_id)
    first_day = base.start.astimezone(tz).date()
    last_day = (base.end.astimezone(tz) - timedelta(microseconds=1)).date()
    days = max((last_day - first_day).days + 1, 1)
    return Slot(begin, _local(start.date() + timedelta(days=days), time.min), True, base.place_id)


def _recurring(spec: CalendarSpec, first: date, last: date) -> Iterator[Slot]:
    if not spec.time_slots:
        raise CalendarError(_("A recurring event needs a first date and time to repeat."))
    base = spec.time_slots[0]
    local_start = base.start.astimezone(city_timezone())
    rule = recurrence_rule(spec.rrule, local_start.replace(tzinfo=None))
    window_start = datetime.combine(first, time.min)
    window_end = datetime.combine(last, time.max)
    read = 0
    try:
        for naive in rule.xafter(window_start, inc=True):
            # Every instance read counts, also those that fall together: a rule must not
            # keep the request busy however it repeats.
            read += 1
            if naive > window_end:
                break
            if read > MAX_OCCURRENCES_PER_EVENT:
                raise _too_many()
            if _closed(naive.date(), spec):
                continue
            yield rule_instance(base, naive)
    except (ValueError, OverflowError) as exc:
        raise _rule_error(exc) from exc


def expand(spec: CalendarSpec, *, today: date, horizon_days: int) -> list[Slot]:
    """All occurrences of the calendar, open-ended ones up to `today + horizon_days`.

    Raises CalendarError with a readable message when the calendar is incomplete.
    """
    horizon = today + timedelta(days=horizon_days)
    kind = spec.calendar_type
    slots: Iterable[Slot]
    if kind in (CalendarType.SINGLE, CalendarType.MULTIPLE):
        if not spec.time_slots:
            raise CalendarError(_("Give at least one date and time."))
        if kind == CalendarType.SINGLE and len(spec.time_slots) > 1:
            raise CalendarError(
                _("A single-date event has exactly one date; choose 'multiple dates'.")
            )
        slots = spec.time_slots
    elif kind == CalendarType.PERIODIC:
        if spec.period_start is None:
            raise CalendarError(_("A periodic event needs a first day."))
        last = min(spec.period_end, horizon) if spec.period_end else horizon
        first = (
            spec.period_start
            if spec.period_end
            else max(spec.period_start, today - OPEN_ENDED_LOOKBACK)
        )
        if spec.rrule:
            slots = _recurring(spec, first, last)
        elif spec.weekly:
            slots = _weekly(spec, first, last)
        else:
            raise CalendarError(
                _("A periodic event needs opening hours per weekday or a recurrence rule.")
            )
    elif kind == CalendarType.PERMANENT:
        if not spec.weekly:
            raise CalendarError(_("A permanent event needs opening hours per weekday."))
        first = max(spec.period_start or today, today)
        # A last day, when given, ends it (the iCal export says UNTIL that day too).
        last = min(spec.period_end, horizon) if spec.period_end else horizon
        slots = _weekly(spec, first, last)
    else:
        raise CalendarError(_("Unknown calendar type %(kind)s.") % {"kind": kind})

    result: dict[datetime, Slot] = {}
    for slot in slots:
        if slot.end <= slot.start:
            raise CalendarError(_("An end time must come after its start time."))
        for part in split_long(slot):
            result.setdefault(part.start, part)
            if len(result) > MAX_OCCURRENCES_PER_EVENT:
                raise _too_many()
    return [result[key] for key in sorted(result)]
