"""Partner feed import, on the real files in shared/data/ical (icalendar's test suite)."""

import http.server
import socket
import threading
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from reisgezel.agenda.feeds import feed_import, feed_series_roll_forward
from reisgezel.agenda.inputs import OpeningInput, SlotInput
from reisgezel.agenda.models import (
    Event,
    EventStatus,
    FeedItem,
    ImportFeed,
    ModerationState,
    Occurrence,
)
from reisgezel.agenda.services import event_approve
from reisgezel.core.models import Term
from tests.factories import OrganisationFactory, PlaceFactory, at, moderator, published_event

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
ICAL: Path = settings.SHARED_DATA_DIR / "ical"
BEFORE_2022 = date(2021, 12, 1)


@pytest.fixture(autouse=True)
def _english():
    """Reports are written in the active language (Dutch by default); test them in English."""
    with translation.override("en"):
        yield


def _read(name: str) -> bytes:
    return (ICAL / name).read_bytes()


def _feed(
    *, trusted: bool = True, url: str = "https://partner.example.org/agenda.ics"
) -> ImportFeed:
    organisation = OrganisationFactory(is_trusted=trusted)
    return ImportFeed.objects.create(
        organiser=organisation,
        name="Partner agenda",
        url=url,
        default_place=PlaceFactory(),
        default_discipline=Term.objects.get(kind="discipline", code="music"),
    )


def _reasons(run: Any, level: str = "rejected") -> list[str]:
    return [entry["reason"] for entry in run.report if entry["level"] == level]


def test_first_import_creates_and_a_second_identical_one_changes_nothing():
    feed = _feed()
    run = feed_import(feed=feed, content=_read("calendars/example.ics"), today=BEFORE_2022)
    assert run.ok and (run.created, run.updated, run.rejected) == (3, 0, 0)
    new_year = Event.objects.get(source_feed=feed, source_uid="636a0cc1dbd5a1667894465@icalendar")
    assert (
        new_year.title == {"nl": "New Year's Day"}
        and new_year.moderation == ModerationState.APPROVED
    )
    assert new_year.place_id == feed.default_place_id  # LOCATION "Russia" matches no place
    (occurrence,) = Occurrence.objects.filter(event=new_year)
    assert occurrence.all_day and occurrence.start == datetime(2022, 1, 1, tzinfo=AMS)
    assert occurrence.end == datetime(2022, 1, 2, tzinfo=AMS)  # DTEND = DTSTART: one day
    again = feed_import(feed=feed, content=_read("calendars/example.ics"), today=BEFORE_2022)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_changed_summary_updates_and_raises_sequence_and_cancelled_cancels():
    feed = _feed()
    content = _read("calendars/example.ics")
    feed_import(feed=feed, content=content, today=BEFORE_2022)
    event = Event.objects.get(source_feed=feed, source_uid="636a0cc1dc0f11667894465@icalendar")
    changed = content.replace(
        b"SUMMARY:International Women's Day", b"SUMMARY:Internationale Vrouwendag"
    )
    run = feed_import(feed=feed, content=changed, today=BEFORE_2022)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 2)
    updated = Event.objects.get(pk=event.pk)
    assert (
        updated.title == {"nl": "Internationale Vrouwendag"} and updated.sequence > event.sequence
    )
    cancelled = changed.replace(
        b"STATUS:CONFIRMED\r\nTRANSP:TRANSPARENT\r\nSEQUENCE:0\r\nEND:VEVENT\r\nEND:VCALENDAR",
        b"STATUS:CANCELLED\r\nTRANSP:TRANSPARENT\r\nSEQUENCE:1\r\nEND:VEVENT\r\nEND:VCALENDAR",
    )
    run = feed_import(feed=feed, content=cancelled, today=BEFORE_2022)
    assert (run.updated, run.cancelled) == (1, 1)
    event = Event.objects.get(pk=event.pk)
    assert (
        event.status == EventStatus.CANCELLED
        and event.status_reason["nl"] == "Geannuleerd door de organisator"
    )


@pytest.mark.parametrize("name", ["calendars/empty.ics", "calendars/calendar_with_unicode.ics"])
def test_an_empty_feed_deletes_nothing(name):
    feed = _feed()
    feed_import(feed=feed, content=_read("calendars/example.ics"), today=BEFORE_2022)
    run = feed_import(feed=feed, content=_read(name), today=BEFORE_2022)
    assert run.ok and (run.created, run.updated, run.rejected, run.not_in_feed) == (0, 0, 0, 0)
    assert Event.objects.filter(source_feed=feed).count() == 3


def test_past_events_are_skipped_with_a_reason():
    run = feed_import(feed=_feed(), content=_read("calendars/example.ics"))
    assert (run.created, run.skipped) == (0, 3)
    assert _reasons(run, "skipped")[0] == "it is over (last date 2022-01-01)"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("calendars/broken_ical.ics", "DTSTART (the start) is missing"),
        ("calendars/broken_dtstart.ics", "DTSTART is not valid: “INVALID-DATE”"),
        ("calendars/issue_1081_invalid_start_and_end.ics", "DTSTART is not valid: “INVALID-DATE”"),
        (
            "calendars/issue_1081_invalid_rrule_freq.ics",
            "RRULE is not valid: “FREQ=INVALID_TYPE_CAUSES_ERROR”",
        ),
    ],
)
def test_broken_components_are_reported_with_uid_and_reason(name, reason):
    run = feed_import(feed=_feed(), content=_read(name), today=date(2014, 1, 1))
    assert run.ok and (run.created, run.rejected) == (0, 1)
    (entry,) = [e for e in run.report if e["level"] == "rejected"]
    assert entry["reason"] == reason and entry["line"] > 1
    assert entry["message"].startswith("VEVENT '") and "UID " in entry["message"]


def test_valid_events_import_next_to_a_broken_one():
    broken = _read("calendars/broken_dtstart.ics").split(b"BEGIN:VEVENT")[1].split(b"END:VEVENT")[0]
    content = _read("calendars/example.ics").replace(
        b"END:VCALENDAR", b"BEGIN:VEVENT" + broken + b"END:VEVENT\r\nEND:VCALENDAR"
    )
    run = feed_import(feed=_feed(), content=content, today=BEFORE_2022)
    assert (run.created, run.rejected) == (3, 1)
    assert [e["message"] for e in run.report if e["level"] == "rejected"] == [
        "VEVENT 'without title' (UID test-123, line 40): DTSTART is not valid: “INVALID-DATE”"
    ]


def test_a_cut_off_calendar_reports_each_empty_event():
    run = feed_import(feed=_feed(), content=_read("calendars/big_bad_calendar.ics"))
    assert run.ok and (run.created, run.rejected) == (0, 20)
    assert set(_reasons(run)) == {"DTSTART (the start) is missing"}
    warnings = _reasons(run, "warning")
    assert "The file ends without END:VCALENDAR; it may be incomplete." in warnings
    assert warnings.count("it has no UID; it is recognised by its start and title instead") == 20


def test_a_stray_line_is_ignored_and_the_event_imported():
    run = feed_import(
        feed=_feed(),
        content=_read("calendars/issue_104_broken_calendar.ics"),
        today=date(2014, 3, 1),
    )
    assert (run.created, run.rejected) == (1, 0)
    assert "Line 13 is not an iCalendar line and was ignored: “X”" in _reasons(run, "warning")


@pytest.mark.parametrize(
    "name",
    [
        "calendars/fuzz_testcase_0_char_in_component_name.ics",
        "calendars/fuzz_testcase_invalid_month.ics",
        "calendars/fuzz_testcase_vtimezone_lone_cr.ics",
    ],
)
def test_an_unparseable_file_fails_whole_and_changes_nothing(name):
    feed = _feed()
    feed_import(feed=feed, content=_read("calendars/example.ics"), today=BEFORE_2022)
    run = feed_import(feed=feed, content=_read(name), today=BEFORE_2022)
    assert not run.ok and run.error.startswith("This is not an iCalendar file")
    assert Event.objects.filter(source_feed=feed).count() == 3


def _source_instances(
    content: bytes, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    cal = icalendar.Calendar.from_ical(content)
    return sorted(
        (i.start.astimezone(UTC), i.end.astimezone(UTC))
        for i in recurring_ical_events.of(cal).between(start, end)
    )


def _occurrences(events: Any) -> list[tuple[datetime, datetime]]:
    return sorted(
        (o.start.astimezone(UTC), o.end.astimezone(UTC))
        for o in Occurrence.objects.filter(event__in=events)
    )


def test_weekly_rule_in_vienna_with_exdates_keeps_its_dates():
    vevent = _read("events/event_with_recurrence_exdates_on_different_lines.ics")
    content = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + vevent.replace(b"SUMMARY", b"UID:weekly\r\nSUMMARY")
        + b"END:VCALENDAR\r\n"
    )
    feed = _feed()
    run = feed_import(feed=feed, content=content, today=date(2012, 1, 1))
    assert run.created == 1, run.report
    event = Event.objects.get(source_feed=feed)
    assert event.calendar_type == "periodic" and sorted(
        event.exception_dates.values_list("date", flat=True)
    )[0] == date(2012, 4, 3)
    expected = _source_instances(
        content, datetime(2012, 1, 1, tzinfo=UTC), datetime(2013, 1, 1, tzinfo=UTC)
    )
    assert len(expected) == 10 and _occurrences([event]) == expected


def test_rdate_lists_and_foreign_time_zones_are_converted():
    feed = _feed()
    content = _read("calendars/america_new_york.ics")
    run = feed_import(
        feed=feed,
        content=content.replace(b"SUMMARY:", b"LOCATION:Somewhere\r\nSUMMARY:"),
        today=date(2014, 8, 1),
    )
    assert run.created == 1, run.report
    (occurrence,) = Occurrence.objects.filter(event__source_feed=feed)
    assert occurrence.start == datetime(2014, 8, 29, 12, 0, tzinfo=UTC)  # 08:00 in New York


def test_unreachable_url_fails_readably_without_changes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends
    feed = _feed(url=f"http://127.0.0.1:{port}/agenda.ics")
    run = feed_import(feed=feed, today=BEFORE_2022)
    assert not run.ok and "could not be reached" in run.error
    assert not Event.objects.filter(source_feed=feed).exists()


def test_import_over_http_from_a_real_local_server():
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(ICAL / "calendars"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        feed = _feed(url=f"http://127.0.0.1:{server.server_address[1]}/example.ics")
        run = feed_import(feed=feed, today=BEFORE_2022)
    finally:
        server.shutdown()
        server.server_close()
    assert run.ok and run.created == 3


def test_untrusted_partner_events_wait_for_validation():
    feed = _feed(trusted=False)
    feed_import(feed=feed, content=_read("calendars/example.ics"), today=BEFORE_2022)
    assert set(Event.objects.filter(source_feed=feed).values_list("moderation", flat=True)) == {
        ModerationState.READY
    }


def test_round_trip_of_our_own_feed(client):
    source = OrganisationFactory()
    originals = [
        published_event(organisation=source),
        published_event(
            organisation=source,
            calendar_type="multiple",
            time_slots=[SlotInput(at(3), at(3, 22)), SlotInput(at(5), at(5, 23))],
        ),
        published_event(
            organisation=source,
            calendar_type="periodic",
            time_slots=[],
            weekly=[OpeningInput(1, time(10), time(17)), OpeningInput(5, time(11), time(15))],
            period_start=at(1).date(),
            period_end=at(1).date() + timedelta(days=60),
            exception_dates=[at(1).date() + timedelta(days=8)],
            closed_on_public_holidays=True,
        ),
        published_event(
            organisation=source,
            calendar_type="periodic",
            time_slots=[SlotInput(at(2, 19), at(2, 21))],
            rrule="FREQ=WEEKLY;COUNT=6",
            exception_dates=[at(9).date()],
        ),
    ]
    response = client.get(f"/ical/agenda.ics?organiser={source.slug}")
    feed = _feed()
    run = feed_import(feed=feed, content=response.content)
    assert run.ok and run.rejected == 0 and run.created == 5  # the weekly openings are two series
    imported = Event.objects.filter(source_feed=feed)
    assert _occurrences(imported) == _occurrences(originals)
    again = feed_import(feed=feed, content=response.content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_management_command_imports_a_file_for_an_organiser(capsys):
    feed = _feed()
    call_command(
        "import_feeds",
        "--file",
        str(ICAL / "calendars/example.ics"),
        "--organiser",
        feed.organiser.slug,
    )
    output = capsys.readouterr().out
    assert "3 skipped" in output and "it is over" in output


def test_tasks_import_every_active_feed(tmp_path, settings):
    from reisgezel.agenda.tasks import import_all_feeds

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(ICAL / "calendars"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        feed = _feed(url=f"http://127.0.0.1:{server.server_address[1]}/empty.ics")
        result = import_all_feeds.enqueue()
    finally:
        server.shutdown()
        server.server_close()
    assert result.return_value == 1
    (run,) = feed.runs.all()
    assert run.ok and run.created == 0


@pytest.mark.parametrize("start", ["00010101T100000Z", "99991231T220000Z", "99991231"])
def test_an_event_at_the_end_of_time_is_rejected_by_name_and_the_rest_imported(start):
    content = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:far\r\nSUMMARY:Far away\r\nDTSTART:{start}\r\n"
        "RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:near\r\nSUMMARY:Near\r\nDTSTART:20220101T100000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    ).encode()
    run = feed_import(feed=_feed(), content=content, today=BEFORE_2022)
    assert (run.created, run.rejected) == (1, 1)
    [rejected] = [e for e in run.report if e["level"] == "rejected"]
    assert rejected["uid"] == "far"
    assert rejected["reason"] in {
        "its dates cannot be worked out: date value out of range",  # the series' expansion
        "period_start: Enter a date between 1900 and 2199.; "
        "time_slots: Enter a date between 1900 and 2199.",
    }


def test_a_nul_character_in_a_feed_is_dropped() -> None:
    content = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:nul\r\nSUMMARY:Koor\x00avond\r\n"
        b"DTSTART:20220101T190000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    run = feed_import(feed=_feed(), content=content, today=BEFORE_2022)
    assert (run.created, run.rejected) == (1, 0)
    assert Event.objects.get().title["nl"] == "Kooravond"


def _vcalendar(*vevents: str) -> bytes:
    """A calendar of VEVENTs, each given as its property lines (indentation ignored)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for vevent in vevents:
        lines += ["BEGIN:VEVENT", *(line.strip() for line in vevent.strip().splitlines())]
        lines.append("END:VEVENT")
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


def _local_starts(event: Event) -> list[datetime]:
    return [o.start.astimezone(AMS).replace(tzinfo=None) for o in event.occurrences.all()]


def _exported_instances(client: Any, event: Event) -> list[tuple[datetime, datetime]]:
    response = client.get(f"/ical/event/{event.uuid}.ics")
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    return sorted(
        (i.start.astimezone(UTC), i.end.astimezone(UTC))
        for i in recurring_ical_events.of(cal).between(date(2026, 1, 1), date(2028, 1, 1))
    )


# 19:00Z on Monday 4 January 2027 is 20:00 in Maastricht; summer time starts 28 March.
UTC_SERIES = """
    DTSTART:20270104T190000Z
    DTEND:20270104T210000Z
    RRULE:FREQ=WEEKLY;UNTIL=20270517T190000Z
    EXDATE:20270405T190000Z
"""


def test_a_utc_start_with_a_rule_keeps_its_maastricht_time_across_summer_time(client):
    content = _vcalendar(
        "UID:plain\nSUMMARY:Repetitie" + UTC_SERIES,
        "UID:moved\nSUMMARY:Koor" + UTC_SERIES,
        # One date of the second series moved an hour later: the override names the
        # date by its original start (RECURRENCE-ID) and gives its new time.
        """UID:moved
        SUMMARY:Koor, later
        RECURRENCE-ID:20270510T190000Z
        DTSTART:20270510T190000Z
        DTEND:20270510T210000Z""",
    )
    feed = _feed()
    run = feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    assert (run.created, run.rejected) == (2, 0), run.report
    plain = Event.objects.get(source_feed=feed, source_uid="plain")
    moved = Event.objects.get(source_feed=feed, source_uid="moved")
    mondays = [datetime(2027, 1, 4, 20) + timedelta(weeks=n) for n in range(20)]
    mondays.remove(datetime(2027, 4, 5, 20))  # the EXDATE
    assert _local_starts(plain) == mondays
    # The moved date is at 19:00Z, in summer 21:00 in Maastricht; the others stay at 20:00.
    assert _local_starts(moved) == [*mondays[:-2], datetime(2027, 5, 10, 21), mondays[-1]]
    # What calendar clients make of our export is what the agenda shows.
    for event in (plain, moved):
        assert _exported_instances(client, event) == _occurrences([event])


def test_a_utc_rule_on_utc_weekdays_is_expanded_as_written():
    # 23:30Z on Mondays is half past midnight on Tuesdays in Maastricht: BYDAY=MO names
    # the UTC day, so it cannot be read as Maastricht time; RFC 5545 decides.
    content = _vcalendar(
        """UID:night
        SUMMARY:Nachtconcert
        DTSTART:20270104T233000Z
        DTEND:20270105T010000Z
        RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3"""
    )
    feed = _feed()
    run = feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    assert (run.created, run.rejected) == (1, 0), run.report
    event = Event.objects.get(source_feed=feed)
    assert _local_starts(event) == [datetime(2027, 1, day, 0, 30) for day in (5, 12, 19)]
    assert _occurrences([event]) == _source_instances(
        content, datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    )


# Thursdays at 19:00 in New York through 2027. The US change to summer time on 14 March
# and back on 7 November, the EU on 28 March and 31 October: in the weeks between, New
# York is five hours behind Maastricht instead of six (of it, four near the US change).
NEW_YORK_SERIES = """
    DTSTART;TZID=America/New_York:20270225T190000
    DTEND;TZID=America/New_York:20270225T210000
    RRULE:FREQ=WEEKLY;UNTIL=20271126T235959Z
"""


def test_a_rule_in_new_york_repeats_on_new_yorks_clock_across_both_clock_changes(client):
    content = _vcalendar("UID:ny\nSUMMARY:Jazz uit New York" + NEW_YORK_SERIES)
    feed = _feed()
    run = feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    assert (run.created, run.rejected) == (1, 0), run.report
    event = Event.objects.get(source_feed=feed)
    new_york = ZoneInfo("America/New_York")
    starts = [o.start.astimezone(new_york) for o in event.occurrences.all()]
    thursdays = [datetime(2027, 2, 25, 19) + timedelta(weeks=n) for n in range(40)]
    assert [start.replace(tzinfo=None) for start in starts] == thursdays
    moments = {o.start.astimezone(UTC).replace(tzinfo=None) for o in event.occurrences.all()}
    assert datetime(2027, 3, 11, 0, 0) not in moments  # not Maastricht's 01:00 repeated
    assert {
        datetime(2027, 3, 12, 0, 0),  # 11 March, 19:00 EST: 01:00 on Friday in Maastricht
        datetime(2027, 3, 18, 23, 0),  # US summer time, EU winter time: midnight here
        datetime(2027, 4, 1, 23, 0),  # both summer time: 01:00 here
        datetime(2027, 11, 4, 23, 0),  # EU winter time, US summer time: midnight here
        datetime(2027, 11, 12, 0, 0),  # both winter time again
    } <= moments
    assert _occurrences([event]) == _source_instances(
        content, datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    )
    assert _exported_instances(client, event) == _occurrences([event])


def test_a_rule_in_tokyo_keeps_tokyos_time_through_maastrichts_summer_time():
    content = _vcalendar(
        """UID:tokyo
        SUMMARY:Noh online
        DTSTART;TZID=Asia/Tokyo:20270302T190000
        DTEND;TZID=Asia/Tokyo:20270302T203000
        RRULE:FREQ=WEEKLY;COUNT=6"""
    )
    feed = _feed()
    run = feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    assert (run.created, run.rejected) == (1, 0), run.report
    event = Event.objects.get(source_feed=feed)
    # Always 10:00 UTC: 11:00 in Maastricht until 28 March, 12:00 after.
    assert _local_starts(event) == [
        datetime(2027, 3, 2, 11),
        datetime(2027, 3, 9, 11),
        datetime(2027, 3, 16, 11),
        datetime(2027, 3, 23, 11),
        datetime(2027, 3, 30, 12),
        datetime(2027, 4, 6, 12),
    ]


def test_a_rule_in_a_zone_on_maastrichts_clock_stays_a_rule_and_floating_times_are_ours():
    content = _vcalendar(
        """UID:brussels
        SUMMARY:Kamermuziek
        DTSTART;TZID=Europe/Brussels:20270304T200000
        DTEND;TZID=Europe/Brussels:20270304T220000
        RRULE:FREQ=WEEKLY;COUNT=6""",
        """UID:floating
        SUMMARY:Repetitie
        DTSTART:20270304T200000
        DTEND:20270304T220000
        RRULE:FREQ=WEEKLY;COUNT=6""",
    )
    feed = _feed()
    run = feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    assert (run.created, run.rejected) == (2, 0), run.report
    for event in Event.objects.filter(source_feed=feed):
        assert event.calendar_type == "periodic" and event.rrule, event.source_uid
        assert _local_starts(event) == [
            datetime(2027, 3, 4, 20) + timedelta(weeks=n) for n in range(6)
        ]


# An open weekly rule with an added date (RDATE), an exception and moved dates, some
# beyond the horizon of an import on 1 January 2027 (400 days: 5 February 2028).
OPEN_SERIES_WITH_CHANGES = (
    """UID:open
    SUMMARY:Dinsdagconcert
    DTSTART;TZID=Europe/Amsterdam:20270105T200000
    DTEND;TZID=Europe/Amsterdam:20270105T220000
    RRULE:FREQ=WEEKLY
    RDATE;TZID=Europe/Amsterdam:20280505T150000
    EXDATE;TZID=Europe/Amsterdam:20280404T200000""",
    # A date before the first horizon moved beyond it ...
    """UID:open
    SUMMARY:Dinsdagconcert (verplaatst)
    RECURRENCE-ID;TZID=Europe/Amsterdam:20271228T200000
    DTSTART;TZID=Europe/Amsterdam:20280301T190000
    DTEND;TZID=Europe/Amsterdam:20280301T210000""",
    # ... and one beyond it moved before it.
    """UID:open
    SUMMARY:Dinsdagconcert (vervroegd)
    RECURRENCE-ID;TZID=Europe/Amsterdam:20280307T200000
    DTSTART;TZID=Europe/Amsterdam:20280120T180000
    DTEND;TZID=Europe/Amsterdam:20280120T200000""",
)


def test_an_open_series_with_moved_and_added_dates_rolls_forward_past_the_horizon():
    content = _vcalendar(*OPEN_SERIES_WITH_CHANGES)
    feed = _feed(trusted=False)
    run = feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    assert (run.created, run.rejected, run.skipped) == (1, 0, 0), run.report
    event = Event.objects.get(source_feed=feed)
    assert event.calendar_type == "multiple"
    published_at_import = _approve(event)
    first_horizon = datetime(2028, 2, 6, tzinfo=AMS)
    assert max(_local_starts(event)) == datetime(2028, 2, 1, 20)
    assert datetime(2028, 1, 20, 18) in _local_starts(event)

    assert feed_series_roll_forward(today=date(2027, 7, 1)) == 1  # horizon 4 August 2028
    event.refresh_from_db()
    starts = _local_starts(event)
    assert len(starts) == len(set(starts))
    assert datetime(2028, 3, 1, 19) in starts and datetime(2027, 12, 28, 20) not in starts
    assert datetime(2028, 3, 7, 20) not in starts  # moved to 20 January, kept once
    assert starts.count(datetime(2028, 1, 20, 18)) == 1
    assert datetime(2028, 5, 5, 15) in starts and datetime(2028, 4, 4, 20) not in starts
    assert max(starts) == datetime(2028, 8, 1, 20)
    assert _occurrences([event]) == _source_instances(
        content, datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 8, 5, tzinfo=AMS)
    )
    assert [o for o in _occurrences([event]) if o[0] > first_horizon]
    # Rolling forward is not a change by the partner: the event stays published.
    assert event.moderation == ModerationState.APPROVED
    assert event.published_at == published_at_import
    # Again on the same day, or an unchanged feed: nothing is added twice.
    assert feed_series_roll_forward(today=date(2027, 7, 1)) == 0
    assert feed_import(feed=feed, content=content, today=date(2027, 7, 1)).unchanged == 1
    assert _local_starts(event) == starts


def test_a_series_imported_before_sources_were_kept_rolls_after_an_unchanged_import():
    """Series imported before migration agenda 0004 have no source kept: the next import
    keeps it, though the feed is unchanged, without touching the event (published stays
    published, no new SEQUENCE), and the nightly roll then adds the later dates."""
    content = _vcalendar(*OPEN_SERIES_WITH_CHANGES)
    feed = _feed(trusted=False)
    feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    event = Event.objects.get(source_feed=feed)
    published_at_import = _approve(event)
    sequence = Event.objects.get(pk=event.pk).sequence
    FeedItem.objects.filter(event=event).update(series_source="", dates_until=None)
    assert feed_series_roll_forward(today=date(2027, 7, 1)) == 0  # nothing to roll from

    run = feed_import(feed=feed, content=content, today=date(2027, 7, 1))
    assert (run.unchanged, run.updated) == (1, 0), run.report
    item = FeedItem.objects.get(event=event)
    assert item.series_source and item.dates_until == date(2028, 2, 1)  # its last date
    event.refresh_from_db()
    assert (event.sequence, event.moderation) == (sequence, ModerationState.APPROVED)

    assert feed_series_roll_forward(today=date(2027, 7, 1)) == 1
    starts = _local_starts(event)
    assert len(starts) == len(set(starts)) and max(starts) == datetime(2028, 8, 1, 20)
    assert _occurrences([event]) == _source_instances(
        content, datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 8, 5, tzinfo=AMS)
    )
    event.refresh_from_db()
    assert event.published_at == published_at_import


FINITE_SERIES = """UID:finite
    SUMMARY:Drie data
    DTSTART;TZID=Europe/Amsterdam:20270105T200000
    DTEND;TZID=Europe/Amsterdam:20270105T220000
    RDATE;TZID=Europe/Amsterdam:20270112T200000,20270119T200000"""


def test_a_finite_series_imported_before_sources_were_kept_is_read_again_once():
    content = _vcalendar(FINITE_SERIES)
    feed = _feed()
    feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    assert feed_import(feed=feed, content=content, today=date(2027, 1, 2)).unchanged == 1
    item = FeedItem.objects.get(event__source_feed=feed)
    assert item.series_source and item.dates_until is None  # checked: nothing to add
    assert feed_series_roll_forward(today=date(2027, 7, 1)) == 0


def test_a_rule_in_new_york_rolls_forward_on_new_yorks_clock():
    content = _vcalendar(
        """UID:ny-open
        SUMMARY:Jazz uit New York
        DTSTART;TZID=America/New_York:20270225T190000
        DTEND;TZID=America/New_York:20270225T210000
        RRULE:FREQ=WEEKLY"""
    )
    feed = _feed()
    feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    event = Event.objects.get(source_feed=feed)
    feed_series_roll_forward(today=date(2027, 12, 1))  # horizon 4 January 2029
    new_york = ZoneInfo("America/New_York")
    starts = [o.start.astimezone(new_york).replace(tzinfo=None) for o in event.occurrences.all()]
    assert starts == [datetime(2027, 2, 25, 19) + timedelta(weeks=n) for n in range(97)]
    assert _occurrences([event]) == _source_instances(
        content, datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 1, 5, tzinfo=AMS)
    )


def test_a_finite_series_of_dates_keeps_nothing_to_roll():
    content = _vcalendar(FINITE_SERIES)
    feed = _feed()
    feed_import(feed=feed, content=content, today=date(2027, 1, 1))
    event = Event.objects.get(source_feed=feed)
    assert event.feed_item.series_source == "" and event.feed_item.dates_until is None
    assert feed_series_roll_forward(today=date(2027, 7, 1)) == 0
    assert len(_local_starts(event)) == 3


def _approve(event: Event) -> Any:
    return event_approve(actor=moderator(), event=event).published_at
