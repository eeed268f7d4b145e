"""Public representations of stories: map data (GeoJSON) and the API's dictionaries.

Only the public point is ever read here (see models.py): for a story on a private place
or at a home it is a point inside the neighbourhood, never the exact location.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse

from reisgezel.stories.models import Story


def story_url(story: Story) -> str:
    return reverse("stories:story", kwargs={"uuid": story.uuid})


def story_public_dict(story: Story) -> dict[str, Any]:
    return {
        "id": str(story.uuid),
        "url": settings.SITE_URL + story_url(story),
        "title": story.title,
        "text": story.text,
        "language": story.language,
        "author": story.display_name,
        "licence": story.licence,
        "licence_uri": story.licence_uri,
        "about": story.about,
        "neighbourhood": story.neighbourhood.name if story.neighbourhood else None,
        "latitude": float(story.public_latitude) if story.public_latitude is not None else None,
        "longitude": float(story.public_longitude) if story.public_longitude is not None else None,
        "location_is_neighbourhood": story.location_generalised,
        "published_at": story.published_at.isoformat() if story.published_at else None,
    }


def stories_geojson(stories: Iterable[Story]) -> dict[str, Any]:
    features = []
    for story in stories:
        if story.public_latitude is None or story.public_longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(story.public_longitude), float(story.public_latitude)],
                },
                "properties": {
                    "title": story.title,
                    "url": story_url(story),
                    "neighbourhood": story.neighbourhood.name if story.neighbourhood else "",
                    "generalised": story.location_generalised,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
