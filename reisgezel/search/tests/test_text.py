"""Accent folding: the fast path for Latin text gives what asking unicodedata about
every character gives, for any text."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reisgezel.search.text import FIRST_OTHER_MARK, fold_accents, words


def _folded_per_character(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_below_the_first_other_mark_only_the_latin_block_combines() -> None:
    marks = [c for c in range(FIRST_OTHER_MARK) if unicodedata.combining(chr(c))]
    assert marks == [c for c in range(0x0300, 0x0370) if c != 0x034F]
    assert unicodedata.combining(chr(FIRST_OTHER_MARK))
    assert sys.maxunicode >= FIRST_OTHER_MARK


def test_folds_the_languages_of_the_city() -> None:
    assert fold_accents("Céramique Musée") == "Ceramique Musee"
    assert fold_accents("Sjiëk Mestreechs") == "Sjiek Mestreechs"
    assert fold_accents("Über große Möbel") == "Uber große Mobel"
    assert fold_accents("Ελλάδα") == "Ελλαδα"
    assert words("Ögönyi NAGY, Ēvalds") == ["ogonyi", "nagy", "evalds"]


def test_folds_other_scripts_per_character() -> None:
    hindi = "हिन्दी"  # a virama (U+094D) is a combining mark beyond the Latin block
    assert fold_accents(hindi) == _folded_per_character(hindi)
    assert fold_accents(hindi) != hindi
    assert fold_accents("a\u034fb\u0301") == "a\u034fb"  # the grapheme joiner stays
    assert fold_accents("Café हिन्दी") == "Cafe " + _folded_per_character("हिन्दी")


@given(st.text(max_size=60))
def test_same_as_per_character(text: str) -> None:
    assert fold_accents(text) == _folded_per_character(text)


@given(st.text(alphabet=st.characters(max_codepoint=0x0482), max_size=60))
def test_same_as_per_character_for_latin_greek_cyrillic(text: str) -> None:
    assert fold_accents(text) == _folded_per_character(text)
