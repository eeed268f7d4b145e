"""Residents make their own account: sign up, confirm the address, sign in.

- A new account is inactive until the link e-mailed to its address is followed (a token
  of our own, built as Django's reset tokens: the link works once, for
  PASSWORD_RESET_TIMEOUT, and no longer once the account is active). Following it
  activates the account and signs the person in.
- An address that already has an account gets no second one. The page says the same as
  for a new address (nobody learns which addresses have accounts); the mail to that
  address says an account exists and links to "forgot your password". An account
  awaiting its confirmation takes the new sign-up's password and name, and gets a new
  link. An account staff switched off (`is_active` off, not `awaiting_confirmation`) is
  an existing account like any other: the same page, the same mail, and it stays off;
  an erased one has no address left to match.
- Mails go out after commit, as a task.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.accounts.limits import account_mail_check
from reisgezel.accounts.tasks import send_signup_email
from reisgezel.core.audit import audit_record

LANGUAGES = ("nl", "en", "de", "fr")


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """The links that activate a new account. A salt of their own: a password-reset link
    (Django's token too) must not activate an account an administrator deactivated. The
    hash holds the password (Django's), so a later sign-up of the address voids earlier
    links, and `is_active`, so a link is spent once the account is active. Whether the
    account still awaits its confirmation is checked by `signup_confirm` itself, so
    that links sent before that flag existed keep working."""

    key_salt = "reisgezel.accounts.signup.SignupTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


signup_token_generator = SignupTokenGenerator()


def _username_for(email: str) -> str:
    """A login name nobody has: the address's first part and a random tail."""
    base = slugify(email.split("@", 1)[0])[:100] or "bewoner"
    return f"{base}-{secrets.token_hex(3)}"


def signup_request(
    *, email: str, display_name: str, password: str, language: str = "nl", ip: str = ""
) -> Any | None:
    """Register an account, inactive until its address is confirmed; returns the new user,
    or None when the address already has an account (that address gets a note instead).
    Raises ValidationError for an unusable password or name, and TooManyRequestsError
    when the address or the IP address `ip` asked too often (only requests that would
    send a mail count)."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip()).lower()
    display_name = " ".join(display_name.split())
    if not display_name:
        raise ValidationError({"display_name": [_("Tell us what to call you.")]})
    try:
        validate_password(password, user_model(email=email, display_name=display_name))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    language = language if language in LANGUAGES else "nl"
    account_mail_check(action="signup", ip=ip, email=email)
    with transaction.atomic():
        existing = (
            user_model.objects.select_for_update()
            .filter(email__iexact=email)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            # Awaiting confirmation: the link again. Active or switched off by staff: a
            # note that it exists (a reset reaches no inactive account, so it stays off).
            kind = "confirm" if existing.awaiting_confirmation else "exists"
            if kind == "confirm":
                # Whoever signed up before chose that password, and may not own the
                # address: the latest sign-up's password and name count, and the
                # earlier links die with the old password (the token hashes it). Else a
                # stranger could sign in to the account its owner confirmed.
                existing.set_password(password)
                existing.display_name = display_name
                existing.preferred_language = language
                existing.save(update_fields=["password", "display_name", "preferred_language"])
            user_id = existing.pk
            transaction.on_commit(
                lambda: send_signup_email.enqueue(user_id=user_id, kind=kind, language=language)
            )
            return None
        user = user_model(
            username=_username_for(email),
            email=email,
            display_name=display_name,
            preferred_language=language,
            is_active=False,
            awaiting_confirmation=True,
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # The same address signed up at the same moment (a double click): that
            # request creates the account and sends the mail.
            return None
        audit_record(actor=None, action="account.signup", target=user)
        new_id = user.pk
        transaction.on_commit(
            lambda: send_signup_email.enqueue(user_id=new_id, kind="confirm", language=language)
        )
    return user


def confirm_link_parts(user: Any) -> tuple[str, str]:
    return urlsafe_base64_encode(force_bytes(user.pk)), signup_token_generator.make_token(user)


@transaction.atomic
def signup_confirm(*, uidb64: str, token: str) -> Any | None:
    """Activate the account of a valid link and return it (the view signs it in); None
    for a link that is unknown, used or expired, or of an account that no longer awaits
    its confirmation (switched off by staff in the meantime, or erased)."""
    user_model = get_user_model()
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    if not 0 < pk < 2**63:
        return None
    # Locked: staff switching the account off at this moment wins or waits.
    user = user_model.objects.select_for_update().filter(pk=pk).first()
    if user is None or not user.awaiting_confirmation:
        return None
    if not signup_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.awaiting_confirmation = False
    user.save(update_fields=["is_active", "awaiting_confirmation"])
    audit_record(actor=user, action="account.confirm", target=user)
    return user
