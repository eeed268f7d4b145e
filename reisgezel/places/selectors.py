"""Reads of places, and the place page's extension point.

Places sit below the domain apps (import-linter layers), so the place page cannot ask
the agenda (or stories) for "what is on here". Instead those apps register a *section
provider* (reisgezel/core/sections.py): a function of a place that returns a template
and its context, or None. The place page renders every section it gets, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from reisgezel.core.sections import PageSection, SectionProvider, section_register, sections_of
from reisgezel.places.models import District, Neighbourhood, OpeningHours, Place, Weekday

# The place page's sections (see reisgezel/core/sections.py).
PLACE_PAGE = "place"
PlaceSection = PageSection


def place_section_register(name: str, provider: SectionProvider) -> None:
    """Register (or replace) a section of the place page. Idempotent per name."""
    section_register(PLACE_PAGE, name, provider)


def place_sections(place: Place) -> list[PageSection]:
    return sections_of(PLACE_PAGE, place)


def place_get_public(*, slug: str) -> Place | None:
    return (
        Place.objects.select_related("neighbourhood", "neighbourhood__district")
        .prefetch_related("facilities", "opening_hours")
        .filter(slug=slug)
        .first()
    )


def places_list() -> QuerySet[Place]:
    return Place.objects.select_related("neighbourhood", "neighbourhood__district").order_by("name")


@dataclass(frozen=True)
class DayHours:
    weekday: int
    label: str
    periods: list[tuple[Any, Any]]


def opening_hours_by_day(rows: list[OpeningHours] | list[Any]) -> list[DayHours]:
    """Opening rows (anything with weekday/opens/closes) grouped per weekday, Monday first;
    days without a row are included with no periods (shown as "closed")."""
    by_day: dict[int, list[tuple[Any, Any]]] = {day: [] for day in Weekday.values}
    for row in rows:
        by_day[row.weekday].append((row.opens, row.closes))
    return [
        DayHours(day, str(Weekday(day).label), sorted(periods)) for day, periods in by_day.items()
    ]


def neighbourhoods_by_district(slugs: list[str] | tuple[str, ...]) -> dict[str, District]:
    """Slug -> district of the given neighbourhoods (for grouping facets)."""
    return {
        n.slug: n.district
        for n in Neighbourhood.objects.filter(slug__in=slugs)
        .select_related("district")
        .defer("geometry", "district__geometry")
    }
