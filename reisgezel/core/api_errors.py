"""Pydantic's input errors as messages in the visitor's language.

django-ninja reports input that does not parse with pydantic's error list, whose `msg`
is English only. An error's `type` names the problem and its `ctx` the limits (see
`pydantic_core.core_schema.ErrorType`), so the message is looked up by type and filled
from ctx. A type not listed here, or a ctx without the value a message needs, falls back
to pydantic's English `msg`: an unexpected error must never become a server error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

# Datetimes in our schemas must carry an offset (AwareDatetime): the hint shows one.
_DATE = _("Enter a valid date.")
_DATETIME = _("Enter a valid date and time, e.g. 2026-05-01T20:00:00+02:00.")
_OBJECT = _("Give a JSON object, in curly braces.")
_DECIMAL = _("Enter a number, e.g. 12.50.")

# A plural message names the ctx key that holds its count (ngettext_lazy's `number`).
MESSAGES: dict[str, Promise] = {
    "missing": _("This field is required."),
    "string_type": _("Enter text (a JSON string)."),
    "string_too_short": ngettext_lazy(
        "Use at least %(min_length)s character.",
        "Use at least %(min_length)s characters.",
        "min_length",
    ),
    "string_too_long": ngettext_lazy(
        "Use at most %(max_length)s character.",
        "Use at most %(max_length)s characters.",
        "max_length",
    ),
    "int_type": _("Enter a whole number."),
    "int_parsing": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number, without decimals."),
    "float_type": _("Enter a number."),
    "float_parsing": _("Enter a number."),
    "bool_type": _("Enter true or false."),
    "bool_parsing": _("Enter true or false."),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _("Enter a date without a time."),
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "time_type": _("Enter a valid time, e.g. 20:00."),
    "time_parsing": _("Enter a valid time, e.g. 20:00."),
    "timezone_aware": _("Give the time with its offset, e.g. 2026-05-01T20:00:00+02:00."),
    "timezone_naive": _("Give the time without an offset, e.g. 2026-05-01T20:00:00."),
    "uuid_type": _("Enter a valid UUID."),
    "uuid_parsing": _("Enter a valid UUID."),
    "url_type": _("Enter a full web address, e.g. https://example.org/."),
    "url_parsing": _("Enter a full web address, e.g. https://example.org/."),
    "url_scheme": _("Start the web address with one of: %(expected_schemes)s."),
    "list_type": _("Give a list, in square brackets."),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "extra_forbidden": _("This field is not known: leave it out."),
    "literal_error": _("Choose one of: %(expected)s."),
    "enum": _("Choose one of: %(expected)s."),
    "greater_than": _("Enter a value greater than %(gt)s."),
    "greater_than_equal": _("Enter a value of at least %(ge)s."),
    "less_than": _("Enter a value less than %(lt)s."),
    "less_than_equal": _("Enter a value of at most %(le)s."),
    "too_short": ngettext_lazy(
        "Give at least %(min_length)s item.", "Give at least %(min_length)s items.", "min_length"
    ),
    "too_long": ngettext_lazy(
        "Give at most %(max_length)s item.", "Give at most %(max_length)s items.", "max_length"
    ),
    "decimal_type": _DECIMAL,
    "decimal_parsing": _DECIMAL,
    "decimal_max_digits": ngettext_lazy(
        "Use at most %(max_digits)s digit in total.",
        "Use at most %(max_digits)s digits in total.",
        "max_digits",
    ),
    "decimal_max_places": ngettext_lazy(
        "Use at most %(decimal_places)s digit after the decimal point.",
        "Use at most %(decimal_places)s digits after the decimal point.",
        "decimal_places",
    ),
    "decimal_whole_digits": ngettext_lazy(
        "Use at most %(whole_digits)s digit before the decimal point.",
        "Use at most %(whole_digits)s digits before the decimal point.",
        "whole_digits",
    ),
    "json_invalid": _("This is not valid JSON."),
    "json_type": _("Give the JSON as a string."),
}

# Pydantic joins the choices of a literal, an enum or a URL scheme as "'a', 'b' or 'c'":
# the English "or" is replaced by a comma, as the messages say "one of: ...".
_CHOICE_KEYS = ("expected", "expected_schemes")


def _context(error: Mapping[str, Any]) -> dict[str, Any]:
    ctx = dict(error.get("ctx") or {})
    for key in _CHOICE_KEYS:
        if isinstance(ctx.get(key), str):
            head, joined, last = ctx[key].rpartition(" or ")
            if joined:
                ctx[key] = f"{head}, {last}"
    return ctx


def error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (a dict of ValidationError.errors()) in the active language."""
    english = str(error.get("msg") or gettext("This value is not valid."))
    if error.get("type") == "value_error":
        # Our validators raise ValueError with a message already translated (they run
        # inside the request); pydantic puts "Value error, " in front of it.
        return english.removeprefix("Value error, ")
    message = MESSAGES.get(str(error.get("type")))
    if message is None:
        return english
    try:
        return str(message % _context(error))
    except (KeyError, TypeError, ValueError):  # a ctx without the value the message needs
        return english


class ErrorOut(Schema):
    """Every error of the JSON API (config/api.py gives them this shape)."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)
