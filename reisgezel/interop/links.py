"""What the open-data exports (OAI-PMH, DwC-A, dataset descriptions) share: absolute
links, built in one place, and the order in which languages are written."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def texts(value: Mapping[str, str]) -> list[tuple[str, str]]:
    """(language, text) pairs of a language map, Dutch first, then in the order of
    settings.LANGUAGES: the database (PostgreSQL jsonb) does not keep key order."""
    order = {code: i for i, (code, _name) in enumerate(settings.LANGUAGES)}
    pairs = [(lang, text) for lang, text in value.items() if text]
    return sorted(pairs, key=lambda pair: (order.get(pair[0], len(order)), pair[0]))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def iiif_image_url(key: UUID) -> str:
    """The full image from the static level-0 IIIF tiles a media file gets at ingest."""
    return absolute(f"{settings.IIIF_URL}{key.hex}/full/max/0/default.jpg")


def object_page_url(pid: str) -> str:
    """The object's page in the default language (Dutch)."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(reverse("heritage:object", kwargs={"pid": pid}))


def iiif_collection_url(code: str) -> str:
    return absolute(f"/iiif/collection/{code}.json")
