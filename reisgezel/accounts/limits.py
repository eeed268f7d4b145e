"""How often a sign-up or a password reset may be asked for: each sends an e-mail, so
without a brake anyone could flood an address with our mails, or farm accounts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reisgezel.core.rate_limits import ip_bucket, limit_exceeded

WINDOW = 3600
REQUESTS_PER_IP = 10
"""Sign-ups (or resets) an IP address may ask for per hour: a household, a library PC."""
MAILS_PER_ADDRESS = 3
"""Mails one e-mail address may be sent per hour by sign-ups, resets and changes of
address together."""


class TooManyRequestsError(Exception):
    """The view answers 429 with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def account_mail_check(*, action: str, ip: str, email: str) -> None:
    """Count one request of `action` ("signup", "reset" or "email"); raise
    TooManyRequestsError once the IP address (an IPv6 address's /64) has asked too often
    for this action this hour, or the e-mail address has been sent too many of our
    mails, whatever asked for them."""
    address = email.strip().lower()
    per_ip = [f"accounts:{action}:ip:{ip_bucket(ip)}"] if ip else []
    per_address = [f"accounts:mail:email:{address}"] if address else []
    too_many_here = limit_exceeded(per_ip, limit=REQUESTS_PER_IP, window=WINDOW)
    too_many_mails = limit_exceeded(per_address, limit=MAILS_PER_ADDRESS, window=WINDOW)
    if too_many_here or too_many_mails:
        raise TooManyRequestsError(
            _(
                "This has been asked for too often in the past hour. Please wait an hour "
                "and try again; a message we sent earlier may still arrive."
            )
        )
