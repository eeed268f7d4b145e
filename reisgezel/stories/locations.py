"""Where a story is shown. The exact point is for moderators; the public point is what
every page, the map data, the API and search read.

A story with a neighbourhood but no point is shown at that same point.
A story on a private place (Place.is_private) or at a home is shown at buurt level: its
public point is a point inside the neighbourhood (shapely's representative point,
which unlike a centroid always lies inside the polygon), the same for every story of
that neighbourhood, so nothing about the address can be read from it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from shapely.geometry import shape

from reisgezel.places.models import Neighbourhood, Place
from reisgezel.places.services import neighbourhood_for_point
from reisgezel.stories.models import Story

_PLACES = Decimal("0.000001")


@lru_cache(maxsize=512)
def _inside_point(code: str, geometry_json: str) -> tuple[Decimal, Decimal] | None:
    import json

    geometry = json.loads(geometry_json)
    if not geometry:
        return None
    point = shape(geometry).representative_point()
    return Decimal(str(point.y)).quantize(_PLACES), Decimal(str(point.x)).quantize(_PLACES)


def neighbourhood_point(neighbourhood: Neighbourhood | None) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) inside the neighbourhood, or None without a geometry."""
    if neighbourhood is None or not neighbourhood.geometry:
        return None
    import json

    return _inside_point(neighbourhood.code, json.dumps(neighbourhood.geometry, sort_keys=True))


def must_generalise(story: Story) -> bool:
    return story.is_home_location or bool(story.place is not None and story.place.is_private)


def locate(story: Story) -> None:
    """Fill the story's neighbourhood (if it can be known) and its public point."""
    lat, lon = story.latitude, story.longitude
    if lat is None and story.place is not None and story.place.has_coordinates:
        lat, lon = story.place.latitude, story.place.longitude
    if story.neighbourhood is None:
        if story.place is not None and story.place.neighbourhood_id:
            story.neighbourhood = story.place.neighbourhood
        elif lat is not None:
            story.neighbourhood = neighbourhood_for_point(lat, lon)
    if must_generalise(story):
        # Never the address: a point inside the neighbourhood, or no point at all.
        story.location_generalised = True
        point = neighbourhood_point(story.neighbourhood)
        story.public_latitude, story.public_longitude = point if point else (None, None)
    elif lat is None:
        # Only a neighbourhood: the map shows the story in its neighbourhood.
        story.location_generalised = story.neighbourhood is not None
        point = neighbourhood_point(story.neighbourhood)
        story.public_latitude, story.public_longitude = point if point else (None, None)
    else:
        story.location_generalised = False
        story.public_latitude, story.public_longitude = lat, lon


LOCATED_FIELDS = ["neighbourhood", "location_generalised", "public_latitude", "public_longitude"]


def _located(story: Story) -> tuple[object, ...]:
    return (
        story.neighbourhood_id,
        story.location_generalised,
        story.public_latitude,
        story.public_longitude,
    )


def relocate_stories_of(place: Place) -> list[int]:
    """After a place changed (made private, moved, given its buurt): its stories'
    public points again, so a home made private no longer shows its address. Returns
    the ids of the stories whose public location changed."""
    changed = []
    for story in Story.objects.filter(place=place).select_related("neighbourhood"):
        story.place = place
        before = _located(story)
        locate(story)
        if _located(story) != before:
            story.save(update_fields=LOCATED_FIELDS)
            changed.append(story.pk)
    return changed
