"""Requests no page of the platform can answer, refused before any view sees them."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils.translation import gettext as _

# The JSON API's errors are JSON ({"detail": ...}), like its other errors.
JSON_PREFIXES = ("/api/",)
# Interfaces that answer every bad request with their protocol's own error and headers:
# OAI-PMH (badArgument, docs/oai-pmh.md) and IIIF (JSON with CORS, docs/iiif.md).
OWN_ERRORS = ("/oai", "/iiif/")


class RefuseNulCharacters:
    """A NUL character (%00) in the path or the query string: 400.

    No address of the site contains one, and PostgreSQL stores none in text: a view
    that looked such a value up (an identifier in /id/, a slug in the API) failed in the
    database with a server error. Forms refuse NUL themselves; this covers the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        has_nul = "\x00" in request.path or "%00" in query or "\x00" in query
        if not has_nul or request.path.startswith(OWN_ERRORS):
            return self.get_response(request)
        message = _("A web address cannot contain a NUL character.")
        if request.path.startswith(JSON_PREFIXES):
            return JsonResponse({"detail": message, "errors": {}}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class JsonApiMethodNotAllowed:
    """A method an API address does not answer (PATCH where only GET and PUT are): 405
    in the API's error shape, with the Allow header. django-ninja answers it as plain
    text, before any of the API's exception handlers could."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or not request.path.startswith(JSON_PREFIXES):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        message = _("This address does not answer %(method)s; it answers %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        answer = JsonResponse({"detail": message, "errors": {}}, status=405)
        answer["Allow"] = allowed
        return answer


# Django's admin builds the range of a date-hierarchy choice (`?created_at__year=2026`)
# without catching a year it cannot step past (9999) or one beyond 64 bits: a server
# error (Django ticket #37357, fixed upstream, not yet in the Django used here).
_ADMIN_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?admin/")
_DATE_PARTS = {"__year": range(1900, 2200), "__month": range(1, 13), "__day": range(1, 32)}


def _date_part_ok(key: str, value: str) -> bool:
    for suffix, allowed in _DATE_PARTS.items():
        if key.endswith(suffix):
            return value.isascii() and value.isdigit() and len(value) <= 4 and int(value) in allowed
    return True


class GuardAdminDateHierarchy:
    """An admin list asked for an impossible date-hierarchy year, month or day: the
    admin's own answer to a wrong filter (the list again, with `?e=1`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _ADMIN_PATH.match(request.path) and not all(
            _date_part_ok(key, value) for key, values in request.GET.lists() for value in values
        ):
            return HttpResponseRedirect(f"{request.path}?e=1")
        return self.get_response(request)
