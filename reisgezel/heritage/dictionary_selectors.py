"""Reads of the dialect dictionary: search in both directions, browse by letter, entries.

Both directions go through the search index: "dialect_word" documents hold the
Mestreechs lemma, its spelling variants and plural; "dialect_meaning" documents the
Dutch and English meanings and example translations (see heritage/search.py). Words
are accent-folded on both sides, so "sjiek" finds "sjiëk" and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from reisgezel.heritage.exhibit_media import without_hidden_audio, without_hidden_media
from reisgezel.heritage.models import DialectEntry, Exhibit, HeritageObject
from reisgezel.heritage.search import MEANING_DOC_TYPE, WORD_DOC_TYPE
from reisgezel.heritage.selectors import images_prefetch
from reisgezel.search.query import matching_object_ids, rank_annotation
from reisgezel.search.text import fold_accents

RESULTS_LIMIT = 50
OTHER_LETTER = "#"
"""Browse group of lemmas that do not start with a letter a-z (after folding)."""


class Direction:
    BOTH = "both"
    FROM_DIALECT = "dialect"
    TO_DIALECT = "meaning"
    ALL = (BOTH, FROM_DIALECT, TO_DIALECT)


@dataclass
class DictionaryResults:
    text: str
    words: list[DialectEntry] = field(default_factory=list)
    """Entries whose Mestreechs lemma or variants match (Mestreechs -> meanings)."""
    meanings: list[DialectEntry] = field(default_factory=list)
    """Entries whose Dutch or English meanings match (Dutch/English -> Mestreechs)."""

    @property
    def count(self) -> int:
        return len({e.pk for e in self.words} | {e.pk for e in self.meanings})


def public_entries() -> QuerySet[DialectEntry]:
    return DialectEntry.objects.filter(is_public=True)


def _matching(doc_type: str, text: str) -> list[DialectEntry]:
    # Meaning documents are never public (so the site-wide search lists an entry once),
    # hence public_only=False; the entry's own is_public decides.
    ids = matching_object_ids(doc_type=doc_type, text=text, public_only=False)
    entries = (
        public_entries()
        .filter(pk__in=ids)
        .annotate(relevance=rank_annotation(doc_type=doc_type, text=text))
        .prefetch_related("senses")
        .order_by("-relevance", "lemma")
    )
    return list(entries[:RESULTS_LIMIT])


def dictionary_search(*, text: str, direction: str = Direction.BOTH) -> DictionaryResults:
    results = DictionaryResults(text=text)
    if not text.strip():
        return results
    if direction in (Direction.BOTH, Direction.FROM_DIALECT):
        results.words = _matching(WORD_DOC_TYPE, text)
    if direction in (Direction.BOTH, Direction.TO_DIALECT):
        results.meanings = _matching(MEANING_DOC_TYPE, text)
    return results


def initial(lemma: str) -> str:
    """The browse letter of a lemma: "'t Hoes" -> "H", "èèrpel" -> "E", "1e" -> "#"."""
    for char in fold_accents(lemma).upper():
        if char.isalpha():
            return char if "A" <= char <= "Z" else OTHER_LETTER
        if char.isdigit():
            return OTHER_LETTER
    return OTHER_LETTER


def letters() -> list[tuple[str, int]]:
    """Browse letters with their number of public entries, A-Z then "#"."""
    counts: dict[str, int] = {}
    for lemma in public_entries().values_list("lemma", flat=True).iterator():
        letter = initial(lemma)
        counts[letter] = counts.get(letter, 0) + 1
    return sorted(counts.items(), key=lambda item: (item[0] == OTHER_LETTER, item[0]))


def entries_for_letter(letter: str) -> list[DialectEntry]:
    """Public entries under a browse letter, in alphabetical order of the folded lemma.

    Grouping needs accent folding, which neither database does the same way, so it is
    done here over the lemmas alone; the dictionary has thousands of entries, not
    millions.
    """
    wanted = [
        pk
        for pk, lemma in public_entries().values_list("pk", "lemma").iterator()
        if initial(lemma) == letter
    ]
    entries = public_entries().filter(pk__in=wanted).prefetch_related("senses")
    return sorted(entries, key=lambda e: (fold_accents(e.lemma).casefold(), e.lemma))


def entry_get_public(*, slug: str) -> DialectEntry | None:
    entry = (
        public_entries()
        .filter(slug=slug)
        .select_related("audio__object")
        .prefetch_related(
            "senses",
            "examples",
            Prefetch(
                "related_objects",
                queryset=HeritageObject.objects.filter(is_public=True)
                .select_related("collection")
                .prefetch_related(images_prefetch()),
                to_attr="public_objects",
            ),
            Prefetch(
                "related_exhibits",
                queryset=Exhibit.objects.filter(is_public=True).select_related("cover__object"),
                to_attr="public_exhibits",
            ),
        )
        .first()
    )
    if entry is not None:
        without_hidden_audio(entry)
        exhibits: list[Exhibit] = getattr(entry, "public_exhibits", [])
        without_hidden_media(exhibits)
    return entry
