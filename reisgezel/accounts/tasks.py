"""Account e-mails (ids in, never objects); enqueued after commit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


@task()
def send_signup_email(*, user_id: int, kind: str, language: str = "nl") -> int:
    """kind "confirm": the link that activates a new account; "exists": a note to an
    address that already has an account (someone tried to sign up with it)."""
    from reisgezel.accounts.signup import confirm_link_parts

    user = get_user_model().objects.filter(pk=user_id).exclude(email="").first()
    if user is None:
        return 0
    with translation.override(language):
        if kind == "confirm":
            uidb64, token = confirm_link_parts(user)
            path = reverse("accounts:signup_confirm", kwargs={"uidb64": uidb64, "token": token})
            subject = _("Confirm your Reisgezel account")
            template = "accounts/email/signup_confirm.txt"
        else:
            path = reverse("accounts:password_reset")
            subject = _("You already have a Reisgezel account")
            template = "accounts/email/signup_exists.txt"
        body = render_to_string(template, {"user": user, "link": settings.SITE_URL + path})
    return send_mail(subject, body, None, [user.email])
