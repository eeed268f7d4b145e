"""An event's search document carries its place's and organiser's names."""

from __future__ import annotations

from typing import Any

import pytest

from reisgezel.places.services import place_update
from reisgezel.search.query import matching_object_ids
from tests.factories import make_place, published_event

pytestmark = pytest.mark.django_db


def test_renaming_a_place_reindexes_its_events(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        place = make_place(name="Zaal De Bordenfabriek")
        event = published_event(place_id=place.pk)
    assert event.pk in matching_object_ids(doc_type="event", text="bordenfabriek")

    with django_capture_on_commit_callbacks(execute=True):
        place_update(place=place, name="Sphinxkwartier Zaal")
    assert event.pk in matching_object_ids(doc_type="event", text="sphinxkwartier")
    assert event.pk not in matching_object_ids(doc_type="event", text="bordenfabriek")


def test_renaming_an_organiser_reindexes_its_events(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reisgezel.search.registry import index_later

    with django_capture_on_commit_callbacks(execute=True):
        event = published_event()
    organisation = event.organiser
    organisation.name = "Mestreechter Sjtaar"
    organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        index_later("organisation", [organisation.pk])
    assert event.pk in matching_object_ids(doc_type="event", text="sjtaar")
