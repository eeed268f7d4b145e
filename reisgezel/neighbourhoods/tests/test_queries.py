"""The pages read a fixed number of queries, however many events, courses, places and
partners the neighbourhood has (no query per item)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reisgezel.accounts.models import OrganisationKind
from reisgezel.neighbourhoods.tests.helpers import City
from tests.factories import make_organisation, make_place, published_event
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db


def _fill(city: City, n: int, offset: int) -> None:
    for i in range(offset, offset + n):
        for buurt in (city.wyck, city.ceramique):
            place = make_place(neighbourhood=buurt)
            published_event(place_id=place.pk, title={"nl": f"Avond {buurt.slug} {i}"})
            make_edition(course=make_course(slug=f"cursus-{buurt.slug}-{i}"), place=place)
            make_organisation(home_place=place, kind=OrganisationKind.ASSOCIATION)
            make_organisation(home_place=place, kind=OrganisationKind.VENUE)


def _count(client: Client, path: str) -> int:
    client.get(path)  # caches (adjacency) as every later visitor finds them
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path", ["/nl/neighbourhoods/wyck/", "/nl/neighbourhoods/district/centrum/"]
)
def test_queries_do_not_grow_with_the_data(client: Client, city: City, path: str) -> None:
    _fill(city, 1, 0)
    few = _count(client, path)
    _fill(city, 7, 1)
    assert _count(client, path) == few
    assert few <= 20


def test_index_reads_two_queries_plus_the_choice(client: Client, city: City) -> None:
    assert _count(client, "/nl/neighbourhoods/") <= 3
