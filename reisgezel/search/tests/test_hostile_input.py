"""Whatever a visitor types, search answers and never raises."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reisgezel.search.query import matching_object_ids, rank_annotation, search
from reisgezel.search.terms import MAX_QUERY_CHARS, MAX_WORD_BYTES, MAX_WORDS, parse_query
from reisgezel.search.tests.conftest import FakeType
from reisgezel.search.text import words

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '""',
    "'",
    "\\",
    "*",
    "-",
    "^",
    "+",
    ":",
    ":*",
    "!",
    "&|",
    "(",
    ")))",
    "((jazz",
    'jazz"',
    '"jazz',
    "NEAR",
    "NEAR(jazz blues)",
    "jazz NEAR/2 blues",
    "jazz AND",
    "OR",
    "NOT jazz",
    "jazz -blues",
    "title:jazz",
    "{title body}: jazz",
    "jazz*",
    "*jazz",
    "^jazz",
    "jazz & !blues | (orgel",
    "jazz <-> blues",
    "jazz:* & 'blues'",
    "%",
    "_",
    "%_%",
    "'; DROP TABLE search_document; --",
    "\x00jazz",
    "jazz\x00",
    "\uff4a\uff41\uff5a\uff5a",  # fullwidth "jazz"
    "\U0001d527\U0001d51e\U0001d537\U0001d537",  # fraktur "jazz"
    "ﬁlm",
    "İstanbul",
    "straße",
    "٣٤٥",
    "jazz_blues",
    "a" * 5000,
    "jazz " * 500,
    " ".join(f"w{i}" for i in range(200)),
]


@pytest.fixture
def indexed(books: FakeType) -> FakeType:
    group = Group.objects.create(name="jazz")
    books.put(group.pk, nl=("Jazz en blues", "Orgel, film en straße"), facets={"theme": ["music"]})
    return books


def _exercise(text: str) -> None:
    results = search(text=text, facets=["theme", "type"], filters={"theme": ["music"]})
    assert results.total >= len(results.hits)
    list(Group.objects.filter(pk__in=matching_object_ids(doc_type="book", text=text)))
    list(Group.objects.annotate(rank=rank_annotation(doc_type="book", text=text)))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_never_raise(indexed: FakeType, text: str) -> None:
    _exercise(text)


def test_operators_are_plain_words_after_parsing(indexed: FakeType) -> None:
    # "NEAR" and "OR" are words like any other, and these documents lack them.
    assert search(text="jazz NEAR blues").total == 0
    assert search(text="jazz (blues").total == 1
    assert search(text='"jazz" -"blues"*').total == 1


def test_query_size_is_bounded() -> None:
    terms = parse_query(" ".join(f"woord{i}" for i in range(100)))
    assert terms is not None
    assert len(terms.words) == MAX_WORDS
    long_word = parse_query("x" * 1000)
    assert long_word is not None
    assert long_word.words == ("x" * MAX_QUERY_CHARS,)


def test_a_word_too_long_for_postgresql_to_index_is_left_out(indexed: FakeType) -> None:
    # U+3300 folds to four katakana (12 bytes): 200 of them make one word of 2,400
    # bytes, which PostgreSQL never indexes; both backends then search the other words.
    expanding = "\u3300" * 200
    assert len(words(expanding)[0].encode()) > MAX_WORD_BYTES

    assert parse_query(expanding + " ") is None
    assert search(text=f"{expanding} jazz ").total == 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=80))
def test_any_text_never_raises(indexed: FakeType, text: str) -> None:
    _exercise(text)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.lists(
        st.sampled_from(
            [
                '"',
                "*",
                "(",
                ")",
                "-",
                "NEAR",
                "AND",
                "OR",
                "NOT",
                ":",
                "^",
                "'",
                "jazz",
                "blues",
                " ",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_any_mix_of_operators_never_raises(indexed: FakeType, text: str) -> None:
    _exercise(text)
