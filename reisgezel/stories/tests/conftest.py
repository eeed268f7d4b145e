"""Fixtures of the stories tests: a neighbourhood with a real polygon, a public and a
private place, media in a temporary folder, and helpers that make stories through the
services."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reisgezel.places.models import District, Neighbourhood, Place
from reisgezel.stories.models import Licence, Story
from reisgezel.stories.services import StoryInput, Uploads, story_approve, story_submit
from tests.factories import make_place, make_user, moderator

# A square around Wyck (lon 5.69..5.71, lat 50.845..50.855).
WYCK_POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [[5.69, 50.845], [5.71, 50.845], [5.71, 50.855], [5.69, 50.855], [5.69, 50.845]]
    ],
}
HOME = (Decimal("50.849123"), Decimal("5.702345"))


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    yield tmp_path


@pytest.fixture
def wyck(db: Any) -> Neighbourhood:
    district = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    return Neighbourhood.objects.create(
        code="BU1", name="Wyck", slug="wyck", district=district, geometry=WYCK_POLYGON
    )


@pytest.fixture
def public_place(wyck: Neighbourhood) -> Place:
    return make_place(
        name="Theater Wyck",
        slug="theater-wyck",
        neighbourhood=wyck,
        latitude=Decimal("50.848500"),
        longitude=Decimal("5.705500"),
    )


@pytest.fixture
def private_place(wyck: Neighbourhood) -> Place:
    return make_place(
        name="Atelier aan huis",
        slug="atelier-aan-huis",
        neighbourhood=wyck,
        is_private=True,
        latitude=HOME[0],
        longitude=HOME[1],
    )


def story_input(**overrides: Any) -> StoryInput:
    values: dict[str, Any] = {
        "title": "Mijn oma in Wyck",
        "text": "Mijn oma woonde haar hele leven in Wyck, vlak bij de Maas.",
        "about": "own-life",
        "licence": Licence.CC_BY,
        "display_name": "Jo",
        "email": "jo@example.org",
        "people_consent": True,
    }
    values.update(overrides)
    return StoryInput(**values)


def submit(actor: Any = None, uploads: Uploads | None = None, **overrides: Any) -> Story:
    from django.contrib.auth.models import AnonymousUser

    return story_submit(
        actor=actor or AnonymousUser(), data=story_input(**overrides), uploads=uploads
    )


def published(capture: Any, **overrides: Any) -> Story:
    """A story by a user with an account, approved by a moderator (callbacks run)."""
    author = overrides.pop("author", None) or make_user()
    with capture(execute=True):
        story = submit(actor=author, **overrides)
        story = story_approve(actor=moderator(), story=story)
    return story
