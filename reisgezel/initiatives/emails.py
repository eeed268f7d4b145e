"""The e-mail an initiator receives at each state change, in their preferred language.

Sent by the task in tasks.py after the service's transaction commits. It carries the
new state and, when declined, the reason; never a staff note.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reisgezel.initiatives.models import InitiativeStateChange

SUPPORTED_LANGUAGES = ("nl", "en", "de", "fr")


def send_state_change_email(change: InitiativeStateChange) -> int:
    initiative = change.initiative
    user = initiative.initiator
    if not user.email or not user.is_active:
        return 0
    language = user.preferred_language if user.preferred_language in SUPPORTED_LANGUAGES else "nl"
    with translation.override(language):
        url = settings.SITE_URL + reverse("initiatives:detail", kwargs={"pk": initiative.pk})
        context = {
            "initiative": initiative,
            "change": change,
            "state_label": change.get_to_state_display(),
            "name": user.name_to_greet,
            "url": url,
        }
        subject = render_to_string("initiatives/email/state_subject.txt", context)
        body = render_to_string("initiatives/email/state_body.txt", context)
    return send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
