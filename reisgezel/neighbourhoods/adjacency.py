"""Which buurten border each other, from the CBS boundaries.

The city has a few dozen buurten with generalised boundaries (about 12 kB of GeoJSON),
so the whole adjacency is computed at once with shapely (a few milliseconds) and kept
in the cache for a day: pages then read one small dict. Generalised boundaries of two
neighbours may leave a hair's breadth between them, hence the small buffer.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from reisgezel.places.models import Neighbourhood

ADJACENCY_TTL = 24 * 60 * 60
# About two metres in degrees at Maastricht's latitude: closes slivers, joins no one else.
TOUCH_TOLERANCE = 0.00002
_KEY = "neighbourhoods:adjacency:v1"


def _geometry(data: Any) -> BaseGeometry | None:
    try:
        geometry = shape(data)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return None  # missing or malformed boundary: this buurt has no known neighbours
    return None if geometry.is_empty else geometry


def compute_adjacency(rows: list[tuple[int, Any]]) -> dict[int, list[int]]:
    """Neighbours per buurt id, from (id, GeoJSON geometry) rows."""
    ids, geometries = [], []
    for pk, data in rows:
        geometry = _geometry(data)
        if geometry is not None:
            ids.append(pk)
            geometries.append(geometry.buffer(TOUCH_TOLERANCE))
    tree = STRtree(geometries)
    adjacency: dict[int, list[int]] = {pk: [] for pk, _data in rows}
    for i, geometry in enumerate(geometries):
        for j in tree.query(geometry, predicate="intersects"):
            if int(j) != i:
                adjacency[ids[i]].append(ids[int(j)])
    return adjacency


def adjacency() -> dict[int, list[int]]:
    """Neighbours per buurt id (cached; boundaries change once a year at most)."""
    value = cache.get(_KEY)
    if value is None:
        value = compute_adjacency(list(Neighbourhood.objects.values_list("pk", "geometry")))
        cache.set(_KEY, value, ADJACENCY_TTL)
    return dict(value)


def forget_adjacency() -> None:
    """Call after loading new boundaries (tests, the yearly CBS update)."""
    cache.delete(_KEY)
