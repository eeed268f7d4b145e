"""Places as search documents: what is indexed, when, and how staff and visitors find them.

Places are made through the services (as the admin, partners and the demo make them),
with the real CBS boundaries, so the buurt and wijk in the document are the real ones.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reisgezel.core.models import Term
from reisgezel.places.models import Place
from reisgezel.places.search import PLACE_DOCUMENTS
from reisgezel.places.services import place_create, place_update
from reisgezel.search.models import SearchDocument
from reisgezel.search.query import search
from reisgezel.search.tests.helpers import facets_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db

VRIJTHOF = (Decimal("50.8489"), Decimal("5.6889"))  # buurt Binnenstad, wijk 00 Centrum
NHMM = (Decimal("50.8462"), Decimal("5.6873"))  # buurt Jekerkwartier

Capture = Callable[..., Any]


@pytest.fixture
def buurten() -> None:
    call_command("load_neighbourhoods", stdout=StringIO())


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def _create(capture: Capture, name: str, point: tuple[Decimal, Decimal], **data: Any) -> Place:
    values: dict[str, Any] = {"street": "Vrijthof 47", "postcode": "6211 LE"}
    values.update(data)
    with capture(execute=True):
        return place_create(name=name, latitude=point[0], longitude=point[1], **values)


def _admin_search(client: Client, text: str) -> set[str]:
    response = client.get(reverse("admin:places_place_changelist"), {"q": text})
    assert response.status_code == 200
    return {place.name for place in response.context["cl"].result_list}


def _public(text: str) -> list[int]:
    return [hit.object_id for hit in search(text=text, doc_types=["place"], limit=50).hits]


def test_a_new_place_is_indexed_with_its_buurt_wijk_and_facilities(
    buurten: None, django_capture_on_commit_callbacks: Capture
) -> None:
    wheelchair = Term.objects.get(kind="facility", code="wheelchair-accessible")
    place = _create(
        django_capture_on_commit_callbacks,
        "Theater aan het Vrijthof",
        VRIJTHOF,
        description={"nl": "Voorstellingen en concerten", "en": "Performances and concerts"},
        facilities=[wheelchair],
    )

    document = SearchDocument.objects.get(doc_type="place", object_id=place.pk)
    assert document.url == "/nl/places/theater-aan-het-vrijthof/"
    assert document.title == {"nl": "Theater aan het Vrijthof", "en": "Theater aan het Vrijthof"}
    assert facets_of(document) == {
        "neighbourhood": ["binnenstad"],
        "district": ["wijk-00-centrum"],
        "facility": ["wheelchair-accessible"],
    }
    assert document.summary["nl"].startswith(
        "Vrijthof 47, 6211 LE Maastricht · Binnenstad, Wijk 00 Centrum Voorstellingen en concerten"
    )
    for text in ("binnenstad", "centrum", "6211 LE", "concert", "rolstoel", "wheelchair"):
        assert _public(text) == [place.pk], text


def test_updates_reindex_and_a_private_address_is_never_indexed(
    buurten: None, django_capture_on_commit_callbacks: Capture
) -> None:
    place = _create(django_capture_on_commit_callbacks, "Huiskamerconcert", NHMM)
    assert _public("vrijthof") == [place.pk]

    with django_capture_on_commit_callbacks(execute=True):
        place_update(
            place=place, name="Huiskamer Jeker", street="Sint Pieterstraat 3", is_private=True
        )

    assert _public("huiskamerconcert") == []
    assert _public("huiskamer jeker") == [place.pk]
    assert _public("jekerkwartier") == [place.pk]  # the buurt, as the place page shows it
    assert _public("pieterstraat") == []
    assert _public("6211") == []
    document = SearchDocument.objects.get(doc_type="place", object_id=place.pk)
    assert "Pieterstraat" not in str(document.summary)
    assert document.summary["nl"].startswith("Maastricht · Jekerkwartier, Wijk 00 Centrum")


def test_admin_search_goes_through_the_index(
    buurten: None, staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    capture = django_capture_on_commit_callbacks
    _create(
        capture,
        "Café Sjiek",
        VRIJTHOF,
        description={"nl": "Kleine tentoonstellingen van lokale kunstenaars"},
    )
    _create(
        capture, "Natuurhistorisch Museum", NHMM, street="De Bosquetplein 7", postcode="6211 KJ"
    )
    _create(capture, "Thuis bij Anna", NHMM, street="Tongersestraat 12", is_private=True)

    assert _admin_search(staff, "cafe sjiek") == {"Café Sjiek"}  # accents folded
    assert _admin_search(staff, "tentoonstelling kunstenaar") == {"Café Sjiek"}  # stems
    assert _admin_search(staff, "natuurhistorische museum") == {"Natuurhistorisch Museum"}
    assert _admin_search(staff, "jekerkwartier") == {"Natuurhistorisch Museum", "Thuis bij Anna"}
    assert _admin_search(staff, "bosquet") == {"Natuurhistorisch Museum"}  # typed so far
    # A private address is not in the index: staff find it by its exact postcode or slug.
    assert _admin_search(staff, "tongersestraat") == set()
    assert _admin_search(staff, '"6211 le"') == {"Café Sjiek", "Thuis bij Anna"}
    assert _admin_search(staff, "thuis-bij-anna") == {"Thuis bij Anna"}
    # No substring search: a fragment in the middle of a word finds nothing.
    assert _admin_search(staff, "sthist") == set()


def test_admin_autocomplete_for_places_uses_the_index(
    buurten: None, staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    place = _create(django_capture_on_commit_callbacks, "Centre Céramique", VRIJTHOF)
    response = staff.get(
        reverse("admin:autocomplete"),
        {
            "term": "ceramiq",
            "app_label": "accounts",
            "model_name": "organisation",
            "field_name": "home_place",
        },
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(place.pk)]


def test_admin_saves_and_deletes_keep_the_index_in_step(
    buurten: None, staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    data = {
        "name": "Lumière Cinema",
        "street": "Bassin 88",
        "postcode": "6211ak",
        "city": "Maastricht",
        "latitude": "50.8569",
        "longitude": "5.6943",
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(reverse("admin:places_place_add"), data).status_code == 302
    place = Place.objects.get()
    assert _public("lumiere") == [place.pk]

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:places_place_change", args=[place.pk]),
            {**data, "name": "Filmtheater Lumière"},
        )
    assert _public("filmtheaters") == [place.pk]

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("admin:places_place_delete", args=[place.pk]), {"post": "yes"})
    assert not Place.objects.exists()
    assert not SearchDocument.objects.filter(doc_type="place").exists()


def test_reloading_the_cbs_areas_reindexes_the_places_in_them(
    buurten: None, django_capture_on_commit_callbacks: Capture
) -> None:
    place = _create(django_capture_on_commit_callbacks, "Theater aan het Vrijthof", VRIJTHOF)
    SearchDocument.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_neighbourhoods", stdout=StringIO())
    assert _public("binnenstad") == [place.pk]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_search_page_links_to_the_place_page_in_the_visitors_language(
    client: Client, buurten: None, django_capture_on_commit_callbacks: Capture, lang: str
) -> None:
    _create(
        django_capture_on_commit_callbacks,
        "Theater aan het Vrijthof",
        VRIJTHOF,
        description={"nl": "Een theater.", "en": "A theatre."},
    )
    with translation.override(lang):
        url = reverse("search:results") + "?q=vrijthof"
        page_url = reverse("places:place", kwargs={"slug": "theater-aan-het-vrijthof"})
        label = str(PLACE_DOCUMENTS.label)
    response = client.get(url)

    page = response.context["search"]
    assert [(group.label, [hit.url for hit in group.hits]) for group in page.groups] == [
        (label, [page_url])
    ]
    html = response.content.decode()
    assert f'href="{page_url}"' in html
    assert f'<h2 id="results-place">{label} ' in html
    assert page_url.startswith(f"/{lang}/")
    assert "Vrijthof 47, 6211 LE Maastricht" in html  # the snippet is the address
    assert client.get(page_url).status_code == 200
