"""Partner pages: organisations manage their own events; moderators validate them.

Thin views: forms parse, `reisgezel.agenda.services` (and accounts/places services)
decide. Organisation pages answer 404 to non-members (the organisation is not theirs
to see); an event of another organisation answers 403, as the service would.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reisgezel.accounts.models import ApiToken, MemberRole, Membership, Organisation
from reisgezel.accounts.selectors import is_admin_of, organisations_of
from reisgezel.accounts.services import api_token_create, api_token_revoke
from reisgezel.agenda import permissions, services
from reisgezel.agenda.forms import (
    EventForm,
    PlaceForm,
    RejectForm,
    StatusForm,
    TokenForm,
    add_service_errors,
    event_formsets,
    initial_event,
    to_event_input,
)
from reisgezel.agenda.image_forms import EventImageForm
from reisgezel.agenda.images import event_image_add, event_image_remove
from reisgezel.agenda.models import Event, ModerationDecision, ModerationState
from reisgezel.agenda.selectors import PARTNER_DASHBOARD, moderation_queue
from reisgezel.core.sections import rendered_sections
from reisgezel.places.services import place_create, place_find_similar

TEMPLATES = "agenda/partner/"


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(organisations_of(user=request.user), slug=slug)


def _editable_event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("organiser", "place"), pk=pk)
    if not permissions.can_edit(request.user, event):
        raise PermissionDenied(
            _("You cannot change events of %(org)s.") % {"org": event.organiser.name}
        )
    return event


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    log = Prefetch("moderation_log", queryset=ModerationDecision.objects.order_by("-at"))
    organisations = []
    user: Any = request.user
    for org in organisations_of(user=user):
        events = org.events.prefetch_related(log).order_by("-updated_at")
        groups = [
            {"label": label, "events": [e for e in events if e.moderation == state]}
            for state, label in ModerationState.choices
        ]
        role = (
            Membership.objects.filter(user=user, organisation=org)
            .values_list("role", flat=True)
            .first()
        )
        organisations.append({"org": org, "groups": groups, "is_admin": role == MemberRole.ADMIN})
    return render(
        request,
        TEMPLATES + "dashboard.html",
        {
            "organisations": organisations,
            "can_moderate": permissions.can_moderate(request.user),
            "sections": rendered_sections(
                PARTNER_DASHBOARD, request.user, request=request, name="user"
            ),
        },
    )


def _event_page(request: HttpRequest, org: Organisation, event: Event | None) -> HttpResponse:
    """The create/edit form: GET shows it, POST validates, converts and calls the service."""
    trusted = permissions.is_trusted_for(request.user, org)
    data = request.POST if request.method == "POST" else None
    initial = (
        initial_event(event) if event else {"place": request.GET.get("place") or org.home_place_id}
    )
    form = EventForm(data, initial=initial, facilities_allowed=trusted)
    formsets = event_formsets(data, event)
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            if event is None:
                event = services.event_create(
                    actor=request.user,
                    organisation=org,
                    data=to_event_input(form, formsets),
                    submit="submit" in request.POST,
                )
            else:
                event = services.event_update(
                    actor=request.user, event=event, data=to_event_input(form, formsets)
                )
        except ValidationError as exc:
            add_service_errors(form, formsets, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("partners:dashboard")
    status = 400 if data is not None else 200
    return render(
        request,
        TEMPLATES + "event_form.html",
        {
            "form": form,
            "formsets": formsets,
            "org": org,
            "event": event,
            "trusted": trusted,
        },
        status=status,
    )


@login_required
def event_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _event_page(request, _organisation(request, org_slug), None)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _editable_event(request, pk)
    return _event_page(request, event.organiser, event)


@login_required
@require_POST
def event_submit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.event_submit(actor=request.user, event=_editable_event(request, pk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The event is submitted for validation."))
    return redirect("partners:dashboard")


@login_required
def event_status(request: HttpRequest, pk: int) -> HttpResponse:
    event = _editable_event(request, pk)
    form = StatusForm(
        request.POST or None, initial={"status": event.status, "reason": event.status_reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_set_status(
                actor=request.user,
                event=event,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, {}, exc)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("partners:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(
        request, TEMPLATES + "event_status.html", {"form": form, "event": event}, status=status
    )


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = _editable_event(request, pk)
    if request.method == "POST":
        try:
            services.event_delete(actor=request.user, event=event)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The event is deleted."))
        return redirect("partners:dashboard")
    return render(request, TEMPLATES + "event_delete.html", {"event": event})


@login_required
def place_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Two steps: similar existing places are offered first; only "none of these" creates."""
    org = _organisation(request, org_slug)
    form = PlaceForm(request.POST or None)
    similar: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = place_find_similar(name=data["name"], postcode=data["postcode"])
        if similar and not data["none_of_these"]:
            return render(
                request,
                TEMPLATES + "place_form.html",
                {"form": form, "org": org, "similar": similar},
            )
        try:
            place = place_create(
                name=data["name"],
                street=data["street"],
                postcode=data["postcode"],
                city=data["city"],
                website=data["website"],
            )
        except ValidationError as exc:
            add_service_errors(form, {}, exc)
        else:
            messages.success(request, _("The place %(name)s is added.") % {"name": place.name})
            return redirect(f"{_url('partners:event_create', org_slug=org.slug)}?place={place.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        TEMPLATES + "place_form.html",
        {"form": form, "org": org, "similar": similar},
        status=status,
    )


def _url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def _admin_organisation(request: HttpRequest, slug: str) -> Organisation:
    """API tokens are for the organisation's administrators (and staff) only."""
    org = _organisation(request, slug)
    if not is_admin_of(user=request.user, organisation=org):
        raise PermissionDenied(
            _("Only administrators of %(org)s manage its API tokens.") % {"org": org.name}
        )
    return org


@login_required
def tokens(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _admin_organisation(request, org_slug)
    form = TokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        _token, new_key = api_token_create(
            organisation=org,
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
        )
        form = TokenForm()
    return render(
        request,
        TEMPLATES + "tokens.html",
        {
            "org": org,
            "form": form,
            "new_key": new_key,
            "tokens": org.api_tokens.select_related("created_by").order_by("-created_at"),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, org_slug: str, token_id: int) -> HttpResponse:
    org = _admin_organisation(request, org_slug)
    api_token_revoke(
        token=get_object_or_404(ApiToken, pk=token_id, organisation=org), actor=request.user
    )
    messages.success(request, _("The token is revoked; programs using it are refused from now on."))
    return redirect("partners:tokens", org_slug=org.slug)


def _moderator(request: HttpRequest) -> None:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied(_("Only moderators validate events."))


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    return render(
        request, TEMPLATES + "moderation.html", {"events": moderation_queue(), "form": RejectForm()}
    )


@login_required
@require_POST
def moderation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    event = get_object_or_404(Event, pk=pk)
    form = RejectForm(request.POST)
    form.is_valid()
    message = form.cleaned_data.get("message", "")
    try:
        if request.POST.get("decision") == "approve":
            services.event_approve(actor=request.user, event=event, message=message)
        else:
            services.event_reject(actor=request.user, event=event, message=message)
    except ValidationError as exc:
        add_service_errors(form, {}, exc)
        return render(
            request,
            TEMPLATES + "moderation.html",
            {"events": moderation_queue(), "form": form, "failed": event},
            status=400,
        )
    messages.success(
        request, _("Your decision on “%(title)s” is recorded.") % {"title": event.title}
    )
    return redirect("partners:moderation")


@login_required
def event_images(request: HttpRequest, pk: int) -> HttpResponse:
    """Images of an event: add (validated by the image service) and list."""
    event = _editable_event(request, pk)
    form = EventImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            event_image_add(
                actor=request.user,
                event=event,
                data=form.cleaned_data["image"].read(),
                alt_text=form.cleaned_data["alt_text"],
                credit=form.cleaned_data["credit"],
                rights_uri=form.cleaned_data["rights_uri"],
            )
        except ValidationError as exc:
            add_service_errors(form, {}, exc)
        else:
            messages.success(request, _("The image is added."))
            return redirect("partners:event_images", pk=event.pk)
    context = {"event": event, "form": form, "images": event.images.all()}
    status = 400 if request.method == "POST" else 200
    return render(request, TEMPLATES + "event_images.html", context, status=status)


@login_required
@require_POST
def event_image_delete(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    event = _editable_event(request, pk)
    event_image_remove(actor=request.user, image=get_object_or_404(event.images, pk=image_id))
    messages.success(request, _("The image is removed."))
    return redirect("partners:event_images", pk=event.pk)
