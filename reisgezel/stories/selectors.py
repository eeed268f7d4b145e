"""Reads of stories. Every public read goes through `published_stories`, so a story
that is not published (withdrawn, rejected, back in moderation) is on no page, feed,
map or API answer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reisgezel.stories.models import Story, StoryState, ThemedCollection


def published_stories(
    neighbourhood: Any = None,
    place: Any = None,
    heritage_object: Any = None,
    event: Any = None,
) -> QuerySet[Story]:
    """Published stories, newest first, optionally about one neighbourhood, place,
    collection object or event (each a model instance or a primary key).

    The neighbourhood pages, place pages, object pages and event pages call this.
    A story about a place in the neighbourhood counts for the neighbourhood too: the
    story's own `neighbourhood` is filled from its place (or its point) when it is
    saved, so this is one indexed condition (stories_buurt_published).
    """
    stories = Story.objects.filter(state=StoryState.PUBLISHED).select_related(
        "neighbourhood", "place"
    )
    if neighbourhood is not None:
        pk = getattr(neighbourhood, "pk", neighbourhood)
        stories = stories.filter(neighbourhood_id=pk)
    if place is not None:
        stories = stories.filter(place_id=getattr(place, "pk", place))
    if heritage_object is not None:
        stories = stories.filter(heritage_object_id=getattr(heritage_object, "pk", heritage_object))
    if event is not None:
        stories = stories.filter(event_id=getattr(event, "pk", event))
    return stories.order_by("-published_at", "-pk")


def story_for_reader(*, uuid: Any, user: Any) -> Story | None:
    """The story as a reader may see it: published for everyone; any state but
    withdrawn for its contributor; any state for moderators (who see withdrawn ones
    only in the admin)."""
    story = (
        Story.objects.select_related("place", "neighbourhood", "heritage_object", "event")
        .filter(uuid=uuid)
        .first()
    )
    if story is None:
        return None
    if story.state == StoryState.PUBLISHED:
        return story
    if story.state == StoryState.WITHDRAWN:
        return None
    if getattr(user, "can_moderate", False):
        return story
    if getattr(user, "is_authenticated", False) and story.contributor_id == user.pk:
        return story
    return None


def public_collections() -> QuerySet[ThemedCollection]:
    return ThemedCollection.objects.filter(is_public=True)


def collection_stories(collection: ThemedCollection) -> QuerySet[Story]:
    return (
        published_stories()
        .filter(collection_entries__collection=collection)
        .order_by("collection_entries__position", "pk")
    )


def moderation_queue() -> QuerySet[Story]:
    return Story.objects.filter(state=StoryState.PENDING).order_by("submitted_at", "pk")


def stories_with_open_reports() -> QuerySet[Story]:
    return (
        Story.objects.filter(reports__resolved_at__isnull=True)
        .distinct()
        .prefetch_related("reports")
        .order_by("pk")
    )


def stories_of(user: Any) -> QuerySet[Story]:
    return (
        Story.objects.filter(contributor=user)
        .exclude(state=StoryState.WITHDRAWN)
        .order_by("-created_at")
    )
