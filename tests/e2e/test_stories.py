"""The stories pages in Chromium: no axe-core violations (WCAG 2.2 AA) in Dutch and
English on the submission form (also with its errors), a story, the list, the map (with
its list alternative) and my stories; the map draws the generalised markers."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from reisgezel.places.models import District, Neighbourhood
from reisgezel.stories.models import Story, ThemedCollection
from reisgezel.stories.services import StoryInput, story_approve, story_submit
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.session import log_in
from tests.factories import make_user, moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WYCK = {
    "type": "Polygon",
    "coordinates": [
        [[5.69, 50.845], [5.71, 50.845], [5.71, 50.855], [5.69, 50.855], [5.69, 50.845]]
    ],
}


@pytest.fixture
def stories() -> dict[str, Any]:
    district = District.objects.create(code="WK1", name="Centrum", slug="centrum", geometry={})
    wyck = Neighbourhood.objects.create(
        code="BU1", name="Wyck", slug="wyck", district=district, geometry=WYCK
    )
    author = make_user()
    judge = moderator()
    made: list[Story] = []
    for n, title in enumerate(["De fluit van de Sphinx", "Carnaval in Wyck"]):
        story = story_submit(
            actor=author,
            data=StoryInput(
                title=title,
                text="Elke ochtend klonk de fluit van de fabriek over heel Wyck.",
                about="own-life",
                licence="cc-by-4.0",
                display_name="Jo",
                people_consent=True,
                neighbourhood_id=wyck.pk,
                is_home_location=n == 1,
            ),
        )
        made.append(story_approve(actor=judge, story=story))
    theme = ThemedCollection.objects.create(
        slug="sphinx",
        title={"nl": "Sphinx, een plek van herinnering", "en": "Sphinx, a place of memory"},
    )
    theme.entries.create(story=made[0], position=0)
    story_submit(  # one waiting in the moderation queue
        actor=author,
        data=StoryInput(
            title="Wacht nog",
            text="Dit verhaal wacht nog op de redactie van de site.",
            about="own-life",
            licence="site-only",
            people_consent=True,
        ),
    )
    return {"author": author, "stories": made, "moderator": judge}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_stories_pages_have_no_axe_violations(
    page: Page,
    browser_context: BrowserContext,
    live_server: Any,
    stories: dict[str, Any],
    lang: str,
) -> None:
    story = stories["stories"][0]
    for path in [
        f"/{lang}/stories/",
        f"/{lang}/stories/?neighbourhood=wyck&about=own-life",
        f"/{lang}/stories/tell/",
        f"/{lang}/stories/{story.uuid}/",
        f"/{lang}/stories/map/",
        f"/{lang}/stories/themes/",
        f"/{lang}/stories/themes/sphinx/",
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_no_axe_violations(page)
    # The form with its error summary.
    page.goto(f"/{lang}/stories/tell/")
    page.locator("form.c-form button[type=submit]").first.click()
    page.wait_for_selector("#error-summary")
    assert_no_axe_violations(page)
    # The report form, opened.
    page.goto(f"/{lang}/stories/{story.uuid}/")
    page.locator("details.stories-report summary").click()
    assert_no_axe_violations(page)
    log_in(browser_context, live_server, stories["moderator"])
    page.goto(f"/{lang}/stories/moderation/")
    assert_no_axe_violations(page)
    log_in(browser_context, live_server, stories["author"])
    for path in [
        f"/{lang}/stories/mine/",
        f"/{lang}/stories/mine/erase/",
        f"/{lang}/stories/mine/{story.uuid}/edit/",
    ]:
        page.goto(path)
        assert_no_axe_violations(page)


def test_the_map_draws_markers_and_lists_the_same_stories(
    page: Page, stories: dict[str, Any]
) -> None:
    page.goto("/nl/stories/map/")
    page.wait_for_selector(".leaflet-marker-icon")
    assert page.locator(".leaflet-marker-icon").count() == 2
    assert page.locator("#map-list + ul li").count() == 2


def test_a_resident_submits_a_story_with_the_keyboard_and_mouse(
    page: Page, stories: dict[str, Any]
) -> None:
    page.goto("/en/stories/tell/")
    page.locator("#id_title").fill("The bridge at night")
    page.locator("#id_text").fill("We walked over the Sint Servaas bridge every night.")
    page.get_by_label("My own life in the city").check()
    page.locator("#id_email").fill("reader@example.org")
    page.get_by_label("Only on this site").check()
    page.get_by_label("Everyone who can be recognised", exact=False).check()
    page.get_by_role("button", name="Send my story").click()
    page.wait_for_url("**/stories/tell/thanks/")
    assert Story.objects.filter(title="The bridge at night", state="awaiting").exists()
