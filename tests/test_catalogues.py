"""The Dutch catalogue is complete: Dutch is the site's default language."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "reisgezel" / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _untranslated() -> list[str]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="nl")
    missing = []
    for message in catalogue:
        if not message.id:
            continue  # the header
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(texts):
            missing.append(str(message.id))
    return missing


def test_every_dutch_message_is_translated() -> None:
    missing = _untranslated()
    assert not missing, f"{len(missing)} untranslated or fuzzy in nl: {missing[:10]}"
