"""Account e-mails (ids in, never objects); enqueued after commit."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

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
    if kind == "confirm" and not user.awaiting_confirmation:
        # Confirmed or switched off by staff since: a link would activate nothing.
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


@task()
def send_email_change_email(*, user_id: int, kind: str, address: str, token: str) -> int:
    """kind "confirm": the link to `address`, the account's new address; "changed": a
    note to `address`, the old one, that the account now has another address, with the
    link that undoes it (`token`); "reset": after an undo, the link to choose a new
    password."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    with translation.override(user.preferred_language):
        if kind == "reset":
            return _send_password_choice(user, address)
        if kind == "confirm":
            path = reverse("accounts:email_confirm", kwargs={"token": token})
            subject = _("Confirm the new e-mail address of your Reisgezel account")
            template = "accounts/email/email_change_confirm.txt"
        else:
            path = reverse("accounts:email_undo", kwargs={"token": token})
            subject = _("The e-mail address of your Reisgezel account was changed")
            template = "accounts/email/email_changed.txt"
        body = render_to_string(template, {"user": user, "link": settings.SITE_URL + path})
    return send_mail(subject, body, None, [address])


def _send_password_choice(user: Any, address: str) -> int:
    """Django's reset mail, built as its PasswordResetForm builds it."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    site = urlsplit(settings.SITE_URL)
    context = {
        "protocol": site.scheme,
        "domain": site.netloc,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("accounts/email/password_reset_subject.txt", context).strip()
    body = render_to_string("accounts/email/password_reset.txt", context)
    return send_mail(subject, body, None, [address])
