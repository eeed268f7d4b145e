"""Dates typed in the staff admin stay within 1900-2199, like those of the site's forms.

The model fields carry `core.date_range.validate_in_range`, so every ModelForm (the
admin's included) refuses a year such as 9999 on the field, instead of storing a date
that later breaks the calendar arithmetic of the agenda, courses or room bookings.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reisgezel.learning.models import HolidayPeriod
from reisgezel.spaces.models import Closure
from tests.factories import make_place, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def _holiday(starts_on: str, ends_on: str) -> dict[str, str]:
    return {"name_nl": "Kerstvakantie", "starts_on": starts_on, "ends_on": ends_on}


@pytest.mark.parametrize("year", ["9999", "1899", "0001"])
def test_a_holiday_outside_the_platforms_years_is_refused_on_the_field(
    staff: Client, year: str
) -> None:
    response = staff.post(
        reverse("admin:learning_holidayperiod_add"), _holiday(f"{year}-12-20", "2026-12-31")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_on"] == [
        "Enter a date between 1900 and 2199."
    ]
    assert not HolidayPeriod.objects.exists()


def test_a_holiday_within_the_years_is_saved(staff: Client) -> None:
    response = staff.post(
        reverse("admin:learning_holidayperiod_add"), _holiday("2026-12-19", "2027-01-03")
    )
    assert response.status_code == 302
    assert HolidayPeriod.objects.get().ends_on.year == 2027


def test_a_house_closure_in_the_year_9999_is_refused(staff: Client) -> None:
    place = make_place()
    response = staff.post(
        reverse("admin:spaces_closure_add"),
        {"place": place.pk, "starts_on": "2026-12-24", "ends_on": "9999-12-31"},
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["adminform"].form.errors
    assert not Closure.objects.exists()
