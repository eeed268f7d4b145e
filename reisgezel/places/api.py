"""API of places: venues where culture happens. Private addresses show their buurt only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from reisgezel.core.api_errors import ErrorOut
from reisgezel.core.i18n import LanguageMap
from reisgezel.places.models import Place


class NeighbourhoodOut(Schema):
    slug: str
    name: str
    district: str


class OpeningHoursOut(Schema):
    weekday: int = Field(description="0 = Monday ... 6 = Sunday")
    opens: str
    closes: str


class PlaceOut(Schema):
    slug: str
    name: str
    street: str | None = Field(description="Absent for private addresses")
    postcode: str | None
    city: str
    latitude: Decimal | None
    longitude: Decimal | None
    neighbourhood: NeighbourhoodOut | None
    website: str
    facilities: list[str]


class PlaceDetailOut(PlaceOut):
    description: dict[str, str]
    description_text: str
    accessibility_notes: dict[str, str]
    phone: str
    email: str
    opening_hours: list[OpeningHoursOut]


class PlaceListOut(Schema):
    items: list[PlaceOut]
    total: int
    page: int
    num_pages: int


router = Router(tags=["places"])


def _places() -> QuerySet[Place]:
    # Not the areas' boundaries (large GeoJSON): only their slugs and names are shown.
    return (
        Place.objects.select_related("neighbourhood__district")
        .defer("neighbourhood__geometry", "neighbourhood__district__geometry")
        .prefetch_related("facilities")
    )


def _place(place: Place) -> dict[str, Any]:
    private = place.is_private  # a home address: only the neighbourhood is public
    buurt = place.neighbourhood
    return {
        "slug": place.slug,
        "name": place.name,
        "city": place.city,
        "website": place.website,
        "street": None if private else place.street,
        "postcode": None if private else place.postcode,
        "latitude": None if private else place.latitude,
        "longitude": None if private else place.longitude,
        "neighbourhood": {"slug": buurt.slug, "name": buurt.name, "district": buurt.district.slug}
        if buurt
        else None,
        "facilities": [t.code for t in place.facilities.all()],
    }


@router.get("/places", response={200: PlaceListOut, 422: ErrorOut}, summary="Places, by name")
def place_list(request: HttpRequest, page: int = Query(1, ge=1, le=10000)) -> dict[str, Any]:
    paginator = Paginator(_places().order_by("name", "pk"), 50)
    current = paginator.get_page(page)
    return {
        "items": [_place(p) for p in current.object_list],
        "total": paginator.count,
        "page": current.number,
        "num_pages": paginator.num_pages,
    }


@router.get("/places/{slug}", response={200: PlaceDetailOut, 404: ErrorOut}, summary="One place")
def place_detail(request: HttpRequest, slug: str, lang: str = "nl") -> dict[str, Any]:
    place = get_object_or_404(_places().prefetch_related("opening_hours"), slug=slug)
    description = LanguageMap(place.description)
    return {
        **_place(place),
        "description": dict(description),
        "description_text": description.get_for(lang),
        "accessibility_notes": dict(place.accessibility_notes),
        "phone": "" if place.is_private else place.phone,
        "email": "" if place.is_private else place.email,
        "opening_hours": [
            {"weekday": h.weekday, "opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"}
            for h in place.opening_hours.all()
        ],
    }
