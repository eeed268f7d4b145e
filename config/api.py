"""The JSON API (django-ninja, OpenAPI 3.1 at /api/openapi.json, docs at /api/docs).

Errors have one shape everywhere: {"detail": "...", "errors": {field: [messages]}}.
Service rules answer 403 (PermissionDenied) and 422 (ValidationError); input that does
not parse (malformed JSON, wrong types, naive datetimes) answers 400/422 from ninja.
Messages follow the request's Accept-Language (LocaleMiddleware; Dutch by default).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from reisgezel.accounts.api import router as organisers_router
from reisgezel.agenda.api import partner_router
from reisgezel.agenda.api import router as events_router
from reisgezel.core.api_errors import error_message
from reisgezel.learning.api import router as learning_router
from reisgezel.places.api import router as places_router
from reisgezel.stories.api import router as stories_router

api = NinjaAPI(
    title="Reisgezel API",
    version="1",
    description="The city's cultural agenda (events, places and organisers), the course "
    "catalogue (/api/learning/) and residents' stories (/api/stories). "
    "Reads are open; writes need an organisation's API token (Authorization: Bearer rg_...). "
    "See docs/api.md.",
    urls_namespace="api",
)

# Where in a request a ninja error points: body/query/path wrappers are left out.
_LOCATION_PREFIXES = {"body", "query", "path", "header", "payload", "query_params"}


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    while parts and parts[0] in _LOCATION_PREFIXES:
        parts.pop(0)
    return ".".join(parts) or "__all__"


def ninja_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's error list as {field path: [messages in the active language]}."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(_field_of(error.get("loc", ())), []).append(error_message(error))
    return by_field


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": gettext("The request is not valid."), "errors": ninja_errors(exc.errors)},
        status=422,
    )


@api.exception_handler(DjangoValidationError)
def _rule_broken(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(
        request, {"detail": gettext("The data is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or gettext("Permission denied."), "errors": {}}, status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Our views raise Http404 with a translated reason; get_object_or_404 gives none.
    detail = str(exc) if exc.args and isinstance(exc.args[0], str) else ""
    if not detail or (detail.startswith("No ") and " matches the given query" in detail):
        detail = gettext("Nothing is found at this address.")
    return api.create_response(request, {"detail": detail, "errors": {}}, status=404)


@api.exception_handler(HttpError)
def _ninja_refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own refusals, in English: a body that does not parse and a missing token.
    detail = str(exc)
    if isinstance(exc, AuthenticationError):
        detail = gettext("Give a valid API token (Authorization: Bearer rg_...).")
    elif exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = gettext("The request body is not valid JSON.")
    return api.create_response(request, {"detail": detail, "errors": {}}, status=exc.status_code)


api.add_router("/", events_router)
api.add_router("/partner/", partner_router)
api.add_router("/", places_router)
api.add_router("/", organisers_router)
api.add_router("/learning/", learning_router)
api.add_router("/", stories_router)
