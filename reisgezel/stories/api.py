"""JSON API of stories (django-ninja). Mounted by config/api.py as /api/stories/.

Reads only published stories, through the same selector as the pages; locations are
the public points (a private place or a home shows its neighbourhood only).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from reisgezel.core.api_errors import ErrorOut
from reisgezel.stories.mapdata import story_public_dict
from reisgezel.stories.selectors import published_stories

router = Router(tags=["stories"])


class StoryOut(Schema):
    """A published story (stories.mapdata.story_public_dict); the point is the public one."""

    id: str
    url: str
    title: str
    text: str
    language: str
    author: str
    licence: str
    licence_uri: str
    about: str
    neighbourhood: str | None
    latitude: float | None
    longitude: float | None
    location_is_neighbourhood: bool
    published_at: str | None


class StoryListOut(Schema):
    total: int
    items: list[StoryOut]


@router.get(
    "/stories",
    response={200: StoryListOut, 422: ErrorOut},
    summary="Published residents' stories, newest first",
)
def list_stories(
    request: HttpRequest, neighbourhood: str = "", limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    stories = published_stories()
    if neighbourhood:
        stories = stories.filter(neighbourhood__slug=neighbourhood)
    limit = max(1, min(limit, 200))
    total = stories.count()
    offset = max(0, min(offset, total))  # past the end is an empty page, whatever the number
    page = stories[offset : offset + limit]
    return {"total": total, "items": [story_public_dict(s) for s in page]}


@router.get(
    "/stories/{story_id}",
    response={200: StoryOut, 404: ErrorOut, 422: ErrorOut},
    summary="One published story",
)
def get_story(request: HttpRequest, story_id: UUID) -> dict[str, Any]:
    story = published_stories().filter(uuid=story_id).first()
    if story is None:
        raise Http404(gettext("No published story with this id."))
    return story_public_dict(story)
