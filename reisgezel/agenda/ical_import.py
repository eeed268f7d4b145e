"""Reading partner iCalendar feeds leniently, and mapping VEVENTs to EventInput.

No database access here (places and disciplines are resolved through callables the
feed service passes in), so each rule can be tested on a file alone.

Lenient means: the file is cut into its top-level components by their BEGIN/END lines
first, and each VEVENT is parsed on its own (with the VTIMEZONEs it names). One broken
event is reported with its line, UID and a reason a person understands; the others
import. Only a file that is not iCalendar at all fails as a whole (FeedParseError).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import islice
from typing import Any

import icalendar
from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

from reisgezel.agenda.calendar import (
    MAX_OCCURRENCES_PER_EVENT,
    CalendarError,
    city_timezone,
    recurrence_rule,
)
from reisgezel.agenda.inputs import EventInput, SlotInput
from reisgezel.agenda.models import CalendarType

# An event without DTEND or DURATION gets this length (an agenda needs an end time).
DEFAULT_DURATION = timedelta(hours=2)
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_TZID = re.compile(r"TZID=\"?([^\":;]+)\"?", re.IGNORECASE)


class FeedParseError(ValueError):
    """The file as a whole is not iCalendar; the message is for the partner."""


class Rejected(ValueError):  # noqa: N818 (a component is rejected, not an error of ours)
    """One component cannot be imported; the message is the reason."""


@dataclass
class SourceComponent:
    """One top-level VEVENT as it stands in the file."""

    line: int
    lines: list[str]
    component: icalendar.Event | None = None
    error: str = ""
    zone_lines: list[str] = field(default_factory=list)  # the VTIMEZONEs it names

    def raw(self, name: str) -> str:
        """A property's raw value, read from the text (works when parsing failed)."""
        prefix = name.upper()
        for text in self.lines:
            head, _sep, value = text.partition(":")
            if head.split(";")[0].strip().upper() == prefix:
                return value.strip()
        return ""

    def describe(self) -> str:
        summary = self.raw("SUMMARY") or _("without title")
        uid = self.raw("UID")
        where = (
            (_("UID %(uid)s, line %(line)d") % {"uid": uid, "line": self.line})
            if uid
            else (_("line %(line)d") % {"line": self.line})
        )
        return f"VEVENT '{summary}' ({where})"


@dataclass
class ParsedFeed:
    events: list[SourceComponent]
    warnings: list[str] = field(default_factory=list)
    other_components: int = 0  # VTODO, VJOURNAL, ...: not events, skipped


def _unfold(text: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        elif line.strip():
            lines.append((number, line))
    return lines


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # A NUL means nothing in a calendar, and PostgreSQL stores none in text.
    return text.replace("\x00", "")


def parse_feed(data: bytes) -> ParsedFeed:
    """Cut a feed into VEVENTs and parse each alone. Raises FeedParseError."""
    lines = _unfold(_decode(data))
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        first = lines[0][1][:60] if lines else ""
        raise FeedParseError(
            _(
                "This is not an iCalendar file: it does not start with BEGIN:VCALENDAR "
                "(found “%(first)s”)."
            )
            % {"first": first.encode("unicode_escape").decode()}
        )
    parsed = ParsedFeed(events=[])
    timezones: dict[str, list[str]] = {}
    block: list[str] = []
    block_line, depth, name, closed = 0, 1, "", False
    for number, line in lines[1:]:
        key, _sep, value = line.partition(":")
        key = key.strip().upper()
        if depth == 1 and key == "END" and value.strip().upper() == "VCALENDAR":
            closed = True
            break
        if depth == 1:
            if key == "BEGIN":
                name, block, block_line, depth = value.strip().upper(), [line], number, 2
            elif not _sep:
                parsed.warnings.append(
                    _("Line %(line)d is not an iCalendar line and was ignored: “%(text)s”")
                    % {"line": number, "text": line[:60]}
                )
            continue
        block.append(line)
        if key == "BEGIN":
            depth += 1
        elif key == "END":
            depth -= 1
        if depth == 1:
            if name == "VEVENT":
                parsed.events.append(SourceComponent(line=block_line, lines=block))
            elif name == "VTIMEZONE":
                tzid = next(
                    (
                        raw.partition(":")[2].strip()
                        for raw in block
                        if raw.upper().startswith("TZID")
                    ),
                    "",
                )
                timezones[tzid] = block
            else:
                parsed.other_components += 1
    if depth > 1 and name == "VEVENT":
        cut = SourceComponent(line=block_line, lines=block)
        cut.error = _("the file ends before END:VEVENT (the download may be cut off)")
        parsed.events.append(cut)
    if not closed:
        parsed.warnings.append(_("The file ends without END:VCALENDAR; it may be incomplete."))
    for source in parsed.events:
        if not source.error:
            _parse_component(source, timezones)
    return parsed


def _parse_component(source: SourceComponent, timezones: dict[str, list[str]]) -> None:
    text = "\n".join(source.lines)
    wanted = {match.strip() for match in _TZID.findall(text)}
    zones = [line for tzid, block in timezones.items() if tzid in wanted for line in block]
    source.zone_lines = zones
    try:
        cal = icalendar.Calendar.from_ical(
            "\r\n".join(["BEGIN:VCALENDAR", *zones, *source.lines, "END:VCALENDAR"])
        )
        components = [c for c in cal.walk("VEVENT") if isinstance(c, icalendar.Event)]
        source.component = components[0] if components else None
    except Exception as exc:  # any parser failure is this component's fault
        source.error = _("it cannot be read: %(error)s") % {"error": str(exc)[:200]}
        return
    if source.component is None:
        source.error = _("it cannot be read")


def content_hash(sources: list[SourceComponent], extra: str = "") -> str:
    """A hash of the components' text, without DTSTAMP (many servers set it to 'now')."""
    digest = hashlib.sha256(extra.encode())
    for source in sources:
        for line in source.lines:
            if not line.upper().startswith("DTSTAMP"):
                digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def series_text(sources: list[SourceComponent]) -> str:
    """A series (a VEVENT with its overrides) as an iCalendar file of its own, with the
    VTIMEZONEs it names: what `series_dates_after` reads to roll it forward."""
    zones = list(dict.fromkeys(line for source in sources for line in source.zone_lines))
    lines = [line for source in sources for line in source.lines]
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *zones, *lines, "END:VCALENDAR", ""])


def stable_uid(source: SourceComponent) -> str:
    """The UID, or for a component without one a hash of its DTSTART and SUMMARY."""
    uid = source.raw("UID")
    if uid:
        return uid[:255]
    seed = f"{source.raw('DTSTART')}\n{source.raw('SUMMARY')}"
    return "no-uid-" + hashlib.sha256(seed.encode()).hexdigest()[:40]


# --- mapping -------------------------------------------------------------------------


@dataclass
class Resolvers:
    place_for: Callable[[str], int | None]
    disciplines_for: Callable[[list[str]], list[str]]


@dataclass
class Mapped:
    data: EventInput
    cancelled: bool
    last_day: date | None  # None: open-ended
    warnings: list[str] = field(default_factory=list)
    # A series expanded into dates up to this day that has dates after it (an open rule
    # with RDATEs or moved dates, a rule in another zone): they are added as the horizon
    # moves (`series_dates_after`). None: nothing to add later.
    dates_until: date | None = None


def _property(component: icalendar.Event, name: str, label: str) -> Any:
    value = component.get(name)
    if isinstance(value, icalendar.vBroken):
        raise Rejected(
            _("%(label)s is not valid: “%(value)s”") % {"label": label, "value": str(value)[:80]}
        )
    return value


def _local(value: date | datetime) -> tuple[datetime, bool]:
    """(aware local datetime, all_day) of a DTSTART-like value; floating = city time."""
    tz = city_timezone()
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=tz), True
    if value.tzinfo is None:
        return value.replace(tzinfo=tz), False
    return value.astimezone(tz), False


def _last_day(end: datetime) -> date:
    """The last day something is on (an end at midnight belongs to the day before)."""
    return (end - timedelta(microseconds=1)).date()


def _times(component: icalendar.Event) -> tuple[datetime, datetime, bool]:
    start_prop = _property(component, "DTSTART", "DTSTART")
    if start_prop is None:
        raise Rejected(_("DTSTART (the start) is missing"))
    _property(component, "DTEND", "DTEND")
    start, all_day = _local(start_prop.dt)
    try:
        end_value = component.end
    except Exception:  # icalendar raises several kinds for bad ends
        end_value = start_prop.dt
    end, _end_all_day = _local(end_value)
    if end < start:
        raise Rejected(_("DTEND is before DTSTART"))
    if end == start:
        end = start + (timedelta(days=1) if all_day else DEFAULT_DURATION)
    return start, end, all_day


def _local_rule(component: icalendar.Event, start: datetime) -> tuple[str, date | None]:
    """The RRULE in city wall-clock time (UNTIL made floating), and its last day."""
    recur = _property(component, "RRULE", "RRULE")
    if isinstance(recur, list):
        raise Rejected(_("more than one RRULE is not supported"))
    until = recur.get("UNTIL")
    if until:
        local_until, _all_day = _local(until[0])
        recur = icalendar.vRecur(recur)
        recur["UNTIL"] = [local_until.replace(tzinfo=None)]
    rule_text = recur.to_ical().decode()
    try:
        rule = recurrence_rule(rule_text, start.replace(tzinfo=None))
    except CalendarError as exc:
        raise Rejected(str(exc)) from exc
    if not ("COUNT" in recur or "UNTIL" in recur):
        return rule_text, None
    try:
        instances = list(islice(iter(rule), MAX_OCCURRENCES_PER_EVENT + 1))
    except (ValueError, OverflowError) as exc:
        raise Rejected(_("RRULE is not valid: %(error)s") % {"error": exc}) from exc
    if len(instances) > MAX_OCCURRENCES_PER_EVENT:
        raise Rejected(
            _("RRULE gives more than %(max)d dates") % {"max": MAX_OCCURRENCES_PER_EVENT}
        )
    return rule_text, instances[-1].date() if instances else start.date()


# Rule parts that, on a DTSTART in UTC, name UTC hours, or days that may not be the
# Maastricht day of the instance: such a rule cannot be moved to Maastricht's clock.
_CLOCK_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS")


def _is_utc(value: object) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None and value.tzname() == "UTC"


def _utc_rule(master: icalendar.Event) -> tuple[icalendar.vRecur, datetime] | None:
    """The master's RRULE and DTSTART when DTSTART is in UTC (…Z); its DTSTART is valid."""
    rule, start = master.get("RRULE"), master.DTSTART
    if isinstance(rule, icalendar.vRecur) and isinstance(start, datetime) and _is_utc(start):
        return rule, start
    return None


def _names_utc_hours_or_days(rule: icalendar.vRecur, start: datetime) -> bool:
    if any(part in rule for part in _CLOCK_PARTS):
        return True
    moves_to_another_day = start.astimezone(city_timezone()).date() != start.date()
    return moves_to_another_day and any(part in rule for part in _DAY_PARTS)


def _utc_series_to_city_time(
    components: list[icalendar.Event],
    master: icalendar.Event,
    rule: icalendar.vRecur,
    start: datetime,
) -> None:
    """Read a series whose DTSTART is in UTC with an RRULE on Maastricht's wall clock.

    RFC 5545 repeats such a rule at the same UTC instant: a concert at 20:00 in winter
    (19:00Z) would be at 21:00 in summer. The organiser meant 20:00; their software wrote
    the time in UTC. So DTSTART gets Maastricht's zone (the same instant, now repeated by
    the local clock, as our own rules are), and the values that name instances of the rule
    (UNTIL, EXDATE, RECURRENCE-ID) are read with the UTC offset of DTSTART, the offset the
    rule's instances were computed with. RDATEs and the overrides' own times are moments
    and stay as written. Changes the (parsed, per-import) components in place.
    """
    tz = city_timezone()
    offset = start.astimezone(tz).utcoffset()
    assert offset is not None
    start_offset = timezone(offset)

    def instance(value: date | datetime) -> date | datetime:
        if not _is_utc(value):
            return value
        assert isinstance(value, datetime)
        return value.astimezone(start_offset).replace(tzinfo=tz)

    master.DTSTART = start.astimezone(tz)
    if rule.get("UNTIL"):
        # UTC again, as RFC 5545 requires of UNTIL once DTSTART has a zone.
        rule["UNTIL"] = [
            moment.astimezone(UTC) if isinstance(moment, datetime) else moment
            for moment in map(instance, rule["UNTIL"])
        ]
    excluded = master.exdates
    master.pop("EXDATE", None)
    for moment in excluded:
        master.add("EXDATE", instance(moment))
    for component in components:
        recurrence_id = component.get("RECURRENCE-ID")
        if recurrence_id is not None and _is_utc(recurrence_id.dt):
            kept = {k: v for k, v in recurrence_id.params.items() if k.upper() == "RANGE"}
            component.pop("RECURRENCE-ID")
            component.add("RECURRENCE-ID", instance(recurrence_id.dt), parameters=kept)


def _zoned_rule(master: icalendar.Event) -> tuple[icalendar.vRecur, datetime] | None:
    """The master's RRULE and DTSTART when DTSTART is in a named zone (a TZID, not UTC)."""
    rule, start = master.get("RRULE"), master.DTSTART
    if (
        isinstance(rule, icalendar.vRecur)
        and isinstance(start, datetime)
        and start.tzinfo is not None
        and not _is_utc(start)
    ):
        return rule, start
    return None


def _keeps_city_clock(rule: icalendar.vRecur, start: datetime, horizon: date) -> bool:
    """Whether a rule in its own zone (RFC 5545: repeated on that zone's clock) gives the
    same moments as repeated on Maastricht's clock, for every date up to `horizon`: true
    for the zones with the EU's summer time and Maastricht's offset (Brussels, Paris,
    Vienna), false for New York (its clocks change on other days), Tokyo (no summer time)
    or London (an hour apart: its rule's hours and days are not Maastricht's)."""
    own, city = start.tzinfo, city_timezone()
    recur = icalendar.vRecur(rule)
    until = recur.get("UNTIL")
    if until and isinstance(until[0], datetime) and until[0].tzinfo is not None:
        recur["UNTIL"] = [until[0].astimezone(own).replace(tzinfo=None)]
    last = datetime.combine(horizon, time.max)
    try:
        instances = rrulestr(recur.to_ical().decode(), dtstart=start.replace(tzinfo=None))
        for naive in islice(iter(instances), MAX_OCCURRENCES_PER_EVENT):
            if naive > last:
                break
            if naive.replace(tzinfo=own).utcoffset() != naive.replace(tzinfo=city).utcoffset():
                return False
    except (ValueError, TypeError, OverflowError):
        return True  # not a rule we can read: the periodic path says why
    return True


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=city_timezone())


def _expanded_slots(
    group: list[icalendar.Event], start: datetime, end: datetime
) -> tuple[list[SlotInput], bool]:
    """The series' dates that meet [start, end] (as clients expand it), and whether it
    has dates after `end`."""
    import recurring_ical_events

    cal = icalendar.Calendar()
    for component in group:
        cal.add_component(component)
    query = recurring_ical_events.of(cal)
    slots = []
    for instance in islice(query.between(start, end), MAX_OCCURRENCES_PER_EVENT + 1):
        first, last, all_day = _times(instance)
        slots.append(SlotInput(first, last, all_day))
    later = next(iter(query.after(end)), None)
    return slots, later is not None


def _series_components(
    group: list[SourceComponent],
) -> tuple[list[icalendar.Event], list[icalendar.Event]]:
    """The series' parsed components and its masters (the VEVENTs without RECURRENCE-ID)."""
    components = [source.component for source in group if source.component is not None]
    masters = [c for c in components if c.get("RECURRENCE-ID") is None]
    if not masters:
        raise Rejected(_("only changed instances of a series were found, not the series itself"))
    return components, masters


def _utc_rule_as_written(components: list[icalendar.Event], master: icalendar.Event) -> bool:
    """Moves a series with a UTC start and a rule to Maastricht's clock where it can (in
    place); True when it cannot and must be expanded as RFC 5545 says."""
    utc_rule = _utc_rule(master)
    if utc_rule is None:
        return False
    if _names_utc_hours_or_days(*utc_rule):
        return True
    _utc_series_to_city_time(components, master, *utc_rule)
    return False


def series_dates_after(text: str, *, after: date, horizon: date) -> tuple[list[SlotInput], bool]:
    """The dates of a series expanded into dates (`series_text`, kept at its import)
    that start after the day `after`, up to `horizon`; and whether it has more after
    that. Read as at its import (a UTC rule on Maastricht's clock, moved dates, RDATEs
    and exceptions as the source says), so rolling forward adds exactly the dates the
    source has beyond the last horizon: none twice, none lost. Raises Rejected."""
    parsed = parse_feed(text.encode())
    group = [source for source in parsed.events if not source.error]
    components, masters = _series_components(group)
    components = [c for c in components if c is masters[0] or c.get("RECURRENCE-ID") is not None]
    _utc_rule_as_written(components, masters[0])
    first = _end_of(after)
    slots, more = _expanded_slots(components, first, _end_of(horizon))
    return [slot for slot in slots if slot.start > first], more


def map_group(
    group: list[SourceComponent], *, resolve: Resolvers, today: date, horizon: date
) -> Mapped:
    """Map a series (master VEVENT plus RECURRENCE-ID overrides) to EventInput.

    Raises Rejected with a readable reason. Simple rules become periodic events whose
    occurrences roll forward nightly; series with RDATE or changed instances are
    expanded (by recurring-ical-events, as clients do) into dated slots.
    """
    components, masters = _series_components(group)
    master = masters[0]
    start, end, all_day = _times(master)
    zoned_rule = _zoned_rule(master)
    # A UTC rule that cannot be moved to Maastricht's clock becomes dates, as RFC 5545 says;
    # so does a rule in a zone whose clock is not Maastricht's: it repeats on its own
    # (19:00 in New York stays 19:00 there when the US and the EU change their clocks on
    # different days), which our rules, on Maastricht's clock, cannot say.
    expand_as_written = _utc_rule_as_written(components, master) or (
        zoned_rule is not None and not _keeps_city_clock(*zoned_rule, horizon)
    )
    title = str(_property(master, "SUMMARY", "SUMMARY") or "").strip()
    if not title:
        raise Rejected(_("SUMMARY (the title) is missing"))
    location = str(master.get("LOCATION") or "").strip()
    place_id = resolve.place_for(location)
    if place_id is None:
        raise Rejected(
            _("LOCATION “%(location)s” matches no known place and the feed has no default place")
            % {"location": location}
        )
    data = EventInput(
        title={"nl": title[:200]},
        description={"nl": str(master.get("DESCRIPTION") or "").strip()},
        disciplines=resolve.disciplines_for([str(c) for c in master.categories]),
        place_id=place_id,
    )
    status = str(master.get("STATUS") or "").upper()
    mapped = Mapped(data=data, cancelled=status == "CANCELLED", last_day=_last_day(end))
    has_rrule = master.get("RRULE") is not None
    if len(components) > 1 or master.get("RDATE") is not None or expand_as_written:
        lookback = datetime.combine(today - timedelta(days=365), time.min, tzinfo=city_timezone())
        slots, more = _expanded_slots(components, lookback, _end_of(horizon))
        if not slots:
            raise Rejected(_("the series has no dates"))
        data.calendar_type = CalendarType.MULTIPLE if len(slots) > 1 else CalendarType.SINGLE
        data.time_slots = slots
        mapped.last_day = None if more else _last_day(max(slot.end for slot in slots))
        mapped.dates_until = horizon if more else None
    elif has_rrule:
        data.rrule, mapped.last_day = _local_rule(master, start)
        data.calendar_type = CalendarType.PERIODIC
        data.time_slots = [SlotInput(start, end, all_day)]
        data.period_start, data.period_end = start.date(), mapped.last_day
        data.exception_dates = sorted({_local(moment)[0].date() for moment in master.exdates})
    else:
        data.time_slots = [SlotInput(start, end, all_day)]
    if len(masters) > 1:
        mapped.warnings.append(
            _("the UID is used by more than one event; only the first was imported")
        )
    return mapped
