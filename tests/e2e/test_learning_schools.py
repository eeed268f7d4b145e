"""The school programme pages in Chromium: no axe-core violations (WCAG 2.2 AA) in Dutch
and English, on the list, the booking form (also with its errors), the school's bookings
and the staff's fund report."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from reisgezel.learning.models import CourseKind, ProgrammeSlot, School, SchoolBooking, SchoolBudget
from reisgezel.learning.services.schemes import schemes_ensure
from reisgezel.learning.services.tariffs import school_year_label
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.session import log_in
from tests.factories import make_place, make_user
from tests.learning_factories import make_course

# serialized_rollback keeps the seeded taxonomy (a data migration) between transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def programme() -> dict[str, Any]:
    course = make_course(
        kind=CourseKind.SCHOOL_PROGRAMME,
        title={"nl": "Fossielen zoeken in de klas", "en": "Finding fossils in class"},
        summary={"nl": "Een les over de ENCI-groeve.", "en": "A lesson on the ENCI quarry."},
        age_min=6,
        age_max=12,
        grade_min=3,
        grade_max=6,
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=20)
    slots = [
        ProgrammeSlot.objects.create(
            course=course,
            starts_at=start + timedelta(days=day),
            ends_at=start + timedelta(days=day, hours=1),
            place=make_place(),
            price=Decimal("120.00"),
            max_pupils=30,
        )
        for day in (0, 7)
    ]
    teacher = make_user(email="juf@geusselt.example")
    school = School.objects.create(name="De Geusselt", brin="12AB", email="info@geusselt.example")
    school.contacts.add(teacher)
    SchoolBudget.objects.create(
        school=school,
        school_year=school_year_label(timezone.localdate() + timedelta(days=20)),
        amount=Decimal("500.00"),
    )
    return {"course": course, "slots": slots, "teacher": teacher, "school": school}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_school_pages_have_no_axe_violations(
    page: Page,
    browser_context: BrowserContext,
    live_server: Any,
    programme: dict[str, Any],
    lang: str,
) -> None:
    response = page.goto(f"/{lang}/learn/schools/")
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)

    log_in(browser_context, live_server, programme["teacher"])
    for path in [
        f"/{lang}/learn/schools/",
        f"/{lang}/learn/schools/{programme['course'].slug}/book/",
        f"/{lang}/learn/schools/bookings/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_booking_with_errors_then_done(
    page: Page,
    browser_context: BrowserContext,
    live_server: Any,
    programme: dict[str, Any],
    lang: str,
) -> None:
    log_in(browser_context, live_server, programme["teacher"])
    page.goto(f"/{lang}/learn/schools/")
    page.locator("a[href*='/book/?slot=']").first.click()
    # A grade outside the programme's range: the error summary links to the field.
    page.locator("#id_class_name").fill("Groep 5B")
    page.locator("#id_grade").fill("8")
    page.locator("#id_pupils").fill("25")
    page.locator("form.c-form button[type=submit]").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    assert_no_axe_violations(page)
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#id_grade")
    page.locator("#id_grade").fill("5")
    page.locator("form.c-form button[type=submit]").click()
    expect(page.locator("table")).to_contain_text("Groep 5B")
    assert_no_axe_violations(page)
    booking = SchoolBooking.objects.get()
    assert booking.cjp_amount == Decimal("120.00")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_fund_report_page_has_no_axe_violations(
    page: Page, browser_context: BrowserContext, live_server: Any, lang: str
) -> None:
    schemes_ensure()
    log_in(browser_context, live_server, make_user(is_staff=True))
    response = page.goto(f"/{lang}/learn/reports/funds/")
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)
    page.locator("#id_scheme").select_option(index=1)
    page.locator("#id_date_from").fill("2026-12-31")
    page.locator("#id_date_to").fill("2026-01-01")
    page.locator("form.c-form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)
