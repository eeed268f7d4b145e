"""A user's query reduced to safe words: the only thing the backends ever see of it.

Search boxes receive anything: quotes, FTS5 operators (NEAR, AND, `*`, `-`, `^`),
tsquery syntax, unbalanced parentheses, megabytes of text. We keep letters and digits
only, so every word can be quoted into an FTS5 MATCH expression or handed to
plainto_tsquery without any syntax of its own. Size limits bound the query's cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from reisgezel.search.text import STEM_LANGUAGES, stem_words, words

MAX_QUERY_CHARS = 256
"""What is searched of a longer text: its start. This bounds the cost of everything
after it (folding, stems, the MATCH expression or tsquery), so words themselves are
kept whole: a word cut short would only match as a prefix, or not at all."""
MAX_WORDS = 12
MAX_WORD_BYTES = 2047
"""PostgreSQL's parser drops a longer word from a vector (its MAXSTRLEN: "word is too
long to be indexed"), so no document can hold it there. Such a word, possible only
when folding expands the characters typed, is left out of the query on both backends,
which thus find the same."""
# A shorter last word is not expanded as a prefix: "a*" would match most of the index.
PREFIX_MIN_CHARS = 3


@dataclass(frozen=True)
class QueryTerms:
    """The words of a query; every word must match (as itself, a stem, or a prefix)."""

    words: tuple[str, ...]
    prefix: str | None = None
    """The last word typed, when it may be unfinished (no trailing space): it also
    matches as a prefix, so "tentoon" finds "tentoonstelling"."""

    @cached_property
    def variants(self) -> tuple[frozenset[str], ...]:
        """Per word: the word and its stem in every stemming language.

        The query's language is unknown (a Dutch visitor may type English), so a word
        matches a document if any of its stems is among that document's stems.
        """
        found: list[set[str]] = [{word} for word in self.words]
        for language in STEM_LANGUAGES:
            for alternatives, stem in zip(
                found, stem_words(list(self.words), language), strict=True
            ):
                if stem:
                    alternatives.add(stem)
        return tuple(frozenset(alternatives) for alternatives in found)

    @property
    def text(self) -> str:
        """The folded words as one string (for trigram similarity)."""
        return " ".join(self.words)


def parse_query(text: str) -> QueryTerms | None:
    """The safe words of `text`, or None when nothing searchable is left."""
    text = text[:MAX_QUERY_CHARS]
    typed = [word for word in words(text) if len(word.encode()) <= MAX_WORD_BYTES]
    unique = list(dict.fromkeys(typed))[:MAX_WORDS]
    if not unique:
        return None
    last = typed[-1]
    unfinished = not text[-1].isspace() and len(last) >= PREFIX_MIN_CHARS and last in unique
    return QueryTerms(words=tuple(unique), prefix=last if unfinished else None)
