"""A person changes the e-mail address of their account.

The new address counts only once its owner follows the link we mail to it (a signed
token of the account, the new address, the current one and a digest of the password:
it stops working once the address or the password changed, and after
EMAIL_CHANGE_MAX_AGE). The old address is told of the
change, with a link that undoes it (UNDO_MAX_AGE): the account gets its old address
back, its password is cleared (which signs every device out) and a link to choose a new
one goes to the old address. So a stolen session cannot quietly take the account over.
Whether another account has the new address is said only at the link, to whoever reads
that mailbox, never to the person asking (nobody learns which addresses have accounts).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from reisgezel.accounts.limits import account_mail_check
from reisgezel.accounts.tasks import send_email_change_email
from reisgezel.core.audit import audit_record

EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600
UNDO_MAX_AGE = 14 * 24 * 3600
_SALT = "reisgezel.accounts.email_change"
_UNDO_SALT = "reisgezel.accounts.email_change_undo"


def _password_mark(user: Any) -> str:
    """A keyed digest of the account's password hash. In the link, it voids every link
    asked for before the password changed: an undo clears the password, so a link that
    whoever had the session kept aside no longer takes the account from its owner."""
    return salted_hmac(_SALT, user.password, algorithm="sha256").hexdigest()[:32]


def email_change_token(user: Any, new_email: str) -> str:
    data = {"u": user.pk, "e": new_email, "o": user.email, "p": _password_mark(user)}
    return signing.dumps(data, salt=_SALT)


def email_change_request(*, user: Any, new_email: str, password: str, ip: str = "") -> None:
    """Mail a confirmation link to `new_email`. Raises ValidationError for a wrong
    password or the current address, TooManyRequestsError past the mail limits."""
    user_model = get_user_model()
    new_email = user_model.objects.normalize_email(new_email.strip()).lower()
    if not user.check_password(password):
        raise ValidationError({"password": [_("That is not your password.")]})
    if new_email == user.email.lower():
        raise ValidationError({"new_email": [_("That is the address your account has now.")]})
    account_mail_check(action="email", ip=ip, email=new_email)
    token = email_change_token(user, new_email)
    user_id = user.pk
    transaction.on_commit(
        lambda: send_email_change_email.enqueue(
            user_id=user_id, kind="confirm", address=new_email, token=token
        )
    )


def email_change_confirm(*, token: str) -> Any:
    """Give the account its new address; returns the account. Raises ValidationError
    for a link that is broken, expired or spent, or an address another account has."""
    invalid = ValidationError(
        _("This link is not valid (any more): it works once, for a few days.")
    )
    try:
        data = signing.loads(token, salt=_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
        pk, new_email, old_email = int(data["u"]), str(data["e"]), str(data["o"])
        mark = str(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.select_for_update().filter(pk=pk, is_active=True).first()
        if (
            user is None
            or user.email != old_email
            or not constant_time_compare(mark, _password_mark(user))
        ):
            raise invalid
        user.email = new_email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:
            raise ValidationError(_("Another account has this e-mail address.")) from None
        audit_record(actor=user, action="account.email_change", target=user)
        if old_email:
            user_id = user.pk
            undo = signing.dumps({"u": pk, "e": old_email, "n": new_email}, salt=_UNDO_SALT)
            transaction.on_commit(
                lambda: send_email_change_email.enqueue(
                    user_id=user_id, kind="changed", address=old_email, token=undo
                )
            )
    return user


def email_change_undo(*, token: str) -> Any:
    """Give the account its old address back, clear its password and mail the old
    address a link to choose a new one; returns the account. Raises ValidationError for
    a link that is broken, expired or spent (the address changed again since)."""
    invalid = ValidationError(_("This link is not valid (any more)."))
    try:
        data = signing.loads(token, salt=_UNDO_SALT, max_age=UNDO_MAX_AGE)
        pk, old_email, new_email = int(data["u"]), str(data["e"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.select_for_update().filter(pk=pk, is_active=True).first()
        if user is None or user.email != new_email:
            raise invalid
        user.email = old_email
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "password"])
        except IntegrityError:
            raise ValidationError(_("Another account has this e-mail address.")) from None
        audit_record(actor=None, action="account.email_change_undo", target=user)
        # The link to choose a new password, to the old address (the account has it
        # again): Django's reset mail, whose token the cleared password does not spoil.
        user_id = user.pk
        transaction.on_commit(
            lambda: send_email_change_email.enqueue(
                user_id=user_id, kind="reset", address=old_email, token=""
            )
        )
    return user
