"""The search page keeps what it found (counts, ranked ids) for a short time, never
its texts: a second visitor pays neither the count nor the ranking, and sees every
change of the index at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reisgezel.search.models import SearchDocument
from reisgezel.search.selectors import PER_GROUP, SearchPage, search_page
from reisgezel.search.services import documents_remove
from reisgezel.search.tests.conftest import FakeType

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(books: FakeType, films: FakeType) -> None:
    for object_id in range(1, PER_GROUP + 3):
        books.put(object_id, nl=(f"Boek over de Maas {object_id}", "Een verhaal"))
    films.put(1, nl=("Film over de Maas", "Beelden van de rivier"))


def _shown(page: SearchPage) -> list[tuple[str, int, list[int]]]:
    return [(g.doc_type, g.count, [hit.object_id for hit in g.hits]) for g in page.groups]


def test_a_second_visitor_pays_neither_the_count_nor_the_ranking(catalogue: None) -> None:
    first = search_page(text="maas", language="nl")
    with CaptureQueriesContext(connection) as queries:
        second = search_page(text="maas", language="nl")

    assert _shown(second) == _shown(first)
    assert second.total == first.total == PER_GROUP + 3
    # One query for the texts of every group's documents, nothing else.
    assert len(first.groups) == 2
    assert len(queries.captured_queries) == 1


def test_a_change_of_the_index_is_seen_at_once(books: FakeType, catalogue: None) -> None:
    search_page(text="maas", language="nl")

    books.put(50, nl=("Nog een boek over de Maas", ""), boost=5.0)
    added = search_page(text="maas", language="nl")
    documents_remove(doc_type="book", ids=[50, 1])
    removed = search_page(text="maas", language="nl")

    assert added.total == PER_GROUP + 4
    assert _shown(added)[0][2][0] == 50
    assert removed.total == PER_GROUP + 2
    assert 50 not in _shown(removed)[0][2]
    assert 1 not in _shown(removed)[0][2]


def test_texts_are_read_fresh_and_hidden_documents_left_out(catalogue: None) -> None:
    """Another process may have changed a document after this one found its page (with
    a per-process cache nothing tells this one): the page shows the document as it is."""
    before = search_page(text="maas", language="nl")
    film = SearchDocument.objects.get(doc_type="film", object_id=1)
    film.title = {"nl": "De Maas in beeld"}
    film.save(update_fields=["title"])
    renamed = search_page(text="maas", language="nl")
    SearchDocument.objects.filter(doc_type="book", object_id=2).update(public=False)
    hidden = search_page(text="maas", language="nl")

    assert [h.title.get_for("nl") for h in before.groups[1].hits] == ["Film over de Maas"]
    assert [h.title.get_for("nl") for h in renamed.groups[1].hits] == ["De Maas in beeld"]
    assert 2 in _shown(before)[0][2]
    assert 2 not in _shown(hidden)[0][2]
