"""Template helpers for multilingual content; registered as a builtin."""

from __future__ import annotations

from typing import Any

from django import template

from reisgezel.core.i18n import language_map

register = template.Library()


@register.filter
def translated(value: Any, language: str | None = None) -> str:
    """{{ obj.title|translated }} or {{ obj.title|translated:"en" }}: text with Dutch fallback."""
    return language_map(value).get_for(language)


@register.filter
def content_lang(value: Any) -> str:
    """The language the text is shown in, for a lang="" attribute when it fell back."""
    return language_map(value).language_of()
