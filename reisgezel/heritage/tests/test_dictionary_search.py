"""The dialect dictionary through the search index: Mestreechs -> meanings (lemma and
variants, accents folded) and Dutch/English -> Mestreechs (meanings), browse letters."""

from __future__ import annotations

import pytest
from django.test import Client

from reisgezel.heritage.dictionary_selectors import (
    Direction,
    dictionary_search,
    entries_for_letter,
    initial,
    letters,
)
from reisgezel.heritage.tests.test_pages_world import World, heritage_world, page
from reisgezel.search.query import search

pytestmark = pytest.mark.django_db
__all__ = ["heritage_world"]


def words(text: str, direction: str = Direction.BOTH) -> tuple[list[str], list[str]]:
    results = dictionary_search(text=text, direction=direction)
    return [e.slug for e in results.words], [e.slug for e in results.meanings]


@pytest.mark.parametrize("typed", ["sjiek", "sjiëk", "SJIEK", "chique", "sji"])
def test_mestreechs_words_are_found_with_or_without_accents(
    heritage_world: World, typed: str
) -> None:
    found, _meanings = words(typed, Direction.FROM_DIALECT)
    assert found == ["sjiek"]


def test_accented_lemma_is_found_by_plain_letters(heritage_world: World) -> None:
    assert words("eerpel")[0] == ["eerpel"]
    assert words("èèrpel")[0] == ["eerpel"]


def test_dutch_and_english_words_find_entries_by_their_meanings(heritage_world: World) -> None:
    assert words("huis") == ([], ["hoes"])  # the hidden entry also means "verborgen huis"
    assert words("house") == ([], ["hoes"])
    assert words("aardappel", Direction.TO_DIALECT) == ([], ["eerpel"])
    assert words("potatoes", Direction.TO_DIALECT) == ([], ["eerpel"])  # English stem
    assert words("taart") == ([], ["vlaai"])


def test_each_direction_only_searches_its_side(heritage_world: World) -> None:
    assert words("huis", Direction.FROM_DIALECT) == ([], [])
    assert words("hoes", Direction.TO_DIALECT) == ([], [])
    both = dictionary_search(text="vlaai")
    assert [e.slug for e in both.words] == [e.slug for e in both.meanings] == ["vlaai"]
    assert both.count == 1


def test_hidden_entries_are_never_found(heritage_world: World) -> None:
    assert words("geheimwoord") == ([], [])
    assert words("verborgen") == ([], [])


def test_the_site_search_lists_an_entry_once_as_a_word(heritage_world: World) -> None:
    result = search(text="hoes", doc_types=["dialect_word", "dialect_meaning"])
    assert [hit.title.get_for("nl") for hit in result.hits] == ["hoes"]
    assert search(text="aardappel", doc_types=["dialect_meaning"]).total == 0  # not public


def test_browse_letters_fold_accents_and_skip_hidden_entries(heritage_world: World) -> None:
    assert letters() == [("E", 1), ("H", 1), ("S", 1), ("V", 1)]
    assert [e.slug for e in entries_for_letter("E")] == ["eerpel"]
    assert entries_for_letter("G") == []
    assert initial("'ne") == "N"  # the apostrophe of a clipped word is skipped
    assert initial("èèrpel") == "E"
    assert initial("ĳs") == "I"
    assert initial("1e") == "#"
    assert initial("ßa") == "S"


def test_dictionary_page_shows_both_directions(client: Client, heritage_world: World) -> None:
    html = client.get(page("heritage:dictionary", "en") + "?q=vlaai").content.decode()
    assert "1 entry for “vlaai”" in html
    assert html.count(f'href="{page("heritage:word", "en", slug="vlaai")}"') == 2
    html = client.get(
        page("heritage:dictionary", "en") + "?q=house&direction=meaning"
    ).content.decode()
    assert "Mestreechs words</h2>" not in html
    assert page("heritage:word", "en", slug="hoes") in html
