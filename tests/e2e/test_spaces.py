"""Room booking pages in Chromium: no axe-core violations (WCAG 2.2 AA) in Dutch and
English on the room list and room page, the booking form (with its weekly plan and its
error summary), my bookings, the staff approval queue, and a partner's own desk."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from reisgezel.accounts.models import OrganisationKind
from reisgezel.places.models import OpeningHours, Room
from reisgezel.spaces.models import (
    BookableRoom,
    BookingGroup,
    Equipment,
    GroupKind,
    GroupStatus,
    RoomRate,
)
from reisgezel.spaces.rules import local_datetime
from reisgezel.spaces.services import booking_request
from tests.e2e.axe import assert_no_axe_violations
from tests.factories import make_organisation, make_place, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def booking_data() -> dict[str, date]:
    place = make_place(name="Kumulus", slug="kumulus")
    for weekday in range(6):
        OpeningHours.objects.create(place=place, weekday=weekday, opens=time(9), closes=time(23))
    room = Room.objects.create(place=place, name="Dansstudio", slug="dansstudio", capacity=25)
    bookable = BookableRoom.objects.create(room=room, slug="kumulus-dansstudio", step_free=True)
    bookable.equipment.add(
        Equipment.objects.create(
            code="mirror-wall", name={"nl": "Spiegelwand", "en": "Mirror wall"}
        )
    )
    for kind, rate in (("association", "12.50"), ("resident", "15.00"), ("commercial", "45.00")):
        RoomRate.objects.create(bookable=bookable, group_kind=kind, hourly_rate=Decimal(rate))
    member = make_user(username="danser")
    organisation = make_organisation(name="Dansgroep Jekerdal", kind=OrganisationKind.ASSOCIATION)
    organisation.memberships.create(user=member)
    group = BookingGroup.objects.create(
        name="Dansgroep Jekerdal",
        kind=GroupKind.ASSOCIATION,
        organisation=organisation,
        contact=member,
        status=GroupStatus.PENDING,
    )
    day = timezone.localdate() + timedelta(days=9)
    while day.weekday() != 1:
        day += timedelta(days=1)
    booking_request(
        actor=member,
        bookable=bookable,
        group=group,
        title="Repetitie",
        starts_at=local_datetime(day, time(19, 30)),
        ends_at=local_datetime(day, time(21, 30)),
    )
    make_user(username="balie", is_staff=True)
    # A partner's own room: its members answer the requests on their own desk.
    partner = make_organisation(name="Muziekhuis Wyck")
    partner.memberships.create(user=make_user(username="muziekhuis"))
    studio = Room.objects.create(place=place, name="Muziekstudio", slug="muziekstudio")
    own = BookableRoom.objects.create(room=studio, slug="kumulus-muziekstudio", managed_by=partner)
    RoomRate.objects.create(bookable=own, group_kind="association", hourly_rate=Decimal("8.00"))
    booking_request(
        actor=member,
        bookable=own,
        group=group,
        title="Bandrepetitie",
        starts_at=local_datetime(day, time(20)),
        ends_at=local_datetime(day, time(22)),
    )
    return {"day": day}


def _log_in(page: Page, lang: str, username: str) -> None:
    page.goto(f"/{lang}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_booking_pages_have_no_axe_violations(
    page: Page, booking_data: dict[str, date], lang: str
) -> None:
    for path in (f"/{lang}/spaces/", f"/{lang}/spaces/rooms/kumulus-dansstudio/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang
        assert_no_axe_violations(page)

    _log_in(page, lang, "danser")
    page.goto(f"/{lang}/spaces/rooms/kumulus-dansstudio/book/")
    assert_no_axe_violations(page)
    # A weekly request: the plan with the conflicting date, then an error summary.
    day = booking_data["day"]
    page.locator("input[name=title]").fill("Les")
    page.locator("input[name=day]").fill((day - timedelta(days=7)).isoformat())
    page.locator("input[name=start_time]").fill("20:00")
    page.locator("input[name=end_time]").fill("21:00")
    page.locator("input[name=repeat_until]").fill((day + timedelta(days=7)).isoformat())
    page.locator("form.c-form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#plan-title").is_visible()
    assert_no_axe_violations(page)
    page.locator("input[name=repeat_until]").fill("")
    page.locator("input[name=end_time]").fill("23:30")
    page.locator("form.c-form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".c-error-summary").is_visible()
    assert_no_axe_violations(page)
    page.goto(f"/{lang}/spaces/my/")
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    _log_in(page, lang, "balie")
    page.goto(f"/{lang}/spaces/staff/")
    assert page.get_by_text("Dansgroep Jekerdal").first.is_visible()
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    _log_in(page, lang, "muziekhuis")
    page.goto(f"/{lang}/partners/")
    assert_no_axe_violations(page)
    page.locator("a[href$='/spaces/staff/']").click()
    page.wait_for_load_state()
    assert page.get_by_text("Bandrepetitie").first.is_visible()
    assert page.locator("section.c-card h3").count() == 1  # not the houses' room
    assert_no_axe_violations(page)
    # Confirmed, then cancelled from the room's side: the list, and a refusal without reason.
    page.locator("section.c-card button[name=confirm]").click()
    page.wait_for_load_state()
    page.locator("a[href$='/spaces/staff/bookings/']").click()
    page.wait_for_load_state()
    page.locator("input[name=last_day]").fill((booking_data["day"] + timedelta(days=1)).isoformat())
    page.locator("form.c-form[method=get] button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_label("Bandrepetitie", exact=False).check()
    assert_no_axe_violations(page)
    page.locator("textarea[name=reason]").fill("   ")  # passes the browser's required check
    page.locator("form.c-form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").first.is_visible()
    assert_no_axe_violations(page)
    # The partner's own room, edited from the desk's link: text, settings, rates, photos.
    page.goto(f"/{lang}/spaces/staff/")
    page.locator("a[href$='/spaces/staff/rooms/kumulus-muziekstudio/']").click()
    page.wait_for_load_state()
    assert page.locator("input[name=capacity]").is_visible()
    assert_no_axe_violations(page)
