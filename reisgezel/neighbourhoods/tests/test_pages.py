"""The neighbourhood pages show what is in their buurt or wijk, and nothing from elsewhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from reisgezel.accounts.models import OrganisationKind
from reisgezel.learning.models import CourseState, EditionState
from reisgezel.neighbourhoods.tests.helpers import City
from tests.factories import at, make_organisation, make_place, published_event
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db


def _titles(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_index_lists_every_wijk_with_its_buurten(client: Client, city: City) -> None:
    response = client.get("/en/neighbourhoods/")
    assert response.status_code == 200
    html = _titles(response)
    assert 'href="/en/neighbourhoods/district/centrum/"' in html
    assert 'href="/en/neighbourhoods/district/west/"' in html
    for slug in ("wyck", "ceramique", "binnenstad", "malberg"):
        assert f'href="/en/neighbourhoods/{slug}/"' in html


def test_unknown_slugs_are_404(client: Client, city: City) -> None:
    for path in (
        "/nl/neighbourhoods/nergens/",
        "/nl/neighbourhoods/district/nergens/",
        "/nl/neighbourhoods/nergens/calendar.ics",
        "/nl/neighbourhoods/district/nergens/calendar.ics",
        "/nl/neighbourhoods/district/wyck/",  # a buurt's slug is not a wijk's
    ):
        assert client.get(path).status_code == 404, path


def test_buurt_page_shows_its_own_upcoming_events_only(client: Client, city: City) -> None:
    hall = make_place(name="Zaal Wyck", neighbourhood=city.wyck)
    elsewhere = make_place(name="Zaal Malberg", neighbourhood=city.malberg)
    published_event(place_id=hall.pk, title={"nl": "Wijckse avond", "en": "Wyck evening"})
    published_event(place_id=elsewhere.pk, title={"nl": "Malbergfeest", "en": "Malberg party"})
    past = timezone.now() - timedelta(days=3)
    published_event(place_id=hall.pk, title={"nl": "Voorbij", "en": "Over and done"}, start=past)
    html = _titles(client.get("/en/neighbourhoods/wyck/"))
    assert "Wyck evening" in html
    assert "Malberg party" not in html
    assert "Over and done" not in html
    assert 'href="/en/agenda/?neighbourhood=wyck"' in html


def test_unpublished_events_are_not_shown(client: Client, city: City) -> None:
    from reisgezel.agenda.services import event_create
    from tests.factories import event_input, member_of

    hall = make_place(neighbourhood=city.wyck)
    organisation = make_organisation()
    event_create(
        actor=member_of(organisation),
        organisation=organisation,
        data=event_input(place_id=hall.pk, title={"nl": "Nog geheim", "en": "Still a secret"}),
        submit=True,
    )
    assert "Still a secret" not in _titles(client.get("/en/neighbourhoods/wyck/"))


def test_an_event_with_many_dates_is_shown_once(client: Client, city: City) -> None:
    from reisgezel.agenda.inputs import SlotInput

    hall = make_place(neighbourhood=city.wyck)
    slots = [SlotInput(start=at(d), end=at(d) + timedelta(hours=2)) for d in range(1, 8)]
    published_event(
        place_id=hall.pk,
        calendar_type="multiple",
        time_slots=slots,
        title={"nl": "Festival", "en": "Festival week"},
    )
    html = _titles(client.get("/en/neighbourhoods/wyck/"))
    assert html.count("Festival week</a>") == 1


def test_wijk_page_gathers_the_events_of_all_its_buurten(client: Client, city: City) -> None:
    wyck_hall = make_place(neighbourhood=city.wyck)
    ceramique_hall = make_place(neighbourhood=city.ceramique)
    malberg_hall = make_place(neighbourhood=city.malberg)
    published_event(place_id=wyck_hall.pk, title={"nl": "In Wyck", "en": "In Wyck"}, start=at(3))
    published_event(
        place_id=ceramique_hall.pk, title={"nl": "Op Céramique", "en": "At Ceramique"}, start=at(2)
    )
    published_event(place_id=malberg_hall.pk, title={"nl": "In Malberg", "en": "In Malberg"})
    response = client.get("/en/neighbourhoods/district/centrum/")
    assert response.status_code == 200
    html = _titles(response)
    assert html.index("At Ceramique") < html.index("In Wyck")  # soonest first
    assert "In Malberg" not in html
    assert 'href="/en/agenda/?district=centrum"' in html
    items = response.context["events"]
    assert [item.start for item in items] == sorted(item.start for item in items)
    assert all(item.start.tzinfo is not None for item in items)  # real datetimes


def test_courses_nearby_are_open_editions_at_places_in_the_buurt(
    client: Client, city: City
) -> None:
    here = make_place(neighbourhood=city.wyck)
    there = make_place(neighbourhood=city.malberg)
    make_edition(course=make_course(slug="klei-wyck", title={"nl": "Klei in Wyck"}), place=here)
    make_edition(course=make_course(slug="klei-malberg", title={"nl": "Klei Malberg"}), place=there)
    make_edition(
        course=make_course(slug="afgelopen", title={"nl": "Afgelopen cursus"}),
        place=here,
        starts_on=timezone.localdate() - timedelta(days=90),
        ends_on=timezone.localdate() - timedelta(days=10),
    )
    make_edition(
        course=make_course(
            slug="concept", title={"nl": "Nog een concept"}, state=CourseState.DRAFT
        ),
        place=here,
    )
    make_edition(
        course=make_course(slug="geannuleerd", title={"nl": "Geannuleerd"}),
        place=here,
        state=EditionState.CANCELLED,
    )
    html = _titles(client.get("/nl/neighbourhoods/wyck/"))
    assert 'href="/nl/learn/courses/klei-wyck/"' in html
    for absent in ("klei-malberg", "afgelopen", "concept", "geannuleerd"):
        assert f"/learn/courses/{absent}/" not in html
    assert 'href="/nl/learn/?neighbourhood=wyck"' in html


def test_places_partners_and_amateur_groups_of_the_buurt(client: Client, city: City) -> None:
    theatre = make_place(name="Theater aan het Vrijthof", slug="theater", neighbourhood=city.wyck)
    make_place(name="Huiskamer van Jan", slug="huiskamer", neighbourhood=city.wyck, is_private=True)
    make_place(name="Zaal Malberg", slug="zaal-malberg", neighbourhood=city.malberg)
    make_organisation(
        name="Theatergroep Wyck",
        slug="theatergroep",
        kind=OrganisationKind.VENUE,
        home_place=theatre,
    )
    make_organisation(
        name="Koor Wyck", slug="koor-wyck", kind=OrganisationKind.ASSOCIATION, home_place=theatre
    )
    make_organisation(
        name="Slapend koor",
        slug="slapend",
        kind=OrganisationKind.ASSOCIATION,
        home_place=theatre,
        is_active=False,
    )
    make_organisation(
        name="Harmonie Malberg",
        slug="harmonie-malberg",
        kind=OrganisationKind.ASSOCIATION,
        home_place=make_place(neighbourhood=city.malberg),
    )
    response = client.get("/nl/neighbourhoods/wyck/")
    html = _titles(response)
    assert 'href="/nl/places/theater/"' in html
    assert "huiskamer" not in html  # private addresses are never listed
    assert "zaal-malberg" not in html
    partners = [o.slug for o in response.context["partners"].items]
    groups = [o.slug for o in response.context["groups"].items]
    assert partners == ["theatergroep"]
    assert groups == ["koor-wyck"]
    assert 'href="/nl/organisers/koor-wyck/"' in html


def test_neighbours_come_from_the_boundaries(client: Client, city: City) -> None:
    response = client.get("/nl/neighbourhoods/wyck/")
    assert [b.slug for b in response.context["neighbours"]] == ["ceramique"]


def test_without_a_boundary_the_neighbours_are_the_rest_of_the_wijk(
    client: Client, city: City
) -> None:
    city.binnenstad.geometry = {}
    city.binnenstad.save()
    response = client.get("/nl/neighbourhoods/binnenstad/")
    assert [b.slug for b in response.context["neighbours"]] == ["ceramique", "wyck"]


def test_the_page_renders_in_every_language(client: Client, city: City) -> None:
    for lang in ("nl", "en", "de", "fr"):
        response = client.get(f"/{lang}/neighbourhoods/wyck/")
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()
