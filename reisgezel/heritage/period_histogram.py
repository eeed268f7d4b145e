"""The collection search's period histogram: per century, how many of the matches were
made at some time in it.

"Made at some time in it" is an overlap of the object's production period with the
century, the same test as the period filter's: a century's count is exactly the total
the search shows after choosing that century's years. It is counted from the facet
rows the period filter uses (search.PERIOD_START / PERIOD_END, five-digit year keys):
per century, how many matches start in it and how many end in it. A period overlaps
century c when it starts in c or before and does not end before c, so

    overlapping(c) = starts up to c - ends before c

(every period that ends before c also starts before c). Undated objects have neither
(their keys are left out); an open start ("before 1850") counts as starting before
every century, an open end ("after 1900") as never ending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reisgezel.heritage import search as keys

CENTURY_PREFIX = 3
"""A year key's first digits that name its century: "51850"[:3] is century 18."""
_OFFSET = int(keys.year_key(0)[:CENTURY_PREFIX])
_OPEN_START = int(keys.OPEN_START[:CENTURY_PREFIX]) - _OFFSET
_OPEN_END = int(keys.OPEN_END[:CENTURY_PREFIX]) - _OFFSET
STARTS = "#period.starts"
ENDS = "#period.ends"
"""Names the counts give these per-century tallies, beside the facets' names."""


def century_of(prefix: str) -> int:
    """Century number of a key prefix: "518" -> 18 (the years 1800-1899), "499" -> -1."""
    return int(prefix) - _OFFSET


def overlapping(starts: Mapping[str, int], ends: Mapping[str, int]) -> tuple[tuple[int, int], ...]:
    """(century, matches overlapping it) from the earliest to the latest century any
    match names, centuries without matches left out. `starts` and `ends`: matches per
    century prefix of their start and end keys, undated ones not included."""
    start_counts = {century_of(p): n for p, n in starts.items() if n}
    end_counts = {century_of(p): n for p, n in ends.items() if n}
    named = [c for c in (*start_counts, *end_counts) if c not in (_OPEN_START, _OPEN_END)]
    if not named:
        return ()
    started = sum(n for c, n in start_counts.items() if c < min(named))
    ended = 0
    result = []
    for century in range(min(named), max(named) + 1):
        started += start_counts.get(century, 0)
        count = started - ended
        if count:
            result.append((century, count))
        ended += end_counts.get(century, 0)
    return tuple(result)


@dataclass(frozen=True)
class CenturyBar:
    """One century of the histogram, as the search page offers it."""

    first_year: int
    last_year: int
    count: int
    step: int
    """The bar's length in twentieths of the fullest century's (1-20: a CSS class each,
    as the page allows no inline styles)."""
    selected: bool


def century_bars(
    periods: tuple[tuple[int, int], ...], year_from: int | None, year_to: int | None
) -> list[CenturyBar]:
    most = max((n for _c, n in periods), default=0)
    return [
        CenturyBar(
            first_year=century * 100,
            last_year=century * 100 + 99,
            count=count,
            step=max(1, round(20 * count / most)),
            selected=(year_from, year_to) == (century * 100, century * 100 + 99),
        )
        for century, count in periods
    ]
