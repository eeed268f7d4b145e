"""The public pages in Chromium: no axe-core violations (WCAG 2.2 AA) in Dutch and English,
and the agenda filters work with the keyboard alone."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from reisgezel.accounts.models import OrganisationKind
from reisgezel.places.models import District, Neighbourhood
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.session import log_in
from tests.factories import OrganisationFactory, PlaceFactory, at, make_user, published_event

# serialized_rollback keeps the seeded taxonomy (a data migration) between transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def agenda() -> dict[str, Any]:
    centrum = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    wyck = Neighbourhood.objects.create(
        code="BU1", name="Wyck", slug="wyck", district=centrum, geometry={}
    )
    house = OrganisationFactory(
        name="Centre Céramique", slug="centre-ceramique", kind=OrganisationKind.HOUSE
    )
    choir = OrganisationFactory(name="Koor Wyck", slug="koor-wyck")
    hall = PlaceFactory(name="Zaal Wyck", slug="zaal-wyck", neighbourhood=wyck)
    concert = published_event(
        organisation=choir,
        place_id=hall.pk,
        title={"nl": "Kerstconcert", "en": "Christmas concert"},
        disciplines=["music"],
        is_free=False,
        base_price=Decimal("10.00"),
        start=at(12, 20),
    )
    dance = published_event(
        organisation=house,
        place_id=hall.pk,
        title={"nl": "Dansvoorstelling"},
        disciplines=["dance"],
        start=at(14, 15),
    )
    return {"concert": concert, "dance": dance, "house": house, "choir": choir, "hall": hall}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_public_pages_have_no_axe_violations(page: Page, agenda: dict[str, Any], lang: str) -> None:
    concert = agenda["concert"]
    paths = [
        f"/{lang}/",
        f"/{lang}/agenda/",
        f"/{lang}/agenda/?discipline=music&when=month&free=1",
        f"/{lang}/agenda/?age=abc",  # the error state too
        f"/{lang}/agenda/{concert.pk}/{concert.slug}/",
        f"/{lang}/places/zaal-wyck/",
        f"/{lang}/organisers/koor-wyck/",
        f"/{lang}/organisers/",
        f"/{lang}/accounts/login/",
        f"/{lang}/accounts/signup/",
        f"/{lang}/accounts/signup/sent/",
        f"/{lang}/accounts/password/reset/",
    ]
    for path in paths:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_no_axe_violations(page)


def _tab_to(page: Page, predicate: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"() => {{ const el = document.activeElement; return !!el && ({predicate}); }}"
        ):
            return
    raise AssertionError(f"never reached an element where {predicate}")


def test_agenda_filters_work_with_the_keyboard_only(page: Page, agenda: dict[str, Any]) -> None:
    page.goto("/nl/agenda/")
    results = page.locator("#agenda-results")
    expect(results).to_contain_text("Kerstconcert")
    expect(results).to_contain_text("Dansvoorstelling")

    _tab_to(page, "el.id === 'id_discipline_dance'")
    page.keyboard.press("Space")
    expect(page.locator("#id_discipline_dance")).to_be_checked()

    _tab_to(page, "el.type === 'submit' && el.closest('form.c-filters') !== null")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"discipline=dance"))
    expect(results).to_contain_text("Dansvoorstelling")
    expect(results).not_to_contain_text("Kerstconcert")
    expect(page.locator("#id_discipline_dance")).to_be_checked()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Page, agenda: dict[str, Any]
) -> None:
    page.goto("/en/agenda/")
    page.keyboard.press("Tab")
    skip = page.locator(".c-skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_the_sign_up_form_shows_its_errors_without_axe_violations(page: Page) -> None:
    page.goto("/en/accounts/signup/")
    page.get_by_label("Your name").fill("Marij")
    page.get_by_label("E-mail address").fill("marij@")
    page.get_by_label("Password").fill("123")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".c-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_account_pages_have_no_axe_violations(
    page: Page, browser_context: BrowserContext, live_server: Any, lang: str
) -> None:
    log_in(browser_context, live_server, make_user(display_name="Marij"))
    for path in (
        f"/{lang}/accounts/me/",
        f"/{lang}/accounts/me/password/",
        f"/{lang}/accounts/me/delete/",
        f"/{lang}/accounts/me/email/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)
    page.goto(f"/{lang}/accounts/me/")
    page.locator("#id_display_name").fill(" ")
    page.locator("main button.c-button--primary").click()
    expect(page.locator(".c-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
