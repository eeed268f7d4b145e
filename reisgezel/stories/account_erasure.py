"""What erasing an account (accounts.erasure) does to stories: the person's stories go
with their files (a story to keep should be kept anonymously first, on the stories'
own erase page), and their e-mail address leaves the reports they sent."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.erasure import ErasureStep
from reisgezel.stories.models import Story, StoryReport
from reisgezel.stories.services import contributor_erase


def _erase(user: Any) -> None:
    contributor_erase(actor=user)
    if user.email:
        StoryReport.objects.filter(reporter_email__iexact=user.email).update(reporter_email="")


def _records(user: Any) -> list[Any]:
    # A moderator's reason for rejecting a story may name its author.
    return list(Story.objects.filter(contributor=user).only("pk"))


STORIES_ERASURE = ErasureStep(
    name="stories", blockers=lambda user: [], erase=_erase, records=_records
)
