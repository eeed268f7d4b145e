"""Point-in-polygon assignment of coordinates to the CBS neighbourhoods.

Polygons are loaded once per process into prepared shapely geometries; a lookup is
then a few microseconds, so assigning on every place save is cheap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape
from shapely.prepared import PreparedGeometry, prep


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    parent_code: str
    geometry: dict[str, Any]


def read_areas(path: Path, *, code_key: str, name_key: str, parent_key: str | None) -> list[Area]:
    """Read a GeoJSON FeatureCollection of CBS areas (wijken or buurten)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        raise ValueError(f"{path} is not a GeoJSON FeatureCollection")
    areas = []
    for feature in data["features"]:
        props = feature.get("properties") or {}
        areas.append(
            Area(
                code=str(props[code_key]),
                name=str(props[name_key]),
                parent_code=str(props[parent_key]) if parent_key else "",
                geometry=feature["geometry"],
            )
        )
    return areas


@dataclass(frozen=True)
class _IndexedArea:
    code: str
    prepared: PreparedGeometry
    bounds: tuple[float, float, float, float]


class AreaIndex:
    """Finds the area that contains a point (longitude, latitude)."""

    def __init__(self, areas: list[tuple[str, dict[str, Any]]]) -> None:
        self._areas = []
        for code, geometry in areas:
            geom = shape(geometry)
            self._areas.append(_IndexedArea(code, prep(geom), geom.bounds))

    def locate(self, longitude: float, latitude: float) -> str | None:
        point = Point(longitude, latitude)
        for area in self._areas:
            minx, miny, maxx, maxy = area.bounds
            if (
                minx <= longitude <= maxx
                and miny <= latitude <= maxy
                and area.prepared.covers(point)
            ):
                return area.code
        return None


@lru_cache(maxsize=1)
def _cached_index(version: tuple[tuple[str, str], ...]) -> AreaIndex:
    from reisgezel.places.models import Neighbourhood

    return AreaIndex(list(Neighbourhood.objects.values_list("code", "geometry")))


def neighbourhood_index() -> AreaIndex:
    """The index over the neighbourhoods in the database (rebuilt when they change)."""
    from reisgezel.places.models import Neighbourhood

    version = tuple(Neighbourhood.objects.order_by("code").values_list("code", "slug"))
    return _cached_index(version)
