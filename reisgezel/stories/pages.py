"""Sections the stories app adds to other apps' pages through their extension points."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from reisgezel.agenda.models import Event
from reisgezel.core.sections import PageSection
from reisgezel.heritage.models import HeritageObject
from reisgezel.places.models import Place
from reisgezel.places.selectors import PlaceSection
from reisgezel.stories.selectors import published_stories

SECTION_LIMIT = 6


def place_stories_section(place: Place) -> PlaceSection | None:
    """ "Stories about this place" on the place page. None for a private place: its
    stories are shown at neighbourhood level only, never tied to the address."""
    if place.is_private:
        return None
    stories = list(published_stories(place=place)[:SECTION_LIMIT])
    return PlaceSection("stories/place_section.html", {"stories": stories}, order=30)


def object_stories_section(obj: HeritageObject) -> PageSection:
    """ "Residents' stories" on a collection object's page, with an invitation."""
    return PageSection(
        "stories/about_section.html",
        {
            "stories": list(published_stories(heritage_object=obj)[:SECTION_LIMIT]),
            "heading": _("Residents' stories about this object"),
            "empty": _("No resident has told a story about this object yet."),
            "tell_label": _("Do you have a memory of this object? Tell your story"),
            "tell_query": urlencode({"about": "object", "heritage_object": obj.pid}),
            "section_id": "object-stories",
        },
        order=30,
    )


def event_stories_section(event: Event) -> PageSection:
    """ "Stories about this event" on an event's page, with an invitation."""
    return PageSection(
        "stories/about_section.html",
        {
            "stories": list(published_stories(event=event)[:SECTION_LIMIT]),
            "heading": _("Stories about this event"),
            "empty": _("No stories about this event yet."),
            "tell_label": _("Were you there? Tell your story"),
            "tell_query": urlencode({"about": "event", "event": event.pk}),
            "section_id": "event-stories",
        },
        order=30,
    )
