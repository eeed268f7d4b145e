"""The demo command: 60+ published stories over the real neighbourhoods, some about
collection objects, the Sphinx collection; idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from reisgezel.places.management.commands.load_neighbourhoods import (
    DISTRICTS_FILE,
    NEIGHBOURHOODS_FILE,
)
from reisgezel.places.models import Neighbourhood
from reisgezel.places.services import neighbourhoods_load
from reisgezel.search.models import SearchDocument
from reisgezel.stories.models import Story, StoryState, ThemedCollection
from reisgezel.stories.services import STORY_DOC_TYPE
from tests.heritage_factories import ObjectFactory, SpecimenFactory

pytestmark = pytest.mark.django_db


def test_demo_stories(django_capture_on_commit_callbacks: Any) -> None:
    geo = Path(settings.SHARED_DATA_DIR) / "geo"
    neighbourhoods_load(
        districts_path=geo / DISTRICTS_FILE, neighbourhoods_path=geo / NEIGHBOURHOODS_FILE
    )
    SpecimenFactory()
    ObjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_stories_demo", stdout=None)
    stories = Story.objects.all()
    assert stories.count() >= 60
    assert not stories.exclude(state=StoryState.PUBLISHED).exists()
    real = set(Neighbourhood.objects.values_list("pk", flat=True))
    used = set(stories.exclude(neighbourhood=None).values_list("neighbourhood_id", flat=True))
    assert len(used) >= 15 and used <= real
    assert stories.filter(heritage_object__specimen__genus="Mosasaurus").exists()
    assert stories.filter(language="en").count() >= 3
    homes = stories.filter(is_home_location=True)
    assert homes.exists()
    for story in homes:
        assert story.location_generalised and story.public_latitude != story.latitude
    sphinx = ThemedCollection.objects.get(slug="sphinx-een-plek-van-herinnering")
    assert sphinx.entries.count() >= 6
    assert SearchDocument.objects.filter(doc_type=STORY_DOC_TYPE).count() == stories.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_stories_demo", stdout=None)
    assert Story.objects.count() == stories.count()
    assert sphinx.entries.count() == ThemedCollection.objects.get(pk=sphinx.pk).entries.count()
