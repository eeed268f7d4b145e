"""iCalendar export, checked by a real client library: what `recurring-ical-events`
expands from our feed must be exactly the event's materialised occurrences."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reisgezel.accounts.models import Organisation
from reisgezel.agenda.ical_export import horizon_days
from reisgezel.agenda.inputs import OpeningInput, SlotInput
from reisgezel.agenda.models import Event, Occurrence
from reisgezel.agenda.services import event_create, event_set_status, event_update
from reisgezel.places.models import Place
from tests.factories import (
    OrganisationFactory,
    PlaceFactory,
    at,
    event_input,
    member_of,
    published_event,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
FEED = "/ical/agenda.ics"


def _org(**fields: Any) -> Organisation:
    return OrganisationFactory(**fields)


def _place() -> Place:
    return PlaceFactory()


def _christmas() -> date:
    today = timezone.localdate()
    year = today.year if today < date(today.year, 12, 1) else today.year + 1
    return date(year, 12, 25)


def _feed(client: Any, query: str = "") -> Any:
    """The parsed feed (Any: tests read a protocol's properties dynamically)."""
    response = client.get(FEED + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _expanded(cal: Any, event: Event, start: datetime, end: datetime) -> list:
    return sorted(
        (_utc(instance.start), _utc(instance.end))
        for instance in recurring_ical_events.of(cal).between(start, end)
        if str(instance["UID"]).startswith(event.ical_uid)
    )


def _utc(moment: date | datetime) -> datetime:
    """All-day dates are local days to a client; we store them from local midnight."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min, tzinfo=AMS)
    return moment.astimezone(UTC)


def _occurrences(event: Event, start: datetime, end: datetime) -> list:
    rows = Occurrence.objects.filter(event=event, start__gte=start, start__lt=end)
    return sorted((o.start.astimezone(UTC), o.end.astimezone(UTC)) for o in rows)


def _assert_same_dates(
    client, event: Event, start: datetime | None = None, end: datetime | None = None
):
    start = start or datetime(2000, 1, 1, tzinfo=UTC)
    end = end or datetime(2100, 1, 1, tzinfo=UTC)
    occurrences = _occurrences(event, start, end)
    assert occurrences, "the test event has no occurrences"
    assert _expanded(_feed(client), event, start, end) == occurrences


def test_single_event_round_trips(client):
    event = published_event()
    _assert_same_dates(client, event)


def test_multiple_dates_with_one_longer_date_round_trip(client):
    slots = [
        SlotInput(at(3), at(3, 22)),
        SlotInput(at(5), at(5, 23, 30)),
        SlotInput(at(9, 14), at(9, 16)),
    ]
    event = published_event(calendar_type="multiple", time_slots=slots)
    _assert_same_dates(client, event)
    assert len(_occurrences(event, at(1, 0), at(28, 0))) == 3


def test_all_day_dates_round_trip(client):
    day = at(12, 0)
    event = published_event(time_slots=[SlotInput(day, day + timedelta(days=1), all_day=True)])
    cal = _feed(client)
    (component,) = [c for c in cal.walk("VEVENT") if c["UID"] == event.ical_uid]
    assert component.start == day.date()
    _assert_same_dates(client, event)


def _next_change_of_summer_time() -> date:
    """The next day that is 23 or 25 hours long in Maastricht."""
    day = timezone.localdate() + timedelta(days=1)
    while (
        datetime.combine(day, time.min, tzinfo=AMS).utcoffset()
        == datetime.combine(day + timedelta(days=1), time.min, tzinfo=AMS).utcoffset()
    ):
        day += timedelta(days=1)
    return day


def test_weekly_all_day_rule_from_a_change_of_summer_time_round_trips(client):
    first = datetime.combine(_next_change_of_summer_time(), time.min, tzinfo=AMS)
    event = published_event(
        calendar_type="periodic",
        time_slots=[SlotInput(first, first + timedelta(days=1), all_day=True)],
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    _assert_same_dates(client, event)
    for occurrence in Occurrence.objects.filter(event=event):
        start, end = occurrence.start.astimezone(AMS), occurrence.end.astimezone(AMS)
        assert start.time() == end.time() == time.min and (end.date() - start.date()).days == 1


def test_weekly_opening_hours_with_exceptions_and_holidays_round_trip(client):
    christmas = _christmas()
    event = published_event(
        calendar_type="periodic",
        time_slots=[],
        weekly=[OpeningInput(d, time(10), time(17)) for d in range(1, 7)]
        + [OpeningInput(3, time(19), time(21))],
        period_start=christmas - timedelta(days=20),
        period_end=christmas + timedelta(days=20),
        exception_dates=[christmas - timedelta(days=7)],
        closed_on_public_holidays=True,
    )
    _assert_same_dates(client, event)
    dates = {
        s.astimezone(AMS).date()
        for s, _e in _occurrences(event, at(1, 0, year=2000), at(1, 0, year=2100))
    }
    assert christmas not in dates and christmas - timedelta(days=7) not in dates
    uids = {
        str(c["UID"])
        for c in _feed(client).walk("VEVENT")
        if str(c["UID"]).startswith(event.ical_uid)
    }
    assert len(uids) == 7  # one per weekly opening


def test_recurrence_rule_with_exceptions_and_holidays_round_trips(client):
    christmas = _christmas()
    first = datetime.combine(christmas - timedelta(days=10), time(20), tzinfo=AMS)
    event = published_event(
        calendar_type="periodic",
        time_slots=[SlotInput(first, first + timedelta(hours=2))],
        rrule="FREQ=DAILY;COUNT=30",
        exception_dates=[christmas - timedelta(days=3)],
        closed_on_public_holidays=True,
    )
    _assert_same_dates(client, event)
    component = next(c for c in _feed(client).walk("VEVENT") if c["UID"] == event.ical_uid)
    assert "COUNT" not in component["RRULE"] and component["RRULE"]["UNTIL"][0].tzinfo is not None
    # closed: the exception, Christmas, Boxing Day and New Year's Day
    assert len(_occurrences(event, first, first + timedelta(days=40))) == 30 - 4


@pytest.mark.parametrize("all_day", [False, True], ids=["evening", "all-day"])
def test_a_rule_whose_first_day_was_moved_later_starts_there_in_the_feed(client, all_day):
    # The partner keeps the first date and moves the period's first day ten days on: the
    # two dates before it are not on, in the agenda nor in anyone's calendar.
    first = at(2, 0) if all_day else at(2, 19)
    end = first + (timedelta(days=1) if all_day else timedelta(hours=2))
    event = published_event(
        calendar_type="periodic",
        time_slots=[SlotInput(first, end, all_day=all_day)],
        rrule="FREQ=WEEKLY;COUNT=6",
        period_start=first.date() + timedelta(days=10),
        exception_dates=[first.date() + timedelta(weeks=3)],
    )
    _assert_same_dates(client, event)
    assert len(_occurrences(event, first, first + timedelta(weeks=10))) == 6 - 2 - 1


def test_permanent_event_round_trips_up_to_the_horizon(client):
    event = published_event(
        calendar_type="permanent",
        time_slots=[],
        weekly=[OpeningInput(5, time(11), time(16)), OpeningInput(6, time(12), time(16))],
        closed_on_public_holidays=True,
    )
    today = datetime.combine(timezone.localdate(), time.min, tzinfo=AMS)
    horizon = today + timedelta(days=horizon_days() + 1)
    _assert_same_dates(client, event, today, horizon)
    component = next(
        c for c in _feed(client).walk("VEVENT") if str(c["UID"]).startswith(event.ical_uid)
    )
    assert "UNTIL" not in component["RRULE"]


def test_properties_of_a_vevent(client):
    org = _org(email="info@example.org")
    event = published_event(organisation=org, description={"nl": "Orgel en koor."})
    cal = _feed(client)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    component = next(c for c in cal.walk("VEVENT") if c["UID"] == event.ical_uid)
    assert component["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert component["SUMMARY"] == "Concert in de Sint-Janskerk"
    assert component["DESCRIPTION"] == "Orgel en koor."
    assert component["STATUS"] == "CONFIRMED"
    assert component["URL"] == settings.SITE_URL + f"/nl/agenda/{event.pk}/{event.slug}/"
    assert str(component["ORGANIZER"]) == "mailto:info@example.org"
    assert component["ORGANIZER"].params["CN"] == org.name
    assert component.categories == ["Muziek"]
    assert event.place is not None and component["LOCATION"].startswith(event.place.name)
    assert component["GEO"].latitude == pytest.approx(50.846)
    assert "DTSTAMP" in component and "LAST-MODIFIED" in component
    assert cal["X-WR-CALNAME"] == "Agenda Maastricht"


def test_uid_is_stable_and_sequence_rises_on_update_then_cancel(client):
    org = _org(is_trusted=True)  # its edits stay published
    actor = member_of(org)
    event = event_create(actor=actor, organisation=org, data=event_input(), submit=True)
    before = next(c for c in _feed(client).walk("VEVENT") if c["UID"] == event.ical_uid)
    event_update(
        actor=actor,
        event=event,
        data=event_input(title={"nl": "Nieuw concert"}, place_id=event.place_id),
    )
    after = next(c for c in _feed(client).walk("VEVENT") if c["UID"] == event.ical_uid)
    assert after["SUMMARY"] == "Nieuw concert" and after["SEQUENCE"] > before["SEQUENCE"]
    event_set_status(
        actor=actor, event=event, status="cancelled", reason={"nl": "Ziek", "en": "Ill"}
    )
    cancelled = next(
        c for c in _feed(client, "?lang=en").walk("VEVENT") if c["UID"] == event.ical_uid
    )
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] > after["SEQUENCE"]
    assert cancelled["DESCRIPTION"].startswith("Cancelled: Ill")


def test_language_choice_with_fallback_to_dutch(client):
    event = published_event()
    summaries = {
        lang: next(
            c for c in _feed(client, f"?lang={lang}").walk("VEVENT") if c["UID"] == event.ical_uid
        )["SUMMARY"]
        for lang in ("nl", "en", "de")
    }
    assert summaries == {
        "nl": "Concert in de Sint-Janskerk",
        "en": "Concert in St John's Church",
        "de": "Concert in de Sint-Janskerk",
    }
    assert "/en/agenda/" in str(
        next(c for c in _feed(client, "?lang=en").walk("VEVENT") if c["UID"] == event.ical_uid)[
            "URL"
        ]
    )


def test_filters_are_applied_and_unpublished_events_left_out(client):
    music = published_event()
    dance = published_event(disciplines=["dance"])
    org = _org()
    draft = event_create(actor=member_of(org), organisation=org, data=event_input())
    uids = {str(c["UID"]) for c in _feed(client, "?discipline=dance").walk("VEVENT")}
    assert uids == {dance.ical_uid}
    uids = {str(c["UID"]) for c in _feed(client).walk("VEVENT")}
    assert {music.ical_uid, dance.ical_uid} <= uids and draft.ical_uid not in uids


def test_feed_default_period_reaches_back_thirty_days(client):
    recent = published_event(start=datetime.now(tz=AMS) - timedelta(days=20))
    old = published_event(start=datetime.now(tz=AMS) - timedelta(days=40))
    uids = {str(c["UID"]) for c in _feed(client).walk("VEVENT")}
    assert recent.ical_uid in uids and old.ical_uid not in uids


def test_bad_filters_answer_400_with_the_reasons(client):
    response = client.get(FEED + "?date_from=yesterday-ish&age=500&lang=xx")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "date_from" in text and "age" in text and "lang" in text
    for edge in ("0001-01-01", "9999-12-31"):
        response = client.get(FEED + "?date_from=" + edge)
        assert response.status_code == 400
        assert "date_from" in response.content.decode()


def test_feed_queries_do_not_grow_with_events(client, django_assert_max_num_queries):
    place = _place()
    for n in range(3):
        published_event(place_id=place.pk, start=at(2 + n))
        published_event(
            calendar_type="multiple",
            time_slots=[SlotInput(at(4), at(4, 22)), SlotInput(at(6, 10), at(6, 18))],
        )
        published_event(
            calendar_type="periodic",
            time_slots=[],
            weekly=[OpeningInput(2, time(9), time(12))],
            period_start=at(1).date(),
            period_end=at(28).date(),
            exception_dates=[at(8).date()],
        )
    with django_assert_max_num_queries(10):
        cal = _feed(client)
    assert len({str(c["UID"]).split("-we")[0] for c in cal.walk("VEVENT")}) == 9


def test_event_file_is_an_attachment_and_drafts_are_not_found(client):
    event = published_event()
    response = client.get(reverse("ical:event", kwargs={"uuid": event.uuid}))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="concert-in-de-sint-janskerk.ics"'
    )
    cal: Any = icalendar.Calendar.from_ical(response.content)
    assert [str(c["UID"]) for c in cal.walk("VEVENT")] == [event.ical_uid]
    org = _org()
    draft = event_create(actor=member_of(org), organisation=org, data=event_input())
    assert client.get(reverse("ical:event", kwargs={"uuid": draft.uuid})).status_code == 404
