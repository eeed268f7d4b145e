"""Where stories appear, and where they must not: pages, map data, feed, API and search
after withdrawal, rejection and edits; exact locations of homes and private places
nowhere in public."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from ninja.testing import TestClient

from reisgezel.search.models import SearchDocument, SearchFacet
from reisgezel.search.query import search
from reisgezel.stories.api import router
from reisgezel.stories.models import Story, ThemedCollection
from reisgezel.stories.search import NEIGHBOURHOOD_FACET, THEME_FACET
from reisgezel.stories.selectors import published_stories
from reisgezel.stories.services import STORY_DOC_TYPE, story_edit, story_reject, story_withdraw
from reisgezel.stories.tests.conftest import HOME, published, story_input
from tests.factories import make_user, moderator

pytestmark = pytest.mark.django_db

api_client = TestClient(router)


def _everywhere(client: Client, story: Story) -> dict[str, bool]:
    """Is the story visible on each public surface?"""
    page = client.get(f"/nl/stories/{story.uuid}/")
    listing = client.get("/nl/stories/").content.decode()
    map_data = client.get("/nl/stories/map.json").json()
    feed = client.get("/nl/stories/feed/").content.decode()
    api_list = api_client.get("/stories").json()
    api_one = api_client.get(f"/stories/{story.uuid}")
    return {
        "page": page.status_code == 200,
        "list": story.title in listing,
        "map": any(f["properties"]["title"] == story.title for f in map_data["features"]),
        "feed": story.title in feed,
        "api_list": any(item["id"] == str(story.uuid) for item in api_list["items"]),
        "api_one": api_one.status_code == 200,
        "search": SearchDocument.objects.filter(
            doc_type=STORY_DOC_TYPE, object_id=story.pk
        ).exists()
        and search(text="Sphinx", doc_types=[STORY_DOC_TYPE]).total == 1,
    }


@pytest.fixture
def sphinx_story(django_capture_on_commit_callbacks: Any, public_place: Any) -> Story:
    return published(
        django_capture_on_commit_callbacks,
        title="De fluit van de Sphinx",
        text="Elke ochtend hoorden we de fluit van de Sphinx fabriek in Wyck.",
        about="place",
        place_id=public_place.pk,
    )


def test_the_api_list_pages_past_the_end_to_an_empty_page(
    client: Client, sphinx_story: Story
) -> None:
    for offset in (1, 10**19, 10**30):  # past 64 bits the database refused the OFFSET
        body = client.get("/api/stories", {"offset": offset}).json()
        assert body == {"total": 1, "items": []}
    assert client.get("/api/stories", {"offset": -5}).json()["items"][0]["id"] == str(
        sphinx_story.uuid
    )


def test_a_published_story_is_everywhere(client: Client, sphinx_story: Story) -> None:
    assert all(_everywhere(client, sphinx_story).values()), _everywhere(client, sphinx_story)


def test_a_withdrawn_story_is_gone_from_every_surface(
    client: Client, sphinx_story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        story_withdraw(actor=sphinx_story.contributor, story=sphinx_story)
    seen = _everywhere(client, sphinx_story)
    assert not any(seen.values()), seen


def test_a_rejected_story_is_gone_from_every_surface(
    client: Client, sphinx_story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        story_reject(actor=moderator(), story=sphinx_story, reason="Melding klopt")
    assert not any(_everywhere(client, sphinx_story).values())


def test_an_edited_story_is_hidden_until_approved_again(
    client: Client, sphinx_story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        story_edit(
            actor=sphinx_story.contributor,
            story=sphinx_story,
            data=story_input(
                title=sphinx_story.title, text=sphinx_story.text + " Nu anders.", about="own-life"
            ),
        )
    assert not any(_everywhere(client, sphinx_story).values())


def test_the_contributor_and_moderators_see_an_unpublished_story(
    client: Client, sphinx_story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    author = sphinx_story.contributor
    assert author is not None
    with django_capture_on_commit_callbacks(execute=True):
        story_edit(actor=author, story=sphinx_story, data=story_input(title="Nieuw"))
    client.force_login(author)
    assert client.get(f"/nl/stories/{sphinx_story.uuid}/").status_code == 200
    client.force_login(make_user())
    assert client.get(f"/nl/stories/{sphinx_story.uuid}/").status_code == 404
    client.force_login(moderator())
    assert client.get(f"/nl/stories/{sphinx_story.uuid}/").status_code == 200


@pytest.mark.parametrize("where", ["home", "private_place"])
def test_exact_location_of_a_home_or_private_place_never_reaches_the_public(
    client: Client,
    django_capture_on_commit_callbacks: Any,
    private_place: Any,
    wyck: Any,
    where: str,
) -> None:
    if where == "home":
        extra: dict[str, Any] = {
            "latitude": HOME[0],
            "longitude": HOME[1],
            "is_home_location": True,
        }
    else:
        extra = {"about": "place", "place_id": private_place.pk}
    story = published(
        django_capture_on_commit_callbacks,
        title="Sphinx herinneringen thuis",
        text="Aan de keukentafel vertelde opa over de Sphinx.",
        **extra,
    )
    assert story.location_generalised and story.neighbourhood == wyck
    assert (story.public_latitude, story.public_longitude) != HOME
    exact = {
        f"{HOME[0]}",
        f"{HOME[1]}",
        f"{float(HOME[0])}",
        f"{float(HOME[1])}",
        "50.8491",
        "5.7023",
    }
    outputs = {
        "page": client.get(f"/nl/stories/{story.uuid}/").content.decode(),
        "list": client.get("/nl/stories/").content.decode(),
        "map": client.get("/nl/stories/map/").content.decode(),
        "map.json": client.get("/nl/stories/map.json").content.decode(),
        "feed": client.get("/nl/stories/feed/").content.decode(),
        "api": json.dumps(api_client.get("/stories").json()),
        "search": json.dumps(
            list(SearchDocument.objects.filter(doc_type=STORY_DOC_TYPE).values("title", "summary"))
            + list(
                SearchFacet.objects.filter(document__doc_type=STORY_DOC_TYPE).values(
                    "name", "value"
                )
            )
        ),
    }
    for name, text in outputs.items():
        for value in exact:
            assert value not in text, (name, value)
    assert "Atelier aan huis" not in outputs["page"]
    feature = client.get("/nl/stories/map.json").json()["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert 5.69 <= lon <= 5.71 and 50.845 <= lat <= 50.855  # inside Wyck
    assert feature["properties"]["generalised"] is True
    # A moderator sees the exact point.
    client.force_login(moderator())
    assert str(HOME[0]) in client.get(f"/nl/stories/{story.uuid}/").content.decode()


def test_a_public_place_keeps_its_point(
    client: Client, sphinx_story: Story, public_place: Any
) -> None:
    feature = client.get("/nl/stories/map.json").json()["features"][0]
    assert feature["geometry"]["coordinates"] == [
        float(public_place.longitude),
        float(public_place.latitude),
    ]
    assert feature["properties"]["generalised"] is False


def test_search_facets_neighbourhood_and_theme(
    sphinx_story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    theme = ThemedCollection.objects.create(
        slug="sphinx", title={"nl": "Sphinx, een plek van herinnering"}
    )
    theme.entries.create(story=sphinx_story, position=1)
    with django_capture_on_commit_callbacks(execute=True):
        from reisgezel.search.registry import index_later

        index_later(STORY_DOC_TYPE, [sphinx_story.pk])
    results = search(
        text="fluit",
        doc_types=[STORY_DOC_TYPE],
        facets=[NEIGHBOURHOOD_FACET, THEME_FACET],
        filters={THEME_FACET: ["sphinx"]},
    )
    assert [hit.object_id for hit in results.hits] == [sphinx_story.pk]
    assert results.facets[NEIGHBOURHOOD_FACET] == [("wyck", 1)]
    assert results.facets[THEME_FACET] == [("sphinx", 1)]


def test_selector_filters_by_what_a_story_is_about(
    sphinx_story: Story, public_place: Any, wyck: Any, django_capture_on_commit_callbacks: Any
) -> None:
    other = published(django_capture_on_commit_callbacks, title="Elders")
    assert list(published_stories(place=public_place)) == [sphinx_story]
    assert set(published_stories(neighbourhood=wyck)) == {sphinx_story}
    assert set(published_stories(neighbourhood=wyck.pk)) == {sphinx_story}
    assert set(published_stories()) == {sphinx_story, other}
    assert list(published_stories(event=12345)) == []


def test_a_private_place_outside_any_neighbourhood_has_no_public_point(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.factories import make_place

    hidden = make_place(
        name="Thuisatelier",
        slug="thuisatelier",
        is_private=True,
        latitude=HOME[0],
        longitude=HOME[1],
    )
    story = published(django_capture_on_commit_callbacks, about="place", place_id=hidden.pk)
    assert story.location_generalised and story.public_latitude is None
    assert client.get("/nl/stories/map.json").json()["features"] == []
    page = client.get(f"/nl/stories/{story.uuid}/").content.decode()
    assert "Thuisatelier" not in page


def test_the_place_page_lists_its_stories_until_withdrawn(
    client: Client, sphinx_story: Story, public_place: Any, django_capture_on_commit_callbacks: Any
) -> None:
    page = client.get(f"/nl/places/{public_place.slug}/").content.decode()
    assert sphinx_story.title in page and "?about=place&amp;place=" in page
    with django_capture_on_commit_callbacks(execute=True):
        story_withdraw(actor=sphinx_story.contributor, story=sphinx_story)
    assert sphinx_story.title not in client.get(f"/nl/places/{public_place.slug}/").content.decode()
