"""Cancelling an edition: by its provider with a reason, or automatically when too few
enrolled shortly before the start; the reminder before the first session."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from reisgezel.learning.models import (
    Edition,
    EditionState,
    Enrolment,
    EnrolmentState,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.services.editions import (
    UNDERSUBSCRIBED_DAYS,
    cancel_undersubscribed,
    edition_cancel,
)
from reisgezel.learning.services.enrolment import enrol
from tests.factories import make_user, member_of
from tests.learning_factories import make_adult, make_edition

pytestmark = pytest.mark.django_db


def fill(edition: Edition, count: int) -> list[Enrolment | WaitingListEntry]:
    results = []
    for _ in range(count):
        adult = make_adult()
        results.append(enrol(actor=adult.user, edition=edition, participant=adult))
    return results


def test_the_provider_cancels_an_edition_with_a_reason() -> None:
    edition = make_edition(min_participants=1, max_participants=2)
    enrolled_1, enrolled_2, waiting = fill(edition, 3)
    assert isinstance(waiting, WaitingListEntry)
    provider = member_of(edition.course.provider)
    reason = {"nl": "De docent is ziek.", "en": "The teacher is ill.", "de": " "}
    cancelled = edition_cancel(actor=provider, edition=edition, reason=reason)
    assert cancelled.state == EditionState.CANCELLED
    assert cancelled.cancel_reason == {"nl": "De docent is ziek.", "en": "The teacher is ill."}
    edition.refresh_from_db()
    assert (edition.places_taken, edition.reduced_places_taken) == (0, 0)
    for enrolment in (enrolled_1, enrolled_2):
        enrolment.refresh_from_db()
        assert isinstance(enrolment, Enrolment)
        assert enrolment.state == EnrolmentState.CANCELLED
        assert enrolment.cancel_reason == "De docent is ziek."
        assert enrolment.cancelled_by == provider and enrolment.cancelled_at is not None
    waiting.refresh_from_db()
    assert waiting.state == WaitingState.WITHDRAWN
    # Enrolling afterwards gets a clear message; cancelling again is refused.
    late = make_adult()
    with pytest.raises(ValidationError) as caught:
        enrol(actor=late.user, edition=edition, participant=late)
    assert caught.value.message_dict["edition"] == ["This edition has been cancelled."]
    with pytest.raises(ValidationError):
        edition_cancel(actor=provider, edition=edition, reason=reason)


def test_only_the_provider_or_staff_cancel_and_a_dutch_reason_is_required() -> None:
    edition = make_edition()
    with pytest.raises(PermissionDenied):
        edition_cancel(actor=make_user(), edition=edition, reason={"nl": "Weg"})
    staff = make_user(is_staff=True)
    with pytest.raises(ValidationError) as caught:
        edition_cancel(actor=staff, edition=edition, reason={"en": "Gone"})
    assert caught.value.message_dict == {"reason": ["Please give the reason, at least in Dutch."]}
    assert edition_cancel(actor=staff, edition=edition, reason={"nl": "Weg"}).state == "cancelled"


def test_editions_starting_soon_without_enough_participants_are_cancelled() -> None:
    today = date(2026, 11, 30)
    soon = today + timedelta(days=UNDERSUBSCRIBED_DAYS)
    short = make_edition(starts_on=soon, ends_on=soon + timedelta(weeks=8), min_participants=3)
    enough = make_edition(starts_on=soon, ends_on=soon + timedelta(weeks=8), min_participants=2)
    later = make_edition(
        starts_on=soon + timedelta(days=1), ends_on=soon + timedelta(weeks=8), min_participants=3
    )
    started = make_edition(starts_on=today - timedelta(days=1), ends_on=soon, min_participants=3)
    fill(short, 2)
    fill(enough, 2)
    cancelled = cancel_undersubscribed(today=today)
    assert [e.pk for e in cancelled] == [short.pk]
    short.refresh_from_db()
    assert short.state == EditionState.CANCELLED
    assert set(short.cancel_reason) == {"nl", "en", "de", "fr"}
    assert short.cancel_reason["en"] == (
        "Not enough people enrolled: this edition needed at least 3 participants."
    )
    assert not Enrolment.objects.filter(edition=short, state=EnrolmentState.ACTIVE).exists()
    for other in (enough, later, started):
        other.refresh_from_db()
        assert other.state == EditionState.OPEN
    assert cancel_undersubscribed(today=today) == []


def test_the_daily_command_cancels_and_reports() -> None:
    today = timezone.localdate()
    edition = make_edition(
        starts_on=today + timedelta(days=3), ends_on=today + timedelta(weeks=8), min_participants=2
    )
    out = StringIO()
    call_command("learning_cancel_undersubscribed", stdout=out)
    edition.refresh_from_db()
    assert edition.state == EditionState.CANCELLED
    assert f"Cancelled {edition}" in out.getvalue()
    assert "reminder(s) scheduled" in out.getvalue()


def test_a_cancelled_edition_is_cancelled_in_the_agenda_and_leaves_the_search(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reisgezel.agenda.models import EventStatus
    from reisgezel.learning.agenda_sync import mirrored_event
    from reisgezel.learning.services.offer import EDITION_DOC_TYPE, editions_changed
    from reisgezel.learning.services.sessions import sessions_generate
    from reisgezel.search.models import SearchDocument

    edition = make_edition(min_participants=1)
    sessions_generate(edition=edition)
    with django_capture_on_commit_callbacks(execute=True):
        editions_changed([edition.pk])
    assert SearchDocument.objects.filter(doc_type=EDITION_DOC_TYPE, object_id=edition.pk)
    event = mirrored_event(edition.pk)
    assert event is not None and event.status == EventStatus.SCHEDULED

    with django_capture_on_commit_callbacks(execute=True):
        edition_cancel(
            actor=member_of(edition.course.provider),
            edition=edition,
            reason={"nl": "De docent is verhuisd."},
        )

    event = mirrored_event(edition.pk)
    assert event is not None and event.status == EventStatus.CANCELLED
    assert not SearchDocument.objects.filter(doc_type=EDITION_DOC_TYPE, object_id=edition.pk)
