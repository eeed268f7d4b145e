"""The guardian-invitation e-mail: a task (ids in) and the function that renders and
sends it in the inviter's language. The raw token travels only in the task's arguments
and the e-mail; the database has its hash."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from reisgezel.learning.models import GuardianInvitation

SUPPORTED_LANGUAGES = ("nl", "en", "de", "fr")


def accept_url(token: str, language: str) -> str:
    """The absolute address of the page where the invitation is accepted (should the
    route not be installed yet, the address follows the same pattern)."""
    with translation.override(language):
        try:
            path = reverse("learning:guardian_join", kwargs={"token": token})
        except NoReverseMatch:
            path = f"/{language}/learn/family/join/{token}/"
    return f"{settings.SITE_URL}{path}"


def send_guardian_invitation_email(
    *, invitation: GuardianInvitation, token: str, language: str
) -> int:
    """Render learning/email/guardian_invitation_{subject,body}.txt and send them to the
    invited address. Returns the number of messages sent (0 or 1)."""
    language = language if language in SUPPORTED_LANGUAGES else "nl"
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "household": invitation.household,
        "inviter_name": inviter.name_to_greet,
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        context["accept_url"] = accept_url(token, language)
        subject = render_to_string("learning/email/guardian_invitation_subject.txt", context)
        body = render_to_string("learning/email/guardian_invitation_body.txt", context)
    return send_mail(" ".join(subject.split()), body, None, [invitation.email])


@task()
def send_guardian_invitation(*, invitation_id: int, token: str, language: str) -> int:
    """Send the invitation, unless it was revoked or used before the task ran."""
    invitation = (
        GuardianInvitation.objects.select_related("household", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return 0
    return send_guardian_invitation_email(invitation=invitation, token=token, language=language)
