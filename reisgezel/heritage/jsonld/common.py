"""Shared pieces of the JSON-LD documents: contexts, absolute URLs, language values."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from reisgezel.core.i18n import SOURCE_LANGUAGE, content_languages, language_map
from reisgezel.heritage.iiif import tiles
from reisgezel.heritage.models import HeritageObject, MediaFile, MediaKind, Specimen, TileState
from reisgezel.heritage.rights import is_reusable

SCHEMA_CONTEXT = "https://schema.org/"
LINKED_ART_CONTEXT = "https://linked.art/ns/v1/linked-art.json"
LINKED_ART_PROFILE = LINKED_ART_CONTEXT
"""The profile URI of Linked Art in `Accept: application/ld+json;profile="..."`."""

Json = dict[str, Any]


def absolute(url: str) -> str:
    """An absolute URL on our site (storage URLs may already be absolute)."""
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def page_url(name: str, language: str = SOURCE_LANGUAGE, **kwargs: str) -> str:
    """The absolute URL of a language-prefixed page (the Dutch one by default)."""
    with translation.override(language):
        return absolute(reverse(name, kwargs=kwargs or None))


def search_url(param: str, value: str, language: str = SOURCE_LANGUAGE) -> str:
    """The collection search page filtered on one facet value."""
    return page_url("heritage:search", language) + "?" + urlencode({param: value})


def lang_values(value: Any) -> list[Json]:
    """A language map as JSON-LD value objects (content languages first, Dutch first)."""
    texts = language_map(value)
    order = {lang: i for i, lang in enumerate(content_languages())}
    return [
        {"@value": text, "@language": lang}
        for lang, text in sorted(texts.all_texts(), key=lambda item: order.get(item[0], 99))
    ]


def first_text(value: Any) -> str:
    """The Dutch text of a language map (for `_label`s meant for developers)."""
    return language_map(value).get_for(SOURCE_LANGUAGE)


def specimen_of(obj: HeritageObject) -> Specimen | None:
    try:
        return obj.specimen
    except Specimen.DoesNotExist:
        return None


def has_tiles(media: MediaFile) -> bool:
    return media.kind == MediaKind.IMAGE and media.tile_state == TileState.READY


def iiif_image_base(media: MediaFile) -> str:
    """The IIIF Image API base URI (service id) of an image's static level-0 tiles."""
    return tiles.service_id(media.key)


def media_content_url(media: MediaFile) -> str | None:
    """The full image from the IIIF tiles once they exist, else the stored file; None
    for a restricted image without tiles (its original is never linked, as on the
    object page: `selectors.display_url`)."""
    if has_tiles(media):
        return iiif_image_base(media) + "/full/max/0/default.jpg"
    if media.kind == MediaKind.IMAGE and not is_reusable(media.rights_uri):
        return None
    return absolute(media.file.url)


def media_thumbnail_url(media: MediaFile) -> str | None:
    """The ~400 px wide size the tiles list (a level-0 server has no other sizes)."""
    if not has_tiles(media) or not media.width or not media.height:
        return None
    size = tiles.thumbnail_size(media.width, media.height)
    if size is None:
        return iiif_image_base(media) + "/full/max/0/default.jpg"
    return iiif_image_base(media) + f"/full/{size.width},{size.height}/0/default.jpg"


def has_manifest(files: list[MediaFile]) -> bool:
    """Whether the object's IIIF manifest answers: it needs one canvas, an image with
    its tiles made or a sound with its duration (as iiif/presentation.py decides)."""
    return any(
        (m.kind == MediaKind.IMAGE and has_tiles(m) and m.width)
        or (m.kind == MediaKind.AUDIO and m.duration_seconds is not None)
        for m in files
    )


def manifest_url(obj: HeritageObject) -> str:
    """The object's IIIF Presentation 3.0 manifest (served by heritage/iiif_views)."""
    return absolute(reverse("iiif:manifest", kwargs={"pid": obj.pid}))


def year_iso(year: int) -> str:
    """An ISO 8601 year: four digits, a minus sign before the common era."""
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
