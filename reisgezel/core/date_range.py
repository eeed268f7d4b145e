"""The dates the platform plans with: from 1900 to 2199.

Python's dates run from the year 1 to 9999, but a date near either end breaks the
arithmetic every calendar does (a day added, a time zone converted to UTC, a weekly
series expanded) with an OverflowError: a 500 for a visitor who typed 9999 in a date
box. No event, course, booking or birth date lies outside these years, so forms and
services refuse such dates with a message instead.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
MESSAGE = _("Enter a date between %(earliest)d and %(latest)d.")


def in_range(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def range_message() -> str:
    return str(MESSAGE % {"earliest": EARLIEST.year, "latest": LATEST.year})


def validate_in_range(value: date | datetime | None) -> None:
    if value is not None and not in_range(value):
        raise ValidationError(
            MESSAGE, code="date_range", params={"earliest": EARLIEST.year, "latest": LATEST.year}
        )


class DateField(forms.DateField):
    """A form date within the platform's years."""

    default_validators: list[Any] = [validate_in_range]


class DateTimeField(forms.DateTimeField):
    """A form date and time within the platform's years."""

    default_validators: list[Any] = [validate_in_range]
