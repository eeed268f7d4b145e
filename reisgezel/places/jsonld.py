"""schema.org JSON-LD for places, and the safe way to put JSON-LD in a page."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from reisgezel.places.models import Place

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def script_json(data: Any) -> SafeString:
    """JSON for a <script type="application/ld+json"> element.

    `</` is escaped so no value can close the element; `<!--` likewise. Non-ASCII stays
    readable (the page is UTF-8)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return mark_safe(text)  # noqa: S308 - escaped above for the script context


def postal_address(place: Place) -> dict[str, Any]:
    address: dict[str, Any] = {
        "@type": "PostalAddress",
        "addressLocality": place.city,
        "addressCountry": "NL",
    }
    if not place.is_private:
        address["streetAddress"] = place.street
        address["postalCode"] = place.postcode
    return address


def place_schema(place: Place, *, url: str = "", with_details: bool = False) -> dict[str, Any]:
    """A schema.org Place. Private addresses are given at neighbourhood level only."""
    data: dict[str, Any] = {"@type": "Place", "name": place.name, "address": postal_address(place)}
    if url:
        data["url"] = absolute(url)
    if place.has_coordinates and not place.is_private:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),  # type: ignore[arg-type]
            "longitude": float(place.longitude),  # type: ignore[arg-type]
        }
    if place.neighbourhood_id:
        data["containedInPlace"] = {"@type": "Place", "name": place.neighbourhood.name}  # type: ignore[union-attr]
    if with_details:
        if place.description:
            data["description"] = str(place.description)
        if place.phone:
            data["telephone"] = place.phone
        if place.website:
            data["sameAs"] = place.website
        hours = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[row.weekday]}",
                "opens": row.opens.strftime("%H:%M"),
                "closes": row.closes.strftime("%H:%M"),
            }
            for row in place.opening_hours.all()
        ]
        if hours:
            data["openingHoursSpecification"] = hours
        features = [
            {"@type": "LocationFeatureSpecification", "name": str(term.label), "value": True}
            for term in place.facilities.all()
        ]
        if features:
            data["amenityFeature"] = features
    return data


def place_jsonld(place: Place, *, url: str) -> dict[str, Any]:
    return {"@context": "https://schema.org", **place_schema(place, url=url, with_details=True)}
