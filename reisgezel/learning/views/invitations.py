"""Guardian invitations: invite, revoke, accept by link, leave a household. Thin views
over `services.invitations`; another household answers 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reisgezel.learning.forms_enrol import add_service_errors
from reisgezel.learning.models import GuardianInvitation, Household
from reisgezel.learning.selectors import households_of
from reisgezel.learning.services import invitations as invitation_services

TEMPLATES = "learning/invitations/"


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of the other parent or guardian"),
        help_text=gettext_lazy("We send a link there. The link works for 7 days."),
    )


def invite_form(household: Household, data: object = None) -> InviteForm:
    """One form per household on the family page, so the ids must differ."""
    return InviteForm(data, auto_id=f"id_invite_{household.pk}_%s")  # type: ignore[arg-type]


@login_required
def guardian_invite(request: HttpRequest, household_id: int) -> HttpResponse:
    household = get_object_or_404(households_of(request.user), pk=household_id)
    form = invite_form(household, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = invitation_services.guardian_invite(
                    actor=request.user, household=household, email=form.cleaned_data["email"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("We sent an invitation to %(email)s.") % {"email": sent.invitation.email},
                )
                return redirect("learning:family")
        status = 400
    context = {"form": form, "household": household}
    return render(request, TEMPLATES + "invite.html", context, status=status)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        GuardianInvitation.objects.select_related("household"),
        pk=pk,
        household__in=households_of(request.user).values("pk"),
    )
    try:
        invitation_services.guardian_invitation_revoke(actor=request.user, invitation=invitation)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("learning:family")


@login_required
def guardian_leave(request: HttpRequest, household_id: int) -> HttpResponse:
    """Confirm, then stop being a guardian of the household."""
    household = get_object_or_404(households_of(request.user), pk=household_id)
    error = ""
    if request.method == "POST":
        try:
            invitation_services.guardian_leave(actor=request.user, household=household)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(
                request, _("You no longer manage %(family)s.") % {"family": household.name}
            )
            return redirect("learning:family")
    context = {"household": household, "error": error}
    return render(request, TEMPLATES + "leave.html", context, status=400 if error else 200)


@login_required
def guardian_join(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the link in the invitation e-mail: who invites to which family,
    and a button to accept. Unknown links answer 404, used or expired ones 410."""
    invitation = invitation_services.invitation_by_token(token)
    if invitation is None:
        return render(request, TEMPLATES + "join_unknown.html", status=404)
    refusal = invitation_services.invitation_refusal(invitation)
    if not refusal and request.method == "POST":
        try:
            invitation_services.guardian_accept(actor=request.user, token=token)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Welcome! You now manage %(family)s.") % {"family": invitation.household.name},
            )
            return redirect("learning:family")
    if refusal:
        context = {"invitation": invitation, "refusal": refusal}
        return render(request, TEMPLATES + "join_closed.html", context, status=410)
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "inviter_name": inviter.name_to_greet,
        "already": households_of(request.user).filter(pk=invitation.household_id).exists(),
    }
    return render(request, TEMPLATES + "join.html", context)
