"""Sections that a higher app adds to a lower app's page.

The import layers let a page show only what its own app and those below it know: the
place page cannot ask the agenda what is on there, the object page cannot ask the stories
app which residents wrote about the object. Instead the higher app registers a *section
provider* for a page ("place", "heritage.object", "agenda.event"): a function of the
page's record that returns a template and its context, or None. The page renders every
section it gets, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string


@dataclass(frozen=True)
class PageSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


SectionProvider = Callable[[Any], PageSection | None]
_PROVIDERS: dict[str, dict[str, SectionProvider]] = {}


def section_register(page: str, name: str, provider: SectionProvider) -> None:
    """Register (or replace) the section `name` of `page`. Idempotent per name."""
    _PROVIDERS.setdefault(page, {})[name] = provider


def sections_of(page: str, record: Any) -> list[PageSection]:
    """The sections the registered providers give for this record, in order."""
    providers = _PROVIDERS.get(page, {}).values()
    sections = [s for provider in providers if (s := provider(record)) is not None]
    return sorted(sections, key=lambda s: s.order)


def rendered_sections(
    page: str, record: Any, *, request: HttpRequest, name: str = "record"
) -> list[str]:
    """Each section rendered with its context plus the record under `name`."""
    return [
        render_to_string(section.template, {name: record, **section.context}, request=request)
        for section in sections_of(page, record)
    ]
