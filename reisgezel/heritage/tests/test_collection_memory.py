"""Counts from the facet rows in memory (collection_memory) equal the SQL counts, for
any combination of words and filters over a random collection; and the snapshot's
freshness rules: reused while the data version holds, rebuilt after a change, a stale
one used only within its maximum age, rebuilt in the background."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reisgezel.heritage import collection_memory, collection_query
from reisgezel.heritage.collection_cache import collection_changed
from reisgezel.heritage.collection_query import CollectionQuery, Counts, MatchSet
from reisgezel.heritage.filters import CollectionFilters
from reisgezel.heritage.models import ConceptScheme, HeritageObject, ObjectAgent
from reisgezel.heritage.tests.test_pages_world import agent, concept, reindex
from reisgezel.search.models import SearchDocument
from tests.heritage_factories import CollectionFactory, ObjectFactory

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
WORDS = ("bord", "vaas", "schotel", "maastricht", "regout")
PLACES = ("Maastricht", "Delft", "")
MAKERS = ("sphinx", "mosa", "regout", "societe")
MATERIALS = ("aardewerk", "porselein", "steengoed")
TYPES = ("bord", "vaas", "tegel")
TECHNIQUES = ("drukdecor", "handbeschilderd")


@pytest.fixture(autouse=True)
def no_snapshot_left() -> Iterator[None]:
    collection_memory.forget()
    yield
    collection_memory.forget()


def _options(settings: Any, **options: Any) -> None:
    settings.HERITAGE = {**settings.HERITAGE, **options}


def _random_collection(seed: int, size: int) -> None:
    rng = random.Random(seed)
    collections = [
        CollectionFactory(),
        CollectionFactory(code="natural-history", name={"nl": "Natuur", "en": "Nature"}),
    ]
    makers = [agent(slug, slug.title()) for slug in MAKERS]
    materials = [concept(ConceptScheme.MATERIAL, code, code, code) for code in MATERIALS]
    types = [concept(ConceptScheme.OBJECT_TYPE, code, code, code) for code in TYPES]
    techniques = [concept(ConceptScheme.TECHNIQUE, code, code, code) for code in TECHNIQUES]
    for n in range(size):
        earliest = rng.choice([None, rng.randrange(1700, 1950)])
        latest = rng.choice([None, (earliest or 1800) + rng.randrange(0, 60)])
        words = " ".join(rng.sample(WORDS, 2))
        obj = ObjectFactory(
            pid=f"cc-r{n}",
            inventory_number=f"CC-R{n}",
            collection=rng.choice(collections),
            object_type=rng.choice([None, *types]),
            title={"nl": f"{words} {n}", "en": f"object {n}"},
            production_place=rng.choice(PLACES),
            date_earliest=earliest,
            date_latest=latest,
            rights_uri=rng.choice([CC0, IN_COPYRIGHT]),
            is_public=rng.random() > 0.1,
        )
        obj.materials.set(rng.sample(materials, rng.randrange(0, 3)))
        obj.techniques.set(rng.sample(techniques, rng.randrange(0, 2)))
        for position, maker in enumerate(rng.sample(makers, rng.randrange(0, 3))):
            ObjectAgent.objects.create(object=obj, agent=maker, role="maker", position=position)
    reindex()


def _counted(filters: CollectionFilters) -> Counts:
    return CollectionQuery(filters, language="nl").counts()


def _both_ways(settings: Any, filters: CollectionFilters) -> tuple[Counts, Counts]:
    """The counts in SQL, then from the facet rows in memory."""
    _options(settings, FACET_MEMORY=False)
    sql = _counted(filters)
    _options(settings, FACET_MEMORY=True, FACET_MEMORY_FROM=0)
    return sql, _counted(filters)


def _ids(matches: MatchSet | None) -> set[int] | None:
    if matches is None:
        return None
    if matches.ids is not None:
        return {int(pk) for pk in matches.ids.split(",") if pk}
    member = matches.member()
    return {pk for pk in SearchDocument.objects.values_list("pk", flat=True) if member(pk)}


def _same(sql: Counts, memory: Counts) -> None:
    assert memory.total == sql.total
    assert {name: dict(values) for name, values in memory.facets.items()} == {
        name: dict(values) for name, values in sql.facets.items()
    }
    assert _ids(memory.matches) == _ids(sql.matches)
    assert memory.periods == sql.periods
    if sql.matches is not None and memory.matches is not None:
        assert memory.matches.text_matches == sql.matches.text_matches
        assert memory.matches.boost == sql.matches.boost


filter_sets = st.fixed_dictionaries(
    {
        "text": st.sampled_from(["", *WORDS, "bord maastricht", "schot"]),
        "collections": st.lists(st.sampled_from(["ceramics", "natural-history"]), max_size=2),
        "types": st.lists(st.sampled_from(TYPES), max_size=2),
        "makers": st.lists(st.sampled_from([*MAKERS, "unknown"]), max_size=2),
        "materials": st.lists(st.sampled_from(MATERIALS), max_size=2),
        "techniques": st.lists(st.sampled_from(TECHNIQUES), max_size=1),
        "places": st.lists(st.sampled_from(PLACES[:2]), max_size=1),
        "reusable": st.booleans(),
        "year_from": st.none() | st.integers(1700, 2000),
        "year_to": st.none() | st.integers(1700, 2000),
    }
)


@pytest.fixture
def random_collection(db: None) -> None:
    collection_memory.forget()
    _random_collection(seed=3, size=60)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=filter_sets)
def test_counts_in_memory_equal_the_sql_counts(
    random_collection: None, settings: Any, chosen: dict[str, Any]
) -> None:
    def values(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(chosen[name]))

    filters = CollectionFilters(
        text=chosen["text"],
        collections=values("collections"),
        types=values("types"),
        makers=values("makers"),
        materials=values("materials"),
        techniques=values("techniques"),
        places=values("places"),
        reusable=chosen["reusable"],
        year_from=chosen["year_from"],
        year_to=chosen["year_to"],
    )
    _same(*_both_ways(settings, filters))


@pytest.mark.django_db
def test_a_large_result_is_a_bitmap_of_the_same_documents(
    random_collection: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collection_query, "MATCH_IDS", 3)
    sql, memory = _both_ways(settings, CollectionFilters(collections=("ceramics",)))
    assert memory.matches is not None and memory.matches.bitmap is not None
    assert sql.matches is not None and sql.matches.bitmap is not None
    assert sql.total > 3
    _same(sql, memory)


@pytest.mark.django_db
def test_top_values_keep_the_chosen_ones_first_then_the_most_frequent(
    random_collection: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collection_query, "FACET_VALUES", 2)
    filters = CollectionFilters(makers=("regout",))
    _options(settings, FACET_MEMORY=True, FACET_MEMORY_FROM=0)
    makers = _counted(filters).facets["o.maker"]
    assert makers[0][0] == "regout" and len(makers) == 2
    _options(settings, FACET_MEMORY=False)
    assert _counted(filters).facets["o.maker"] == makers


facet_rows = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(["a", "b", "c", "d", "e", "f"])), max_size=120
)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    rows=facet_rows,
    members=st.sets(st.integers(0, 45)),
    chosen=st.lists(st.sampled_from(["a", "c", "d", "f", "x"]), max_size=20),
    bound=st.sampled_from(["", "a", "b", "c", "cc", "f", "g"]),
)
def test_a_column_counts_and_selects_documents_as_their_rows_say(
    rows: list[tuple[int, str]], members: set[int], chosen: list[str], bound: str
) -> None:
    """Per document (layers) or by rows alone (a document with more values than
    MAX_LAYERS): the count of each value among the members and the documents with
    some values or a range of values, as a plain walk over the rows finds them."""
    rows = list(dict.fromkeys(rows))  # a document has a value once
    values = tuple(sorted({value for _doc, value in rows}))
    grouped = [sorted(doc for doc, v in rows if v == value) for value in values]
    starts = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum([len(docs) for docs in grouped], out=starts[1:])
    docs = np.array([doc for docs in grouped for doc in docs], dtype=np.int32)
    size = 46
    column = collection_memory.Column.of_rows(values, starts, docs, size=size)
    per_doc = max((sum(1 for d, _v in rows if d == doc) for doc, _v in rows), default=0)
    assert bool(column.layers) == (0 < per_doc <= collection_memory.MAX_LAYERS)
    mask = np.zeros(size, dtype=np.bool_)
    mask[list(members)] = True
    expected = [sum(1 for doc, v in rows if v == value and doc in members) for value in values]
    assert column.counts(mask).tolist() == expected
    assert column.counts(None).tolist() == [len(docs) for docs in grouped]

    def documents(selected: np.ndarray[Any, Any]) -> set[int]:
        return {int(doc) for doc in np.flatnonzero(selected)}

    assert documents(column.having(size, chosen)) == {d for d, v in rows if v in chosen}
    assert documents(column.at_most(size, bound)) == {d for d, v in rows if v <= bound}
    assert documents(column.at_least(size, bound)) == {d for d, v in rows if v >= bound}


@hypothesis_settings(max_examples=200, deadline=None)
@given(ids=st.sets(st.integers(0, 300)), size=st.integers(1, 320))
def test_a_text_match_keeps_its_documents_as_ids_or_as_bits(ids: set[int], size: int) -> None:
    """Whichever form is smaller, the same documents come back (those beyond the
    snapshot's size drop out, as newer documents do)."""
    match = collection_memory.TextMatch.of(np.array(sorted(ids), dtype=np.int64))
    assert match.count == len(ids)
    dense = len(ids) > 0 and (max(ids) + 1) // 8 < 4 * len(ids)
    assert (match.bits is not None) == dense
    mask = match.mask(size)
    assert len(mask) == size
    assert {int(doc) for doc in np.flatnonzero(mask)} == {doc for doc in ids if doc < size}


@pytest.mark.django_db
def test_the_snapshot_is_reused_until_the_collection_changes(settings: Any) -> None:
    collection_memory.forget()
    _random_collection(seed=5, size=8)
    _options(settings, FACET_MEMORY=True, FACET_MEMORY_FROM=0)
    first = collection_memory.snapshot("default")
    assert (
        first is not None
        and first.public_objects == HeritageObject.objects.filter(is_public=True).count()
    )
    assert collection_memory.snapshot("default") is first

    hidden = HeritageObject.objects.filter(is_public=True).first()
    assert hidden is not None
    HeritageObject.objects.filter(pk=hidden.pk).update(is_public=False)
    reindex()  # indexing calls collection_changed()
    second = collection_memory.snapshot("default")
    assert second is not None and second is not first
    assert second.public_objects == first.public_objects - 1


@pytest.mark.django_db
def test_small_collections_are_counted_in_sql(settings: Any) -> None:
    collection_memory.forget()
    _random_collection(seed=7, size=5)
    _options(settings, FACET_MEMORY=True, FACET_MEMORY_FROM=1000)
    assert collection_memory.snapshot("default") is None
    _options(settings, FACET_MEMORY=False, FACET_MEMORY_FROM=0)
    assert collection_memory.snapshot("default") is None


@pytest.mark.django_db(transaction=True)
def test_a_stale_snapshot_counts_within_its_age_while_a_thread_rebuilds_it(
    settings: Any,
) -> None:
    collection_memory.forget()
    _random_collection(seed=11, size=6)
    _options(
        settings,
        FACET_MEMORY=True,
        FACET_MEMORY_FROM=0,
        FACET_MEMORY_INLINE=False,
        FACET_MEMORY_REFRESH=0,
        FACET_MEMORY_MAX_AGE=60,
        FACET_MEMORY_WAIT=0,
    )
    # Not waiting: the first search of a process counts in SQL while a thread builds
    # the snapshot.
    assert collection_memory.snapshot("default") is None
    first = _wait_for_snapshot(lambda s: s is not None)

    with transaction.atomic():
        collection_changed()
    # Stale now, but young: still used, and a rebuild is under way.
    assert collection_memory.snapshot("default") is first
    rebuilt = _wait_for_snapshot(lambda s: s is not first)
    assert rebuilt.version != first.version

    # Too old to count with: SQL again (and another rebuild starts).
    collection_changed()
    collection_memory._state.snapshots["default"] = replace(rebuilt, built_at=time.monotonic() - 61)
    assert collection_memory.snapshot("default") is None
    _wait_for_snapshot(lambda s: s is not None and s.built_at > time.monotonic() - 60)


@pytest.mark.django_db(transaction=True)
def test_a_search_without_a_snapshot_waits_for_the_build_under_way(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection_memory.forget()
    _random_collection(seed=12, size=6)
    _options(
        settings,
        FACET_MEMORY=True,
        FACET_MEMORY_FROM=0,
        FACET_MEMORY_INLINE=False,
        FACET_MEMORY_REFRESH=0,
        FACET_MEMORY_WAIT=30,
    )
    # The build is held until the search has started: a build of six objects would
    # otherwise be over before anything could meet it under way.
    gate = threading.Event()
    rebuild = collection_memory._rebuild

    def held_rebuild(using: str) -> None:
        gate.wait(30)
        rebuild(using)

    monkeypatch.setattr(collection_memory, "_rebuild", held_rebuild)
    # A web process warms up as it starts; the first search meets the build under way
    # and counts from its snapshot rather than in SQL.
    collection_memory.warm_up("default")
    assert "default" in collection_memory._state.building
    threading.Timer(0.3, gate.set).start()
    first = collection_memory.snapshot("default")
    assert first is not None and first.public_objects > 0
    assert "default" not in collection_memory._state.building
    # Too small a collection: the warm-up ends without a snapshot, and nobody waits.
    collection_memory.forget()
    _options(settings, FACET_MEMORY_FROM=10_000)
    collection_memory.warm_up("default")
    _wait_for_snapshot(lambda s: s is None)
    assert collection_memory.snapshot("default") is None


def _wait_for_snapshot(ready: Any) -> collection_memory.Snapshot:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        current = collection_memory._state.snapshots.get("default")
        if ready(current) and "default" not in collection_memory._state.building:
            return current  # type: ignore[return-value]
        time.sleep(0.02)
    raise AssertionError("no snapshot was built in the background")


def _text_match_statements(queries: Any) -> list[str]:
    """The statements that aggregate the ids a search's words match."""
    return [
        q["sql"]
        for q in queries
        if "group_concat(id)" in q["sql"] or "string_agg(id::text" in q["sql"]
    ]


@pytest.mark.django_db
def test_refining_a_search_reuses_its_text_match_until_the_collection_changes(
    settings: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _random_collection(seed=13, size=30)
    _options(settings, FACET_MEMORY=True, FACET_MEMORY_FROM=0)
    words = CollectionFilters(text="bord")
    refined = CollectionFilters(text="bord", materials=("porselein",))
    with CaptureQueriesContext(connection) as first:
        _counted(words)
    assert len(_text_match_statements(first.captured_queries)) == 1
    with CaptureQueriesContext(connection) as second:
        counts = _counted(refined)
    assert _text_match_statements(second.captured_queries) == []
    _options(settings, FACET_MEMORY=False)
    _same(_counted(refined), counts)  # as counted in SQL, without any cache

    # A new object with the word: the data version moves, the match runs again.
    _options(settings, FACET_MEMORY=True)
    before = counts.total
    new = ObjectFactory(pid="cc-new", title={"nl": "bord nieuw", "en": "new plate"})
    new.materials.set([concept(ConceptScheme.MATERIAL, "porselein", "porselein", "porselein")])
    reindex()
    with CaptureQueriesContext(connection) as third:
        after = _counted(refined)
    assert len(_text_match_statements(third.captured_queries)) == 1
    assert after.total == before + 1


@pytest.mark.django_db
def test_a_text_match_larger_than_the_limit_is_not_cached(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _random_collection(seed=17, size=20)
    _options(settings, FACET_MEMORY=True, FACET_MEMORY_FROM=0)
    monkeypatch.setattr(collection_query, "TEXT_MATCH_CACHED_BYTES", 1)
    filters = CollectionFilters(text="maastricht")
    assert _counted(filters).total > 1
    with CaptureQueriesContext(connection) as again:
        _counted(CollectionFilters(text="maastricht", reusable=True))
    assert len(_text_match_statements(again.captured_queries)) == 1


def test_open_and_undated_periods_in_the_histogram() -> None:
    from reisgezel.heritage.period_histogram import overlapping
    from reisgezel.heritage.search import period_keys

    def tallies(*periods: tuple[int | None, int | None]) -> tuple[dict[str, int], ...]:
        starts: dict[str, int] = {}
        ends: dict[str, int] = {}
        for earliest, latest in periods:
            start, end = period_keys(earliest, latest)
            if (earliest, latest) == (None, None):
                continue  # undated: the counts leave their keys out
            starts[start[:3]] = starts.get(start[:3], 0) + 1
            ends[end[:3]] = ends.get(end[:3], 0) + 1
        return starts, ends

    # "before 1650" reaches back to the first century any period names (-1); "after
    # 1890" forward to the last (18); 1750-1760 lies in one; -50 to 20 crosses year 0.
    starts, ends = tallies((None, 1650), (1890, None), (1750, 1760), (-50, 20), (None, None))
    assert overlapping(starts, ends) == (
        (-1, 2),  # -100..-1: -50 to 20, and "before 1650"
        (0, 2),  # 0..99: the same two
        *((century, 1) for century in range(1, 17)),  # "before 1650" alone, to 1699
        (17, 1),  # 1750-1760
        (18, 1),  # "after 1890"
    )
    assert overlapping({}, {}) == ()


@pytest.mark.django_db
def test_each_bar_of_the_histogram_is_what_its_century_finds(settings: Any) -> None:
    _random_collection(seed=19, size=40)
    for memory in (False, True):
        _options(settings, FACET_MEMORY=memory, FACET_MEMORY_FROM=0)
        for filters in (CollectionFilters(), CollectionFilters(text="bord")):
            histogram = _counted(filters).periods
            assert histogram
            for century, count in histogram:
                years = replace(filters, year_from=century * 100, year_to=century * 100 + 99)
                assert _counted(years).total == count, (memory, filters.text, century)
