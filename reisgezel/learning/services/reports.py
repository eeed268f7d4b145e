"""What the funds must pay, per fund and period (CSV and Excel for their administration).

One row per enrolment the fund pays for, in an edition that starts within the period
(the fund's year is the year of the activity, as in the tariff service's yearly maximum),
with only what a fund needs to pay: the participant's name and year of birth (not the
full date), the course, the edition, the provider and the amount. Cancelled enrolments
are left out. Staff only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reisgezel.core.spreadsheets import spreadsheet_text
from reisgezel.learning.models.enrolment import Enrolment
from reisgezel.learning.models.schemes import DiscountScheme, SchemeKind
from reisgezel.learning.services.tariffs import COUNTING_STATES, ZERO

# A report over more than this many days is almost certainly a typo in the year.
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class FundReportRow:
    participant: str
    birth_year: int
    course: str
    edition: str
    starts_on: date
    provider: str
    amount: Decimal


@dataclass(frozen=True)
class FundReport:
    scheme: DiscountScheme
    date_from: date
    date_to: date
    rows: list[FundReportRow]

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), ZERO)

    @property
    def filename_stem(self) -> str:
        return f"{self.scheme.code}_{self.date_from:%Y-%m-%d}_{self.date_to:%Y-%m-%d}"


def can_see_fund_reports(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def fund_schemes() -> list[DiscountScheme]:
    return list(DiscountScheme.objects.filter(kind=SchemeKind.FUND))


def fund_report(
    *, actor: Any, scheme: DiscountScheme, date_from: date, date_to: date
) -> FundReport:
    if not can_see_fund_reports(actor):
        raise PermissionDenied(_("Only staff may see what the funds must pay."))
    errors: dict[str, list[str]] = {}
    if scheme.kind != SchemeKind.FUND:
        errors["scheme"] = [_("Choose a fund.")]
    if date_to < date_from:
        errors["date_to"] = [_("The end date must be on or after the start date.")]
    elif (date_to - date_from).days > MAX_PERIOD_DAYS:
        errors["date_to"] = [_("Choose a period of at most three years.")]
    if errors:
        raise ValidationError(errors)
    enrolments = (
        Enrolment.objects.filter(
            scheme=scheme,
            fund_amount__gt=0,
            state__in=COUNTING_STATES,
            edition__starts_on__range=(date_from, date_to),
        )
        .select_related("participant", "edition__course__provider")
        .order_by("edition__starts_on", "participant__family_name", "participant__given_name", "id")
    )
    rows = [
        FundReportRow(
            participant=str(e.participant),
            birth_year=e.participant.birth_date.year,
            course=str(e.edition.course.title),
            edition=f"{e.edition.code} {e.edition.term}".strip(),
            starts_on=e.edition.starts_on,
            provider=e.edition.course.provider.name,
            amount=e.fund_amount,
        )
        for e in enrolments
    ]
    return FundReport(scheme=scheme, date_from=date_from, date_to=date_to, rows=rows)


def _headers() -> list[str]:
    return [
        _("Participant"),
        _("Year of birth"),
        _("Course"),
        _("Edition"),
        _("First day"),
        _("Provider"),
        _("Amount (EUR)"),
    ]


def fund_report_csv(report: FundReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            spreadsheet_text(str(report.scheme.name)),
            report.date_from.isoformat(),
            report.date_to.isoformat(),
        ]
    )
    writer.writerow(_headers())
    for row in report.rows:
        writer.writerow(
            [
                spreadsheet_text(row.participant),
                row.birth_year,
                spreadsheet_text(row.course),
                spreadsheet_text(row.edition),
                row.starts_on.isoformat(),
                spreadsheet_text(row.provider),
                f"{row.amount:.2f}",
            ]
        )
    writer.writerow([_("Total"), "", "", "", "", "", f"{report.total:.2f}"])
    return out.getvalue()


def fund_report_xlsx(report: FundReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = report.scheme.code[:31]
    sheet.append([spreadsheet_text(str(report.scheme.name)), report.date_from, report.date_to])
    sheet.append(_headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(
            [
                spreadsheet_text(row.participant),
                row.birth_year,
                spreadsheet_text(row.course),
                spreadsheet_text(row.edition),
                row.starts_on,
                spreadsheet_text(row.provider),
                row.amount,
            ]
        )
    total_row = sheet.max_row + 1
    sheet.append([_("Total"), None, None, None, None, None, report.total])
    sheet.cell(row=total_row, column=1).font = Font(bold=True)
    for column in ("E",):
        for cell in sheet[column][2:]:
            cell.number_format = "yyyy-mm-dd"
    for cell in sheet["G"][2:]:
        cell.number_format = "#,##0.00"
    for letter, width in zip("ABCDEFG", (28, 14, 36, 20, 12, 28, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
