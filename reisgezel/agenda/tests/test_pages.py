"""The public agenda pages through the test client: every language, filters and facet
counts, htmx partials, malformed filters, schema.org JSON-LD (read back with extruct)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import extruct
import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.agenda.inputs import OpeningInput, SlotInput, TariffInput
from reisgezel.agenda.models import Event
from reisgezel.agenda.services import event_create, event_set_status
from reisgezel.places.models import District, Neighbourhood, Place
from tests.factories import (
    OrganisationFactory,
    PlaceFactory,
    at,
    event_input,
    member_of,
    published_event,
)

pytestmark = pytest.mark.django_db


def make_organisation(**kwargs: Any) -> Organisation:
    return OrganisationFactory(**kwargs)


def make_place(**kwargs: Any) -> Place:
    return PlaceFactory(**kwargs)


def event_url(event: Event, lang: str = "nl") -> str:
    with translation.override(lang):
        return reverse("agenda:event", kwargs={"pk": event.pk, "slug": event.slug})


LANGUAGES = ["nl", "en", "de", "fr"]


def url(name: str, lang: str = "nl", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def jsonld(html: str, of_type: str) -> dict:
    items = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    found = [item for item in items if item.get("@type") == of_type]
    assert found, f"no {of_type} in {items}"
    return found[0]


@pytest.fixture
def world():
    """Two houses, a venue in Wyck, a concert (music) and a dance show, both upcoming."""
    centrum = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    wyck = Neighbourhood.objects.create(
        code="BU1", name="Wyck", slug="wyck", district=centrum, geometry={}
    )
    jeker = Neighbourhood.objects.create(
        code="BU2", name="Jekerkwartier", slug="jekerkwartier", district=centrum, geometry={}
    )
    house = make_organisation(
        name="Centre Céramique", slug="centre-ceramique", kind=OrganisationKind.HOUSE
    )
    nhmm = make_organisation(
        name="Natuurhistorisch Museum Maastricht", slug="nhmm", kind=OrganisationKind.HOUSE
    )
    choir = make_organisation(name="Koor Wyck", slug="koor-wyck")
    hall = make_place(
        name="Zaal Wyck",
        slug="zaal-wyck",
        neighbourhood=wyck,
        street="Rechtstraat 1",
        postcode="6221 EG",
    )
    museum = make_place(
        name="Museumzaal",
        slug="museumzaal",
        neighbourhood=jeker,
        street="De Bosquetplein 7",
        postcode="6211 KJ",
    )
    concert = published_event(
        organisation=choir,
        place_id=hall.pk,
        title={"nl": "Kerstconcert", "en": "Christmas concert"},
        summary={"nl": "Het koor zingt.", "en": "The choir sings."},
        disciplines=["music"],
        languages=["nl", "en"],
        is_free=False,
        base_price=Decimal("12.50"),
        tariffs=[TariffInput(name={"nl": "CJP", "en": "CJP card"}, price=Decimal("8.00"))],
        age_min=6,
        age_max=12,
        booking_url="https://tickets.example.org/kerst",
        start=at(12, 20),
    )
    dance = published_event(
        organisation=house,
        place_id=museum.pk,
        title={"nl": "Dansvoorstelling"},
        disciplines=["dance"],
        languages=["nl"],
        is_free=True,
        start=at(14, 15),
    )
    return {
        "house": house,
        "nhmm": nhmm,
        "choir": choir,
        "hall": hall,
        "museum": museum,
        "concert": concert,
        "dance": dance,
        "wyck": wyck,
    }


# --- Every page, every language -----------------------------------------------------------


def _pages(world) -> list[tuple[str, dict]]:
    return [
        ("agenda:home", {}),
        ("agenda:list", {}),
        ("agenda:event", {"pk": world["concert"].pk, "slug": world["concert"].slug}),
        ("agenda:organiser", {"slug": world["choir"].slug}),
        ("agenda:directory", {}),
        ("places:place", {"slug": world["hall"].slug}),
        ("places:list", {}),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_renders_in_every_language(client: Client, world, lang: str):
    for name, kwargs in _pages(world):
        response = client.get(url(name, lang, **kwargs))
        assert response.status_code == 200, (name, lang)
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html, (name, lang)
        assert 'class="c-skip-link" href="#main"' in html
        assert f'rel="canonical" href="http://127.0.0.1:8000/{lang}/' in html or "canonical" in html


def test_interface_is_translated(client: Client, world):
    english = client.get(url("agenda:list", "en")).content.decode()
    dutch = client.get(url("agenda:list", "nl")).content.decode()
    german = client.get(url("agenda:list", "de")).content.decode()
    french = client.get(url("agenda:list", "fr")).content.decode()
    assert "Skip to main content" in english
    assert "Skip to main content" not in dutch
    assert "Naar de hoofdinhoud" in dutch
    assert "Zum Hauptinhalt" in german
    assert "Aller au contenu principal" in french


def test_no_inline_script_except_json_ld(client: Client, world):
    for name, kwargs in _pages(world):
        html = client.get(url(name, "nl", **kwargs)).content.decode()
        for attrs in re.findall(r"<script([^>]*)>", html):
            assert "src=" in attrs or 'type="application/ld+json"' in attrs, (name, attrs)
        assert " style=" not in html and "<style" not in html, name
        assert " on" + "click=" not in html


def test_language_switcher_posts_to_set_language_with_the_page_in_that_language(
    client: Client, world
):
    event = world["concert"]
    html = client.get(url("agenda:event", "nl", pk=event.pk, slug=event.slug)).content.decode()
    english = url("agenda:event", "en", pk=event.pk, slug=event.slug)
    assert 'action="/i18n/setlang/" method="post"' in html
    assert f'name="next" value="{english}"' in html
    assert f'href="{english}" hreflang="en"' in html
    german = url("agenda:event", "de", pk=event.pk, slug=event.slug)
    assert f'<link rel="alternate" hreflang="de" href="http://127.0.0.1:8000{german}">' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": english})
    assert response.status_code == 302
    assert response["Location"] == english


def test_the_switcher_keeps_the_filters(client: Client, world):
    html = client.get(url("agenda:list", "nl") + "?discipline=music").content.decode()
    assert f'name="next" value="{url("agenda:list", "en")}?discipline=music"' in html


def test_text_that_falls_back_to_dutch_is_marked_as_dutch(client: Client, world):
    dance = world["dance"]
    html = client.get(url("agenda:event", "en", pk=dance.pk, slug=dance.slug)).content.decode()
    assert '<h1 id="event-title" lang="nl">Dansvoorstelling</h1>' in html
    concert = world["concert"]
    html = client.get(url("agenda:event", "en", pk=concert.pk, slug=concert.slug)).content.decode()
    assert '<h1 id="event-title">Christmas concert</h1>' in html


# --- Agenda list: filters, facets, htmx, errors -------------------------------------------


def test_filters_narrow_the_results_and_facets_count_disjunctively(client: Client, world):
    response = client.get(url("agenda:list", "en"), {"discipline": "music"})
    assert response.status_code == 200
    html = response.content.decode()
    results = html.split('id="agenda-results"', 1)[1]
    assert "Christmas concert" in results
    assert "Dansvoorstelling" not in results
    assert "1 event" in results
    facets = {f.value: f.count for f in response.context["facets"]["discipline"]}
    assert facets == {"music": 1, "dance": 1}  # choosing music still counts dance
    assert re.search(r'id="id_discipline_music" checked>', html)
    assert re.search(
        r'id="id_discipline_dance">\s*<span>Dance</span>\s*<span class="c-facet__count">1', html
    )
    neighbourhoods = {f.value: f.count for f in response.context["result"].facets["neighbourhood"]}
    assert neighbourhoods == {"wyck": 1}  # other facets are narrowed by the discipline


def test_every_filter_kind_narrows(client: Client, world):
    cases = [
        ({"free": "1"}, "Dansvoorstelling", "Christmas concert"),
        ({"neighbourhood": "wyck"}, "Christmas concert", "Dansvoorstelling"),
        ({"age": "8"}, "Christmas concert", None),
        ({"age": "30"}, "Dansvoorstelling", "Christmas concert"),
        ({"language": "en"}, "Christmas concert", "Dansvoorstelling"),
        ({"organiser": "centre-ceramique"}, "Dansvoorstelling", "Christmas concert"),
        ({"date_from": at(13).date().isoformat()}, "Dansvoorstelling", "Christmas concert"),
    ]
    for params, present, absent in cases:
        response = client.get(url("agenda:list", "en"), params)
        assert response.status_code == 200, params
        results = response.content.decode().split('id="agenda-results"', 1)[1]
        assert present in results, params
        if absent:
            assert absent not in results, params


def test_neighbourhoods_are_grouped_by_district_and_languages_named(client: Client, world):
    response = client.get(url("agenda:list", "en"))
    html = response.content.decode()
    assert response.context["facets"]["neighbourhood_groups"][0][0] == "Centrum"
    assert 'class="c-facet__group"' in html and ">Centrum<" in html
    assert ">English<" in html and ">Dutch<" in html
    html = client.get(url("agenda:list", "nl")).content.decode()
    assert ">Engels<" in html and ">Nederlands<" in html


def test_htmx_request_gets_only_the_partials(client: Client, world):
    response = client.get(
        url("agenda:list", "nl"), {"discipline": "dance"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<header" not in html
    assert "Dansvoorstelling" in html and "Kerstconcert" not in html
    assert 'id="agenda-filters-fields" class="c-form" hx-swap-oob="true"' in html
    assert 'id="agenda-status" hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_the_full_page_wires_htmx_and_still_has_a_submit_button(client: Client, world):
    html = client.get(url("agenda:list", "nl")).content.decode()
    assert 'hx-get="/nl/agenda/"' in html and 'hx-target="#agenda-results"' in html
    assert 'hx-push-url="true"' in html
    assert '<form class="c-filters c-form" method="get" action="/nl/agenda/"' in html
    assert '<button class="c-button" type="submit">' in html
    assert "/static/vendor/htmx.min.js" in html and "/static/reisgezel/js/app.js" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"age": "abc"}, "Enter a whole number."),
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_to": "yesterday"}, "Enter a valid date."),
        ({"page": "-1"}, "Ensure this value is greater than or equal to 1."),
        ({"page": "abc"}, "Enter a whole number."),
        (
            {"date_from": "2026-12-10", "date_to": "2026-12-01"},
            "The end date must not be before the start date.",
        ),
        ({"when": "someday"}, "Select a valid choice."),
        ({"discipline": "<script>"}, "Select a valid choice."),
        ({"per_page": "1000"}, "Select a valid choice."),
        ({"age": "500"}, "Ensure this value is less than or equal to 120."),
        # Python has these dates, but a day added or a time zone converted overflows.
        ({"date_from": "9999-12-31"}, "Enter a date between 1900 and 2199."),
        ({"date_from": "0001-01-01"}, "Enter a date between 1900 and 2199."),
        ({"date_to": "0001-01-01"}, "Enter a date between 1900 and 2199."),
    ],
)
def test_malformed_filters_answer_400_with_the_message_in_the_page(
    client: Client, world, params, message
):
    response = client.get(url("agenda:list", "en"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Some filters could not be used" in html
    assert "<script>" not in html.split("</head>", 1)[1]  # the bad value is escaped
    assert 'id="agenda-results"' in html  # the page itself is still there
    htmx = client.get(url("agenda:list", "en"), params, headers={"HX-Request": "true"})
    assert htmx.status_code == 400 and message in htmx.content.decode()


def test_a_malformed_field_shows_next_to_its_input(client: Client, world):
    html = client.get(url("agenda:list", "en"), {"age": "abc"}).content.decode()
    assert 'aria-invalid="true"' in html
    assert re.search(
        r'<ul class="c-field__error" id="id_age_error"><li>Enter a whole number.</li>', html
    )


def test_pagination_keeps_the_filters(client: Client, world):
    organisation = world["choir"]
    for day in range(1, 4):
        published_event(
            organisation=organisation, title={"nl": f"Repetitie {day}"}, start=at(day, 19)
        )
    response = client.get(
        url("agenda:list", "nl"), {"discipline": "music", "per_page": "10", "page": "1"}
    )
    assert response.status_code == 200
    response = client.get(url("agenda:list", "nl"), {"organiser": "koor-wyck", "per_page": "10"})
    assert response.context["result"].total == 4
    response = client.get(url("agenda:list", "nl"), {"page": "999"})
    assert response.status_code == 200  # past the end: the last page


def test_the_list_offers_this_selection_as_icalendar_when_the_feed_exists(client: Client, world):
    html = client.get(url("agenda:list", "nl"), {"discipline": "music"}).content.decode()
    try:
        feed = reverse("ical:feed")
    except NoReverseMatch:
        assert ".ics" not in html
    else:
        assert f'href="{feed}?discipline=music"' in html


# --- Event page ---------------------------------------------------------------------------


def test_event_page_has_what_a_visitor_needs(client: Client, world):
    event = world["concert"]
    html = client.get(url("agenda:event", "en", pk=event.pk, slug=event.slug)).content.decode()
    for text in [
        "Christmas concert",
        "The choir sings.",
        "Zaal Wyck",
        "Rechtstraat 1",
        "6221 EG",
        "Koor Wyck",
        "€ 12.50",
        "CJP card",
        "€ 8.00",
        "6 to 12 years",
        "English",
        "Dutch",
        "https://tickets.example.org/kerst",
        "Everyone",
    ]:
        assert text in html, text
    assert f'href="{url("places:place", "en", slug="zaal-wyck")}"' in html
    assert f'href="{url("agenda:organiser", "en", slug="koor-wyck")}"' in html
    assert f'<time datetime="{timezone.localtime(at(12, 20)).isoformat()}">' in html


def test_unpublished_events_are_not_found(client: Client):
    organisation = make_organisation()
    author = member_of(organisation)
    draft = event_create(actor=author, organisation=organisation, data=event_input(), submit=False)
    ready = event_create(actor=author, organisation=organisation, data=event_input(), submit=True)
    for event in (draft, ready):
        assert (
            client.get(url("agenda:event", "nl", pk=event.pk, slug=event.slug)).status_code == 404
        )
    response = client.get(url("agenda:event", "nl", pk=99999, slug="x"))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_a_wrong_slug_redirects_to_the_canonical_one(client: Client, world):
    event = world["concert"]
    response = client.get(url("agenda:event", "en", pk=event.pk, slug="old-title"))
    assert response.status_code == 301
    assert response["Location"] == url("agenda:event", "en", pk=event.pk, slug=event.slug)


def test_event_json_ld(client: Client, world):
    event = world["concert"]
    html = client.get(url("agenda:event", "en", pk=event.pk, slug=event.slug)).content.decode()
    data = jsonld(html, "Event")
    assert data["name"] == "Christmas concert"
    assert data["description"] == "The choir sings."
    assert data["startDate"] == timezone.localtime(at(12, 20)).isoformat()
    assert data["endDate"] == timezone.localtime(at(12, 22)).isoformat()
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    location = data["location"]
    assert location["@type"] == "Place" and location["name"] == "Zaal Wyck"
    assert location["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Rechtstraat 1",
        "postalCode": "6221 EG",
        "addressLocality": "Maastricht",
        "addressCountry": "NL",
    }
    assert location["geo"]["@type"] == "GeoCoordinates" and location["geo"]["latitude"] == 50.846
    offers = data["offers"]
    assert [(o["price"], o["priceCurrency"]) for o in offers] == [("12.50", "EUR"), ("8.00", "EUR")]
    assert offers[1]["name"] == "CJP card"
    assert all(o["availability"] == "https://schema.org/InStock" for o in offers)
    assert offers[0]["url"] == "https://tickets.example.org/kerst"
    assert data["isAccessibleForFree"] is False
    assert data["organizer"]["@type"] == "Organization" and data["organizer"]["name"] == "Koor Wyck"
    assert data["organizer"]["url"].endswith(url("agenda:organiser", "en", slug="koor-wyck"))
    assert data["typicalAgeRange"] == "6-12"
    assert sorted(data["inLanguage"]) == ["en", "nl"]


def test_free_event_json_ld_and_open_age(client: Client, world):
    event = published_event(title={"nl": "Open dag"}, is_free=True, age_min=18)
    data = jsonld(client.get(event_url(event)).content.decode(), "Event")
    assert data["isAccessibleForFree"] is True
    assert data["offers"]["price"] == "0"
    assert data["typicalAgeRange"] == "18-"
    assert data["inLanguage"] == "nl"


def test_cancelled_event_shows_its_status_and_reason(client: Client, world):
    event = world["concert"]
    actor = member_of(world["choir"])
    event_set_status(
        actor=actor,
        event=event,
        status="cancelled",
        reason={"nl": "De dirigent is ziek.", "en": "The conductor is ill."},
    )
    html = client.get(url("agenda:event", "en", pk=event.pk, slug=event.slug)).content.decode()
    assert '<span class="c-badge c-badge--cancelled">Cancelled</span>' in html
    assert "This event is cancelled." in html and "The conductor is ill." in html
    data = jsonld(html, "Event")
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    listing = client.get(url("agenda:list", "en")).content.decode()
    assert "c-badge--cancelled" in listing


def test_event_moved_online_json_ld(client: Client, world):
    organisation = make_organisation()
    event = published_event(
        organisation=organisation,
        title={"nl": "Lezing"},
        online_url="https://stream.example.org/lezing",
    )
    event_set_status(
        actor=member_of(organisation),
        event=event,
        status="moved_online",
        reason={"nl": "Alleen online."},
    )
    data = jsonld(client.get(event_url(event)).content.decode(), "Event")
    assert data["eventStatus"] == "https://schema.org/EventMovedOnline"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://stream.example.org/lezing",
    }


def test_periodic_event_shows_opening_hours_and_a_schedule(client: Client, world):
    first = timezone.localdate() + timedelta(days=1)
    last = first + timedelta(days=60)
    holiday = first + timedelta(days=10)
    event = published_event(
        title={"nl": "Mosasaurussen", "en": "Mosasaurs"},
        calendar_type="periodic",
        time_slots=[],
        weekly=[OpeningInput(weekday=d, opens=time(10), closes=time(17)) for d in (1, 2, 3, 4, 5)]
        + [OpeningInput(weekday=6, opens=time(11), closes=time(17))],
        period_start=first,
        period_end=last,
        exception_dates=[holiday],
        closed_on_public_holidays=True,
        age_min=4,
        age_max=12,
    )
    html = client.get(url("agenda:event", "en", pk=event.pk, slug=event.slug)).content.decode()
    assert "Opening hours" in html and "Closed on public holidays." in html
    assert re.search(r"<th scope=\"row\">Monday</th><td>Closed</td>", html)
    assert re.search(r"<th scope=\"row\">Tuesday</th><td>10:00\u201317:00</td>", html)
    data = jsonld(html, "Event")
    schedules = data["eventSchedule"]
    weekdays = next(s for s in schedules if s["startTime"] == "10:00:00")
    assert weekdays["@type"] == "Schedule"
    assert weekdays["byDay"] == [
        f"https://schema.org/{d}"
        for d in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    ]
    assert weekdays["endTime"] == "17:00:00" and weekdays["repeatFrequency"] == "P1W"
    assert weekdays["startDate"] == first.isoformat() and weekdays["endDate"] == last.isoformat()
    assert holiday.isoformat() in weekdays["exceptDate"]
    assert data["typicalAgeRange"] == "4-12"


def test_event_images_with_alt_text_and_rights(client: Client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reisgezel.agenda.models import EventImage

    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,"
        b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    event = world["concert"]
    EventImage.objects.create(
        event=event,
        image=SimpleUploadedFile("koor.gif", gif, "image/gif"),
        alt_text={"nl": "Het koor op het podium", "en": "The choir on stage"},
        credit="Foto: Jan Janssen",
        rights_uri="https://creativecommons.org/licenses/by/4.0/",
    )
    html = client.get(url("agenda:event", "en", pk=event.pk, slug=event.slug)).content.decode()
    assert 'alt="The choir on stage"' in html
    assert (
        "Foto: Jan Janssen" in html
        and 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    )
    image = jsonld(html, "Event")["image"][0]
    assert image["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert image["creditText"] == "Foto: Jan Janssen"


def test_add_to_calendar_link_when_the_ical_view_exists(client: Client, world):
    event = world["concert"]
    html = client.get(url("agenda:event", "nl", pk=event.pk, slug=event.slug)).content.decode()
    try:
        href = reverse("ical:event", kwargs={"uuid": event.uuid})
    except NoReverseMatch:
        return
    assert f'href="{href}"' in html


def test_json_ld_cannot_close_its_script_element(client: Client):
    event = published_event(
        title={"nl": "</script><script>alert(1)</script>"}, summary={"nl": "<!-- x"}
    )
    html = client.get(event_url(event)).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<\\/script>" in block and "<!--" not in block
    assert jsonld(html, "Event")["name"] == "</script><script>alert(1)</script>"


# --- Home, organisers, directory ----------------------------------------------------------


def test_home_has_search_shortcuts_and_the_houses(client: Client, world):
    html = client.get(url("agenda:home", "en")).content.decode()
    assert 'action="/en/agenda/"' in html and 'name="q"' in html
    assert 'href="/en/agenda/?discipline=music"' in html
    assert "At the three houses" in html and "Centre Céramique" in html
    highlights = html.split('id="highlights-title"', 1)[1]
    assert "Dansvoorstelling" in highlights  # an event of a house


def test_home_lists_today(client: Client, world):
    now = timezone.localtime()
    # Later today, however close midnight is (a fixed 5 minutes crossed it at 23:56).
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    start = now + min(timedelta(minutes=30), (midnight - now) / 2)
    published_event(title={"nl": "Vandaag in de bieb"}, start=start)
    html = client.get(url("agenda:home", "nl")).content.decode()
    assert (
        "Vandaag in de bieb" in html.split('id="today-title"', 1)[1].split('id="weekend-title"')[0]
    )


def test_organiser_page_and_json_ld(client: Client, world):
    choir = world["choir"]
    choir.website = "https://koorwyck.example.org"
    choir.email = "info@koorwyck.example.org"
    choir.save()
    html = client.get(url("agenda:organiser", "en", slug=choir.slug)).content.decode()
    assert "Christmas concert" in html and "A cultural partner." in html
    assert 'href="mailto:info@koorwyck.example.org"' in html
    data = jsonld(html, "Organization")
    assert data["name"] == "Koor Wyck"
    assert data["sameAs"] == "https://koorwyck.example.org"
    assert data["email"] == "info@koorwyck.example.org"
    assert data["url"].endswith("/en/organisers/koor-wyck/")
    assert client.get(url("agenda:organiser", "en", slug="nobody")).status_code == 404


def test_directory_puts_the_houses_first_with_counts(client: Client, world):
    make_organisation(name="Aardige Amateurs", slug="aardige-amateurs")
    response = client.get(url("agenda:directory", "en"))
    names = [e.organisation.name for e in response.context["entries"]]
    assert names[:2] == ["Centre Céramique", "Natuurhistorisch Museum Maastricht"]
    assert names.index("Aardige Amateurs") < names.index("Koor Wyck")
    counts = {e.organisation.slug: e.upcoming_count for e in response.context["entries"]}
    assert counts["centre-ceramique"] == 1 and counts["nhmm"] == 0 and counts["koor-wyck"] == 1
    html = response.content.decode()
    assert "1 upcoming event" in html and "0 upcoming events" in html


def test_directory_filters_by_kind_and_rejects_nonsense(client: Client, world):
    response = client.get(url("agenda:directory", "en"), {"kind": "house"})
    assert {e.organisation.slug for e in response.context["entries"]} == {
        "centre-ceramique",
        "nhmm",
    }
    assert client.get(url("agenda:directory", "en"), {"kind": "castle"}).status_code == 400
    assert client.get(url("agenda:directory", "en"), {"page": "x"}).status_code == 400


def test_upcoming_past_events_are_not_on_the_place_page(client: Client, world):
    html = client.get(url("places:place", "en", slug="museumzaal")).content.decode()
    assert "Dansvoorstelling" in html and "Kerstconcert" not in html


def test_dates_are_shown_in_the_active_language(client: Client, world):
    event = world["concert"]
    day = timezone.localtime(at(12, 20))
    with translation.override("fr"):
        from django.utils.formats import date_format

        french = date_format(day, "l j F Y")
    html = client.get(url("agenda:event", "fr", pk=event.pk, slug=event.slug)).content.decode()
    assert french in html
    assert date(2000, 1, 1)  # keep the import for readability of the fixtures above


@pytest.mark.django_db
def test_cached_filter_counts_follow_a_new_event(client: Client) -> None:
    from reisgezel.agenda.inputs import SlotInput
    from tests.factories import AMS, published_event

    day = timezone.localdate() + timedelta(days=3)
    start = datetime.combine(day, time(20), tzinfo=AMS)

    def slot() -> list[SlotInput]:
        return [SlotInput(start=start, end=start + timedelta(hours=1))]

    published_event(disciplines=["music"], time_slots=slot())
    url = f"/nl/agenda/?date_from={day}&date_to={day}"
    first = client.get(url).content.decode()
    assert re.search(r'value="dance"', first) is None
    published_event(disciplines=["dance"], time_slots=slot())
    second = client.get(url).content.decode()
    assert 'value="dance"' in second
    assert "2 activiteiten" in second or "2 events" in second


@pytest.mark.django_db
def test_cached_results_follow_changes_and_differ_per_language(client: Client) -> None:
    from reisgezel.agenda.inputs import SlotInput
    from tests.factories import AMS, moderator, published_event

    day = timezone.localdate() + timedelta(days=4)
    start = datetime.combine(day, time(20), tzinfo=AMS)
    slot = [SlotInput(start=start, end=start + timedelta(hours=1))]
    published_event(title={"nl": "Kamerkoor", "en": "Chamber choir"}, time_slots=slot)
    query = f"?date_from={day}&date_to={day}"
    assert "Kamerkoor" in client.get(f"/nl/agenda/{query}").content.decode()
    assert "Chamber choir" in client.get(f"/en/agenda/{query}").content.decode()

    later = published_event(title={"nl": "Stadsorkest"}, time_slots=slot)
    assert "Stadsorkest" in client.get(f"/nl/agenda/{query}").content.decode()
    event_set_status(actor=moderator(), event=later, status="cancelled", reason={"nl": "Ziekte"})
    html = client.get(f"/nl/agenda/{query}").content.decode()
    assert re.search(r"Stadsorkest.*?Geannuleerd", html, re.DOTALL), "status badge is stale"


@pytest.mark.django_db
def test_members_preview_their_unpublished_event_and_the_public_gets_404(client: Client) -> None:
    from reisgezel.agenda.services import event_create as create
    from tests.factories import OrganisationFactory, UserFactory, event_input, member_of, moderator

    org = OrganisationFactory()
    author = member_of(org)
    draft = create(actor=author, organisation=org, data=event_input())
    url = reverse("agenda:event", kwargs={"pk": draft.pk, "slug": draft.slug})
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for viewer in (author, moderator()):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert b'name="robots" content="noindex"' in response.content
        assert b"application/ld+json" not in response.content


@pytest.mark.django_db
def test_popular_views_are_prepared_after_a_change(
    client: Client, settings, django_capture_on_commit_callbacks
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reisgezel.agenda.inputs import SlotInput
    from tests.factories import AMS, published_event

    settings.REISGEZEL = {**settings.REISGEZEL, "AGENDA_PREPARE_VIEWS": True}
    start = datetime.combine(timezone.localdate() + timedelta(days=2), time(20), tzinfo=AMS)
    with django_capture_on_commit_callbacks(execute=True):
        published_event(
            title={"nl": "Voorbereid"},
            time_slots=[SlotInput(start=start, end=start + timedelta(hours=1))],
        )
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/nl/agenda/?when=week").content.decode()
    assert "Voorbereid" in html
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counting == [], "the counts and facets should have been prepared by the task"


def test_all_day_event_json_ld_gives_its_own_days(client: Client, world):
    # Maastricht's midnight is the evening before in UTC: the dates are local days, and
    # endDate is the last day (not the exclusive midnight after it).
    first = at(12, 0)
    event = published_event(
        title={"nl": "Boekenmarkt"},
        time_slots=[SlotInput(first, first + timedelta(days=2), all_day=True)],
    )
    data = jsonld(client.get(event_url(event)).content.decode(), "Event")
    assert data["startDate"] == first.date().isoformat()
    assert data["endDate"] == (first.date() + timedelta(days=1)).isoformat()
