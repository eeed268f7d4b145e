"""The frequent words' posting lists (reisgezel/search/postings.py; tested on the
collection's documents, which is what they are for): a match read from them is the
match the full-text index gives (GIN or FTS5), for every word, prefix and combination; documents
changed since the build are matched in SQL; and the lists step aside where they would
not pay."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reisgezel.heritage import collection_memory
from reisgezel.heritage.collection_query import CollectionQuery
from reisgezel.heritage.filters import CollectionFilters
from reisgezel.heritage.models import HeritageObject
from reisgezel.heritage.tests.test_collection_memory import WORDS, _random_collection
from reisgezel.heritage.tests.test_pages_world import reindex
from reisgezel.search import postings
from reisgezel.search.backends import get_backend
from reisgezel.search.models import (
    SearchDocument,
    SearchPosting,
    SearchPostingBuild,
    SearchRemoval,
)
from reisgezel.search.selectors import search_page
from reisgezel.search.terms import parse_query
from tests.heritage_factories import ObjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_lists(settings: Any) -> Iterator[None]:
    # A few dozen documents: a word in 8 of them counts as frequent here.
    settings.SEARCH_POSTINGS = {"FREQUENT_FROM": 8, "RARE_MAX": 10_000, "CHANGED_MAX": 1_000}
    collection_memory.forget()
    yield
    collection_memory.forget()


def _age_the_index() -> None:
    """Documents indexed well before the build, as in a running site (else every one
    is 'changed since' and matched in SQL, and nothing of the lists is tested)."""
    SearchDocument.objects.update(indexed_at=timezone.now() - timedelta(hours=3))


def _sql(text: str) -> set[int]:
    terms = parse_query(text)
    assert terms is not None
    found = SearchDocument.objects.filter(get_backend().match(terms)).values_list("pk", flat=True)
    return set(found)


def _from_postings(text: str) -> set[int] | None:
    terms = parse_query(text)
    assert terms is not None
    found = postings.match_mask(terms)
    if found is None:
        return None
    return {int(pk) for pk in np.flatnonzero(found)}


def _listed(row: SearchPosting) -> set[int]:
    """The documents a word's stored list holds."""
    posting = postings._Posting(bytes(row.ids or b""), row.bitmap)
    return {int(pk) for pk in np.flatnonzero(posting.mask(posting.size))}


def _queries(rng: random.Random) -> list[str]:
    frequent = list(
        SearchPosting.objects.filter(ids__isnull=False).values_list("lexeme", flat=True)
    )
    rare = list(SearchPosting.objects.filter(ids__isnull=True).values_list("lexeme", flat=True))
    words = [*WORDS, *rng.sample(frequent, min(8, len(frequent)))]
    queries = [*words, *(f"{word} " for word in words)]  # unfinished (a prefix) and whole
    queries += ["schot", "maas", "bor", "bord", "bors", "regou", "object 1", "bord 3", "borden"]
    queries += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(10)]
    queries += [f"{rng.choice(words)} {rng.choice(rare)} " for _ in range(5)]
    return queries


def test_a_match_from_the_lists_is_the_index_match() -> None:
    _random_collection(seed=11, size=60)
    # Words sharing a start, each frequent: a prefix stands for several lists.
    for n, obj in enumerate(HeritageObject.objects.order_by("pk")[:40]):
        obj.title = {"nl": f"{('bordje', 'borden', 'bordure', 'borstel')[n % 4]} {n}"}
        obj.save()
    reindex()
    _age_the_index()
    report = postings.postings_build()
    assert report is not None and report.frequent > 10
    assert report.lexemes > report.frequent
    answered = 0
    for text in _queries(random.Random(5)):
        found = _from_postings(text)
        if found is not None:
            answered += 1
            assert found == _sql(text), text
    assert answered >= 20  # the lists answered most of them: this tested something


def test_documents_changed_or_deleted_since_the_build_are_matched_as_they_are_now() -> None:
    _random_collection(seed=12, size=60)
    _age_the_index()
    postings.postings_build()
    objects = list(HeritageObject.objects.filter(is_public=True).order_by("pk"))
    for obj in objects[:5]:  # lose their words, gain a new one
        obj.title = {"nl": "Zeldzaamheid uit Wyck", "en": "rarity"}
        obj.save()
    for obj in objects[5:8]:
        obj.delete()
    reindex()
    texts = [*WORDS, *(f"{word} " for word in WORDS), "schotel maastricht", "schot", "maas"]
    for text in [*texts, "zeldzaamheid", "wyck bord"]:
        found = _from_postings(text)
        if text in ("zeldzaamheid", "wyck bord"):
            # Words no document held at the build: nothing frequent, SQL answers.
            assert found is None or found == _sql(text)
            continue
        assert found == _sql(text), text
    combined = _from_postings("bord zeldzaamheid")
    assert combined is not None and combined == _sql("bord zeldzaamheid")
    # The lists still hold renamed documents under words they lost: what the match
    # above replaced (so this tested the replacement, not lists that happened to agree).
    renamed = set(
        SearchDocument.objects.filter(object_id__in=[obj.pk for obj in objects[:5]]).values_list(
            "pk", flat=True
        )
    )
    stale = [
        word
        for word in WORDS
        if (row := SearchPosting.objects.filter(lexeme=word, ids__isnull=False).first())
        and renamed & _listed(row) - _sql(word)
    ]
    assert stale


def test_the_lists_step_aside_when_they_would_not_pay(settings: Any) -> None:
    _random_collection(seed=13, size=40)
    assert _from_postings("bord") is None  # not built yet
    _age_the_index()
    out = StringIO()
    call_command("search_postings", stdout=out)  # as the nightly job builds them
    assert re.fullmatch(r"\d+ words, \d+ with their documents, in [\d.]+ s\.\n", out.getvalue())
    assert _from_postings("bord") is not None
    settings.SEARCH_POSTINGS = {**settings.SEARCH_POSTINGS, "RARE_MAX": 0}
    assert _from_postings("bord wyck") is not None  # no rare word read
    rare = SearchPosting.objects.filter(ids__isnull=True).values_list("lexeme", flat=True)[0]
    assert _from_postings(f"bord {rare} ") is None  # a rare word would be read in SQL
    # Too much changed since: SQL again. Right after a build (an import just ran) no
    # new one is asked for: tonight's comes.
    settings.SEARCH_POSTINGS = {**settings.SEARCH_POSTINGS, "CHANGED_MAX": 5}
    SearchDocument.objects.update(indexed_at=timezone.now())
    before = SearchPostingBuild.objects.get().pk
    cache.delete("search:postings-build-asked")
    assert _from_postings("bord") is None
    assert SearchPostingBuild.objects.get().pk == before
    # An older build: a new one is asked for, once (run at once by the tests' immediate
    # task backend).
    SearchPostingBuild.objects.update(built_at=timezone.now() - timedelta(hours=2))
    assert _from_postings("bord") is None
    assert SearchPostingBuild.objects.get().pk != before


def test_the_collection_search_counts_the_same_with_the_lists(settings: Any) -> None:
    _random_collection(seed=14, size=60)
    _age_the_index()
    settings.HERITAGE = {**settings.HERITAGE, "FACET_MEMORY": True, "FACET_MEMORY_FROM": 0}
    queries = ["bord", "schot", "maastricht regout", "vaas "]
    without = [CollectionQuery(CollectionFilters(text=q), language="nl").counts() for q in queries]
    postings.postings_build()
    collection_memory.forget()
    cache.clear()
    with_lists = [
        CollectionQuery(CollectionFilters(text=q), language="nl").counts() for q in queries
    ]
    for text, before, after in zip(queries, without, with_lists, strict=True):
        assert after.total == before.total, text
        assert after.facets == before.facets, text


def _counts_in_sql(text: str) -> list[tuple[str, int]]:
    terms = parse_query(text)
    assert terms is not None
    rows = (
        SearchDocument.objects.filter(public=True)
        .filter(get_backend().match(terms))
        .values("doc_type")
        .annotate(n=Count("pk"))
        .order_by("-n", "doc_type")
    )
    return [(row["doc_type"], row["n"]) for row in rows]


def _type_counts(text: str) -> list[tuple[str, int]] | None:
    terms = parse_query(text)
    assert terms is not None
    return postings.type_counts(terms)


def test_counts_by_type_from_the_lists_are_the_sql_counts() -> None:
    _random_collection(seed=15, size=80)
    documents = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    # Three types (which records they describe does not matter to a count).
    SearchDocument.objects.filter(pk__in=documents[10:30]).update(doc_type="exhibit")
    SearchDocument.objects.filter(pk__in=documents[30:40]).update(doc_type="dictionary_entry")
    _age_the_index()
    postings.postings_build()
    texts = [*WORDS, *(f"{word} " for word in WORDS), "schotel maastricht", "schot", "maas"]
    before = [_type_counts(text) for text in texts]
    assert sum(found is not None for found in before) >= 10
    for text, found in zip(texts, before, strict=True):
        assert found is None or found == _counts_in_sql(text), text
    # Since the build: documents changing type, hidden, shown, removed, and new ones.
    now = timezone.now()
    SearchDocument.objects.filter(pk__in=documents[0:5]).update(doc_type="event", indexed_at=now)
    SearchDocument.objects.filter(pk__in=documents[12:16]).update(public=False, indexed_at=now)
    SearchDocument.objects.filter(public=False, pk__in=documents[40:]).update(
        public=True, indexed_at=now
    )
    SearchDocument.objects.filter(pk__in=documents[20:25] + documents[50:55]).delete()
    for n in range(3):
        ObjectFactory(pid=f"cc-new{n}", title={"nl": f"bord schotel maastricht {n}"})
    reindex()
    assert SearchRemoval.objects.count() == 10
    answered = 0
    for text in texts:
        found = _type_counts(text)
        if found is not None:
            answered += 1
            assert found == _counts_in_sql(text), text
    assert answered >= 10
    # The lists as built still count what changed since (so this tested the changes).
    assert [_counts_in_sql(text) for text in texts] != before
    # A build empties the log of what it saw; a build from before the type lists (and
    # the log) does not answer.
    postings.postings_build()
    assert not SearchRemoval.objects.exists()
    SearchPostingBuild.objects.update(types=False)
    assert _type_counts("bord") is None


def test_the_search_page_counts_from_the_lists(settings: Any) -> None:
    _random_collection(seed=16, size=60)
    _age_the_index()
    texts = ["bord", "maastricht schotel", "sch", "regout"]
    without = [search_page(text=text) for text in texts]
    postings.postings_build()
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        with_lists = [search_page(text=text) for text in texts]
    for text, before, after in zip(texts, without, with_lists, strict=True):
        assert after.total == before.total, text
        assert after.types == before.types, text
        assert after.groups == before.groups, text
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "search_document" in q["sql"]]
    assert not counted


@pytest.mark.parametrize("ids", [[1, 3, 900], list(range(0, 900, 2))])  # ids, a bitmap
def test_a_stored_list_fits_any_mask(ids: list[int]) -> None:
    data, bitmap = postings._encode(np.array(ids))
    assert bitmap == (len(ids) > 100)
    stored = postings._Posting(data, bitmap)
    for size in (0, 4, 901, 2000):
        mask = stored.mask(size)
        assert len(mask) == size
        assert set(np.flatnonzero(mask).tolist()) == {n for n in ids if n < size}
