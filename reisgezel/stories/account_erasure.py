"""What erasing an account (accounts.erasure) does to stories: the person's stories go
with their files (a story to keep should be kept anonymously first, on the stories'
own erase page), and their e-mail address leaves the reports they sent."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.erasure import ErasureStep
from reisgezel.stories.models import StoryReport
from reisgezel.stories.services import contributor_erase


def _erase(user: Any) -> None:
    contributor_erase(actor=user)
    if user.email:
        StoryReport.objects.filter(reporter_email__iexact=user.email).update(reporter_email="")


STORIES_ERASURE = ErasureStep(name="stories", blockers=lambda user: [], erase=_erase)
