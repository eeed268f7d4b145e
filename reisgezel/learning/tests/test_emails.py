"""The e-mails arrive at a real SMTP server (aiosmtpd), after commit, through the task
queue, in the recipient's language.

The language is checked on what Django itself translates (month and weekday names in
the dates), so the tests hold before and after this part's own strings are translated.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from reisgezel.learning.models import Edition, Enrolment, WaitingListEntry
from reisgezel.learning.services.editions import REMINDER_DAYS, edition_cancel, remind_first_session
from reisgezel.learning.services.enrolment import cancel_enrolment, enrol
from reisgezel.learning.services.waiting import expire_offers
from tests.factories import make_user, member_of
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)
from tests.smtp import ReceivedMail

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]
MARCH = date(2027, 3, 2)  # a Tuesday; "maart", "März", "mars", "March"


def march_edition(**overrides: Any) -> Edition:
    return make_edition(starts_on=MARCH, ends_on=MARCH + timedelta(weeks=10), **overrides)


def test_a_confirmation_arrives_after_commit_in_the_participants_language(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    edition = march_edition(price="95.00")
    adult = make_adult(user=make_user(email="anna@example.org"))
    adult.language = "nl"
    adult.save()
    with django_capture_on_commit_callbacks(execute=True):
        enrol(actor=adult.user, edition=edition, participant=adult)
        assert smtp_server.messages == []  # nothing leaves before the commit
    [message] = smtp_server.to("anna@example.org")
    body = smtp_server.body(message)
    assert "Boetseren voor beginners" in str(message["Subject"])  # the Dutch course title
    assert "2 maart 2027" in body and "dinsdag" in body
    assert "95.00" in body


def test_a_childs_mail_goes_to_the_consenting_guardian_in_their_language(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    course = make_course(age_min=6, age_max=12)
    edition = march_edition(course=course)
    # The child profile's "language for e-mails" counts, not the guardian's site language.
    guardian = make_user(email="papa@example.org", preferred_language="en")
    child = make_child(household=make_household(guardian=guardian), age=8, given_name="Tim")
    child.language = "de"
    child.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        enrol(actor=guardian, edition=edition, participant=child)
    [message] = smtp_server.messages
    assert "papa@example.org" in str(message["To"])
    body = smtp_server.body(message)
    assert "Tim" in body
    assert "2. März 2027" in body


def test_waiting_offer_and_lapse_mails(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    edition = march_edition(min_participants=1, max_participants=1, waiting_offer_hours=24)
    holder = make_adult()
    waiting = make_adult(user=make_user(email="wait@example.org", preferred_language="en"))
    waiting.language = "en"
    waiting.save()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol(actor=holder.user, edition=edition, participant=holder, now=now)
        entry = enrol(actor=waiting.user, edition=edition, participant=waiting, now=now)
    assert isinstance(enrolment, Enrolment) and isinstance(entry, WaitingListEntry)
    [joined] = smtp_server.to("wait@example.org")
    assert str(joined["Subject"]) == "On the waiting list: Modelling clay for beginners"
    with django_capture_on_commit_callbacks(execute=True):
        cancel_enrolment(actor=holder.user, enrolment=enrolment, reason="Ill", now=now)
    entry.refresh_from_db()
    offer = smtp_server.to("wait@example.org")[-1]
    assert str(offer["Subject"]) == "A place is free for you: Modelling clay for beginners"
    body = smtp_server.body(offer)
    assert f"{settings.SITE_URL}/en/learn/offers/{entry.offer_token}/" in body
    assert entry.offer_expires_at is not None
    with translation.override("en"):
        expires = formats.date_format(timezone.localtime(entry.offer_expires_at), "DATE_FORMAT")
    assert expires in body
    with django_capture_on_commit_callbacks(execute=True):
        expire_offers(now=now + timedelta(hours=24))
    lapsed = smtp_server.to("wait@example.org")[-1]
    assert str(lapsed["Subject"]) == "Offer expired: Modelling clay for beginners"
    assert len(smtp_server.to("wait@example.org")) == 3


def test_everyone_enrolled_or_waiting_hears_of_a_cancelled_edition(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    edition = march_edition(min_participants=1, max_participants=1)
    enrolled = make_adult(user=make_user(email="in@example.org"))
    waiting = make_adult(user=make_user(email="wait@example.org"))
    waiting.language = "en"
    waiting.save()
    enrol(actor=enrolled.user, edition=edition, participant=enrolled)
    enrol(actor=waiting.user, edition=edition, participant=waiting)
    provider = member_of(edition.course.provider)
    with django_capture_on_commit_callbacks(execute=True):
        edition_cancel(
            actor=provider,
            edition=edition,
            reason={"nl": "De docent is ziek.", "en": "The teacher is ill."},
        )
    assert len(smtp_server.messages) == 2
    [to_dutch] = smtp_server.to("in@example.org")
    assert "De docent is ziek." in smtp_server.body(to_dutch)
    assert "2 maart 2027" in smtp_server.body(to_dutch)
    [to_english] = smtp_server.to("wait@example.org")
    assert str(to_english["Subject"]) == "Cancelled: Modelling clay for beginners"
    assert "Reason: The teacher is ill." in smtp_server.body(to_english)


def test_a_reminder_before_the_first_session(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    edition = march_edition()
    adult = make_adult(user=make_user(email="anna@example.org"))
    adult.language = "fr"
    adult.save()
    enrol(actor=adult.user, edition=edition, participant=adult)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_first_session(today=MARCH - timedelta(days=REMINDER_DAYS + 1)) == 0
        assert remind_first_session(today=MARCH - timedelta(days=REMINDER_DAYS)) == 1
    [reminder] = smtp_server.messages
    body = smtp_server.body(reminder)
    assert "2 mars 2027" in body and "19:30" in body


def test_nothing_is_sent_for_a_refused_enrolment(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    edition = march_edition()
    adult = make_adult()
    enrol(actor=adult.user, edition=edition, participant=adult)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        enrol(actor=adult.user, edition=edition, participant=adult)
    assert smtp_server.messages == []
