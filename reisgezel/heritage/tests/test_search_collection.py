"""The collection search: text through the search index, disjunctive facet counts, the
period filter, every sort order, and keyset pages walked forwards and backwards in both
query plans. Hidden and deleted objects are in no result and no count."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client

from reisgezel.heritage import collection_query
from reisgezel.heritage.collection_selectors import CollectionResult, collection_search
from reisgezel.heritage.filters import CollectionFilterForm, Cursor, Sort
from reisgezel.heritage.models import HeritageObject
from reisgezel.heritage.search import inventory_key, period_keys, title_key
from reisgezel.heritage.tests.test_pages_world import World, heritage_world, page, reindex
from reisgezel.search.models import SearchDocument
from tests.heritage_factories import ObjectFactory

pytestmark = pytest.mark.django_db
__all__ = ["heritage_world"]


@pytest.fixture(autouse=True, params=["sql", "memory"])
def counting(request: pytest.FixtureRequest, settings: Any) -> Iterator[str]:
    """Every test counts both ways: in SQL, and from the facet rows in memory (which a
    collection of a few objects would not use by itself)."""
    from reisgezel.heritage import collection_memory

    collection_memory.forget()
    in_memory = request.param == "memory"
    settings.HERITAGE = {**settings.HERITAGE, "FACET_MEMORY": in_memory, "FACET_MEMORY_FROM": 0}
    yield str(request.param)
    collection_memory.forget()


def run(lang: str = "nl", **params: Any) -> CollectionResult:
    form = CollectionFilterForm(QueryDict(urlencode(params, doseq=True)))
    assert form.is_valid(), form.errors
    return collection_search(form.filters(), language=lang)


def pids(result: CollectionResult) -> list[str]:
    return [card.object.pid for card in result.items]


def counts(result: CollectionResult, facet: str) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[facet]}


def test_everything_public_is_counted_and_nothing_else(heritage_world: World) -> None:
    result = run()
    assert result.total == 7  # 8 objects, one hidden; the deleted one is gone
    assert counts(result, "collection") == {"ceramics": 4, "natural-history": 3}
    assert counts(result, "material") == {"aardewerk": 3, "porselein": 2}
    assert counts(result, "maker") == {"sphinx": 2, "mosa": 2, "petrus-regout": 1}
    assert counts(result, "type") == {"bord": 2, "tegel": 1, "vaas": 1}
    assert counts(result, "technique") == {"drukdecor": 2}
    assert counts(result, "place") == {"Maastricht": 3, "Delft": 1}
    assert counts(result, "image") == {"1": 2}  # the hidden object's image is not counted
    assert counts(result, "reusable") == {"1": 6}  # the vase is in copyright
    labels = {v.value: v.label for v in result.facets["material"]}
    assert labels["aardewerk"].get_for("nl") == "aardewerk"
    assert labels["porselein"].get_for("en") == "porcelain"


def test_every_object_document_has_the_shared_boost(heritage_world: World) -> None:
    # The SQLite ranking of known matches multiplies by OBJECT_BOOST instead of reading
    # each document's boost: a document with another boost would be ranked wrongly.
    from reisgezel.heritage.services import OBJECT_BOOST, OBJECT_DOC_TYPE

    documents = SearchDocument.objects.filter(doc_type=OBJECT_DOC_TYPE)
    assert documents.exists()
    assert set(documents.values_list("boost", flat=True)) == {OBJECT_BOOST}


def test_a_facet_ignores_its_own_filter(heritage_world: World) -> None:
    result = run(material="aardewerk")
    assert result.total == 3
    assert set(pids(result)) == {"cc-plate", "cc-tile", "cc-cup"}
    # Disjunctive: the other material keeps its count over everything else's filters.
    assert counts(result, "material") == {"aardewerk": 3, "porselein": 2}
    assert [v.selected for v in result.facets["material"]] == [True, False]
    assert counts(result, "maker") == {"sphinx": 2, "mosa": 1, "petrus-regout": 1}
    assert counts(result, "collection") == {"ceramics": 3}

    both = run(material=["aardewerk", "porselein"])  # values of one facet: OR
    assert both.total == 4


def test_two_facets_count_each_other_but_not_themselves(heritage_world: World) -> None:
    result = run(material="aardewerk", maker="mosa")
    assert pids(result) == ["cc-cup"]
    assert counts(result, "maker") == {"sphinx": 2, "mosa": 1, "petrus-regout": 1}
    assert counts(result, "material") == {"porselein": 2, "aardewerk": 1}
    assert counts(result, "place") == {"Delft": 1}


def test_period_is_an_overlap_with_the_production_dates(heritage_world: World) -> None:
    assert pids(run(year_from=1860, year_to=1880)) == ["cc-plate"]
    assert set(pids(run(year_to=1850))) == {"cc-plate", "cc-cup"}  # cup: "before 1850"
    assert set(pids(run(year_from=1900))) == {"cc-tile", "cc-vase"}
    assert run(year_from=1000, year_to=3000).total == 4  # undated specimens never match
    assert run(year_from=1860, material="porselein").total == 1


def test_flags_and_text(heritage_world: World) -> None:
    assert set(pids(run(image="1"))) == {"cc-plate", "cc-vase"}
    assert pids(run(image="1", reusable="1")) == ["cc-plate"]
    assert pids(run(q="molens")) == ["cc-tile"]  # Dutch stem of "molen"
    assert pids(run(q="Chinese", lang="en")) == ["cc-plate"]
    assert pids(run(q="mosasaurus hoffmanni")) == ["nh-mosasaur"]
    assert run(q="geheim").total == 0  # only the hidden object says so
    assert run(q="verdwenen").total == 0  # deleted
    assert run(q="!!!").total == 0
    # Text and facets together; the facet counts follow the text.
    result = run(q="maastricht", collection="ceramics")
    assert counts(result, "collection")["ceramics"] == result.total == 3


def test_hidden_and_deleted_objects_are_nowhere(client: Client, heritage_world: World) -> None:
    world = heritage_world
    for query in ("", "?q=bord", "?maker=sphinx", "?q=geheim", "?sort=title"):
        html = client.get(page("heritage:search", "en") + query).content.decode()
        assert world.hidden.pid not in html and "Secret plate" not in html
        assert world.deleted_pid not in html
    assert run(maker="sphinx").total == 2


def test_every_sort_order(heritage_world: World) -> None:
    assert pids(run(sort="title")) == [
        "nh-ammonite",  # Ammoniet
        "cc-plate",  # Bord met Chinees decor
        "cc-cup",  # Kop en schotel
        "nh-mosasaur",  # Mosasaurus
        "cc-tile",  # Tegel met molen
        "cc-vase",  # Vaas met bloemen
        "nh-urchin",  # Zee-egel
    ]
    english = pids(run(lang="en", sort="title"))
    assert english[:3] == ["nh-ammonite", "cc-cup", "nh-mosasaur"]  # Ammonite, Cup, Mosasaur
    assert pids(run(sort="inventory"))[:4] == ["cc-plate", "cc-tile", "cc-vase", "cc-cup"]
    # Ties (the undated specimens) in the order of their search documents.
    undated = sorted(["nh-mosasaur", "nh-urchin", "nh-ammonite"], key=_document)
    assert pids(run(sort="date")) == ["cc-cup", "cc-plate", "cc-tile", "cc-vase", *undated]
    assert pids(run(sort="-date")) == ["cc-vase", "cc-tile", "cc-plate", "cc-cup", *undated[::-1]]
    assert pids(run(sort="recent"))[0] == "nh-ammonite"  # made last
    assert pids(run(q="maastricht", sort="relevance"))  # ranked by the full-text index


def _document(pid: str) -> int:
    obj = HeritageObject.objects.get(pid=pid)
    return SearchDocument.objects.get(doc_type="heritage_object", object_id=obj.pk).pk


def test_sort_keys() -> None:
    assert title_key("  'Ève  de Sfinx ") == "eve de sfinx"
    assert inventory_key("CC-2") < inventory_key("CC-10") < inventory_key("CC-100a")
    assert period_keys(1850, 1870) == ("51850", "51870")
    assert period_keys(-500, None) == ("49500", "99999")
    start, end = period_keys(None, None)
    assert start > "59999" and end < "40001"  # outside every year range


def _many(n: int) -> None:
    for i in range(n):
        ObjectFactory(
            pid=f"many-{i:03d}",
            inventory_number=f"M-{i}",
            title={"nl": f"Schaal {(i * 37) % n:03d}", "en": f"Dish {i:03d}"},
            description={"nl": "Een schaal uit de reeks."},
            date_earliest=1800 + (i % 7),
            date_latest=1850,
        )
    reindex()


def _walk(client: Client, url: str, *, rel: str = "next") -> list[list[str]]:
    pages = []
    seen_urls = set()
    while url:
        assert url not in seen_urls
        seen_urls.add(url)
        response = client.get(url)
        assert response.status_code == 200, response.content.decode()[:500]
        html = response.content.decode()
        pages.append(re.findall(r'href="/nl/collection/object/([^/]+)/"', html))
        found = re.search(rf'href="(\?[^"]+)" rel="{rel}"', html)
        url = page("heritage:search") + found.group(1).replace("&amp;", "&") if found else ""
    return pages


@pytest.mark.parametrize("small_result", [0, 10_000], ids=["index walk", "sorted matches"])
@pytest.mark.parametrize("sort", ["title", "date", "-date", "inventory", "recent", "relevance"])
def test_keyset_pages_walk_forwards_and_back(
    client: Client, heritage_world: World, monkeypatch: Any, small_result: int, sort: str
) -> None:
    monkeypatch.setattr(collection_query, "SMALL_RESULT", small_result)
    _many(60)
    query = {"sort": sort, "q": "schaal"} if sort == "relevance" else {"sort": sort}
    expected = pids(run(per_page=96, **query))
    assert len(expected) == (60 if sort == "relevance" else 67)
    pages = _walk(client, page("heritage:search") + "?" + urlencode(query))
    assert [len(p) for p in pages] == [24, 24, len(expected) - 48]
    assert (
        list(chain.from_iterable(pages)) == expected
    )  # no gap, no repeat, same order as one long page
    # And back again with the "previous" links, from the last page to the first.
    last = client.get(page("heritage:search") + "?" + urlencode(query)).content.decode()
    while (found := re.search(r'href="(\?[^"]+)" rel="next"', last)) is not None:
        next_url = page("heritage:search") + found.group(1).replace("&amp;", "&")
        last = client.get(next_url).content.decode()
        if 'rel="next"' not in last:
            break
    assert 'rel="next"' not in last
    back = _walk(client, next_url, rel="prev")
    assert list(chain.from_iterable(back[::-1])) == expected


def test_a_cursor_of_another_order_is_refused(client: Client, heritage_world: World) -> None:
    cursor = Cursor(sort=Sort.TITLE, key="bord", doc=1).encode()
    response = client.get(page("heritage:search", "en") + f"?sort=date&after={cursor}")
    assert response.status_code == 400
    assert "This page link belongs to another sort order." in response.content.decode()
    assert Cursor.decode(cursor) == Cursor(sort="title", key="bord", doc=1)
    for bad in ("", "e30", Cursor(sort="relevance", key="x", doc=1).encode()):
        with pytest.raises(ValueError):
            Cursor.decode(bad)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's work_mem")
def test_collection_statements_get_room_to_hash_a_posting_list() -> None:
    # Below SEARCH_WORK_MEM, PostgreSQL compares each candidate with each id of a large
    # facet value (a non-hashed subplan): minutes at a million objects.
    from reisgezel.heritage.collection_query import SEARCH_WORK_MEM, search_memory

    def work_mem() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            return str(cursor.fetchone()[0])

    before = work_mem()
    with search_memory():
        assert work_mem() == SEARCH_WORK_MEM
    assert work_mem() == before != SEARCH_WORK_MEM


def bars(result: CollectionResult) -> list[tuple[int, int, int, bool]]:
    return [(b.first_year, b.last_year, b.count, b.selected) for b in result.periods]


def test_the_period_histogram_counts_what_choosing_a_century_finds(
    heritage_world: World,
) -> None:
    # plate 1845-1875, tile 1895-1905, cup "before 1850", vase 1925; specimens undated.
    everything = run()
    assert bars(everything) == [(1800, 1899, 3, False), (1900, 1999, 2, False)]
    for first, last, count, _selected in bars(everything):
        assert run(year_from=first, year_to=last).total == count
    # The other filters narrow it; the period's own does not (the other centuries stay
    # visible to switch to), and the chosen century is marked.
    assert bars(run(material="aardewerk")) == [(1800, 1899, 3, False), (1900, 1999, 1, False)]
    chosen = run(year_from=1900, year_to=1999)
    assert chosen.total == 2
    assert bars(chosen) == [(1800, 1899, 3, False), (1900, 1999, 2, True)]
    assert bars(run(q="mosasaurus")) == []  # undated matches only: no histogram


def test_the_search_page_links_each_century(client: Client, heritage_world: World) -> None:
    html = client.get(
        page("heritage:search", "en") + "?material=aardewerk&year_from=1800&year_to=1899"
    )
    text = html.content.decode()
    links = re.findall(r'<a class="c-histogram__link" href="([^"]+)"( aria-current="true")?', text)
    assert [(href.replace("&amp;", "&"), bool(current)) for href, current in links] == [
        ("?material=aardewerk&year_from=1800&year_to=1899", True),
        ("?material=aardewerk&year_from=1900&year_to=1999", False),
    ]
