"""The teacher's pages: my groups, a group's participants and sessions, attendance.

A teacher sees only the participants of the editions they teach; the course's provider
and staff see them too (learning/permissions.py: can_see_participants). Everyone else
gets a 403, whether or not the edition exists for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.learning.models import (
    CHILD_AGE_LIMIT,
    Attendance,
    Edition,
    Enrolment,
    EnrolmentState,
    Guardian,
    Presence,
    Session,
)
from reisgezel.learning.permissions import can_see_participants
from reisgezel.learning.services.attendance import may_record_attendance, record_attendance


def _edition_for(user: Any, edition_id: int) -> Edition:
    edition = (
        Edition.objects.select_related("course", "course__provider", "place", "room", "teacher")
        .filter(pk=edition_id)
        .first()
    )
    if edition is None:
        raise Http404(_("No such group."))
    if not can_see_participants(user, edition):
        raise PermissionDenied(_("You can only see the groups you teach."))
    return edition


def _active_enrolments(edition: Edition) -> list[Enrolment]:
    guardians = Prefetch(
        "participant__household__guardians",
        queryset=Guardian.objects.select_related("user").order_by("created_at", "pk"),
    )
    return list(
        edition.enrolments.filter(state=EnrolmentState.ACTIVE)
        .select_related("participant", "participant__household")
        .prefetch_related(guardians)
        .order_by("participant__family_name", "participant__given_name", "pk")
    )


@dataclass
class ParticipantRow:
    enrolment: Enrolment
    name: str
    age: int
    is_child: bool
    notes: str
    contacts: list[tuple[str, str]]
    """(name, e-mail) of the guardians to contact, for a child."""


def _rows(enrolments: list[Enrolment], today: date) -> list[ParticipantRow]:
    rows = []
    for enrolment in enrolments:
        participant = enrolment.participant
        age = participant.age_on(today)
        is_child = participant.user_id is None or age < CHILD_AGE_LIMIT
        contacts = []
        if is_child:
            for guardian in participant.household.guardians.all():
                user = guardian.user
                contacts.append((str(user.display_name or user.get_full_name() or ""), user.email))
        rows.append(
            ParticipantRow(
                enrolment=enrolment,
                name=str(participant),
                age=age,
                is_child=is_child,
                notes=participant.notes_for_teacher,
                contacts=contacts,
            )
        )
    return rows


@login_required
def teacher_home(request: HttpRequest) -> HttpResponse:
    """The editions the user teaches, this calendar year and later."""
    first_of_year = date(timezone.localdate().year, 1, 1)
    editions = (
        Edition.objects.filter(teacher_id=request.user.pk, ends_on__gte=first_of_year)
        .select_related("course", "place", "room")
        .annotate(
            active_count=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.ACTIVE))
        )
        .order_by("starts_on", "pk")
    )
    return render(request, "learning/teacher/home.html", {"editions": list(editions)})


@login_required
def teacher_edition(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _edition_for(request.user, edition_id)
    sessions = list(
        edition.sessions.select_related("room").annotate(
            recorded=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__presence=Presence.PRESENT)),
        )
    )
    context = {
        "edition": edition,
        "participants": _rows(_active_enrolments(edition), timezone.localdate()),
        "sessions": sessions,
        "may_record": may_record_attendance(request.user, edition),
    }
    response = render(request, "learning/teacher/edition.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


class AttendanceForm(forms.Form):
    """One radio group per active enrolment: `presence_<enrolment id>`."""

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            self.fields[f"presence_{enrolment.pk}"] = forms.ChoiceField(
                label=str(enrolment.participant),
                choices=Presence.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def presence(self) -> dict[int, str]:
        return {
            enrolment.pk: self.cleaned_data[f"presence_{enrolment.pk}"]
            for enrolment in self.enrolments
            if self.cleaned_data.get(f"presence_{enrolment.pk}")
        }


@login_required
def teacher_attendance(request: HttpRequest, edition_id: int, session_id: int) -> HttpResponse:
    edition = _edition_for(request.user, edition_id)
    if not may_record_attendance(request.user, edition):
        raise PermissionDenied(_("Only the teacher of this group can record attendance."))
    session = Session.objects.select_related("room").filter(pk=session_id, edition=edition).first()
    if session is None:
        raise Http404(_("No such session."))
    enrolments = _active_enrolments(edition)
    recorded = dict(
        Attendance.objects.filter(session=session).values_list("enrolment_id", "presence")
    )
    initial = {f"presence_{pk}": value for pk, value in recorded.items()}
    status = 200
    if request.method == "POST":
        form = AttendanceForm(request.POST, enrolments=enrolments, initial=initial)
        if form.is_valid():
            try:
                record_attendance(actor=request.user, session=session, presence=form.presence())
            except ValidationError as error:
                for messages in error.message_dict.values():
                    for message in messages:
                        form.add_error(None, message)
            else:
                url = reverse("learning:teacher_edition", kwargs={"edition_id": edition.pk})
                flash.success(request, _("Attendance saved."))
                return HttpResponseRedirect(url)
        status = 400
    else:
        form = AttendanceForm(enrolments=enrolments, initial=initial)
    rows = [
        (row, form[f"presence_{row.enrolment.pk}"])
        for row in _rows(enrolments, timezone.localdate())
    ]
    context = {"edition": edition, "session": session, "form": form, "rows": rows}
    response = render(request, "learning/teacher/attendance.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response
