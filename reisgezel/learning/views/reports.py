"""Staff reports: what the funds must pay, per fund and period (page, CSV, Excel)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from reisgezel.core.date_range import DateField
from reisgezel.learning.models import DiscountScheme, SchemeKind
from reisgezel.learning.services.reports import (
    can_see_fund_reports,
    fund_report,
    fund_report_csv,
    fund_report_xlsx,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FundReportForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label=_("Fund"),
        queryset=DiscountScheme.objects.filter(kind=SchemeKind.FUND),
        empty_label=_("Choose a fund"),
        error_messages={
            "required": _("Choose a fund."),
            "invalid_choice": _("Choose one of the funds in the list."),
        },
    )
    date_from = DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Editions that start on or after this day."),
        error_messages={"required": _("Enter the first day."), "invalid": _("Enter a valid date.")},
    )
    date_to = DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Editions that start on or before this day."),
        error_messages={"required": _("Enter the last day."), "invalid": _("Enter a valid date.")},
    )
    format = forms.ChoiceField(
        label=_("Show as"),
        choices=[("html", _("This page")), ("csv", _("CSV file")), ("xlsx", _("Excel file"))],
        initial="html",
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data


@login_required
def fund_report_page(request: HttpRequest) -> HttpResponse:
    if not can_see_fund_reports(request.user):
        raise PermissionDenied
    form = FundReportForm(request.GET if "scheme" in request.GET else None)
    report = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            report = fund_report(
                actor=request.user,
                scheme=data["scheme"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if data.get("format") == "csv":
                response = HttpResponse(
                    fund_report_csv(report), content_type="text/csv; charset=utf-8"
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="{report.filename_stem}.csv"'
                )
                return response
            if data.get("format") == "xlsx":
                response = HttpResponse(fund_report_xlsx(report), content_type=XLSX_TYPE)
                response["Content-Disposition"] = (
                    f'attachment; filename="{report.filename_stem}.xlsx"'
                )
                return response
    return render(
        request,
        "learning/reports/funds.html",
        {"form": form, "report": report},
        status=400 if form.is_bound and form.errors else 200,
    )
