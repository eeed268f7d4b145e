"""Stories appear on the page of the object or event they are about (through the
section registry of reisgezel/core/sections.py), and leave it when withdrawn."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reisgezel.stories.services import story_withdraw
from reisgezel.stories.tests.conftest import published
from tests.factories import published_event
from tests.heritage_factories import ObjectFactory

pytestmark = pytest.mark.django_db


def test_a_story_about_an_object_is_on_the_object_page_until_withdrawn(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    plate = ObjectFactory(title={"nl": "Bord met Sphinx-merk"})
    story = published(
        django_capture_on_commit_callbacks,
        title="Het servies van mijn grootmoeder",
        text="Bij ons thuis aten we elke zondag van dit servies.",
        about="object",
        heritage_object_id=plate.pk,
    )
    url = f"/nl/collection/object/{plate.pid}/"
    page = client.get(url).content.decode()
    assert story.title in page
    assert f"heritage_object={plate.pid}" in page  # the invitation to tell one

    with django_capture_on_commit_callbacks(execute=True):
        story_withdraw(actor=story.contributor, story=story)
    assert story.title not in client.get(url).content.decode()


def test_a_story_about_an_event_is_on_the_event_page(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    concert = published_event(title={"nl": "Kerstconcert in Wyck"})
    story = published(
        django_capture_on_commit_callbacks,
        title="Mijn eerste kerstconcert",
        text="We zongen met het hele koor in de kerk.",
        about="event",
        event_id=concert.pk,
    )
    other = published_event(title={"nl": "Lezing over fossielen"})

    page = client.get(f"/nl/agenda/{concert.pk}/{concert.slug}/").content.decode()
    assert story.title in page
    assert f"event={concert.pk}" in page
    assert story.title not in client.get(f"/nl/agenda/{other.pk}/{other.slug}/").content.decode()
