"""The neighbourhood pages in Chromium: no axe-core violations (WCAG 2.2 AA) in Dutch and
English, and choosing "my neighbourhood" with the keyboard puts it on the home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from reisgezel.accounts.models import OrganisationKind
from reisgezel.neighbourhoods.tests.helpers import City, make_city
from tests.factories import make_organisation, make_place, published_event
from tests.learning_factories import make_course, make_edition

# serialized_rollback keeps the seeded taxonomy (a data migration) between transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def city() -> City:
    city = make_city()
    hall = make_place(name="Zaal Wyck", slug="zaal-wyck", neighbourhood=city.wyck)
    make_organisation(
        name="Koor Wyck", slug="koor-wyck", kind=OrganisationKind.ASSOCIATION, home_place=hall
    )
    make_organisation(
        name="Theater Wyck", slug="theater-wyck", kind=OrganisationKind.VENUE, home_place=hall
    )
    published_event(place_id=hall.pk, title={"nl": "Kerstconcert", "en": "Christmas concert"})
    make_edition(course=make_course(slug="klei"), place=hall)
    return city


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_neighbourhood_pages_have_no_axe_violations(page: Page, city: City, lang: str) -> None:
    from tests.e2e.axe import assert_no_axe_violations

    for path in (
        f"/{lang}/neighbourhoods/",
        f"/{lang}/neighbourhoods/district/centrum/",
        f"/{lang}/neighbourhoods/wyck/",
        f"/{lang}/neighbourhoods/malberg/",  # the empty states
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_no_axe_violations(page)


def test_choosing_my_neighbourhood_and_its_error_state(page: Page, city: City) -> None:
    from tests.e2e.axe import assert_no_axe_violations

    page.goto("/en/neighbourhoods/")
    page.get_by_role("button", name="Save my neighbourhood").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a neighbourhood from the list.")
    assert_no_axe_violations(page)
    page.get_by_label("My neighbourhood").select_option("wyck")
    page.get_by_role("button", name="Save my neighbourhood").press("Enter")
    expect(page.get_by_text("Wyck is now your neighbourhood on the home page.")).to_be_visible()
    page.goto("/en/neighbourhoods/wyck/")
    expect(page.get_by_role("heading", name="Your neighbourhood")).to_be_visible()
    assert_no_axe_violations(page)
