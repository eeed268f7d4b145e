"""PostgreSQL's typo fallback: trigram similarity of titles when full text finds too little."""

from __future__ import annotations

import pytest
from django.db import connection

from reisgezel.search.query import FUZZY_BELOW, matching_object_ids, search
from reisgezel.search.tests.conftest import FakeType

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm needs PostgreSQL"),
]


@pytest.fixture
def museum(books: FakeType) -> FakeType:
    books.put(1, nl=("Keramiek uit Maastricht", "Borden van de Sphinx"))
    books.put(2, nl=("Mosasaurus hoffmanni", "Het fossiel uit de Sint-Pietersberg"))
    books.put(3, nl=("Orgelconcert", "In de basiliek"))
    return books


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("keramik", 1),
        ("keramik maastricht", 1),
        ("mosasaurs", 2),
        ("mossasaurus", 2),
        ("orgelkoncert", 3),
    ],
)
def test_a_misspelled_title_word_still_finds_the_record(
    museum: FakeType, typo: str, expected: int
) -> None:
    results = search(text=typo + " ")

    assert results.fuzzy
    assert [hit.object_id for hit in results.hits][:1] == [expected]
    assert results.hits[0].fuzzy
    assert list(matching_object_ids(doc_type="book", text=typo + " ")) == [expected]
    assert list(matching_object_ids(doc_type="book", text=typo + " ", typo_tolerant=False)) == []


def test_full_text_matches_come_before_similar_titles(museum: FakeType) -> None:
    museum.put(4, nl=("Lezing", "Over keramiek en porselein"))

    results = search(text="keramiek ")

    # Two real matches (< FUZZY_BELOW): similar titles may join, real matches first.
    assert FUZZY_BELOW > 2
    assert [hit.object_id for hit in results.hits][:2] == [1, 4]
    assert not any(hit.fuzzy for hit in results.hits[:2])


def test_no_fallback_when_full_text_finds_enough(museum: FakeType) -> None:
    for object_id in range(10, 10 + FUZZY_BELOW):
        museum.put(object_id, nl=("Keramiek", ""))
    museum.put(99, nl=("Keramik", ""))  # a similar title that full text does not match

    results = search(text="keramiek ")

    assert not results.fuzzy
    assert 99 not in [hit.object_id for hit in results.hits]


def test_unrelated_text_stays_unmatched(museum: FakeType) -> None:
    assert search(text="xylofoon ").total == 0
    assert list(matching_object_ids(doc_type="book", text="xylofoon ")) == []
