"""What finds what: stemming, accents, languages, prefixes, visibility."""

from __future__ import annotations

import pytest

from reisgezel.search.query import matching_object_ids, search
from reisgezel.search.tests.conftest import FakeType
from reisgezel.search.tests.helpers import found

pytestmark = pytest.mark.django_db


def test_dutch_stemming_finds_singular_from_plural_and_back(books: FakeType) -> None:
    books.put(1, nl=("De tentoonstelling van het jaar", "Schilderijen uit Limburg"))
    books.put(2, nl=("Alle tentoonstellingen", "Een overzicht"))
    books.put(3, nl=("Concert", "Muziek in de kerk"))

    assert sorted(found("tentoonstellingen ")) == [1, 2]
    assert sorted(found("tentoonstelling ")) == [1, 2]
    assert found("schilderij ") == [1]


def test_english_stemming(books: FakeType) -> None:
    books.put(1, en=("Exhibition of the year", "Paintings from Limburg"))
    books.put(2, en=("Concert", "Music in the church"))

    assert found("exhibitions ") == [1]
    assert found("painting ") == [1]
    assert found("churches ") == [2]


def test_a_record_is_findable_in_each_of_its_languages(books: FakeType) -> None:
    books.put(
        1,
        nl=("Keramiek uit Maastricht", "Borden en kommen van de Sphinx"),
        en=("Ceramics from Maastricht", "Plates and bowls by the Sphinx factory"),
    )

    assert found("keramiek ") == [1]
    assert found("ceramic ") == [1]
    assert found("kommen ") == [1]
    assert found("bowl ") == [1]


def test_german_and_french_texts_use_their_stemmers(books: FakeType) -> None:
    books.put(
        1, texts={"de": ("Ausstellungen im Museum", ""), "fr": ("Les expositions du musée", "")}
    )

    assert found("ausstellung ") == [1]
    assert found("exposition ") == [1]


def test_accent_folding_both_ways(books: FakeType) -> None:
    books.put(1, nl=("Centre Céramique", "Bibliotheek en museum"))
    books.put(2, texts={"fr": ("Le cafe du coin", "")})

    assert found("ceramique ") == [1]
    assert found("CÉRAMIQUE ") == [1]
    assert found("café ") == [2]


def test_every_word_must_match(books: FakeType) -> None:
    books.put(1, nl=("Jazz in de kelder", ""))
    books.put(2, nl=("Jazz op het plein", ""))

    assert sorted(found("jazz ")) == [1, 2]
    assert found("jazz kelder ") == [1]
    assert found("jazz opera ") == []


def test_the_last_word_being_typed_matches_as_a_prefix(books: FakeType) -> None:
    books.put(1, nl=("Tentoonstelling", ""))

    assert found("tentoon") == [1]
    # A finished word (trailing space) is a word, not a prefix.
    assert found("tentoon ") == []
    # Too short to expand: it would match half the index.
    assert found("te") == []


def test_stop_words_and_names_are_found_as_typed(books: FakeType) -> None:
    books.put(1, nl=("Concert in de Sint-Servaas", "Met het koor van de basiliek"))

    assert found("in de sint servaas") == [1]
    assert found("sint-servaas ") == [1]


def test_body_matches_too(books: FakeType) -> None:
    books.put(1, nl=("Avond", "Een avond vol mosasaurussen en fossielen"))

    assert found("fossiel ") == [1]


def test_non_public_documents_are_hidden(books: FakeType) -> None:
    books.put(1, nl=("Geheime tentoonstelling", ""), public=False)
    books.put(2, nl=("Open tentoonstelling", ""))

    assert found("tentoonstelling ") == [2]
    assert list(matching_object_ids(doc_type="book", text="tentoonstelling")) == [2]
    hidden_too = matching_object_ids(doc_type="book", text="tentoonstelling", public_only=False)
    assert sorted(hidden_too) == [1, 2]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "!!!", "---", "***"])
def test_text_without_words_matches_nothing(books: FakeType, text: str) -> None:
    books.put(1, nl=("Tentoonstelling", ""))

    results = search(text=text, facets=["type"])
    assert results.total == 0
    assert results.hits == []
    assert results.facets == {"type": []}
    assert list(matching_object_ids(doc_type="book", text=text)) == []


def test_doc_types_restrict_and_an_empty_list_matches_nothing(
    books: FakeType, films: FakeType
) -> None:
    books.put(1, nl=("Maastricht in de oorlog", ""))
    films.put(1, nl=("Maastricht bij nacht", ""))

    assert {(h.doc_type, h.object_id) for h in search(text="maastricht").hits} == {
        ("book", 1),
        ("film", 1),
    }
    assert [h.doc_type for h in search(text="maastricht", doc_types=["film"]).hits] == ["film"]
    assert search(text="maastricht", doc_types=[]).total == 0


def test_hits_carry_title_url_and_snippet(books: FakeType) -> None:
    books.put(
        1, nl=("Tentoonstelling", "Over de Maas. " * 40), en=("Exhibition", "About the Meuse.")
    )

    nl_hit = search(text="tentoonstelling", language="nl").hits[0]
    en_hit = search(text="tentoonstelling", language="en").hits[0]

    assert nl_hit.url == "/book/1/"
    assert nl_hit.title == {"nl": "Tentoonstelling", "en": "Exhibition"}
    assert nl_hit.title.get_for("en") == "Exhibition"
    assert nl_hit.title.get_for("de") == "Tentoonstelling"
    assert nl_hit.snippet.startswith("Over de Maas.")
    assert nl_hit.snippet.endswith("…")
    assert len(nl_hit.snippet) < 260
    assert en_hit.snippet == "About the Meuse."


def test_an_unfinished_name_is_found_on_both_backends(books: FakeType) -> None:
    books.put(1, nl=("Mosasaurus hoffmanni", "Het fossiel uit de Sint-Pietersberg"))

    assert found("mosasaur") == [1]
    assert found("Sint-Pietersb") == [1]


def test_a_word_longer_than_forty_letters_is_found_as_written(books: FakeType) -> None:
    # Dutch compounds run long; up to the query's length a word is searched whole, not
    # cut to its first forty letters (which matched only as a prefix, or not at all).
    word = "kindercarnavalsoptochtvoorbereidingswerkzaamhedenoverleg"  # 56 letters
    same_start = word[:40] + "commissie"
    assert len(word) > 40
    books.put(1, nl=(f"Het {word}", "In de Bonbonnière"))
    books.put(2, nl=(f"De {same_start}", "Ook in de Bonbonnière"))

    assert found(word + " ") == [1]
    assert found(word) == [1]
    assert found(f"{word.upper()} bonbonniere ") == [1]
    assert found(same_start + " ") == [2]
