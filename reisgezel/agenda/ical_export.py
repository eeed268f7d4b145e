"""The agenda as iCalendar (RFC 5545): one VEVENT per event, not per occurrence.

Calendar clients keep an event by its UID, so a change or a cancellation reaches every
date of it at once, and SEQUENCE tells them which copy is newer. Times are written with
TZID=Europe/Amsterdam and a VTIMEZONE, so a weekly 20:00 stays 20:00 across summer time
in every client, as it does in our own occurrences (see calendar.py).

How each calendar type is written (checked against `recurring-ical-events`, which
expands the output the way clients do, in tests/test_ical_export.py):
- single / multiple: DTSTART of the first date plus RDATE for the others. One UID keeps
  a festival with five dates one thing in a person's calendar. Dates whose length or
  place differ from the first get an override VEVENT (same UID, RECURRENCE-ID), which
  Apple Calendar, Thunderbird, Google and Outlook all apply to RDATE instances; RDATE
  with VALUE=PERIOD would carry the length too, but several clients ignore PERIOD.
- periodic with a recurrence rule: DTSTART at the first instance on or after the
  period's first day (a partner may move it past the first date), RRULE with COUNT/UNTIL
  and the last day folded into one UNTIL in UTC (RFC 5545 requires UTC when DTSTART has
  a TZID), EXDATE for exceptions and closed public holidays.
- periodic / permanent with opening hours: one VEVENT per weekly opening (UID suffixed
  with weekday and time, since one UID has one DTSTART time), FREQ=WEEKLY;BYDAY, EXDATE
  for closed days. Permanent events have no UNTIL; clients handle open rules. Closed
  holidays of open rules are listed up to the occurrence horizon: the feed is refreshed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, takewhile

import icalendar
from dateutil.rrule import rrule
from django.conf import settings
from django.db.models import Min, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from reisgezel.agenda.calendar import (
    CalendarError,
    Slot,
    city_timezone,
    local_rule_text,
    public_holidays,
    recurrence_rule,
    rule_instance,
)
from reisgezel.agenda.filters import AgendaFilters
from reisgezel.agenda.models import CalendarType, Event, EventStatus, TimeSlot, WeeklyOpening
from reisgezel.agenda.selectors import occurrences_matching

PRODID = "-//Reisgezel//Agenda//NL"
# A subscription feed is fetched whole, often by phones: beyond this it is a data dump.
MAX_FEED_EVENTS = 2000
# Instances looked at when writing EXDATEs for one rule (a daily rule over 25 years).
MAX_RULE_SCAN = 10_000
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
STATUS_OF = {EventStatus.CANCELLED: "CANCELLED", EventStatus.POSTPONED: "TENTATIVE"}


@dataclass(frozen=True)
class ExportOptions:
    language: str = "nl"
    today: date | None = None

    @property
    def horizon(self) -> date:
        today = self.today or timezone.localdate()
        return today + timedelta(days=horizon_days())


def horizon_days() -> int:
    """How far ahead occurrences are materialised (settings.REISGEZEL)."""
    days = settings.REISGEZEL["OCCURRENCE_HORIZON_DAYS"]
    assert isinstance(days, int)
    return days


def export_queryset() -> QuerySet[Event]:
    """Events with everything the export reads, in a fixed number of queries."""
    return Event.objects.select_related(
        "organiser", "place", "place__neighbourhood"
    ).prefetch_related(
        "disciplines", "time_slots", "time_slots__place", "weekly_openings", "exception_dates"
    )


def feed_events(filters: AgendaFilters) -> list[Event]:
    """Events with a public occurrence matching the filters, soonest first, at most
    MAX_FEED_EVENTS."""
    rows = (
        occurrences_matching(filters)
        .values("event_id")
        .annotate(first=Min("start"))
        .order_by("first", "event_id")[:MAX_FEED_EVENTS]
    )
    ids = [row["event_id"] for row in rows]
    events = export_queryset().in_bulk(ids)
    return [events[pk] for pk in ids if pk in events]


def calendar_of(
    events: Iterable[Event],
    *,
    name: str,
    description: str = "",
    options: ExportOptions | None = None,
) -> icalendar.Calendar:
    options = options or ExportOptions()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if description:
        cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    first = date.max
    for event in events:
        for component in event_components(event, options):
            cal.add_component(component)
            start = component.start
            first = min(first, start.date() if isinstance(start, datetime) else start)
    if first != date.max:
        # Transitions from a year before the first date: a short VTIMEZONE, still exact.
        cal.add_missing_timezones(first_date=date(first.year - 1, 1, 1), last_date=date(2038, 1, 1))
    return cal


def event_components(event: Event, options: ExportOptions) -> list[icalendar.Event]:
    """The VEVENTs of one event (several only for weekly openings and date overrides)."""
    kind = event.calendar_type
    if kind in (CalendarType.SINGLE, CalendarType.MULTIPLE):
        return _dated(event, options)
    if kind == CalendarType.PERIODIC and event.rrule:
        return _recurring(event, options)
    return [_weekly(event, opening, options) for opening in event.weekly_openings.all()]


def _local(moment: datetime) -> datetime:
    return moment.astimezone(city_timezone())


def _when(moment: datetime, all_day: bool) -> datetime | date:
    return _local(moment).date() if all_day else _local(moment)


def _end_when(slot: TimeSlot | Slot) -> datetime | date:
    if not slot.all_day:
        return _local(slot.end)
    end = _local(slot.end)
    # DTEND of an all-day event is exclusive: the day after the last day.
    return end.date() if end.time() == time.min else end.date() + timedelta(days=1)


def _location(event: Event, slot: TimeSlot | None = None) -> str:
    place = slot.place if slot is not None and slot.place_id else event.place
    if place is None:
        return event.online_url
    if place.is_private:
        # Private addresses are shown at neighbourhood level only (see Place.is_private).
        return place.neighbourhood.name if place.neighbourhood else place.city
    return ", ".join(
        part for part in (place.name, place.street, f"{place.postcode} {place.city}") if part
    )


def _describe(component: icalendar.Event, event: Event, options: ExportOptions) -> None:
    lang = options.language
    component.add("summary", event.title.get_for(lang))
    parts = [event.summary.get_for(lang), event.description.get_for(lang)]
    if event.status != EventStatus.SCHEDULED and event.status_reason:
        parts.insert(0, f"{event.get_status_display()}: {event.status_reason.get_for(lang)}")
    text = "\n\n".join(part for part in parts if part)
    if text:
        component.add("description", text)
    with translation.override(lang):
        component.add("url", settings.SITE_URL + event.get_absolute_url())  # type: ignore[attr-defined]
        organiser_url = settings.SITE_URL + reverse(
            "agenda:organiser", kwargs={"slug": event.organiser.slug}
        )
    labels = [term.label.get_for(lang) for term in event.disciplines.all()]
    if labels:
        component.add("categories", labels)
    organiser = icalendar.vCalAddress(
        f"mailto:{event.organiser.email}" if event.organiser.email else organiser_url
    )
    organiser.params["cn"] = event.organiser.name
    component.add("organizer", organiser)


def _base(
    event: Event, options: ExportOptions, uid: str, slot: TimeSlot | None = None
) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("sequence", event.sequence)
    # DTSTAMP = last change, not "now": the feed is byte-stable between changes.
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("status", STATUS_OF.get(event.status, "CONFIRMED"))  # type: ignore[call-overload]
    _describe(component, event, options)
    location = _location(event, slot=slot)
    if location:
        component.add("location", location)
    place = slot.place if slot is not None and slot.place_id else event.place
    if place is not None and place.has_coordinates and not place.is_private:
        component.add("geo", (float(place.latitude), float(place.longitude)))  # type: ignore[arg-type]
    return component


def _dated(event: Event, options: ExportOptions) -> list[icalendar.Event]:
    slots = list(event.time_slots.all())
    if not slots:
        return []
    first = slots[0]
    master = _base(event, options, event.ical_uid, slot=first)
    master.add("dtstart", _when(first.start, first.all_day))
    master.add("dtend", _end_when(first))
    others = slots[1:]
    if others:
        master.add("rdate", [_when(slot.start, first.all_day) for slot in others])
    components = [master]
    for slot in others:
        if slot.end - slot.start != first.end - first.start or slot.place_id != first.place_id:
            override = _base(event, options, event.ical_uid, slot=slot)
            override.add("recurrence-id", _when(slot.start, first.all_day))
            override.add("dtstart", _when(slot.start, first.all_day))
            override.add("dtend", _end_when(slot))
            components.append(override)
    return components


def _exdates(event: Event, instances: Iterable[datetime], until: datetime) -> list[datetime]:
    """The instances (naive local starts, up to `until`) on a closed day, made aware."""
    exceptions = {exc.date for exc in event.exception_dates.all()}
    holidays = event.closed_on_public_holidays
    if not exceptions and not holidays:
        return []
    tz = city_timezone()
    closed = []
    for naive in islice(takewhile(lambda moment: moment <= until, instances), MAX_RULE_SCAN):
        day = naive.date()
        if day in exceptions or (holidays and day in public_holidays(day.year)):
            closed.append(naive.replace(tzinfo=tz))
    return closed


def _last_instance(rule: rrule, event: Event) -> datetime | None:
    """The last start of a bounded rule (COUNT, UNTIL or the last day), else None."""
    if event.period_end is not None:
        return rule.before(datetime.combine(event.period_end, time.max), inc=True)
    if rule._count or rule._until:  # type: ignore[attr-defined]
        last = None
        for last in islice(rule, MAX_RULE_SCAN):  # noqa: B007
            pass
        return last
    return None


def _recurring(event: Event, options: ExportOptions) -> list[icalendar.Event]:
    slots = list(event.time_slots.all())
    if not slots:
        return []
    base = slots[0]
    local_start = _local(base.start)
    try:
        rule = recurrence_rule(event.rrule, local_start.replace(tzinfo=None))
    except CalendarError:
        # Saving refuses such a rule; one stored before that rule existed is left out of
        # the feed rather than breaking it for every subscriber.
        return []
    # The agenda's dates start at the period's first day (calendar.expand), which the
    # partner may have moved past the first date: DTSTART is the first instance on or
    # after it, so clients show no date before the period (COUNT became UNTIL below).
    first = rule.after(datetime.combine(event.period_start or date.min, time.min), inc=True)
    last = _last_instance(rule, event)
    if first is None or (last is not None and last < first):
        return []  # no date in the period: none in the agenda either
    recur = icalendar.vRecur.from_ical(local_rule_text(event.rrule))
    recur.pop("COUNT", None)
    recur.pop("UNTIL", None)
    if last is not None:
        recur["UNTIL"] = [
            last.date() if base.all_day else last.replace(tzinfo=city_timezone()).astimezone(UTC)
        ]
    first_date = rule_instance(Slot(base.start, base.end, base.all_day), first)
    component = _base(event, options, event.ical_uid, slot=base)
    component.add("dtstart", _when(first_date.start, base.all_day))
    component.add("dtend", _end_when(first_date))
    component.add("rrule", recur)
    scan_end = datetime.combine(
        min(last.date() if last else options.horizon, options.horizon), time.max
    )
    exdates = _exdates(event, rule.xafter(first, inc=True), scan_end)
    if exdates:
        component.add("exdate", [moment.date() if base.all_day else moment for moment in exdates])
    return [component]


def _weekly(event: Event, opening: WeeklyOpening, options: ExportOptions) -> icalendar.Event:
    first = event.period_start or _local(event.created_at).date()
    day = first + timedelta(days=(opening.weekday - first.weekday()) % 7)
    tz = city_timezone()
    code = WEEKDAY_CODES[opening.weekday]
    component = _base(event, options, f"{event.ical_uid}-{code.lower()}{opening.opens:%H%M}")
    component.add("dtstart", datetime.combine(day, opening.opens, tzinfo=tz))
    component.add("dtend", datetime.combine(day, opening.closes, tzinfo=tz))
    recur: dict[str, object] = {"FREQ": "WEEKLY", "BYDAY": code}
    last_day = options.horizon
    if event.period_end is not None:
        recur["UNTIL"] = datetime.combine(event.period_end, opening.opens, tzinfo=tz).astimezone(
            UTC
        )
        last_day = min(last_day, event.period_end)
    component.add("rrule", recur)
    weeks = (last_day - day).days // 7 + 1
    starts = (
        datetime.combine(day + timedelta(weeks=n), opening.opens) for n in range(max(weeks, 0))
    )
    exdates = _exdates(event, starts, datetime.combine(last_day, time.max))
    if exdates:
        component.add("exdate", exdates)
    return component
