"""Fuzzy production dates: a text for people plus the earliest/latest year for search.

"c. 1850-1870", "circa 1900", "1883", "19th century", "2nd half 19th century",
"1920s", "before 1850", "na 1900" all become a (earliest, latest) year range; anything
unparsable keeps its display text and no range (it then never matches a period filter,
which is honest: we do not know).
"""

from __future__ import annotations

import re

_CIRCA = re.compile(r"^(?:c\.|ca\.?|circa|omstreeks|rond|um|vers|about)\s*", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{3,4})\s*(?:-|\u2013|\u2014|to|tot|bis|à|/)\s*(\d{2,4})$")
_YEAR = re.compile(r"^(\d{3,4})$")
_DECADE = re.compile(r"^(\d{3})0\s*'?s$|^jaren\s+(\d{3})0$", re.IGNORECASE)
_CENTURY = re.compile(
    r"^(?:(1st|2nd|first|second|1e|2e|eerste|tweede)\s+(?:half|helft)\s+(?:of\s+the\s+|van\s+de\s+)?)?"
    r"(\d{1,2})(?:st|nd|rd|th|e|de)?\s+(?:century|eeuw)$",
    re.IGNORECASE,
)
_BEFORE = re.compile(r"^(?:before|voor|vóór|vor|avant)\s+(\d{3,4})$", re.IGNORECASE)
_AFTER = re.compile(r"^(?:after|na|nach|après)\s+(\d{3,4})$", re.IGNORECASE)

CIRCA_MARGIN = 5


def parse_fuzzy_date(text: str) -> tuple[int | None, int | None]:
    value = " ".join((text or "").split())
    circa = bool(_CIRCA.match(value))
    value = _CIRCA.sub("", value).strip()
    margin = CIRCA_MARGIN if circa else 0
    if m := _RANGE.match(value):
        start, end_text = int(m.group(1)), m.group(2)
        end = int(end_text) if len(end_text) >= 3 else int(str(start)[: -len(end_text)] + end_text)
        if end < start:
            return None, None
        return start - margin, end + margin
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return year - margin, year + margin
    if m := _DECADE.match(value):
        decade = int(m.group(1) or m.group(2)) * 10
        return decade - margin, decade + 9 + margin
    if m := _CENTURY.match(value):
        century = int(m.group(2))
        if not 1 <= century <= 21:
            return None, None
        first = (century - 1) * 100 + 1
        half = (m.group(1) or "").lower()
        if half in {"1st", "first", "1e", "eerste"}:
            return first - margin, first + 49 + margin
        if half in {"2nd", "second", "2e", "tweede"}:
            return first + 50 - margin, first + 99 + margin
        return first - margin, first + 99 + margin
    if m := _BEFORE.match(value):
        return None, int(m.group(1))
    if m := _AFTER.match(value):
        return int(m.group(1)), None
    return None, None
