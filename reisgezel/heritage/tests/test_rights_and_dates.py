"""Rights URIs as found in the wild, and fuzzy dates as curators write them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from reisgezel.heritage.dates import parse_fuzzy_date
from reisgezel.heritage.rights import (
    canonical_rights_uri,
    is_reusable,
    rights_label,
    validate_rights_uri,
)


@pytest.mark.parametrize(
    ("found", "canonical"),
    [
        (
            "https://creativecommons.org/licenses/by/4.0/",
            "http://creativecommons.org/licenses/by/4.0/",
        ),
        (
            "http://creativecommons.org/licenses/by-sa/4.0/deed.nl",
            "http://creativecommons.org/licenses/by-sa/4.0/",
        ),
        (
            "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
            "http://creativecommons.org/publicdomain/zero/1.0/",
        ),
        ("http://rightsstatements.org/vocab/InC/1.0", "http://rightsstatements.org/vocab/InC/1.0/"),
        ("CC0", "http://creativecommons.org/publicdomain/zero/1.0/"),
        (" cc-by ", "http://creativecommons.org/licenses/by/4.0/"),
    ],
)
def test_rights_values_from_imports_become_canonical(found: str, canonical: str) -> None:
    assert canonical_rights_uri(found) == canonical


@pytest.mark.parametrize("junk", ["", "all rights reserved", "http://example.org/licence/"])
def test_unknown_rights_are_refused_not_guessed(junk: str) -> None:
    with pytest.raises(ValueError, match="unknown rights statement"):
        canonical_rights_uri(junk)


def test_only_open_statements_are_reusable() -> None:
    assert is_reusable("http://creativecommons.org/publicdomain/zero/1.0/")
    assert is_reusable("http://creativecommons.org/licenses/by-sa/4.0/")
    assert not is_reusable("http://creativecommons.org/licenses/by-nc/4.0/")
    assert not is_reusable("http://rightsstatements.org/vocab/InC/1.0/")
    assert not is_reusable("http://example.org/")


def test_the_model_validator_names_the_problem() -> None:
    validate_rights_uri("http://rightsstatements.org/vocab/CNE/1.0/")
    with pytest.raises(ValidationError) as exc:
        validate_rights_uri("https://creativecommons.org/licenses/by/4.0/")
    assert "Creative Commons or RightsStatements.org" in str(exc.value)
    assert rights_label("http://creativecommons.org/licenses/by/4.0/") == "CC BY 4.0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1883", (1883, 1883)),
        ("c. 1850-1870", (1845, 1875)),
        ("ca. 1900", (1895, 1905)),
        ("1850\u201370", (1850, 1870)),
        ("1920s", (1920, 1929)),
        ("19th century", (1801, 1900)),
        ("2e helft 19e eeuw", (1851, 1900)),
        ("eerste helft 20e eeuw", (1901, 1950)),
        ("before 1850", (None, 1850)),
        ("na 1900", (1900, None)),
        ("1870-1850", (None, None)),
        ("onbekend", (None, None)),
        ("", (None, None)),
    ],
)
def test_fuzzy_dates(text: str, expected: tuple[int | None, int | None]) -> None:
    assert parse_fuzzy_date(text) == expected


@given(st.integers(1000, 2100), st.integers(0, 80))
def test_a_parsed_range_is_never_reversed(start: int, length: int) -> None:
    earliest, latest = parse_fuzzy_date(f"c. {start}-{start + length}")
    assert earliest is not None and latest is not None
    assert earliest <= start <= start + length <= latest


@given(st.text(max_size=40))
def test_any_text_parses_without_error(text: str) -> None:
    earliest, latest = parse_fuzzy_date(text)
    if earliest is not None and latest is not None:
        assert earliest <= latest
