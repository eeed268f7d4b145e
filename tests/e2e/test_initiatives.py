"""Partner profiles and "I have an idea" in Chromium: no axe-core violations (WCAG 2.2
AA) in Dutch and English on the directory with filters, an organiser profile, the idea
form (with its error summary), my ideas, one idea, the partner profile form and the
staff triage pages; the directory filters work with the keyboard, without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from reisgezel.accounts.models import OrganisationKind
from reisgezel.accounts.profiles import ProfileInput, organisation_profile_update
from reisgezel.core.i18n import LanguageMap
from reisgezel.initiatives.models import InitiativeState
from reisgezel.initiatives.services import (
    initiative_assign_coach,
    initiative_change_state,
    initiative_note_add,
    initiative_submit,
)
from reisgezel.places.models import District, Neighbourhood
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.session import log_in
from tests.factories import make_organisation, make_user, member_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def city() -> dict[str, Any]:
    district = District.objects.create(code="WK1", name="Noordwest", slug="noordwest", geometry={})
    malberg = Neighbourhood.objects.create(
        code="BU1", name="Malberg", slug="malberg", district=district, geometry={}
    )
    house = make_organisation(
        name="Centre Céramique", slug="ceramique", kind=OrganisationKind.HOUSE
    )
    choir = make_organisation(name="Buurtkoor Malberg", slug="buurtkoor-malberg")
    staff = make_user(is_staff=True, username="coach")
    organisation_profile_update(
        actor=staff,
        organisation=choir,
        data=ProfileInput(
            description=LanguageMap(nl="Wij zingen.", en="We sing."),
            audience=LanguageMap(nl="Iedereen die graag zingt", en="Everyone who likes to sing"),
            age_min=16,
            active_in=[malberg],
            contact_person="Maria Janssen",
            open_for_members=True,
            members_note=LanguageMap(nl="Nieuwe tenoren welkom."),
            wants_volunteers=True,
        ),
    )
    initiator = make_user(username="anna")
    idea = initiative_submit(
        actor=initiator,
        title="Zomerfeest",
        description="Een straatfeest.",
        help_needed=["place", "money"],
        neighbourhood=malberg,
    )
    initiative_assign_coach(actor=staff, initiative=idea, coach=staff)
    initiative_note_add(actor=staff, initiative=idea, text="Alleen voor staf")
    initiative_change_state(actor=staff, initiative=idea, to_state=InitiativeState.IN_CONVERSATION)
    return {
        "house": house,
        "choir": choir,
        "staff": staff,
        "initiator": initiator,
        "idea": idea,
        "member": member_of(choir),
    }


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_public_profile_pages_have_no_axe_violations(
    page: Page, city: dict[str, Any], lang: str
) -> None:
    for path in (
        f"/{lang}/organisers/",
        f"/{lang}/organisers/?open_for_members=on&wants_volunteers=on&neighbourhood=malberg",
        f"/{lang}/organisers/buurtkoor-malberg/",
        f"/{lang}/ideas/",  # anonymous: the login explanation
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)


def test_the_directory_filters_work_with_the_keyboard(page: Page, city: dict[str, Any]) -> None:
    page.goto("/en/organisers/")
    page.get_by_label("Looking for volunteers").check()
    page.get_by_label("Neighbourhood").select_option("malberg")
    page.get_by_role("button", name="Show organisers").press("Enter")
    page.wait_for_url("**wants_volunteers=on**")
    expect(page.get_by_role("link", name="Buurtkoor Malberg")).to_be_visible()
    expect(page.get_by_role("link", name="Centre Céramique")).to_have_count(0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_initiator_pages_have_no_axe_violations(
    page: Page, browser_context: BrowserContext, live_server: Any, city: dict[str, Any], lang: str
) -> None:
    log_in(browser_context, live_server, city["initiator"])
    idea = city["idea"]
    for path in (f"/{lang}/ideas/", f"/{lang}/ideas/mine/", f"/{lang}/ideas/mine/{idea.pk}/"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)
    expect(page.get_by_text("Alleen voor staf")).to_have_count(0)
    page.goto(f"/{lang}/ideas/")
    page.locator("button[type=submit].c-button").click()  # empty: the error summary
    expect(page.locator(".c-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_staff_and_partner_pages_have_no_axe_violations(
    page: Page, browser_context: BrowserContext, live_server: Any, city: dict[str, Any], lang: str
) -> None:
    log_in(browser_context, live_server, city["staff"])
    idea = city["idea"]
    for path in (
        f"/{lang}/ideas/triage/",
        f"/{lang}/ideas/triage/?state=in_conversation&neighbourhood={idea.neighbourhood_id}",
        f"/{lang}/ideas/triage/{idea.pk}/",
        f"/{lang}/partners/buurtkoor-malberg/profile/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)
    expect(page.locator("#id_contact_person")).to_have_value("Maria Janssen")
