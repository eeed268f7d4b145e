"""IIIF endpoints: Presentation API 3.0 documents (manifests, collections) and, where no
web server serves IIIF_ROOT, the static Image API files.

Every answer, errors included, carries `Access-Control-Allow-Origin: *`: IIIF viewers
on other sites must be able to read it. Bad requests get a JSON message with a 4xx.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from reisgezel.heritage.exhibit_media import without_hidden_media
from reisgezel.heritage.iiif import presentation
from reisgezel.heritage.iiif.tiles import IMAGE_CONTEXT
from reisgezel.heritage.models import Collection, Exhibit, Tombstone

View = Callable[..., HttpResponseBase]

_KEY = re.compile(r"[0-9a-f]{32}")
# What a level-0 service has: info.json, tiles and listed sizes, default quality, jpg.
_IMAGE_FILE = re.compile(
    r"info\.json|(full|\d{1,6},\d{1,6},\d{1,6},\d{1,6})/(max|\d{1,6},\d{1,6})/0/default\.jpg"
)
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
DOCUMENT_MAX_AGE = 300  # seconds; manifests follow edits within minutes
TILE_MAX_AGE = 86400  # tiles of a key never change (a new file gets a new key)


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def iiif_endpoint(view: View) -> View:
    """GET/HEAD only (405 otherwise), and CORS open to every origin."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response: HttpResponseBase = _problem(405, _("Only GET is supported here."))
            response["Allow"] = "GET, HEAD, OPTIONS"
        elif request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept"
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _document(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(
        data,
        content_type=presentation.CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    patch_cache_control(response, public=True, max_age=DOCUMENT_MAX_AGE)
    return response


@iiif_endpoint
def manifest(request: HttpRequest, pid: str) -> HttpResponseBase:
    obj = presentation.manifest_object(pid) if _SLUG.fullmatch(pid) else None
    if obj is None or not obj.is_public:
        if _SLUG.fullmatch(pid) and Tombstone.objects.filter(pid=pid).exists():
            return _problem(410, _("This object has been removed from the collection."))
        return _problem(404, _("There is no public object with this identifier."))
    data = presentation.object_manifest(obj)
    if data is None:
        return _problem(404, _("This object has no images to show yet."))
    return _document(data)


@iiif_endpoint
def collection(request: HttpRequest, code: str, page: int | None = None) -> HttpResponseBase:
    found = Collection.objects.filter(code=code).first() if _SLUG.fullmatch(code) else None
    if found is None:
        return _problem(404, _("There is no collection with this code."))
    data = presentation.collection_document(found, page)
    if data is None:
        return _problem(404, _("This collection has no such page."))
    return _document(data)


@iiif_endpoint
def exhibit(request: HttpRequest, slug: str) -> HttpResponseBase:
    found = (
        Exhibit.objects.filter(slug=slug, is_public=True).select_related("cover__object").first()
        if _SLUG.fullmatch(slug)
        else None
    )
    if found is None:
        return _problem(404, _("There is no public exhibit with this name."))
    without_hidden_media([found])
    return _document(presentation.exhibit_document(found))


@iiif_endpoint
def not_found(request: HttpRequest, path: str) -> HttpResponseBase:
    return _problem(404, _("There is no IIIF resource at this address."))


def serves_images() -> bool:
    """Whether Django serves IIIF_ROOT itself: in development and tests, or where the
    IIIF_SERVE setting says so (a deployment without a web server in front)."""
    return bool(getattr(settings, "IIIF_SERVE", settings.DEBUG or settings.TESTING))


def _info_type(request: HttpRequest) -> str:
    # Image API 3.0 §5: JSON-LD only when asked for; plain JSON otherwise.
    if "application/ld+json" in request.headers.get("Accept", ""):
        return f'application/ld+json;profile="{IMAGE_CONTEXT}"'
    return "application/json"


@iiif_endpoint
def image_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file of the static level-0 image service: IIIF_URL<key>/<file>."""
    if not serves_images():
        return _problem(404, _("Images are served by the web server."))
    key, _slash, rest = path.partition("/")
    if not _KEY.fullmatch(key):
        return _problem(404, _("There is no image with this identifier."))
    if not rest:  # the base URI: the image information, as the Image API recommends
        return HttpResponseRedirect(f"{settings.IIIF_URL}{key}/info.json", status=303)
    if not _IMAGE_FILE.fullmatch(rest):
        return _problem(
            400,
            _(
                "This image service is level 0: ask for info.json, a tile or a size it lists "
                "(default quality, jpg)."
            ),
        )
    root = Path(settings.IIIF_ROOT).resolve()
    target = (root / key / rest).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return _problem(404, _("There is no such image file."))
    is_info = rest == "info.json"
    response = FileResponse(
        target.open("rb"), content_type=_info_type(request) if is_info else "image/jpeg"
    )
    if is_info:
        response["Vary"] = "Accept"
    patch_cache_control(
        response, public=True, max_age=DOCUMENT_MAX_AGE if is_info else TILE_MAX_AGE
    )
    return response
