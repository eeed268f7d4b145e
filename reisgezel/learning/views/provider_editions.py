"""Provider pages for editions and their sessions (see views/provider.py for the rules
of access: another organisation's edition or session answers 403, as the service would).

The participants of an edition are on the teacher's pages (learning:teacher_edition),
which admit the provider's members too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reisgezel.learning.forms_provider import (
    CancelEditionForm,
    EditionForm,
    NoteForm,
    SessionForm,
    add_service_errors,
    initial_edition,
    initial_session,
    tariff_formset,
    tariff_inputs,
)
from reisgezel.learning.models import Course, Edition, EditionState, Session
from reisgezel.learning.permissions import can_manage_course
from reisgezel.learning.services import offer, sessions
from reisgezel.learning.services.editions import edition_cancel
from reisgezel.learning.views.provider import (
    TEMPLATES,
    StateAction,
    edition_people,
    managed_course,
)


def managed_edition(request: HttpRequest, edition_id: int) -> Edition:
    edition = get_object_or_404(
        Edition.objects.select_related("course__provider", "place", "room", "teacher"),
        pk=edition_id,
    )
    if not can_manage_course(request.user, edition.course):
        raise PermissionDenied(
            _("You cannot manage the courses of %(org)s.") % {"org": edition.course.provider.name}
        )
    return edition


def managed_session(request: HttpRequest, session_id: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("edition__course__provider", "edition__place", "room"),
        pk=session_id,
    )
    if not can_manage_course(request.user, session.edition.course):
        raise PermissionDenied(
            _("You cannot change the sessions of %(org)s.")
            % {"org": session.edition.course.provider.name}
        )
    return session


def _home(edition_or_course: Edition | Course) -> str:
    course = (
        edition_or_course if isinstance(edition_or_course, Course) else edition_or_course.course
    )
    return f"{reverse('learning:provider_home')}?org={course.provider.slug}"


def _sessions_url(edition: Edition) -> str:
    return reverse("learning:provider_sessions", kwargs={"edition_id": edition.pk})


# --- Create and edit --------------------------------------------------------------------
def _edition_page(request: HttpRequest, course: Course, edition: Edition | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = (
        initial_edition(edition)
        if edition
        else {"place": course.provider.home_place_id, "skip_school_holidays": True}
    )
    form = EditionForm(data, initial=initial, organisation=course.provider, edition=edition)
    tariffs = tariff_formset(data, edition)
    if data is not None and form.is_valid() and tariffs.is_valid():
        try:
            if edition is None:
                edition = offer.edition_create(
                    actor=request.user, course=course, data=form.to_input(tariff_inputs(tariffs))
                )
            else:
                edition = offer.edition_update(
                    actor=request.user, edition=edition, data=form.to_input(tariff_inputs(tariffs))
                )
        except ValidationError as exc:
            add_service_errors(form, exc, tariffs)
        else:
            messages.success(request, _("The edition is saved."))
            return redirect(_sessions_url(edition))
    return render(
        request,
        TEMPLATES + "edition_form.html",
        {"form": form, "tariffs": tariffs, "course": course, "edition": edition},
        status=400 if data is not None else 200,
    )


@login_required
def provider_edition_create(request: HttpRequest, course_id: int) -> HttpResponse:
    return _edition_page(request, managed_course(request, course_id), None)


@login_required
def provider_edition_edit(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = managed_edition(request, edition_id)
    return _edition_page(request, edition.course, edition)


# --- Open, start, cancel ----------------------------------------------------------------
EDITION_ACTIONS: dict[str, StateAction] = {
    "open": StateAction(
        gettext_lazy("Open “%(title)s” for enrolment?"),
        gettext_lazy(
            "People can enrol from now on (or from the date enrolment opens). The course "
            "must be published and the edition needs a default price and sessions."
        ),
        gettext_lazy("Open for enrolment"),
        gettext_lazy("The edition is open for enrolment."),
    ),
    "start": StateAction(
        gettext_lazy("Mark “%(title)s” as running?"),
        gettext_lazy("Do this when the first session has taken place."),
        gettext_lazy("Mark as running"),
        gettext_lazy("The edition is running."),
    ),
}
_EDITION_SERVICES = {"open": offer.edition_open, "start": offer.edition_start}


@login_required
def provider_edition_state(request: HttpRequest, edition_id: int, action: str) -> HttpResponse:
    if action not in EDITION_ACTIONS:
        raise Http404
    edition = managed_edition(request, edition_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            _EDITION_SERVICES[action](actor=request.user, edition=edition)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, str(EDITION_ACTIONS[action].done))
            return redirect(_home(edition))
    title = f"{edition.course.title} ({edition.code})"
    return render(
        request,
        TEMPLATES + "confirm.html",
        {
            "action": EDITION_ACTIONS[action],
            "heading": str(EDITION_ACTIONS[action].title) % {"title": title},
            "errors": errors,
            "org": edition.course.provider,
            "back": _home(edition),
            "fix_url": (
                reverse("learning:provider_edition_edit", kwargs={"edition_id": edition.pk})
                if errors
                else ""
            ),
        },
        status=400 if errors else 200,
    )


@login_required
def provider_edition_cancel(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = managed_edition(request, edition_id)
    data = request.POST if request.method == "POST" else None
    form = CancelEditionForm(data)
    if data is not None and form.is_valid():
        try:
            edition_cancel(actor=request.user, edition=edition, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The edition is cancelled; everyone involved gets an e-mail.")
            )
            return redirect(_home(edition))
    enrolled, waiting = edition_people(edition)
    return render(
        request,
        TEMPLATES + "edition_cancel.html",
        {"form": form, "edition": edition, "enrolled": enrolled, "waiting": waiting},
        status=400 if data is not None else 200,
    )


# --- Sessions ---------------------------------------------------------------------------
def _sessions_page(
    request: HttpRequest,
    edition: Edition,
    *,
    add_form: SessionForm | None = None,
    report: sessions.GenerateReport | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "edition": edition,
        "sessions": edition.sessions.select_related("room").order_by("starts_at"),
        "add_form": add_form or SessionForm(edition=edition),
        "report": report,
        "refusal": refusal,
        "may_change": edition.state not in (EditionState.CANCELLED, EditionState.COMPLETED),
    }
    return render(request, TEMPLATES + "sessions.html", context, status=status)


@login_required
def provider_sessions(request: HttpRequest, edition_id: int) -> HttpResponse:
    return _sessions_page(request, managed_edition(request, edition_id))


@login_required
@require_POST
def provider_sessions_regenerate(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Regenerate from the weekly pattern and show what changed (not a redirect: the
    report is the answer)."""
    edition = managed_edition(request, edition_id)
    # sessions_generate checks nothing itself (the offer service calls it after its own
    # checks): this view checked can_manage_course above, and keeps the sessions of a
    # cancelled or completed edition as they were, as edition_update does.
    if edition.state in (EditionState.CANCELLED, EditionState.COMPLETED):
        return _sessions_page(
            request,
            edition,
            refusal=_("The sessions of a cancelled or completed edition are no longer changed."),
            status=400,
        )
    report = sessions.sessions_generate(edition=edition)
    return _sessions_page(request, edition, report=report)


@login_required
def provider_session_add(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = managed_edition(request, edition_id)
    if request.method != "POST":
        return redirect(_sessions_url(edition))
    form = SessionForm(request.POST, edition=edition)
    if form.is_valid():
        try:
            sessions.session_add(actor=request.user, edition=edition, **form.session_fields())
        except ValidationError as exc:
            _session_errors(form, exc)
        else:
            messages.success(request, _("The session is added."))
            return redirect(_sessions_url(edition))
    return _sessions_page(request, edition, add_form=form, status=400)


def _session_errors(form: SessionForm, exc: ValidationError) -> None:
    """The session service names starts_at/ends_at; the form has a day and two times."""
    renamed: dict[str, list[str]] = {}
    for key, found in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        name = {"starts_at": "start_time", "ends_at": "end_time"}.get(key, key)
        renamed.setdefault(name, []).extend(found)
    add_service_errors(form, ValidationError(renamed))


@login_required
def provider_session_move(request: HttpRequest, session_id: int) -> HttpResponse:
    session = managed_session(request, session_id)
    edition = session.edition
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, initial=initial_session(session), edition=edition)
    if data is not None and form.is_valid():
        try:
            sessions.session_move(actor=request.user, session=session, **form.session_fields())
        except ValidationError as exc:
            _session_errors(form, exc)
        else:
            messages.success(request, _("The session is moved."))
            return redirect(_sessions_url(edition))
    return render(
        request,
        TEMPLATES + "session_form.html",
        {"form": form, "session": session, "edition": edition, "mode": "move"},
        status=400 if data is not None else 200,
    )


@login_required
def provider_session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = managed_session(request, session_id)
    edition = session.edition
    data = request.POST if request.method == "POST" else None
    form = NoteForm(data)
    if data is not None and form.is_valid():
        try:
            sessions.session_cancel(
                actor=request.user, session=session, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session is cancelled."))
            return redirect(_sessions_url(edition))
    return render(
        request,
        TEMPLATES + "session_form.html",
        {"form": form, "session": session, "edition": edition, "mode": "cancel"},
        status=400 if data is not None else 200,
    )


@login_required
@require_POST
def provider_session_restore(request: HttpRequest, session_id: int) -> HttpResponse:
    session = managed_session(request, session_id)
    sessions.session_restore(actor=request.user, session=session)
    messages.success(request, _("The session takes place again."))
    return redirect(_sessions_url(session.edition))
