"""An Atom feed of the newest published stories."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from reisgezel.stories.mapdata import story_url
from reisgezel.stories.models import Story
from reisgezel.stories.selectors import published_stories


class LatestStoriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Residents' stories")
    subtitle = _("The newest stories told by residents.")

    def link(self) -> str:
        from django.urls import reverse

        return reverse("stories:list")

    def items(self) -> QuerySet[Story]:
        return published_stories()[:30]

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        return item.text[:500]

    def item_link(self, item: Story) -> str:
        return story_url(item)

    def item_pubdate(self, item: Story) -> datetime | None:
        return item.published_at

    def item_author_name(self, item: Story) -> str:
        return item.display_name
