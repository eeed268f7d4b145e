"""Writes and rules for places and neighbourhoods."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.places.geo import neighbourhood_index, read_areas
from reisgezel.places.models import District, Neighbourhood, OpeningHours, Place
from reisgezel.places.search import DOC_TYPE as PLACE_DOC_TYPE
from reisgezel.search.registry import index_later

_POSTCODE_INPUT = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")

PLACE_FIELDS = {
    "name",
    "description",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "accessibility_notes",
    "website",
    "phone",
    "email",
    "is_private",
}


def postcode_normalise(raw: str) -> str:
    """'6211kj', '6211 KJ ' -> '6211 KJ'. Raises ValidationError with a readable message."""
    match = _POSTCODE_INPUT.match(raw or "")
    if not match:
        raise ValidationError(
            {
                "postcode": _("“%(value)s” is not a Dutch postcode (for example 6211 KJ).")
                % {"value": raw}
            }
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def neighbourhoods_load(*, districts_path: Path, neighbourhoods_path: Path) -> tuple[int, int]:
    """Create or update the CBS districts and neighbourhoods from GeoJSON files.

    Idempotent: codes are the keys. Returns (districts, neighbourhoods) counted.
    """
    districts = read_areas(
        districts_path, code_key="statcode", name_key="statnaam", parent_key=None
    )
    buurten = read_areas(
        neighbourhoods_path, code_key="buurtcode", name_key="buurtnaam", parent_key="wijkcode"
    )
    with transaction.atomic():
        by_code: dict[str, District] = {}
        for area in districts:
            district, _created = District.objects.update_or_create(
                code=area.code,
                defaults={"name": area.name, "slug": slugify(area.name), "geometry": area.geometry},
            )
            by_code[area.code] = district
        for area in buurten:
            if area.parent_code not in by_code:
                raise ValueError(f"Buurt {area.code} refers to unknown wijk {area.parent_code}")
            Neighbourhood.objects.update_or_create(
                code=area.code,
                defaults={
                    "name": area.name,
                    "slug": slugify(area.name),
                    "district": by_code[area.parent_code],
                    "geometry": area.geometry,
                },
            )
        # A place's search document names its buurt and wijk: a renamed area renames them.
        index_later(
            PLACE_DOC_TYPE,
            Place.objects.filter(neighbourhood__isnull=False).values_list("pk", flat=True),
        )
    return len(districts), len(buurten)


def neighbourhood_for_point(
    latitude: Decimal | float | None, longitude: Decimal | float | None
) -> Neighbourhood | None:
    if latitude is None or longitude is None:
        return None
    code = neighbourhood_index().locate(float(longitude), float(latitude))
    return Neighbourhood.objects.filter(code=code).first() if code else None


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "place"
    slug, n = base, 2
    others = Place.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Place.objects.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(place: Place, data: dict[str, Any]) -> None:
    unknown = set(data) - PLACE_FIELDS
    if unknown:
        raise ValueError(f"Unknown place fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(place, key, value)
    place.postcode = postcode_normalise(place.postcode)
    place.neighbourhood = neighbourhood_for_point(place.latitude, place.longitude)


@transaction.atomic
def place_create(
    *,
    facilities: list[Any] | None = None,
    opening_hours: list[tuple[int, Any, Any]] | None = None,
    **data: Any,
) -> Place:
    """Create a place; the postcode is normalised and the buurt assigned from coordinates.

    The place is indexed for search after the transaction commits.

    Callers that let partners create places must first offer `place_find_similar`.
    """
    place = Place()
    _apply(place, data)
    place.slug = _unique_slug(place.name)
    place.full_clean()
    place.save()
    if facilities:
        place.facilities.set(facilities)
    for weekday, opens, closes in opening_hours or []:
        OpeningHours.objects.create(place=place, weekday=weekday, opens=opens, closes=closes)
    index_later(PLACE_DOC_TYPE, [place.pk])
    return place


# Apps whose records show where a place is (stories keep a public point derived from
# their place's coordinates and privacy) register here; places cannot import them.
PlaceListener = Callable[[Place], None]
_update_listeners: dict[str, PlaceListener] = {}


def place_update_listen(name: str, listener: PlaceListener) -> None:
    """Call `listener(place)` after every place_update, in its transaction. Idempotent
    per name."""
    _update_listeners[name] = listener


@transaction.atomic
def place_update(*, place: Place, facilities: list[Any] | None = None, **data: Any) -> Place:
    _apply(place, data)
    place.full_clean()
    place.save()
    if facilities is not None:
        place.facilities.set(facilities)
    index_later(PLACE_DOC_TYPE, [place.pk])
    for listener in _update_listeners.values():
        listener(place)
    return place


_STOPWORDS = {"de", "het", "een", "the", "van", "in", "zaal", "theater", "theatre"}


def _name_key(name: str) -> str:
    from reisgezel.search.text import fold_accents

    words = re.findall(r"\w+", fold_accents(name).lower())
    return " ".join(w for w in words if w not in _STOPWORDS)


def place_find_similar(*, name: str, postcode: str = "", limit: int = 5) -> list[Place]:
    """Existing places a partner probably means: same postcode, or a similar name.

    Offered before a new place is created so that venues are not duplicated. Name
    similarity is a ratio over accent-folded names without filler words, which
    catches "Theater aan het Vrijthof" vs "theater a/h vrijthof".
    """
    from difflib import SequenceMatcher

    candidates: dict[int, tuple[float, Place]] = {}
    if postcode:
        try:
            normalised = postcode_normalise(postcode)
        except ValidationError:
            normalised = ""
        for place in Place.objects.filter(postcode=normalised):
            candidates[place.pk] = (1.0, place)
    key = _name_key(name)
    if key:
        for place in Place.objects.only("id", "name", "slug", "street", "postcode", "city"):
            other = _name_key(place.name)
            ratio = SequenceMatcher(None, key, other).ratio()
            if key in other or other in key:
                ratio = max(ratio, 0.9)
            if ratio >= 0.75 and candidates.get(place.pk, (0.0,))[0] < ratio:
                candidates[place.pk] = (ratio, place)
    ranked = sorted(candidates.values(), key=lambda item: (-item[0], item[1].name))
    return [place for _score, place in ranked[:limit]]
