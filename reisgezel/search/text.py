"""Text normalisation shared by the search backends: accent folding, tokens, stems.

SQLite's FTS5 has no Dutch stemmer, so in embedded mode we stem in Python (Snowball,
the same algorithms PostgreSQL's `dutch` and `english` configurations use) and index
the stems; queries are stemmed the same way.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
STEM_LANGUAGES = {"nl": "dutch", "en": "english", "de": "german", "fr": "french"}


# Below U+0483 the only combining marks are those of the block U+0300-U+036F but for
# the grapheme joiner U+034F (a test checks this against the running Python's Unicode
# tables): text of Latin, Greek and Cyrillic letters folds with one simple character
# class, several times faster than asking unicodedata about every character, which
# other scripts still do.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")
_BEYOND_LATIN = re.compile("[^\x00-\u0482]")
FIRST_OTHER_MARK = 0x0483


def fold_accents(text: str) -> str:
    """'Céramique Musée' -> 'Ceramique Musee' (NFKD, combining marks dropped)."""
    if text.isascii():  # nothing to fold; the common case, and indexing folds a lot
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    if _BEYOND_LATIN.search(decomposed) is None:
        return _LATIN_MARKS.sub("", decomposed)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Lower-cased, accent-folded word tokens."""
    return _WORD.findall(fold_accents(text).lower())


_local = threading.local()


def _stemmer(language: str) -> snowballstemmer.stemmer:
    # A Snowball stemmer keeps its working state on the instance, so threads (the
    # task worker, threaded app servers) each get their own.
    stemmers: dict[str, snowballstemmer.stemmer] = _local.__dict__.setdefault("stemmers", {})
    algorithm = STEM_LANGUAGES.get(language, "dutch")
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


def stems(text: str, language: str) -> list[str]:
    """Snowball stems of the tokens of `text` in `language` (nl, en, de, fr)."""
    return list(_stemmer(language).stemWords(tokens(text)))


# Letters and digits only: underscores separate words, as in FTS5's unicode61
# tokenizer and PostgreSQL's parser, so both backends see the same words we do.
_INDEX_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words of `text`: the unit both indexes store and match."""
    return _INDEX_WORD.findall(fold_accents(text).lower())


def stem_words(word_list: list[str], language: str) -> list[str]:
    """The Snowball stem of each word (already folded, see `words`) in `language`."""
    return [_stem(word, language) for word in word_list]


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    # The pure-Python stemmers manage ~10,000 words a second; words repeat a lot
    # (Zipf), so a reindex spends its time here without this cache.
    return str(_stemmer(language).stemWord(word))
