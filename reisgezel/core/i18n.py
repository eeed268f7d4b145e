"""Multilingual content: language maps with a fallback to Dutch.

A translated field stores a JSON object {"nl": "...", "en": "...", ...}: the same shape
as a IIIF / JSON-LD language map, so interop can hand it over unchanged. Dutch is the
source language and always present (a database check enforces it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation

SOURCE_LANGUAGE = "nl"


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class LanguageMap(dict[str, str]):
    """A dict of language code -> text whose str() is the text in the active language."""

    def get_for(self, language: str | None = None) -> str:
        """The text in `language` (default: the active one), else Dutch, else any."""
        lang = (language or translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
        for candidate in (lang, SOURCE_LANGUAGE, *self.keys()):
            value = self.get(candidate)
            if value:
                return value
        return ""

    def language_of(self, language: str | None = None) -> str:
        """The language code that get_for() would answer in (for a lang= attribute)."""
        lang = (language or translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
        for candidate in (lang, SOURCE_LANGUAGE, *self.keys()):
            if self.get(candidate):
                return candidate
        return SOURCE_LANGUAGE

    def is_fallback(self, language: str | None = None) -> bool:
        lang = (language or translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
        return self.language_of(lang) != lang

    def __str__(self) -> str:
        return self.get_for()

    def __html__(self) -> str:
        from django.utils.html import conditional_escape

        return str(conditional_escape(self.get_for()))

    def all_texts(self) -> Iterable[tuple[str, str]]:
        return ((lang, text) for lang, text in self.items() if text)


def language_map(value: Any) -> LanguageMap:
    """Coerce a stored value (dict, plain string, None) into a LanguageMap."""
    if isinstance(value, LanguageMap):
        return value
    if value is None:
        return LanguageMap()
    if isinstance(value, str):
        return LanguageMap({SOURCE_LANGUAGE: value}) if value else LanguageMap()
    if isinstance(value, Mapping):
        return LanguageMap(
            {str(k): str(v).strip() for k, v in value.items() if v is not None and str(v).strip()}
        )
    raise TypeError(f"Cannot make a language map of {type(value).__name__}")
