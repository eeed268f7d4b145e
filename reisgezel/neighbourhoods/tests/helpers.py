"""Test data for the neighbourhood pages: two wijken with buurten whose square
boundaries make Wyck and Céramique neighbours and Malberg a buurt apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reisgezel.places.models import District, Neighbourhood


def square(x: float, y: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class City:
    centrum: District
    west: District
    wyck: Neighbourhood
    ceramique: Neighbourhood
    binnenstad: Neighbourhood
    malberg: Neighbourhood


def make_city() -> City:
    centrum = District.objects.create(
        code="WK093500", name="Centrum", slug="centrum", geometry=square(5.68, 50.84, 0.03)
    )
    west = District.objects.create(
        code="WK093507", name="West", slug="west", geometry=square(5.60, 50.85, 0.03)
    )

    def buurt(code: str, name: str, slug: str, district: District, geometry: Any) -> Neighbourhood:
        return Neighbourhood.objects.create(
            code=code, name=name, slug=slug, district=district, geometry=geometry
        )

    return City(
        centrum=centrum,
        west=west,
        wyck=buurt("BU1", "Wyck", "wyck", centrum, square(5.70, 50.84)),
        ceramique=buurt("BU2", "Céramique", "ceramique", centrum, square(5.71, 50.84)),
        # Same wijk, but its boundary touches neither Wyck nor Céramique.
        binnenstad=buurt("BU3", "Binnenstad", "binnenstad", centrum, square(5.68, 50.86)),
        malberg=buurt("BU4", "Malberg", "malberg", west, square(5.60, 50.85)),
    )
