"""Reads behind the object and exhibit pages, and the cached counts of the collection
search following publishing, hiding and deleting through the services."""

from __future__ import annotations

from typing import Any

import pytest

from reisgezel.heritage.selectors import (
    exhibit_get_public,
    object_exhibits,
    object_get_public,
    object_tombstone,
    related_objects,
)
from reisgezel.heritage.services import object_delete, objects_set_public
from reisgezel.heritage.tests.test_pages_world import World, heritage_world
from reisgezel.heritage.tests.test_search_collection import counts, pids, run

pytestmark = pytest.mark.django_db
__all__ = ["heritage_world"]


def test_related_objects_are_public_and_not_repeated(heritage_world: World) -> None:
    world = heritage_world
    plate = object_get_public(pid=world.plate.pid)
    assert plate is not None
    exhibits = object_exhibits(plate)
    assert [e.slug for e in exhibits] == ["sphinx"]
    related = related_objects(plate, exhibits=exhibits)
    assert [c.object.pid for c in related.same_maker] == ["cc-tile"]  # not the hidden plate
    assert [c.object.pid for c in related.same_type] == ["cc-cup"]
    assert related.same_exhibit == []  # the tile is already shown as the same maker's
    assert related.same_maker[0].image is None and related.same_maker[0].thumbnail is None


def test_hidden_objects_and_exhibits_are_not_read(heritage_world: World) -> None:
    world = heritage_world
    assert object_get_public(pid=world.hidden.pid) is None
    assert object_tombstone(pid=world.deleted_pid) is not None
    assert object_tombstone(pid=world.hidden.pid) is None
    exhibit = exhibit_get_public(slug="sphinx")
    assert exhibit is not None
    shown = [item.object.pid for s in exhibit.sections.all() for item in s.items.all()]
    assert shown == ["cc-plate", "cc-tile"]
    assert exhibit_get_public(slug="concept") is None


def test_cached_counts_follow_hiding_and_deleting(
    heritage_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world = heritage_world
    assert run(maker="sphinx").total == 2  # counted and cached
    with django_capture_on_commit_callbacks(execute=True):
        objects_set_public([world.plate.pk], public=False, actor=None)
    hidden = run(maker="sphinx")
    assert hidden.total == 1 and pids(hidden) == ["cc-tile"]
    assert counts(run(), "maker")["sphinx"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        objects_set_public([world.hidden.pk], public=True, actor=None)
    assert run(maker="sphinx").total == 2

    with django_capture_on_commit_callbacks(execute=True):
        object_delete(world.tile, actor=None)
    after = run(maker="sphinx")
    assert pids(after) == ["cc-hidden"] and after.total == 1
