"""Provider pages: an organisation's members manage its courses (partners never use the
Django admin; staff do, and may use these pages for any organisation too).

Thin views: the forms parse, learning/services/offer.py decides. As on the agenda's
partner pages, an organisation that is not the user's answers 404 (it is not theirs to
see), a course or edition of another organisation answers 403, as the service would.
Editions and sessions have their own module (views/provider_editions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reisgezel.accounts.models import Organisation
from reisgezel.accounts.selectors import organisations_of
from reisgezel.learning.forms_provider import CourseForm, add_service_errors, initial_course
from reisgezel.learning.models import Course, Edition, EditionState, Enrolment
from reisgezel.learning.permissions import can_manage_course
from reisgezel.learning.services import offer
from reisgezel.learning.services.payments import money_to_return

TEMPLATES = "learning/provider/"


def organisation_for(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(organisations_of(user=request.user), slug=slug)


def managed_course(request: HttpRequest, course_id: int) -> Course:
    course = get_object_or_404(Course.objects.select_related("provider"), pk=course_id)
    if not can_manage_course(request.user, course):
        raise PermissionDenied(
            _("You cannot manage the courses of %(org)s.") % {"org": course.provider.name}
        )
    return course


# --- The list ---------------------------------------------------------------------------
@login_required
def provider_home(request: HttpRequest) -> HttpResponse:
    """The courses of one organisation with their editions. A member of several
    organisations (and staff) picks one first, with ?org=<slug>."""
    organisations = list(organisations_of(user=request.user).order_by("name"))
    chosen: Organisation | None = None
    slug = request.GET.get("org", "")
    if slug:
        chosen = next((o for o in organisations if o.slug == slug), None)
        if chosen is None:
            raise Http404(_("No such organisation."))
    elif len(organisations) == 1:
        chosen = organisations[0]
    courses = []
    to_return: list[Enrolment] = []
    if chosen is not None:
        courses = list(
            chosen.courses.prefetch_related("editions__place", "editions__teacher").order_by(
                "state", "slug"
            )
        )
        to_return = list(money_to_return(provider=chosen))
    return render(
        request,
        TEMPLATES + "home.html",
        {
            "organisations": organisations,
            "org": chosen,
            "courses": courses,
            "to_return": to_return,
            "open_states": (EditionState.PLANNED, EditionState.OPEN),
        },
    )


# --- Courses ----------------------------------------------------------------------------
def _course_page(request: HttpRequest, org: Organisation, course: Course | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = CourseForm(data, initial=initial_course(course) if course else None, course=course)
    if data is not None and form.is_valid():
        try:
            if course is None:
                course = offer.course_create(actor=request.user, provider=org, data=form.to_input())
            else:
                course = offer.course_update(
                    actor=request.user, course=course, data=form.to_input()
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The course is saved."))
            return redirect(_home_url(org))
    return render(
        request,
        TEMPLATES + "course_form.html",
        {"form": form, "org": org, "course": course},
        status=400 if data is not None else 200,
    )


def _home_url(org: Organisation) -> str:
    from django.urls import reverse

    return f"{reverse('learning:provider_home')}?org={org.slug}"


@login_required
def provider_course_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _course_page(request, organisation_for(request, org_slug), None)


@login_required
def provider_course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = managed_course(request, course_id)
    return _course_page(request, course.provider, course)


@dataclass(frozen=True)
class StateAction:
    """A change of state behind a confirmation page with one POST button."""

    title: Any
    explanation: Any
    button: Any
    done: Any


COURSE_ACTIONS: dict[str, StateAction] = {
    "publish": StateAction(
        gettext_lazy("Publish “%(title)s”?"),
        gettext_lazy(
            "The course and its planned, open and running editions appear in the "
            "catalogue, the site search and the city agenda."
        ),
        gettext_lazy("Publish"),
        gettext_lazy("The course is published."),
    ),
    "unpublish": StateAction(
        gettext_lazy("Unpublish “%(title)s”?"),
        gettext_lazy(
            "The course goes back to draft: it and its editions leave the catalogue, the "
            "search and the agenda. Enrolments stay as they are."
        ),
        gettext_lazy("Unpublish"),
        gettext_lazy("The course is a draft again."),
    ),
    "archive": StateAction(
        gettext_lazy("Archive “%(title)s”?"),
        gettext_lazy(
            "The course is no longer offered and leaves the catalogue. It stays in the "
            "learning journeys of the people who took it."
        ),
        gettext_lazy("Archive"),
        gettext_lazy("The course is archived."),
    ),
}

_COURSE_SERVICES = {
    "publish": offer.course_publish,
    "unpublish": offer.course_unpublish,
    "archive": offer.course_archive,
}


@login_required
def provider_course_state(request: HttpRequest, course_id: int, action: str) -> HttpResponse:
    if action not in COURSE_ACTIONS:
        raise Http404
    course = managed_course(request, course_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            _COURSE_SERVICES[action](actor=request.user, course=course)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, str(COURSE_ACTIONS[action].done))
            return redirect(_home_url(course.provider))
    return render(
        request,
        TEMPLATES + "confirm.html",
        {
            "action": COURSE_ACTIONS[action],
            "heading": str(COURSE_ACTIONS[action].title) % {"title": course.title},
            "errors": errors,
            "org": course.provider,
            "back": _home_url(course.provider),
            "fix_url": _course_fix_url(course) if errors else "",
        },
        status=400 if errors else 200,
    )


def _course_fix_url(course: Course) -> str:
    from django.urls import reverse

    return reverse("learning:provider_course_edit", kwargs={"course_id": course.pk})


def edition_people(edition: Edition) -> tuple[int, int]:
    """(active enrolments, waiting-list entries still waiting or offered): the people
    who get an e-mail when the edition is cancelled."""
    from reisgezel.learning.models import EnrolmentState, WaitingState

    enrolled = edition.enrolments.filter(state=EnrolmentState.ACTIVE).count()
    waiting = edition.waiting_list.filter(
        state__in=[WaitingState.WAITING, WaitingState.OFFERED]
    ).count()
    return enrolled, waiting
