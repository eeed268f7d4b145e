"""Template helpers for the page layout: language alternates, absolute URLs, dates.

Loaded with {% load site_layout %} (base.html and the public pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    code: str
    name_local: str
    path: str
    url: str
    is_current: bool


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


@register.simple_tag(takes_context=True)
def language_alternates(context: dict[str, Any], keep_query: bool = True) -> list[Alternate]:
    """This page in every interface language (falls back to the same path if it has none)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    here = request.get_full_path() if keep_query else request.path
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    alternates = []
    for code, _name in settings.LANGUAGES:
        path = translate_url(here, code)
        info = translation.get_language_info(code)
        alternates.append(
            Alternate(code, info["name_local"], path, _absolute(path), code == current)
        )
    return alternates


@register.filter
def absolute_url(path: str) -> str:
    """/nl/agenda/ -> https://example.org/nl/agenda/ (SITE_URL from the settings)."""
    return _absolute(str(path))


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (None or "" removes them)."""
    request: HttpRequest | None = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return ""
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
