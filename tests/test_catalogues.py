"""The catalogues are complete and keep every placeholder.

Dutch is the site's default language; German and French are offered on every page
(staff and partner pages too since 2026-11-29). A message with a placeholder the
translation lost or misspelt raises KeyError when it is rendered: a server error in
one language only, so it is checked here for all three.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "reisgezel" / "locale"
LANGUAGES = ("nl", "de", "fr")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]")


def _catalogue(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _forms(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def _messages(lang: str) -> list[Message]:
    return [message for message in _catalogue(lang) if message.id]  # not the header


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    missing = [str(m.id) for m in _messages(lang) if m.fuzzy or not all(_forms(m.string))]
    assert not missing, f"{len(missing)} untranslated or fuzzy in {lang}: {missing[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = []
    for message in _messages(lang):
        sources = _forms(message.id)
        wanted = {p for source in sources for p in PLACEHOLDER.findall(source)}
        for index, form in enumerate(_forms(message.string)):
            found = set(PLACEHOLDER.findall(form))
            # The singular of a plural may say "one" instead of the count.
            may_omit = index == 0 and len(sources) > 1
            if found - wanted or (wanted - found and not may_omit):
                wrong.append((str(sources[0]), form))
    assert not wrong, f"{len(wrong)} in {lang}: {wrong[:5]}"
