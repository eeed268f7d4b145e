"""The family account: its members, child profiles, their enrolments and waiting-list
places. Thin views over `services.family`; another household answers 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from reisgezel.learning.forms_enrol import ChildForm, HouseholdSetupForm, add_service_errors
from reisgezel.learning.models import (
    CHILD_AGE_LIMIT,
    Enrolment,
    EnrolmentState,
    Entitlement,
    Household,
    Participant,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.selectors import households_of, waiting_position
from reisgezel.learning.services import family as family_services
from reisgezel.learning.services.schemes import entitlements_valid

TEMPLATES = "learning/family/"


@dataclass
class WaitingPlace:
    entry: WaitingListEntry
    position: int


@dataclass
class Member:
    participant: Participant
    age: int
    # Whether the viewer acts for this member: themself or a child profile. Another
    # adult of the household has their own account; only their name is shown.
    managed: bool = True
    enrolments: list[Enrolment] = field(default_factory=list)
    waiting: list[WaitingPlace] = field(default_factory=list)
    entitlements: list[Entitlement] = field(default_factory=list)


def _members(household: Household, viewer: Any) -> list[Member]:
    today = timezone.localdate()
    members = []
    for participant in household.participants.order_by("birth_date", "id"):
        if participant.user_id is not None and participant.user_id != viewer.pk:
            members.append(
                Member(participant=participant, age=participant.age_on(today), managed=False)
            )
            continue
        enrolments = list(
            participant.enrolments.filter(state=EnrolmentState.ACTIVE)
            .select_related("edition__course", "edition__place")
            .order_by("edition__starts_on")
        )
        waiting = [
            WaitingPlace(entry=entry, position=waiting_position(entry))
            for entry in participant.waiting_entries.filter(
                state__in=[WaitingState.WAITING, WaitingState.OFFERED]
            ).select_related("edition__course")
        ]
        members.append(
            Member(
                participant=participant,
                age=participant.age_on(today),
                enrolments=enrolments,
                waiting=waiting,
                entitlements=entitlements_valid(participant=participant, on=today),
            )
        )
    return members


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def family(request: HttpRequest) -> HttpResponse:
    households = list(households_of(request.user).order_by("id"))
    if not households:
        return _setup(request)
    context = {
        "households": [{"household": h, "members": _members(h, request.user)} for h in households],
        "child_age_limit": CHILD_AGE_LIMIT,
    }
    return render(request, TEMPLATES + "family.html", context)


def _setup(request: HttpRequest) -> HttpResponse:
    """First visit: set up the family account with the user as its adult member."""
    user = request.user
    initial = {"given_name": user.first_name, "family_name": user.last_name}  # type: ignore[union-attr]
    form = HouseholdSetupForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                family_services.household_create_for(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your family account is ready."))
                return redirect(_safe_next(request) or "learning:family")
        status = 400
    context = {"form": form, "next": _safe_next(request)}
    return render(request, TEMPLATES + "setup.html", context, status=status)


@login_required
def child_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = get_object_or_404(households_of(request.user), pk=household_id)
    form = ChildForm(request.POST or None, initial={"family_name": _family_name(household)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                child = family_services.child_add(
                    actor=request.user, household=household, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("%(name)s is added to your family.") % {"name": child.given_name}
                )
                return redirect("learning:family")
        status = 400
    context = {"form": form, "household": household, "child": None}
    return render(request, TEMPLATES + "child_form.html", context, status=status)


def _family_name(household: Household) -> str:
    adult = household.participants.filter(user__isnull=False).order_by("id").first()
    return adult.family_name if adult else ""


@login_required
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(
        Participant.objects.select_related("household"),
        pk=pk,
        user__isnull=True,
        household__in=households_of(request.user).values("pk"),
    )
    initial = {
        "given_name": child.given_name,
        "family_name": child.family_name,
        "birth_date": child.birth_date,
        "language": child.language,
        "notes_for_teacher": child.notes_for_teacher,
    }
    form = ChildForm(request.POST or None, initial=initial, with_consent=False)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                family_services.child_update(
                    actor=request.user, participant=child, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("learning:family")
        status = 400
    context = {"form": form, "household": child.household, "child": child}
    return render(request, TEMPLATES + "child_form.html", context, status=status)


@login_required
def child_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase (or anonymise) a child profile."""
    child = get_object_or_404(
        Participant.objects.select_related("household"),
        pk=pk,
        user__isnull=True,
        household__in=households_of(request.user).values("pk"),
    )
    error = ""
    if request.method == "POST":
        name = child.given_name
        try:
            family_services.child_erase(actor=request.user, participant=child)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, _("The profile of %(name)s is removed.") % {"name": name})
            return redirect("learning:family")
    context = {"child": child, "error": error}
    return render(request, TEMPLATES + "child_erase.html", context, status=400 if error else 200)
