"""Text normalisation shared by the search backends: accent folding, tokens, stems.

SQLite's FTS5 has no Dutch stemmer, so in embedded mode we stem in Python (Snowball,
the same algorithms PostgreSQL's `dutch` and `english` configurations use) and index
the stems; queries are stemmed the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
STEM_LANGUAGES = {"nl": "dutch", "en": "english", "de": "german", "fr": "french"}


def fold_accents(text: str) -> str:
    """'Céramique Musée' -> 'Ceramique Musee' (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Lower-cased, accent-folded word tokens."""
    return _WORD.findall(fold_accents(text).lower())


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEM_LANGUAGES.get(language, "dutch"))


def stems(text: str, language: str) -> list[str]:
    """Snowball stems of the tokens of `text` in `language` (nl, en, de, fr)."""
    return list(_stemmer(language).stemWords(tokens(text)))
