"""Each buurt and wijk has an iCalendar feed of its events, read back with icalendar."""

from __future__ import annotations

import icalendar
import pytest
from django.test import Client

from reisgezel.neighbourhoods.tests.helpers import City
from tests.factories import make_place, published_event

pytestmark = pytest.mark.django_db


def _summaries(body: bytes) -> set[str]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(event["SUMMARY"]) for event in cal.walk("VEVENT")}


@pytest.fixture
def events(city: City) -> None:
    published_event(
        place_id=make_place(neighbourhood=city.wyck).pk,
        title={"nl": "Wijckse avond", "en": "Wyck evening"},
    )
    published_event(
        place_id=make_place(neighbourhood=city.ceramique).pk,
        title={"nl": "Céramiquedag", "en": "Ceramique day"},
    )
    published_event(
        place_id=make_place(neighbourhood=city.malberg).pk,
        title={"nl": "Malbergfeest", "en": "Malberg party"},
    )


def test_buurt_feed_holds_its_events_only(client: Client, events: None) -> None:
    response = client.get("/nl/neighbourhoods/wyck/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=900"
    assert _summaries(response.content) == {"Wijckse avond"}
    cal = icalendar.Calendar.from_ical(response.content)
    assert "Wyck" in str(cal["X-WR-CALNAME"])


def test_wijk_feed_holds_the_events_of_its_buurten(client: Client, events: None) -> None:
    response = client.get("/en/neighbourhoods/district/centrum/calendar.ics")
    assert response.status_code == 200
    assert _summaries(response.content) == {"Wyck evening", "Ceramique day"}


def test_feed_texts_follow_the_language_of_the_address(client: Client, events: None) -> None:
    assert _summaries(client.get("/en/neighbourhoods/wyck/calendar.ics").content) == {
        "Wyck evening"
    }


def test_a_new_event_reaches_the_cached_feed(client: Client, city: City, events: None) -> None:
    assert _summaries(client.get("/nl/neighbourhoods/wyck/calendar.ics").content) == {
        "Wijckse avond"
    }
    published_event(place_id=make_place(neighbourhood=city.wyck).pk, title={"nl": "Tweede avond"})
    assert _summaries(client.get("/nl/neighbourhoods/wyck/calendar.ics").content) == {
        "Wijckse avond",
        "Tweede avond",
    }


def test_the_page_links_its_feed(client: Client, events: None) -> None:
    html = client.get("/nl/neighbourhoods/wyck/").content.decode()
    assert 'href="/nl/neighbourhoods/wyck/calendar.ics"' in html
    assert 'type="text/calendar"' in html
