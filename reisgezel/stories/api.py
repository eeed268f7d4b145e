"""JSON API of stories (django-ninja). Mounted by config/api.py as /api/stories/.

Reads only published stories, through the same selector as the pages; locations are
the public points (a private place or a home shows its neighbourhood only).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router

from reisgezel.stories.mapdata import story_public_dict
from reisgezel.stories.selectors import published_stories

router = Router(tags=["stories"])


@router.get("/stories", summary="Published residents' stories, newest first")
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


@router.get("/stories/{story_id}", summary="One published story")
def get_story(request: HttpRequest, story_id: UUID) -> dict[str, Any]:
    story = published_stories().filter(uuid=story_id).first()
    if story is None:
        raise Http404
    return story_public_dict(story)
