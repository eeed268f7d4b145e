"""A participant's learning journey across the years, and its export (JSON or CSV).

Only the participant themself and the guardians of their household see it; anyone else
gets 404.
"""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.core.spreadsheets import spreadsheet_text
from reisgezel.learning.models import Participant
from reisgezel.learning.selectors import journey_of, participants_of
from reisgezel.learning.services.family import CSV_COLUMNS, attendance_summary, participant_export

TEMPLATES = "learning/journey/"


def _participant(request: HttpRequest, participant_id: int) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("household"),
        pk=participant_id,
        pk__in=participants_of(request.user).values("pk"),
    )


@login_required
def journey(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = _participant(request, participant_id)
    years = [
        {
            "year": year.year,
            "items": [
                {"enrolment": e, "attendance": attendance_summary(e)} for e in year.enrolments
            ],
        }
        for year in journey_of(participant)
    ]
    context = {
        "participant": participant,
        "age": participant.age_on(timezone.localdate()),
        "years": years,
    }
    return render(request, TEMPLATES + "journey.html", context)


@login_required
def journey_export(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = _participant(request, participant_id)
    file_format = request.GET.get("format", "json")
    if file_format not in ("json", "csv"):
        return HttpResponseBadRequest(_("Choose the format json or csv."))
    data = participant_export(actor=request.user, participant=participant)
    name = slugify(f"{participant.given_name} {participant.family_name}") or "participant"
    stamp = timezone.localdate().isoformat()
    if file_format == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(
            {key: spreadsheet_text(value) for key, value in row.items()}
            for row in data["enrolments"]
        )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"learning-journey-{name}-{stamp}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
