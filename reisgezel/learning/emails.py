"""E-mails to participants (or, for a child, the guardian who consented), each in the
recipient's language. Called from the tasks in learning/tasks.py, never inside a
request's transaction: the services schedule them with `transaction.on_commit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from reisgezel.learning.models import Participant, WaitingListEntry

SUPPORTED_LANGUAGES = ("nl", "en", "de", "fr")


class EmailKind(StrEnum):
    CONFIRMATION = "confirmation"  # enrolled (also a trial lesson or an accepted offer)
    WAITING = "waiting"  # placed on the waiting list
    OFFER = "offer"  # a place is offered from the waiting list
    OFFER_LAPSED = "offer_lapsed"  # the offer was not accepted in time
    REMINDER = "reminder"  # the first session is near
    EDITION_CANCELLED = "edition_cancelled"  # the provider or the minimum cancelled it


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str


def recipient_of(participant: Participant) -> Recipient | None:
    """Who receives the participant's e-mails: an adult themself, in the participant's
    language; for a child profile (no login) the guardian who consented (while still a
    guardian), in the language chosen for the child's e-mails. None when nobody has an address."""
    user = participant.user
    if user is not None and user.email and user.is_active:
        return Recipient(
            email=user.email, language=_supported(participant.language), name=participant.given_name
        )
    guardians = participant.household.guardians
    guardian = participant.consent_by
    # Who consented, while still a guardian of the household: one who left gets nothing.
    if (
        guardian is None
        or not guardian.email
        or not guardian.is_active
        or not guardians.filter(user=guardian).exists()
    ):
        first = guardians.select_related("user").order_by("id").first()
        guardian = first.user if first is not None else None
    if guardian is None or not guardian.email:
        return None
    return Recipient(
        email=guardian.email,
        # The language the guardian chose for this child's e-mails.
        language=_supported(participant.language or guardian.preferred_language),
        name=guardian.name_to_greet,
    )


def _supported(language: str) -> str:
    return language if language in SUPPORTED_LANGUAGES else "nl"


def offer_url(entry: WaitingListEntry, language: str) -> str:
    """The absolute address of the page where the offer is accepted or declined.

    The page belongs to the enrolment pages (route `learning:offer`, taking the token);
    should the route be missing, the address follows the same pattern."""
    with translation.override(language):
        try:
            path = reverse("learning:offer", kwargs={"token": entry.offer_token})
        except NoReverseMatch:
            path = f"/{language}/learn/offers/{entry.offer_token}/"
    return f"{settings.SITE_URL}{path}"


def send_learning_email(
    *, kind: EmailKind, participant: Participant, context: dict[str, Any]
) -> int:
    """Render learning/email/<kind>_subject.txt and _body.txt in the recipient's
    language and send them. Returns the number of messages sent (0 or 1)."""
    recipient = recipient_of(participant)
    if recipient is None:
        return 0
    context = {
        **context,
        "participant": participant,
        "recipient": recipient,
        "site_url": settings.SITE_URL,
    }
    with translation.override(recipient.language):
        if "entry" in context and kind == EmailKind.OFFER:
            context["offer_url"] = offer_url(context["entry"], recipient.language)
        subject = render_to_string(f"learning/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"learning/email/{kind}_body.txt", context)
    return send_mail(" ".join(subject.split()), body, None, [recipient.email])
