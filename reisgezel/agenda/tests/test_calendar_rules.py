"""Recurrence rules, feeds and the nightly roll hold up against what partners and feeds
send: rules that never end or repeat in one spot, two-line rules, UNTIL in UTC, a last
day, a feed update over a partner's additions, an untrusted partner's new booking link,
and a place moved to another buurt. Each test failed before its fix (a review)."""

from __future__ import annotations

import contextlib
import json
import signal
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from reisgezel.accounts.services import api_token_create
from reisgezel.agenda.calendar import (
    CalendarError,
    CalendarSpec,
    Slot,
    WeeklyHours,
    expand,
    recurrence_rule,
)
from reisgezel.agenda.feeds import feed_import
from reisgezel.agenda.inputs import OpeningInput, SlotInput
from reisgezel.agenda.models import Event, ImportFeed, ModerationState, Occurrence
from reisgezel.agenda.occurrences import occurrences_extend_all
from reisgezel.agenda.services import event_create, event_update
from reisgezel.core.models import Term
from reisgezel.places import services as place_services
from reisgezel.places.models import District, Neighbourhood
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


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """A hang becomes a failure."""

    def stop(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def ics(*events: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", *events]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


def vevent(uid: str, summary: str, *extra: str) -> str:
    day = (timezone.localdate() + timedelta(days=20)).strftime("%Y%m%d")
    return "\r\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTART;TZID=Europe/Amsterdam:{day}T200000",
            f"DTEND;TZID=Europe/Amsterdam:{day}T220000",
            *extra,
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    )


def make_feed() -> ImportFeed:
    return ImportFeed.objects.create(
        organiser=OrganisationFactory(is_trusted=True),
        name="Podium",
        url="https://podium.example.org/agenda.ics",
        default_place=PlaceFactory(),
        default_discipline=Term.objects.get(kind="discipline", code="music"),
    )


def periodic(org: Any, **values: Any) -> Event:
    return event_create(
        actor=member_of(org),
        organisation=org,
        submit=True,
        data=event_input(calendar_type="periodic", **values),
    )


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=SECONDLY;INTERVAL=7;BYMONTH=2;BYMONTHDAY=30;BYHOUR=3",
        "FREQ=HOURLY",
        "DTSTART:20250101T100000",
        "FREQ=WEEKLY;COUNT=3\nRRULE:FREQ=DAILY;COUNT=2",
        "FREQ=WEEKLY;INTERVAL=x",
        "FREQ=WEEKLY;FOO=1",
    ],
)
def test_a_rule_that_cannot_be_kept_is_refused_quickly_with_a_message(rule: str) -> None:
    with deadline(10), pytest.raises(CalendarError):
        recurrence_rule(rule, datetime(2026, 1, 3, 20))


def test_the_api_refuses_a_rule_with_interval_zero_without_hanging() -> None:
    org = OrganisationFactory()
    _token, key = api_token_create(organisation=org, user=member_of(org, role="admin"), name="site")
    start = at(10)
    slot = {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    body = {
        "title": {"nl": "Elke week"},
        "disciplines": ["music"],
        "place_id": PlaceFactory().pk,
        "is_free": True,
        "calendar": {"type": "periodic", "rrule": "FREQ=WEEKLY;INTERVAL=0", "time_slots": [slot]},
    }
    client = Client(headers={"Authorization": f"Bearer {key}"})
    with deadline(10):
        response = client.post("/api/partner/events", json.dumps(body), "application/json")
    assert response.status_code == 422
    assert not Event.objects.exists()


def test_one_bad_rule_in_a_feed_is_reported_and_the_rest_imported() -> None:
    feed = make_feed()
    content = ics(
        vevent("bad@podium", "Kapot", "RRULE:FREQ=WEEKLY;INTERVAL=0"),
        vevent("good@podium", "Goed"),
    )
    with deadline(10):
        run = feed_import(feed=feed, content=content)
    assert run.ok and run.finished_at is not None
    assert (run.created, run.rejected) == (1, 1)
    assert Event.objects.get().source_uid == "good@podium"


def test_an_event_stored_with_a_two_line_rule_does_not_break_the_public_feed() -> None:
    event = published_event()
    Event.objects.filter(pk=event.pk).update(
        calendar_type="periodic",
        period_start=timezone.localdate(),
        rrule="FREQ=WEEKLY;COUNT=3\nRRULE:FREQ=DAILY;COUNT=2",
    )
    assert Client().get("/ical/agenda.ics").status_code == 200
    # Saving such a rule is refused with a message.
    start = at(10)
    with pytest.raises(ValidationError):
        periodic(
            OrganisationFactory(is_trusted=True),
            rrule="FREQ=WEEKLY;COUNT=3\nRRULE:FREQ=DAILY;COUNT=2",
            time_slots=[SlotInput(start, start + timedelta(hours=2))],
        )


def test_until_in_utc_keeps_the_last_evening() -> None:
    start = datetime(2025, 1, 4, 20, tzinfo=AMS)
    spec = CalendarSpec(
        calendar_type="periodic",
        time_slots=(Slot(start, start + timedelta(hours=2)),),
        period_start=date(2025, 1, 4),
        rrule="FREQ=WEEKLY;UNTIL=20250301T190000Z",  # 20:00 in Maastricht
    )
    slots = expand(spec, today=date(2025, 1, 1), horizon_days=400)
    assert slots[-1].start == datetime(2025, 3, 1, 20, tzinfo=AMS)
    assert len(slots) == 9


def test_a_permanent_event_stops_at_its_last_day() -> None:
    today = date(2025, 1, 6)
    spec = CalendarSpec(
        calendar_type="permanent",
        weekly=(WeeklyHours(0, time(10), time(17)),),
        period_start=today,
        period_end=today + timedelta(days=30),
    )
    slots = expand(spec, today=today, horizon_days=400)
    assert max(slot.start.date() for slot in slots) <= today + timedelta(days=30)


def test_the_nightly_roll_extends_periods_that_end_beyond_the_horizon() -> None:
    today = timezone.localdate()
    event = periodic(
        OrganisationFactory(is_trusted=True),
        period_start=today,
        period_end=today + timedelta(days=800),
        time_slots=[],
        weekly=[OpeningInput(day, time(10), time(17)) for day in range(7)],
    )
    before = event.occurrences.order_by("-start").first()
    assert before is not None
    occurrences_extend_all(today=today + timedelta(days=100))
    after = event.occurrences.order_by("-start").first()
    assert after is not None and after.start > before.start


def test_one_calendar_that_no_longer_expands_does_not_stop_the_nightly_roll() -> None:
    org, today = OrganisationFactory(is_trusted=True), timezone.localdate()
    weekly = periodic(
        org, period_start=today, time_slots=[], weekly=[OpeningInput(2, time(10), time(17))]
    )
    first = datetime.combine(today + timedelta(days=1), time(10), tzinfo=AMS)
    periodic(  # seven tours a day: past the cap once the window has grown
        org,
        rrule="FREQ=DAILY;BYHOUR=10,11,12,13,14,15,16",
        time_slots=[SlotInput(first, first + timedelta(minutes=45))],
    )
    later = today + timedelta(days=330)
    occurrences_extend_all(today=later)
    assert weekly.occurrences.filter(start__date__gte=later + timedelta(days=390)).exists()


def test_a_changed_feed_event_keeps_what_the_partner_added() -> None:
    feed = make_feed()
    feed_import(feed=feed, content=ics(vevent("c@podium", "Concert")))
    event = Event.objects.get(source_uid="c@podium")
    slot = event.time_slots.get()
    event_update(
        actor=member_of(feed.organiser),
        event=event,
        data=event_input(
            title={"nl": "Concert", "en": "Concert (in English)"},
            place_id=event.place_id,
            is_free=False,
            base_price=Decimal("15"),
            booking_url="https://tickets.example.org/c",
            age_min=12,
            time_slots=[SlotInput(slot.start, slot.end)],
        ),
    )
    feed_import(feed=feed, content=ics(vevent("c@podium", "Concert (nieuw programma)")))
    event.refresh_from_db()
    assert event.title == {"nl": "Concert (nieuw programma)", "en": "Concert (in English)"}
    assert (event.booking_url, event.base_price, event.age_min) == (
        "https://tickets.example.org/c",
        Decimal("15.00"),
        12,
    )


def test_an_untrusted_partners_new_booking_link_goes_back_to_validation() -> None:
    org = OrganisationFactory(is_trusted=False)
    event = published_event(organisation=org)
    event = event_update(
        actor=member_of(org),
        event=event,
        data=event_input(
            place_id=event.place_id,
            is_free=False,
            base_price=Decimal("250"),
            booking_url="https://tickets.example.net/pay-here",
        ),
    )
    assert event.moderation == ModerationState.READY


def square(x: float, y: float) -> dict[str, Any]:
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_place_moved_to_another_buurt_moves_its_occurrences() -> None:
    district = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    wyck = Neighbourhood.objects.create(
        code="BU1", name="Wyck", slug="wyck", district=district, geometry=square(5.70, 50.84)
    )
    heer = Neighbourhood.objects.create(
        code="BU2", name="Heer", slug="heer", district=district, geometry=square(5.72, 50.82)
    )
    place = place_services.place_create(
        name="Zaal",
        street="Straat 1",
        postcode="6221 AB",
        city="Maastricht",
        latitude=Decimal("50.845"),
        longitude=Decimal("5.705"),
    )
    assert place.neighbourhood == wyck
    event = published_event(place_id=place.pk)
    assert Occurrence.objects.get(event=event).neighbourhood == wyck
    place_services.place_update(place=place, latitude=Decimal("50.825"), longitude=Decimal("5.725"))
    assert Occurrence.objects.get(event=event).neighbourhood == heer


def test_an_untrusted_partners_new_image_goes_back_to_validation(
    settings: Any, tmp_path: Any
) -> None:
    import io

    from PIL import Image

    from reisgezel.agenda.images import event_image_add

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(out, format="JPEG")
    org = OrganisationFactory(is_trusted=False)
    event = published_event(organisation=org)
    assert Occurrence.objects.filter(event=event, is_public=True).exists()
    event_image_add(
        actor=member_of(org),
        event=event,
        data=out.getvalue(),
        alt_text={"nl": "Een rode vlak"},
        credit="Foto: koor",
        rights_uri="http://creativecommons.org/licenses/by/4.0/",
    )
    event.refresh_from_db()
    assert event.moderation == ModerationState.READY
    assert not Occurrence.objects.filter(event=event, is_public=True).exists()
