"""Pages of "I have an idea": the initiator's pages and the staff triage pages.

Thin views: forms parse, services decide, selectors read only what the user may see.
The initiator's pages never load staff notes; the staff pages answer 403 to others.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reisgezel.initiatives import selectors, services
from reisgezel.initiatives.forms import (
    CoachForm,
    InitiativeForm,
    NoteForm,
    StateForm,
    TriageFilterForm,
    add_service_errors,
)
from reisgezel.initiatives.models import Initiative
from reisgezel.initiatives.permissions import is_house_staff

T = "initiatives/"


def submit(request: HttpRequest) -> HttpResponse:
    """The idea form. Anonymous visitors get an explanation and a login link, not a form:
    we need to know whom to talk to."""
    if not request.user.is_authenticated:
        login_url = reverse("accounts:login") + "?" + urlencode({"next": request.path})
        return render(request, T + "login_needed.html", {"login_url": login_url})
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            initiative = services.initiative_submit(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                help_needed=list(data["help_needed"]),
                neighbourhood=data["neighbourhood"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you! We will contact you about your idea."))
            return redirect("initiatives:detail", pk=initiative.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, T + "submit.html", {"form": form}, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    initiatives = selectors.initiatives_of(user=request.user)
    return render(request, T + "mine.html", {"initiatives": initiatives})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The initiator's view: state and history of state changes. Never the notes."""
    initiative = selectors.initiative_get_for_initiator(user=request.user, pk=pk)
    history = initiative.state_changes.all()
    return render(request, T + "detail.html", {"initiative": initiative, "history": history})


# --- Staff ------------------------------------------------------------------------------


def _require_staff(request: HttpRequest) -> None:
    if not is_house_staff(request.user):
        raise PermissionDenied(_("Only staff of the houses can see this page."))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def triage(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = TriageFilterForm(request.GET)
    status = 200 if form.is_valid() else 400
    data: dict[str, Any] = form.cleaned_data if status == 200 else {}
    coach = data.get("coach", "")
    neighbourhood = data.get("neighbourhood")
    initiatives = selectors.triage_list(
        state=data.get("state", ""),
        coach_id=int(coach) if coach and coach.isdigit() else None,
        unassigned=coach == "none",
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
    )
    page = Paginator(initiatives, 50).get_page(request.GET.get("page") or 1)
    return render(
        request,
        T + "triage.html",
        {
            "form": form,
            "initiatives": page.object_list,
            "page_obj": page,
            "query": _query_without_page(request),
        },
        status=status,
    )


def _staff_page(
    request: HttpRequest,
    initiative: Initiative,
    *,
    coach_form: CoachForm | None = None,
    state_form: StateForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    allowed = services.allowed_next_states(initiative.state)
    context = {
        "initiative": initiative,
        "history": initiative.state_changes.select_related("actor"),
        "notes": initiative.notes.select_related("author"),
        "coach_form": coach_form or CoachForm(initial={"coach": initiative.coach_id}),
        "state_form": state_form or (StateForm(allowed=allowed) if allowed else None),
        "note_form": note_form or NoteForm(),
    }
    return render(request, T + "staff_detail.html", context, status=status)


def _staff_initiative(request: HttpRequest, pk: int) -> Initiative:
    _require_staff(request)
    return get_object_or_404(
        Initiative.objects.select_related("initiator", "coach", "neighbourhood"), pk=pk
    )


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_page(request, _staff_initiative(request, pk))


@login_required
@require_POST
def staff_coach(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _staff_initiative(request, pk)
    form = CoachForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_assign_coach(
                actor=request.user, initiative=initiative, coach=form.cleaned_data["coach"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The coach is saved."))
            return redirect("initiatives:staff_detail", pk=pk)
    return _staff_page(request, initiative, coach_form=form, status=400)


@login_required
@require_POST
def staff_state(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _staff_initiative(request, pk)
    form = StateForm(request.POST, allowed=services.allowed_next_states(initiative.state))
    if form.is_valid():
        try:
            services.initiative_change_state(
                actor=request.user,
                initiative=initiative,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The state is changed; the initiator gets an e-mail."))
            return redirect("initiatives:staff_detail", pk=pk)
    return _staff_page(request, initiative, state_form=form, status=400)


@login_required
@require_POST
def staff_note(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _staff_initiative(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_note_add(
                actor=request.user, initiative=initiative, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The note is added."))
            return redirect("initiatives:staff_detail", pk=pk)
    return _staff_page(request, initiative, note_form=form, status=400)
