"""Dates outside 1900-2199 are refused with a message, at both ends and in between."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import translation

from reisgezel.core.date_range import DateField, DateTimeField, in_range

AMS = ZoneInfo("Europe/Amsterdam")


class Dates(forms.Form):
    day = DateField(required=False)
    moment = DateTimeField(required=False)


@pytest.mark.parametrize(
    ("day", "moment"),
    [("1900-01-01", "1900-01-01T00:00"), ("2199-12-31", "2199-12-31T23:59"), ("", "")],
)
def test_the_first_and_last_day_and_empty_values_are_accepted(day, moment):
    form = Dates({"day": day, "moment": moment})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value", ["1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31"])
def test_days_beyond_either_end_are_refused_with_the_years(value):
    with translation.override("en"):
        form = Dates({"day": value, "moment": value + "T12:00"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Enter a date between 1900 and 2199."]
        assert form.errors["moment"] == ["Enter a date between 1900 and 2199."]
    with translation.override("nl"):
        assert Dates({"day": value}).errors["day"] == ["Vul een datum tussen 1900 en 2199 in."]


def test_aware_moments_are_judged_by_their_own_day():
    assert in_range(datetime(2199, 12, 31, 23, 30, tzinfo=AMS))
    assert not in_range(datetime(1899, 12, 31, 23, 30, tzinfo=AMS))
    assert in_range(date(2026, 11, 29))
