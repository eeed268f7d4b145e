"""The search page and the reindex command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reisgezel.search.models import SearchDocument
from reisgezel.search.query import FUZZY_BELOW
from reisgezel.search.selectors import PER_GROUP, PER_PAGE, SearchPage, search_page
from reisgezel.search.tests.conftest import FakeType

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(books: FakeType, films: FakeType) -> None:
    for object_id in range(1, PER_GROUP + 3):
        books.put(
            object_id,
            nl=(f"Boek over de Maas {object_id}", "Een verhaal"),
            en=(f"Book {object_id}", ""),
        )
    films.put(1, nl=("Film over de Maas", "Beelden van de rivier"))


def _url(**params: str) -> str:
    with translation.override("nl"):
        return reverse("search:results") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_results_are_grouped_by_type_with_counts(client: Client, catalogue: None) -> None:
    response = client.get(_url(q="maas"))

    assert response.status_code == 200
    page = response.context["search"]
    assert page.total == PER_GROUP + 3
    assert [(g.doc_type, g.count, len(g.hits)) for g in page.groups] == [
        ("book", PER_GROUP + 2, PER_GROUP),
        ("film", 1, 1),
    ]
    html = response.content.decode()
    assert "Boek over de Maas" in html
    assert "Film over de Maas" in html
    assert "?q=maas&amp;type=book" in html
    assert 'role="search"' in html


def test_one_type_is_paged(client: Client, books: FakeType) -> None:
    for object_id in range(1, PER_PAGE + 6):
        books.put(object_id, nl=(f"Kerk {object_id}", ""))

    first = client.get(_url(q="kerk", type="book")).context["search"]
    second = client.get(_url(q="kerk", type="book", page="2")).context["search"]
    beyond = client.get(_url(q="kerk", type="book", page="99")).context["search"]

    assert (first.page, first.num_pages, len(first.groups[0].hits)) == (1, 2, PER_PAGE)
    assert (second.page, len(second.groups[0].hits)) == (2, 5)
    assert beyond.page == 2


def _shown(page: SearchPage) -> dict[str, tuple[int, int | None, list[int]]]:
    """Per type: (the group's count, its chip's count, the object ids it shows)."""
    chips = {chip.doc_type: chip.count for chip in page.types}
    return {
        group.doc_type: (group.count, chips.get(group.doc_type), [h.object_id for h in group.hits])
        for group in page.groups
    }


def test_a_group_shows_what_its_chip_counts(
    client: Client, books: FakeType, films: FakeType
) -> None:
    # Enough books match for the whole search not to need the typo fallback; the one
    # film that matches is too few on its own, and a similar title ("Keramik") waits.
    for object_id in range(1, FUZZY_BELOW + 2):
        books.put(object_id, nl=(f"Keramiek {object_id}", ""))
    films.put(1, nl=("Keramiek op film", ""))
    films.put(2, nl=("Keramik", "Een film over aardewerk"))

    overview = client.get(_url(q="keramiek")).context["search"]
    one_type = client.get(_url(q="keramiek", type="film")).context["search"]

    assert not overview.fuzzy  # no notice: similar titles must not be shown either
    assert _shown(overview)["film"] == (1, 1, [1])
    assert _shown(one_type) == {"film": (1, 1, [1])}
    assert one_type.num_pages == 1


def test_similar_titles_come_with_the_notice_in_every_group(
    client: Client, books: FakeType, films: FakeType
) -> None:
    books.put(1, nl=("Keramiek uit Maastricht", ""))
    films.put(1, nl=("Keramiek", ""))
    films.put(2, nl=("Orgelconcert", ""))

    for url in (_url(q="keramik"), _url(q="keramik", type="film")):
        page = client.get(url).context["search"]
        # PostgreSQL falls back to similar titles (with the notice), SQLite finds none.
        assert page.fuzzy == (connection.vendor == "postgresql")
        for count, chip, _ids in _shown(page).values():
            assert count == chip
        hits = [hit.object_id for group in page.groups for hit in group.hits if hit.fuzzy]
        similar = [1] if "type=" in url else [1, 1]  # the book's and the film's
        assert hits == (similar if page.fuzzy else [])


def test_titles_show_in_the_visitors_language(client: Client, catalogue: None) -> None:
    with translation.override("en"):
        url = reverse("search:results") + "?q=maas&type=book"
    html = client.get(url).content.decode()

    assert "Book 1" in html
    assert 'lang="en"' in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=",
        "q=%20%20",
        "q=maas&type=nonsense",
        "q=maas&page=abc",
        "q=maas&page=-3",
        "q=" + "x" * 500,
    ],
)
def test_odd_query_strings_render(client: Client, catalogue: None, query: str) -> None:
    with translation.override("nl"):
        url = reverse("search:results") + "?" + query
    assert client.get(url).status_code == 200


def test_empty_search_shows_the_form_only(catalogue: None) -> None:
    page = search_page(text="   ")
    assert not page.searched
    assert page.groups == []


def test_reindex_command_for_one_type(books: FakeType, films: FakeType) -> None:
    books.put(1, nl=("Maas", ""), index=False)
    books.put(2, nl=("Maas", ""), index=False)
    films.put(1, nl=("Maas", ""), index=False)
    out, err = StringIO(), StringIO()

    call_command("search_reindex", "--type", "book", stdout=out, stderr=err)

    assert "book: 2 indexed, 0 stale removed" in out.getvalue()
    assert "book" in err.getvalue()  # the progress bar
    assert sorted(SearchDocument.objects.values_list("doc_type", "object_id")) == [
        ("book", 1),
        ("book", 2),
    ]


def test_reindex_command_for_everything(books: FakeType, films: FakeType) -> None:
    books.put(1, nl=("Maas", ""), index=False)
    films.put(1, nl=("Maas", ""), index=False)

    call_command("search_reindex", verbosity=0, stdout=StringIO(), stderr=StringIO())

    assert sorted(SearchDocument.objects.values_list("doc_type", flat=True)) == ["book", "film"]


def test_reindex_command_refuses_unknown_types(books: FakeType) -> None:
    with pytest.raises(CommandError, match="nope"):
        call_command("search_reindex", "--type", "nope", stdout=StringIO(), stderr=StringIO())


def test_the_matches_are_counted_once_per_page(client: Client, catalogue: None) -> None:
    """A common word matches most of a large index, and each count reads every match:
    the overview counts them once, by type, and its groups and the type page take
    their counts from it."""
    for params in ({"q": "maas"}, {"q": "maas", "type": "book"}):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(_url(**params)).context["search"]
        counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counting) == 1, counting
        assert page.groups[0].count == PER_GROUP + 2
