"""Enrolling, cancelling and answering a waiting-list offer (issue 4, "Enrolment").

Thin views: the forms parse, `services.enrolment`, `services.waiting` and
`services.tariffs` decide. Every refusal of a service (wrong age, past the deadline,
already enrolled, a cancelled edition) comes back as a message on the form, with status
400, never a 500. Another household's enrolment or offer answers 404: whether it exists
is not theirs to know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.learning.forms_enrol import CancelForm, EnrolForm, OfferForm, add_service_errors
from reisgezel.learning.models import (
    CourseState,
    Edition,
    EditionState,
    Enrolment,
    EnrolmentKind,
    EnrolmentState,
    Entitlement,
    Participant,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.selectors import may_act_for, participants_of, waiting_position
from reisgezel.learning.services import enrolment as enrolment_services
from reisgezel.learning.services import waiting as waiting_services
from reisgezel.learning.services.schemes import entitlements_valid
from reisgezel.learning.services.tariffs import Quote, quote

TEMPLATES = "learning/enrol/"


@dataclass
class MemberOffer:
    """What one member of the household would pay, and why."""

    participant: Participant
    age: int
    quote: Quote | None = None
    quote_error: str = ""
    entitlements: list[Entitlement] = field(default_factory=list)
    enrolled: bool = False
    waiting: bool = False


def _member_offer(edition: Edition, participant: Participant) -> MemberOffer:
    offer = MemberOffer(participant=participant, age=participant.age_on(edition.starts_on))
    try:
        offer.quote = quote(edition=edition, participant=participant)
    except ValidationError as exc:
        offer.quote_error = " ".join(exc.messages)
    offer.entitlements = entitlements_valid(participant=participant, on=timezone.localdate())
    offer.enrolled = Enrolment.objects.filter(
        edition=edition, participant=participant, state=EnrolmentState.ACTIVE
    ).exists()
    offer.waiting = WaitingListEntry.objects.filter(
        edition=edition,
        participant=participant,
        state__in=[WaitingState.WAITING, WaitingState.OFFERED],
    ).exists()
    return offer


def _edition_notice(edition: Edition) -> str:
    """Why enrolling will not work right now, said before anyone tries (the service
    checks again on confirm)."""
    now = timezone.now()
    if edition.state == EditionState.CANCELLED:
        return _("This edition is cancelled: you cannot enrol any more.")
    if edition.state == EditionState.COMPLETED:
        return _("This edition has ended.")
    if edition.state == EditionState.PLANNED:
        return _("Enrolment has not opened yet.")
    if edition.enrol_closes_at and now > edition.enrol_closes_at:
        return _("The enrolment deadline has passed.")
    if edition.enrol_opens_at and now < edition.enrol_opens_at:
        return _("Enrolment has not opened yet.")
    return ""


@login_required
def enrol(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.select_related("course", "place", "room"),
        pk=edition_id,
        course__state=CourseState.PUBLISHED,
    )
    participants = participants_of(request.user).order_by("birth_date", "id")
    if not participants.exists():
        setup_url = reverse("learning:family") + "?next=" + request.path
        return render(
            request, TEMPLATES + "needs_family.html", {"edition": edition, "setup_url": setup_url}
        )
    trial_offered = enrolment_services.trial_offered(edition)
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    if requested := request.GET.get("participant", "").strip():
        initial["participant"] = requested
    form = EnrolForm(data, participants=participants, trial_offered=trial_offered, initial=initial)
    status = 200
    if data is not None:
        if form.is_valid():
            response = _try_enrol(request, form, edition)
            if response is not None:
                return response
        status = 400
    context = {
        "edition": edition,
        "form": form,
        "offers": [_member_offer(edition, p) for p in participants],
        "is_full": edition.places_left == 0,
        "notice": _edition_notice(edition),
        "trial_offered": trial_offered,
    }
    return render(request, TEMPLATES + "enrol.html", context, status=status)


def _try_enrol(request: HttpRequest, form: EnrolForm, edition: Edition) -> HttpResponse | None:
    """Call the service; on success redirect with a message, else put the refusal on the
    form and return None."""
    participant: Participant = form.cleaned_data["participant"]
    try:
        result = enrolment_services.enrol(
            actor=request.user,
            edition=edition,
            participant=participant,
            trial=bool(form.cleaned_data.get("trial")),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You cannot enrol this person."))
        return None
    except IntegrityError:
        # Two clicks at once: the database's one-active-enrolment rule caught the second.
        form.add_error(
            "participant",
            _("%(name)s is already enrolled or on the waiting list.")
            % {"name": participant.given_name},
        )
        return None
    names = {"name": participant.given_name, "course": str(edition.course.title)}
    if isinstance(result, WaitingListEntry):
        messages.info(
            request,
            _(
                "%(course)s is full. %(name)s is on the waiting list at number %(position)s. "
                "When a place frees up, we send you an e-mail with an offer."
            )
            % {**names, "position": waiting_position(result)},
        )
    elif result.kind == EnrolmentKind.TRIAL:
        messages.success(
            request, _("%(name)s is signed up for a trial lesson of %(course)s.") % names
        )
    else:
        messages.success(request, _("%(name)s is enrolled in %(course)s.") % names)
    return redirect("learning:family")


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("edition__course__provider", "participant"),
        pk=pk,
        participant__in=participants_of(request.user).values("pk"),
    )


@login_required
def enrolment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    edition = enrolment.edition
    deadline_passed = bool(edition.cancel_until and timezone.now() > edition.cancel_until)
    form = CancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if (
        request.method == "POST"
        and enrolment.state == EnrolmentState.ACTIVE
        and not deadline_passed
    ):
        if form.is_valid():
            try:
                enrolment_services.cancel_enrolment(
                    actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You cannot cancel this enrolment."))
            else:
                messages.success(
                    request,
                    _("The enrolment of %(name)s in %(course)s is cancelled.")
                    % {
                        "name": enrolment.participant.given_name,
                        "course": str(edition.course.title),
                    },
                )
                return redirect("learning:family")
        status = 400
    context = {
        "enrolment": enrolment,
        "edition": edition,
        "form": form,
        "deadline_passed": deadline_passed,
        "is_active": enrolment.state == EnrolmentState.ACTIVE,
    }
    return render(request, TEMPLATES + "cancel.html", context, status=status)


@login_required
def offer(request: HttpRequest, token: str) -> HttpResponse:
    entry = (
        WaitingListEntry.objects.select_related("edition__course", "participant__household")
        .filter(offer_token=token)
        .first()
    )
    if entry is None or not may_act_for(request.user, entry.participant):
        return render(request, TEMPLATES + "offer_unknown.html", status=404)
    now = timezone.now()
    open_offer = entry.state == WaitingState.OFFERED and (
        entry.offer_expires_at is None or entry.offer_expires_at > now
    )
    if not open_offer:
        return render(request, TEMPLATES + "offer_closed.html", {"entry": entry}, status=410)
    form = OfferForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            response = _answer_offer(request, form, entry)
            if response is not None:
                return response
        status = 400
    return render(request, TEMPLATES + "offer.html", {"entry": entry, "form": form}, status=status)


def _answer_offer(
    request: HttpRequest, form: OfferForm, entry: WaitingListEntry
) -> HttpResponse | None:
    names = {"name": entry.participant.given_name, "course": str(entry.edition.course.title)}
    try:
        if form.cleaned_data["decision"] == "accept":
            waiting_services.accept_offer(actor=request.user, entry=entry)
            messages.success(request, _("%(name)s is enrolled in %(course)s.") % names)
        else:
            waiting_services.decline_offer(actor=request.user, entry=entry)
            messages.info(
                request,
                _("You declined the place in %(course)s; we offer it to the next in line.") % names,
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You cannot answer this offer."))
        return None
    return redirect("learning:family")


@login_required
def enrolment_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a trial lesson into an enrolment for the whole edition, after showing what
    it costs."""
    trial = _own_enrolment(request, pk)
    if trial.kind != EnrolmentKind.TRIAL:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            enrolment_services.convert_trial(actor=request.user, enrolment=trial)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            names = {
                "name": trial.participant.given_name,
                "course": str(trial.edition.course.title),
            }
            messages.success(request, _("%(name)s is enrolled in %(course)s.") % names)
            return redirect("learning:family")
    context = {
        "enrolment": trial,
        "edition": trial.edition,
        "offer": _member_offer(trial.edition, trial.participant),
        "error": error,
        "is_active": trial.state == EnrolmentState.ACTIVE,
    }
    return render(request, TEMPLATES + "convert.html", context, status=400 if error else 200)
