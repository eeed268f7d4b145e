"""The public place page: address, neighbourhood, accessibility, opening hours, what is on,
and schema.org Place JSON-LD."""

from __future__ import annotations

from datetime import time
from typing import Any

import extruct
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reisgezel.core.models import Term
from reisgezel.places.models import District, Neighbourhood, OpeningHours, Place
from tests.factories import PlaceFactory, published_event

pytestmark = pytest.mark.django_db


def make_place(**kwargs: Any) -> Place:
    return PlaceFactory(**kwargs)


def place_url(slug: str, lang: str = "nl") -> str:
    with translation.override(lang):
        return reverse("places:place", kwargs={"slug": slug})


@pytest.fixture
def museum():
    centrum = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    jeker = Neighbourhood.objects.create(
        code="BU1", name="Jekerkwartier", slug="jekerkwartier", district=centrum, geometry={}
    )
    place = make_place(
        name="Natuurhistorisch Museum Maastricht",
        slug="nhmm",
        street="De Bosquetplein 7",
        postcode="6211 KJ",
        neighbourhood=jeker,
        accessibility_notes={"nl": "Lift naar alle zalen.", "en": "Lift to every room."},
    )
    place.facilities.set(
        Term.objects.filter(kind="facility", code__in=["wheelchair-accessible", "hearing-loop"])
    )
    OpeningHours.objects.create(place=place, weekday=1, opens=time(10), closes=time(17))
    OpeningHours.objects.create(place=place, weekday=6, opens=time(11), closes=time(17))
    return place


@pytest.mark.parametrize("lang", ["nl", "en", "de", "fr"])
def test_place_page_renders_in_every_language(client: Client, museum, lang: str):
    response = client.get(place_url("nhmm", lang))
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


def test_place_page_shows_address_neighbourhood_access_and_hours(client: Client, museum):
    html = client.get(place_url("nhmm", "en")).content.decode()
    for text in [
        "De Bosquetplein 7",
        "6211 KJ Maastricht",
        "Jekerkwartier",
        "Centrum",
        "Wheelchair accessible",
        "Hearing loop",
        "Lift to every room.",
        "10:00\u201317:00",
    ]:
        assert text in html, text
    assert '<th scope="row">Monday</th><td>Closed</td>' in html
    assert 'href="/en/agenda/?neighbourhood=jekerkwartier"' in html


def test_place_page_lists_what_is_on_there(client: Client, museum):
    published_event(place_id=museum.pk, title={"nl": "Mosasaurussen", "en": "Mosasaurs"})
    published_event(title={"nl": "Elders"})
    html = client.get(place_url("nhmm", "en")).content.decode()
    assert "What is on here" in html and "Mosasaurs" in html and "Elders" not in html


def test_place_json_ld(client: Client, museum):
    html = client.get(place_url("nhmm", "en")).content.decode()
    items = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    data = next(item for item in items if item["@type"] == "Place")
    assert data["name"] == "Natuurhistorisch Museum Maastricht"
    assert data["address"]["streetAddress"] == "De Bosquetplein 7"
    assert data["address"]["postalCode"] == "6211 KJ"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 50.846, "longitude": 5.7}
    assert data["url"].endswith("/en/places/nhmm/")
    days = {spec["dayOfWeek"] for spec in data["openingHoursSpecification"]}
    assert days == {"https://schema.org/Tuesday", "https://schema.org/Sunday"}
    assert {f["name"] for f in data["amenityFeature"]} == {"Wheelchair accessible", "Hearing loop"}


def test_a_private_address_is_shown_at_neighbourhood_level_only(client: Client, museum):
    home = make_place(
        slug="thuis",
        street="Geheimstraat 3",
        postcode="6211 AA",
        is_private=True,
        neighbourhood=museum.neighbourhood,
    )
    html = client.get(place_url("thuis", "en")).content.decode()
    assert "Geheimstraat" not in html and "6211 AA" not in html
    assert "Jekerkwartier" in html
    assert home.pk


def test_unknown_place_is_404_in_the_design(client: Client):
    response = client.get(place_url("nergens", "nl"))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_place_list(client: Client, museum):
    with translation.override("nl"):
        response = client.get(reverse("places:list"))
    assert response.status_code == 200
    assert 'href="/nl/places/nhmm/"' in response.content.decode()


@pytest.mark.django_db
def test_the_place_list_api_does_not_read_the_areas_boundaries() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_place

    district = District.objects.create(code="WK1", name="W", slug="w", geometry={"type": "x"})
    buurt = Neighbourhood.objects.create(
        code="BU1", name="B", slug="b", district=district, geometry={"type": "Polygon"}
    )
    make_place(neighbourhood=buurt)
    with CaptureQueriesContext(connection) as queries:
        body = Client().get("/api/places").json()
    assert body["items"][0]["neighbourhood"] == {"slug": "b", "name": "B", "district": "w"}
    assert not any("geometry" in query["sql"] for query in queries.captured_queries)
