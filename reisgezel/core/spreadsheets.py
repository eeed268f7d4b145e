"""Text written into CSV or Excel files that people open in a spreadsheet program."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is run as a formula by Excel or LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """Text someone typed, made inert for spreadsheets (CSV injection): a leading
    quote keeps `=HYPERLINK(...)` a string. Numbers, dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
