"""The heritage pages in Chromium: no axe-core violations (WCAG 2.2 AA) on the collection
search (with filters, and with an error), object, exhibit and dictionary pages in Dutch
and English; the collection filters work with the keyboard alone (htmx and without)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from reisgezel.heritage.tests.test_pages_world import World, build_world
from tests.e2e.axe import assert_no_axe_violations

# serialized_rollback keeps the seeded taxonomy (a data migration) between transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_ROOT = tmp_path / "iiif"
    return build_world()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_heritage_pages_have_no_axe_violations(page: Page, world: World, lang: str) -> None:
    paths = [
        f"/{lang}/collection/",
        f"/{lang}/collection/?q=maastricht&material=aardewerk&year_from=1800&image=1&sort=title",
        f"/{lang}/collection/?year_from=1900&year_to=1800",  # the error state too
        f"/{lang}/collection/object/{world.plate.pid}/",
        f"/{lang}/collection/object/{world.sensitive.pid}/",
        f"/{lang}/collection/object/{world.deleted_pid}/",
        f"/{lang}/collection/exhibits/",
        f"/{lang}/collection/exhibits/{world.exhibit.slug}/",
        f"/{lang}/collection/dictionary/",
        f"/{lang}/collection/dictionary/?q=huis",
        f"/{lang}/collection/dictionary/?letter=E",
        f"/{lang}/collection/dictionary/sjiek/",
        f"/{lang}/collection/dictionary/hoes/",
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


def test_collection_filters_work_with_the_keyboard_only(page: Page, world: World) -> None:
    page.goto("/en/collection/")
    results = page.locator("#collection-results")
    expect(results).to_contain_text("7 objects")

    # A facet checkbox: Space ticks it, htmx updates the results and keeps the focus.
    _tab_to(page, "el.id === 'id_material_porselein'")
    page.keyboard.press("Space")
    expect(results).to_contain_text("2 objects")
    expect(page).to_have_url(re.compile(r"material=porselein"))
    expect(page.locator("#id_material_porselein")).to_be_checked()
    expect(page.locator("#id_material_porselein")).to_be_focused()
    expect(page.locator("#collection-status")).to_have_text("2 objects")

    # The period fields and the submit button are reachable and work.
    _tab_to(page, "el.id === 'id_year_from'")
    page.keyboard.type("1900")
    _tab_to(page, "el.type === 'submit' && el.closest('form.c-filters') !== null")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"year_from=1900"))
    expect(results).to_contain_text("1 object")
    expect(results).to_contain_text("Vase with flowers")
    assert_no_axe_violations(page)


def test_collection_filters_work_without_javascript(
    browser: Any, live_server: Any, world: World
) -> None:
    context = browser.new_context(base_url=str(live_server.url), java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/en/collection/")
        page.get_by_label("porcelain").check()
        page.get_by_role("button", name="Show results").click()
        expect(page).to_have_url(re.compile(r"material=porselein"))
        expect(page.locator("#collection-results")).to_contain_text("2 objects")
    finally:
        context.close()
