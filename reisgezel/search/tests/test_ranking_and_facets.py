"""Order of hits, boost, and facet counts over the whole match set."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reisgezel.search.backends import get_backend
from reisgezel.search.models import SearchDocument, SearchFacet
from reisgezel.search.query import TYPE_FACET, search
from reisgezel.search.terms import parse_query
from reisgezel.search.tests.conftest import FakeType
from reisgezel.search.tests.helpers import found

pytestmark = pytest.mark.django_db


def test_a_title_match_ranks_above_a_body_match(books: FakeType) -> None:
    books.put(1, nl=("Avond in de stad", "Met een lezing over de mosasaurus en andere fossielen"))
    books.put(2, nl=("Fossielen zoeken", "Een avond in het museum met andere verhalen"))

    assert found("fossiel ") == [2, 1]


def test_boost_lifts_an_otherwise_equal_document(books: FakeType) -> None:
    books.put(1, nl=("Orgelconcert", "In de kerk"))
    books.put(2, nl=("Orgelconcert", "In de kerk"), boost=3.0)
    books.put(3, nl=("Orgelconcert", "In de kerk"))

    assert found("orgelconcert ")[0] == 2
    ranks = [hit.rank for hit in search(text="orgelconcert ").hits]
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] == pytest.approx(3 * ranks[1])


def test_limit_and_offset_page_through_the_ranking(books: FakeType) -> None:
    for object_id in range(1, 8):
        books.put(object_id, nl=("Stadswandeling", ""), boost=float(object_id))

    first = search(text="stadswandeling", limit=3)
    second = search(text="stadswandeling", limit=3, offset=3)

    assert first.total == second.total == 7
    assert [h.object_id for h in first.hits] == [7, 6, 5]
    assert [h.object_id for h in second.hits] == [4, 3, 2]
    assert search(text="stadswandeling", limit=0).hits == []


def _museum_catalogue(books: FakeType, films: FakeType) -> None:
    books.put(1, nl=("Maas en Mergel", ""), facets={"theme": ["river", "geology"], "lang": ["nl"]})
    books.put(2, nl=("De Maas in beeld", ""), facets={"theme": ["river"], "lang": ["nl", "en"]})
    books.put(3, nl=("Mergelgrotten", ""), facets={"theme": ["geology"], "lang": ["en"]})
    books.put(4, nl=("Maas verborgen", ""), facets={"theme": ["river"]}, public=False)
    films.put(1, nl=("Langs de Maas", ""), facets={"theme": ["river", "film"]})


def test_facet_counts_cover_all_matches_not_just_the_page(books: FakeType, films: FakeType) -> None:
    _museum_catalogue(books, films)

    results = search(text="maas", facets=["theme", "lang", TYPE_FACET], limit=1)

    assert results.total == 3
    assert len(results.hits) == 1
    assert results.facets["theme"] == [("river", 3), ("film", 1), ("geology", 1)]
    assert results.facets["lang"] == [("nl", 2), ("en", 1)]
    assert results.facets[TYPE_FACET] == [("book", 2), ("film", 1)]


def test_filters_and_disjunctive_facet_counts(books: FakeType, films: FakeType) -> None:
    _museum_catalogue(books, films)

    results = search(text="maas", filters={"lang": ["en"]}, facets=["theme", "lang", TYPE_FACET])

    # The hits and the other facets have the filter applied...
    assert [(h.doc_type, h.object_id) for h in results.hits] == [("book", 2)]
    assert results.total == 1
    assert results.facets["theme"] == [("river", 1)]
    assert results.facets[TYPE_FACET] == [("book", 1)]
    # ...the filtered facet counts as if its own filter were not there.
    assert results.facets["lang"] == [("nl", 2), ("en", 1)]


def test_values_of_one_facet_are_ored_and_facets_anded(books: FakeType, films: FakeType) -> None:
    _museum_catalogue(books, films)

    either = search(text="maas", filters={"theme": ["geology", "film"]})
    both = search(text="maas", filters={"theme": ["river"], "lang": ["nl"]})
    ignored = search(text="maas", filters={"theme": []})

    assert {(h.doc_type, h.object_id) for h in either.hits} == {("book", 1), ("film", 1)}
    assert {h.object_id for h in both.hits} == {1, 2}
    assert ignored.total == 3


def test_doc_types_are_the_type_facets_filter(books: FakeType, films: FakeType) -> None:
    _museum_catalogue(books, films)

    results = search(text="maas", doc_types=["film"], facets=[TYPE_FACET, "theme"])

    assert results.total == 1
    assert results.facets[TYPE_FACET] == [("book", 2), ("film", 1)]
    assert results.facets["theme"] == [("film", 1), ("river", 1)]


def test_the_total_is_that_of_the_chosen_types(books: FakeType, films: FakeType) -> None:
    _museum_catalogue(books, films)

    everything = search(text="maas", facets=[TYPE_FACET])
    both = search(text="maas", doc_types=["book", "film"], facets=[TYPE_FACET])
    films_only = search(text="maas", doc_types=["film"], facets=[TYPE_FACET], limit=5)

    assert everything.total == both.total == 3
    assert films_only.total == 1
    assert [(h.doc_type, h.object_id) for h in films_only.hits] == [("film", 1)]
    assert (
        films_only.facets[TYPE_FACET]
        == everything.facets[TYPE_FACET]
        == [
            ("book", 2),
            ("film", 1),
        ]
    )


def test_a_known_total_is_not_counted_again(books: FakeType, films: FakeType) -> None:
    _museum_catalogue(books, films)

    with CaptureQueriesContext(connection) as queries:
        results = search(text="maas", doc_types=["book"], similar_titles=False, total_known=2)

    assert results.total == 2
    assert {h.object_id for h in results.hits} == {1, 2}
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_facet_values_are_stored_once_per_document(books: FakeType) -> None:
    books.put(1, nl=("Maas", ""), facets={"theme": ["river", "river", "geology"]})

    rows = SearchFacet.objects.filter(document__object_id=1).values_list("name", "value")
    assert sorted(rows) == [("theme", "geology"), ("theme", "river")]


def test_a_plain_ranking_of_public_documents_is_the_filtered_one(
    books: FakeType, films: FakeType
) -> None:
    _museum_catalogue(books, films)
    for object_id in range(10, 22):  # ties, boosts, hidden ones, both types
        kind = books if object_id % 3 else films
        kind.put(
            object_id,
            nl=(f"Maas {'en Mergel' if object_id % 2 else ''}", "langs de maas en de mergel"),
            boost=1.5 if object_id % 4 == 0 else 1.0,
            public=object_id % 5 != 0,
        )
    backend = get_backend()
    public = SearchDocument.objects.filter(public=True)
    compared = 0
    for text in ["maas", "mergel ", "maas mer", "langs"]:
        terms = parse_query(text)
        assert terms is not None
        for doc_types in (None, ["book"], ["film"], ["book", "film"]):
            documents = public.filter(backend.match(terms))
            if doc_types is not None:
                documents = documents.filter(backend.column_in("doc_type", doc_types))
            for offset, limit in ((0, 5), (3, 4), (0, 100)):
                plain = backend.ranked_public(
                    terms, doc_types=doc_types, offset=offset, limit=limit
                )
                filtered = backend.ranked(documents, terms, fuzzy=False, offset=offset, limit=limit)
                assert plain == filtered, (text, doc_types, offset)
                compared += len(plain)
    assert compared > 100
