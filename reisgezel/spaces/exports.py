"""Invoices as CSV and Excel downloads for staff (the bookkeeping imports either)."""

from __future__ import annotations

import contextlib
import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from reisgezel.core.spreadsheets import spreadsheet_text
from reisgezel.spaces import rules
from reisgezel.spaces.selectors import Invoice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(invoice: Invoice) -> list[list[str]]:
    rows = [[_("Date"), _("From"), _("Until"), _("Room"), _("Description"), _("Amount")]]
    for line in invoice.lines:
        start = line.booking.starts_at.astimezone(rules.city_tz())
        end = line.booking.ends_at.astimezone(rules.city_tz())
        rows.append(
            [
                start.date().isoformat(),
                f"{start:%H:%M}",
                f"{end:%H:%M}",
                spreadsheet_text(str(line.booking.bookable.room)),
                spreadsheet_text(line.description),
                f"{line.amount:.2f}",
            ]
        )
    rows.append(["", "", "", "", _("Total"), f"{invoice.total:.2f}"])
    return rows


def _filename(invoice: Invoice, extension: str) -> str:
    return f"invoice-{invoice.group.pk}-{invoice.first_day}-{invoice.last_day}.{extension}"


def invoice_csv(invoice: Invoice) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out).writerows(_rows(invoice))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(invoice, "csv")}"'
    return response


def invoice_xlsx(invoice: Invoice) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Invoice")[:31]
    sheet.append(
        [spreadsheet_text(invoice.group.name), str(invoice.first_day), str(invoice.last_day)]
    )
    for row in _rows(invoice):
        sheet.append(row)
    # Amounts as numbers, so the spreadsheet adds them up.
    for cells in sheet.iter_rows(min_row=3, min_col=6, max_col=6):
        for cell in cells:
            with contextlib.suppress(ValueError):
                cell.value = float(str(cell.value))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(invoice, "xlsx")}"'
    return response
