"""Tools of the hostile-input crawl (tests/test_hostile_input.py): the hostile values, the
site's routes, the forms of a page, and a client that records every server error.

Each request runs in a savepoint that is rolled back: a post that cancels, deletes or
erases leaves the data for the next request as it was, and a database error (which
leaves a PostgreSQL transaction unusable) cannot break the requests after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

BEYOND_64_BITS = "99999999999999999999999"
LONG = "x" * 5000

# One kind per request. A NUL (%00 in an address) is answered by
# core.middleware.RefuseNulCharacters with 400, a form refuses it on the field.
HOSTILE_VALUES: tuple[str, ...] = (
    "9999-12-31",
    "0001-01-01",
    BEYOND_64_BITS,
    "-" + BEYOND_64_BITS,
    "1e309",
    "NaN",
    "2026-02-30",
    LONG,
    "a\x00b",
    "😀",
    "\u202eevil\u200f",
    "",
    "[]",
    "{}",
)
# The values that found every server error so far: sent into one field at a time, so that
# no other field's error can hide them (a form that is invalid is not used at all).
# (Not the NUL: the middleware refuses it before any view reads a parameter.)
SHARP_VALUES: tuple[str, ...] = (BEYOND_64_BITS, "9999-12-31", "0001-01-01", LONG)

# Query parameters many pages read without showing them in a form.
COMMON_PARAMETERS: tuple[str, ...] = (
    "page",
    "q",
    "date_from",
    "date_to",
    "year_from",
    "year_to",
    "sort",
    "week",
    "day",
    "offset",
    "limit",
    "lat",
    "lon",
    "bbox",
    "format",
)


def describe(value: str) -> str:
    """A value as it reads in a failure message (the long one shortened)."""
    if len(value) > 40:
        return f"<{len(value)} x {value[0]!r}>"
    return repr(value)


# --- Routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A named URL pattern: its full name, its pattern (for messages) and its arguments."""

    name: str
    pattern: str
    arguments: tuple[str, ...]
    converters: tuple[str, ...]


def _arguments(pattern: Any) -> dict[str, str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return {name: type(conv).__name__ for name, conv in converters.items()}
    return dict.fromkeys(pattern.regex.groupindex, "RegexGroup")


def routes() -> tuple[list[Route], list[str]]:
    """Every named pattern of the resolver, and the patterns without a name."""
    named: list[Route] = []
    unnamed: list[str] = []

    def walk(
        patterns: Iterable[URLPattern | URLResolver],
        prefix: str,
        namespace: str,
        arguments: dict[str, str],
    ) -> None:
        for entry in patterns:
            found = {**arguments, **_arguments(entry.pattern)}
            text = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, text, inner, found)
            elif entry.name:
                named.append(
                    Route(
                        name=namespace + entry.name,
                        pattern=text,
                        arguments=tuple(found),
                        converters=tuple(found.values()),
                    )
                )
            else:
                unnamed.append(text)

    walk(get_resolver().url_patterns, "/", "", {})
    return named, unnamed


# --- Forms -------------------------------------------------------------------------------

IGNORED_INPUTS = frozenset({"submit", "button", "image", "reset", "file"})


# The hostile values posted into a field, by the kind of its control: those that found
# server errors before in such a field (dates outside 1900-2199 in a date, numbers and
# ids beyond 64 bits, a NUL, 5,000 characters) and the empty value (a service that
# received None). A text box may hold anything, so it gets them all.
DATES = ("9999-12-31", "0001-01-01", LONG, "")
POST_VALUES_BY_KIND: dict[str, tuple[str, ...]] = {
    "date": DATES,
    "datetime-local": DATES,
    "time": DATES,
    "month": DATES,
    "week": DATES,
    "number": (BEYOND_64_BITS, "-" + BEYOND_64_BITS, "1e309", ""),
    "range": (BEYOND_64_BITS, "1e309", ""),
    "checkbox": (BEYOND_64_BITS, LONG),
    "radio": (BEYOND_64_BITS, LONG),
    "select": (BEYOND_64_BITS, LONG, ""),
    "hidden": (BEYOND_64_BITS, "9999-12-31", LONG, ""),
}
TEXT_VALUES = (BEYOND_64_BITS, "9999-12-31", LONG, "", "a\x00b")


@dataclass
class Form:
    """A form as a browser would send it: its fields with the values the page gave them."""

    method: str
    action: str
    values: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    """The fields to make hostile (all but the CSRF token, buttons and files), with the
    kind of their control (an input's type, or select / textarea)."""
    buttons: list[tuple[str, str]] = field(default_factory=list)
    """The named submit buttons: a browser sends the one clicked (approve or reject)."""

    def key(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        return tuple(sorted(self.kinds)), tuple(self.buttons)

    def filled(self) -> int:
        return sum(any(values) for values in self.values.values())

    def hostile(self) -> Iterator[tuple[dict[str, list[str]], str, str]]:
        """(data, field, value) to post: one field at a time hostile, with each button.
        Fields that the same code reads as another are left out: the other languages of
        a text whose Dutch is there, the second and later forms of a formset, and what
        Django's formsets read themselves (the management form, the delete boxes)."""
        clicks: list[dict[str, list[str]]] = [{n: [v]} for n, v in self.buttons] or [{}]
        for name, kind in self.kinds.items():
            base, _, language = name.rpartition("_")
            if language in {"en", "de", "fr"} and f"{base}_nl" in self.kinds:
                continue
            if re.search(r"-[1-9]\d*-|-[A-Z_]+_FORMS$|-DELETE$", name):
                continue
            for value in POST_VALUES_BY_KIND.get(kind, TEXT_VALUES):
                for click in clicks:
                    yield {**self.values, **click, name: [value]}, name, value


def _add(form: Form, name: str, kind: str, value: str | None, *, send: bool) -> None:
    if name != "csrfmiddlewaretoken":
        form.kinds.setdefault(name, kind)
    if send and value is not None:
        form.values.setdefault(name, []).append(value)


def _read_form(element: Any, page_url: str) -> Form:
    method = (element.get("method") or "get").lower()
    action = urljoin(page_url, element.get("action") or page_url)
    form = Form(method=method, action=action)
    for control in element.iter("input", "select", "textarea", "button"):
        name = control.get("name")
        if not name:
            continue
        kind = (control.get("type") or "text").lower()
        if control.tag == "select":
            options = control.findall(".//option")
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            _add(form, name, "select", None, send=False)
            for option in chosen if control.get("multiple") is not None else chosen[:1]:
                value = option.get("value")
                text = option.text_content() if value is None else value
                _add(form, name, "select", text, send=True)
        elif control.tag == "textarea":
            _add(form, name, "textarea", control.text or "", send=True)
        elif control.tag == "button" or kind in {"submit", "image"}:
            if kind not in {"reset", "button"}:
                form.buttons.append((name, control.get("value") or ""))
        elif kind in IGNORED_INPUTS:
            continue
        elif kind in {"checkbox", "radio"}:
            checked = control.get("checked") is not None
            _add(form, name, kind, control.get("value") or "on", send=checked)
        else:
            _add(form, name, kind, control.get("value") or "", send=True)
    return form


@dataclass
class Page:
    """What a page's HTML tells about the input it takes."""

    forms: list[Form]
    link_parameters: list[str]
    """The query parameters of the links to the page itself (?week=..., ?page=...)."""

    def get_parameters(self) -> list[str]:
        """Every query parameter the page reads, as far as its HTML tells."""
        own = [name for form in self.forms if form.method == "get" for name in form.kinds]
        return list(dict.fromkeys([*own, *self.link_parameters]))


def read_page(html: bytes, page_url: str) -> Page:
    if not html.strip():
        return Page([], [])
    document = lxml.html.document_fromstring(html)
    forms = [_read_form(element, page_url) for element in document.iter("form")]
    path = urlsplit(page_url).path
    parameters: list[str] = []
    for link in document.iter("a"):
        target = urlsplit(urljoin(page_url, link.get("href") or ""))
        if target.path == path and target.query:
            parameters += [name for name, _ in parse_qsl(target.query, keep_blank_values=True)]
    return Page(forms, list(dict.fromkeys(parameters)))


# --- The client --------------------------------------------------------------------------


@dataclass
class Failure:
    method: str
    url: str
    field: str
    value: str
    status: int
    error: str

    def __str__(self) -> str:
        return (
            f"{self.method} {self.url} [{self.field}={describe(self.value)}] -> "
            f"{self.status}: {self.error}"
        )


def _error_of(response: HttpResponseBase) -> str:
    exc_info = getattr(response, "exc_info", None)
    if exc_info and exc_info[1] is not None:
        return f"{type(exc_info[1]).__name__}: {exc_info[1]}"[:500]
    return "(no exception recorded)"


@dataclass
class Crawler:
    """A test client that never raises for a server error but writes it down."""

    client: Client
    failures: list[Failure] = field(default_factory=list)
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    body: bytes = b""
    """The body of the last response, streamed or not."""

    def send(
        self,
        method: str,
        url: str,
        data: Mapping[str, Any] | None = None,
        *,
        what: str = "",
        value: str = "",
        **extra: Any,
    ) -> HttpResponseBase | None:
        """GET or POST in a savepoint that is rolled back; the response, with its
        streamed content read, or None after an exception."""
        self.requests += 1
        self.body = b""
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url, data, **extra)
                else:
                    response = self.client.post(url, data or {}, **extra)
                if response.streaming:
                    # A streamed body fails while it is read, after the view returned.
                    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
                else:
                    body = response.content
                transaction.set_rollback(True)
        except Exception as error:
            self.failures.append(
                Failure(method, url, what, value, 0, f"{type(error).__name__}: {error}"[:500])
            )
            return None
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        self.body = bytes(body)
        if response.status_code >= 500:
            failure = Failure(method, url, what, value, response.status_code, _error_of(response))
            self.failures.append(failure)
        return response

    def get(
        self, url: str, data: Mapping[str, Any] | None = None, *, what: str = "", value: str = ""
    ) -> HttpResponseBase | None:
        return self.send("GET", url, data, what=what, value=value)

    def post(
        self, url: str, data: Mapping[str, Any], *, what: str = "", value: str = ""
    ) -> HttpResponseBase | None:
        return self.send("POST", url, data, what=what, value=value)

    def html(self, response: HttpResponseBase | None) -> bytes:
        """The body of the last response if it was a successful HTML page."""
        if response is None or response.status_code != 200:
            return b""
        if not response.get("Content-Type", "").startswith("text/html"):
            return b""
        return self.body
