"""Requests no page of the platform can answer, refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
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
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
