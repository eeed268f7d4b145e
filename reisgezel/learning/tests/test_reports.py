"""What the funds must pay, per fund and period: rows, totals, CSV, Excel, the staff page."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from reisgezel.accounts.models import User
from reisgezel.learning.models import (
    DiscountScheme,
    Edition,
    Enrolment,
    EnrolmentState,
    Participant,
)
from reisgezel.learning.services.reports import (
    fund_report,
    fund_report_csv,
    fund_report_xlsx,
)
from reisgezel.learning.services.schemes import (
    JEUGDFONDS_CODE,
    SENIOR_DISCOUNT_CODE,
    VOLWASSENENFONDS_CODE,
    schemes_ensure,
)
from tests.factories import make_user
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)

pytestmark = pytest.mark.django_db

URL = "/en/learn/reports/funds/"


def funded(
    participant: Participant,
    edition: Edition,
    scheme: DiscountScheme,
    amount: str,
    **values: object,
) -> Enrolment:
    return Enrolment.objects.create(
        edition=edition,
        participant=participant,
        price_full=Decimal(amount),
        price_due=Decimal("0.00"),
        fund_amount=Decimal(amount),
        scheme=scheme,
        **values,
    )


@pytest.fixture
def data() -> dict[str, object]:
    schemes_ensure()
    jeugdfonds = DiscountScheme.objects.get(code=JEUGDFONDS_CODE)
    volwassenenfonds = DiscountScheme.objects.get(code=VOLWASSENENFONDS_CODE)
    household = make_household()
    lotte = make_child(household=household, age=9, given_name="Lotte", family_name="Smeets")
    daan = make_child(household=household, age=12, given_name="=cmd|'/C calc'!A0", family_name="X")
    course = make_course(age_min=4, age_max=17, title={"nl": "Slagwerk", "en": "Percussion"})
    start = date(2026, 9, 1)
    autumn = make_edition(course=course, starts_on=start, ends_on=start + timedelta(weeks=10))
    spring = make_edition(
        course=course, starts_on=date(2027, 2, 1), ends_on=date(2027, 4, 1), code="spring"
    )
    funded(lotte, autumn, jeugdfonds, "120.00")
    funded(daan, autumn, jeugdfonds, "95.50")
    funded(lotte, spring, jeugdfonds, "80.00")  # outside an autumn period
    funded(
        make_child(household=household, age=10, given_name="Gone"),
        autumn,
        jeugdfonds,
        "120.00",
        state=EnrolmentState.CANCELLED,
        cancelled_at=timezone.now(),
    )
    adult = make_adult()
    funded(
        adult,
        make_edition(starts_on=start, ends_on=start + timedelta(days=7)),
        volwassenenfonds,
        "150.00",
    )
    return {"jeugdfonds": jeugdfonds, "lotte": lotte, "autumn": autumn}


def staff() -> User:
    return make_user(is_staff=True)


def test_one_row_per_enrolment_the_fund_pays_with_a_total(data: dict) -> None:
    report = fund_report(
        actor=staff(),
        scheme=data["jeugdfonds"],
        date_from=date(2026, 8, 1),
        date_to=date(2026, 12, 31),
    )
    assert len(report.rows) == 2
    assert report.total == Decimal("215.50")
    lotte = next(row for row in report.rows if row.participant == "Lotte Smeets")
    assert lotte.birth_year == data["lotte"].birth_date.year
    assert lotte.amount == Decimal("120.00")
    assert lotte.provider == data["autumn"].course.provider.name


def test_the_csv_has_the_rows_the_total_and_no_full_birth_date(data: dict) -> None:
    report = fund_report(
        actor=staff(),
        scheme=data["jeugdfonds"],
        date_from=date(2026, 8, 1),
        date_to=date(2026, 12, 31),
    )
    with translation.override("en"):
        text = fund_report_csv(report)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "Participant"
    assert rows[-1][0] == "Total" and rows[-1][-1] == "215.50"
    assert data["lotte"].birth_date.isoformat() not in text
    # A name that looks like a formula is neutralised for spreadsheets.
    assert any(row[0].startswith("'=cmd") for row in rows)


def test_the_excel_file_opens_with_numbers_and_a_total(data: dict) -> None:
    report = fund_report(
        actor=staff(),
        scheme=data["jeugdfonds"],
        date_from=date(2026, 8, 1),
        date_to=date(2026, 12, 31),
    )
    workbook = load_workbook(io.BytesIO(fund_report_xlsx(report)))
    sheet = workbook.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2 + 2 + 1  # title, header, two rows, total
    assert values[-1][-1] == pytest.approx(215.50)
    assert isinstance(values[2][1], int)  # the year of birth, a number


def test_only_staff_see_the_report(data: dict) -> None:
    with pytest.raises(PermissionDenied):
        fund_report(
            actor=make_user(),
            scheme=data["jeugdfonds"],
            date_from=date(2026, 1, 1),
            date_to=date(2026, 12, 31),
        )


def test_a_discount_is_not_a_fund_and_dates_must_be_ordered(data: dict) -> None:
    with pytest.raises(ValidationError) as error:
        fund_report(
            actor=staff(),
            scheme=DiscountScheme.objects.get(code=SENIOR_DISCOUNT_CODE),
            date_from=date(2026, 12, 31),
            date_to=date(2026, 1, 1),
        )
    assert set(error.value.message_dict) == {"scheme", "date_to"}


def test_the_page_asks_anonymous_visitors_to_log_in_and_refuses_others(data: dict) -> None:
    client = Client()
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user())
    assert client.get(URL).status_code == 403


def test_the_page_shows_the_report_and_downloads_csv_and_excel(data: dict) -> None:
    client = Client()
    client.force_login(staff())
    params = {"scheme": data["jeugdfonds"].pk, "date_from": "2026-08-01", "date_to": "2026-12-31"}
    page = client.get(URL, params)
    assert page.status_code == 200
    assert "Lotte Smeets" in page.content.decode() and "215.50" in page.content.decode()
    download = client.get(URL, {**params, "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    assert "jeugdfonds_2026-08-01_2026-12-31.csv" in download["Content-Disposition"]
    excel = client.get(URL, {**params, "format": "xlsx"})
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(excel.content)).active is not None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"scheme": "", "date_from": "2026-08-01", "date_to": "2026-12-31"}, "Choose a fund."),
        (
            {"scheme": "999999", "date_from": "2026-08-01", "date_to": "2026-12-31"},
            "Choose one of the funds",
        ),
        ({"date_from": "yesterday", "date_to": "2026-12-31"}, "Enter a valid date."),
        ({"date_from": "2026-12-31", "date_to": "2026-01-01"}, "on or after the start date"),
        ({"date_from": "2020-01-01", "date_to": "2026-12-31"}, "at most three years"),
    ],
)
def test_bad_input_on_the_page_gets_a_clear_message(
    data: dict, params: dict[str, str], message: str
) -> None:
    client = Client()
    client.force_login(staff())
    params = {"scheme": str(data["jeugdfonds"].pk), **params}
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
