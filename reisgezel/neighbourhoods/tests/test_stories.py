"""Stories from the neighbourhood, as the stories app publishes them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from reisgezel.neighbourhoods.tests.helpers import City

pytest.importorskip("reisgezel.stories.selectors")

pytestmark = pytest.mark.django_db


def _story(title: str, *, state: str = "published", **where: object) -> object:
    from reisgezel.stories.models import Story

    now = timezone.now()
    return Story.objects.create(
        title=title,
        text="Het verhaal.",
        language="nl",
        display_name="Marie",
        contributor_email="marie@example.org",
        email_confirmed_at=now,
        licence="cc-by-4.0",
        people_consent=True,
        about="neighbourhood",
        state=state,
        published_at=now if state == "published" else None,
        **where,
    )


def test_buurt_page_shows_its_published_stories_only(client: Client, city: City) -> None:
    _story("De brug bij Wyck", neighbourhood=city.wyck)
    _story("Carnaval in Malberg", neighbourhood=city.malberg)
    _story("Nog in moderatie", state="pending", neighbourhood=city.wyck)
    html = client.get("/nl/neighbourhoods/wyck/").content.decode()
    assert "De brug bij Wyck" in html
    assert "Carnaval in Malberg" not in html
    assert "Nog in moderatie" not in html


def test_wijk_page_shows_the_stories_of_its_buurten(client: Client, city: City) -> None:
    _story("De brug bij Wyck", neighbourhood=city.wyck)
    _story("Op Céramique", neighbourhood=city.ceramique)
    _story("Carnaval in Malberg", neighbourhood=city.malberg)
    response = client.get("/nl/neighbourhoods/district/centrum/")
    titles = {story.title for story in response.context["stories"].items}
    assert titles == {"De brug bij Wyck", "Op Céramique"}


def test_buurt_page_links_each_story_to_its_page(client: Client, city: City) -> None:
    story = _story("De brug bij Wyck", neighbourhood=city.wyck)
    html = client.get("/nl/neighbourhoods/wyck/").content.decode()
    assert f'href="/nl/stories/{story.uuid}/"' in html  # type: ignore[attr-defined]
