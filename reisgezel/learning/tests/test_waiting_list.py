"""The waiting list: priority and arrival order, offers that hold the freed place,
accepting, declining and lapsing, all on a controlled clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from reisgezel.learning.models import (
    Edition,
    Enrolment,
    EnrolmentState,
    Participant,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.selectors import offer_by_token, waiting_position
from reisgezel.learning.services.enrolment import cancel_enrolment, enrol
from reisgezel.learning.services.waiting import accept_offer, decline_offer, expire_offers
from tests.factories import make_user
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.get_default_timezone())


def full_edition(places: int = 1, **overrides: Any) -> tuple[Edition, list[Enrolment]]:
    edition = make_edition(
        min_participants=1,
        max_participants=places,
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 2, 1),
        waiting_offer_hours=48,
        **overrides,
    )
    enrolments = []
    for _ in range(places):
        adult = make_adult()
        enrolment = enrol(actor=adult.user, edition=edition, participant=adult, now=T0)
        assert isinstance(enrolment, Enrolment)
        enrolments.append(enrolment)
    return edition, enrolments


def wait(edition: Edition, participant: Participant, actor: object = None) -> WaitingListEntry:
    entry = enrol(actor=actor or participant.user, edition=edition, participant=participant, now=T0)
    assert isinstance(entry, WaitingListEntry)
    return entry


def places(edition: Edition) -> int:
    edition.refresh_from_db()
    return edition.places_taken


def test_priority_returning_pupils_then_under_18s_then_arrival() -> None:
    course = make_course(age_min=10, age_max=120)
    edition, _enrolments = full_edition(course=course)
    adult_first = make_adult()
    guardian = make_user()
    teenager = make_child(household=make_household(guardian=guardian), age=14)
    returning = make_adult()
    earlier = make_edition(
        course=course, starts_on=date(2025, 9, 1), ends_on=date(2025, 12, 1), state="completed"
    )
    Enrolment.objects.create(edition=earlier, participant=returning, state=EnrolmentState.COMPLETED)
    a = wait(edition, adult_first)
    t = wait(edition, teenager, actor=guardian)
    r = wait(edition, returning)
    assert [(e.priority, e.priority_reason) for e in (a, t, r)] == [
        (2, ""),
        (1, "under_18"),
        (0, "returning"),
    ]
    assert [waiting_position(e) for e in (r, t, a)] == [1, 2, 3]
    assert list(WaitingListEntry.objects.filter(edition=edition)) == [r, t, a]


def test_a_freed_place_is_offered_to_the_first_in_line_and_held_for_them() -> None:
    edition, [enrolment] = full_edition()
    first, second, latecomer = make_adult(), make_adult(), make_adult()
    entry = wait(edition, first)
    wait(edition, second)
    cancel_enrolment(actor=enrolment.participant.user, enrolment=enrolment, reason="Moved", now=T0)
    entry.refresh_from_db()
    assert entry.state == WaitingState.OFFERED
    assert entry.offered_at == T0
    assert entry.offer_expires_at == T0 + timedelta(hours=48)
    assert len(entry.offer_token) >= 40
    assert offer_by_token(entry.offer_token) == entry
    # The offer keeps the place: it is not free for someone arriving now.
    assert places(edition) == 1
    late = enrol(actor=latecomer.user, edition=edition, participant=latecomer, now=T0)
    assert isinstance(late, WaitingListEntry)
    accepted = accept_offer(actor=first.user, entry=entry, now=T0 + timedelta(hours=47))
    assert accepted.state == EnrolmentState.ACTIVE and accepted.participant == first
    entry.refresh_from_db()
    assert entry.state == WaitingState.ACCEPTED and entry.enrolment == accepted
    assert places(edition) == 1
    with pytest.raises(ValidationError):
        accept_offer(actor=first.user, entry=entry, now=T0 + timedelta(hours=47))


def test_only_the_participant_or_their_guardian_answers_an_offer() -> None:
    edition, [enrolment] = full_edition()
    first = make_adult()
    entry = wait(edition, first)
    cancel_enrolment(actor=enrolment.participant.user, enrolment=enrolment, reason="x", now=T0)
    entry.refresh_from_db()
    with pytest.raises(PermissionDenied):
        accept_offer(actor=make_user(), entry=entry, now=T0)
    with pytest.raises(PermissionDenied):
        decline_offer(actor=make_user(), entry=entry, now=T0)


def test_an_offer_lapses_at_its_deadline_and_goes_to_the_next_in_line() -> None:
    edition, [enrolment] = full_edition()
    first, second = make_adult(), make_adult()
    entry_1, entry_2 = wait(edition, first), wait(edition, second)
    cancel_enrolment(actor=enrolment.participant.user, enrolment=enrolment, reason="x", now=T0)
    # Not yet: a minute before the deadline nothing lapses.
    assert expire_offers(now=T0 + timedelta(hours=47, minutes=59)) == 0
    deadline = T0 + timedelta(hours=48)
    with pytest.raises(ValidationError) as caught:
        accept_offer(actor=first.user, entry=entry_1, now=deadline)
    assert caught.value.messages == ["Sorry, this offer has lapsed."]
    assert expire_offers(now=deadline) == 1
    entry_1.refresh_from_db()
    entry_2.refresh_from_db()
    assert entry_1.state == WaitingState.EXPIRED
    assert entry_2.state == WaitingState.OFFERED
    assert entry_2.offer_expires_at == deadline + timedelta(hours=48)
    assert places(edition) == 1
    # The second lapses too, and nobody is left: the place is released.
    assert expire_offers(now=deadline + timedelta(hours=48)) == 1
    assert places(edition) == 0
    assert expire_offers(now=deadline + timedelta(hours=96)) == 0


def test_declining_passes_the_place_on_and_leaving_the_list_is_possible() -> None:
    edition, [enrolment] = full_edition()
    first, second, third = make_adult(), make_adult(), make_adult()
    entry_1, entry_2, entry_3 = wait(edition, first), wait(edition, second), wait(edition, third)
    decline_offer(actor=third.user, entry=entry_3, now=T0)  # leaves the list, holds nothing
    entry_3.refresh_from_db()
    assert entry_3.state == WaitingState.WITHDRAWN
    cancel_enrolment(actor=enrolment.participant.user, enrolment=enrolment, reason="x", now=T0)
    entry_1.refresh_from_db()
    decline_offer(actor=first.user, entry=entry_1, now=T0 + timedelta(hours=1))
    entry_1.refresh_from_db()
    entry_2.refresh_from_db()
    assert entry_1.state == WaitingState.WITHDRAWN
    assert entry_2.state == WaitingState.OFFERED
    assert entry_2.offered_at == T0 + timedelta(hours=1)
    decline_offer(actor=second.user, entry=entry_2, now=T0 + timedelta(hours=2))
    assert places(edition) == 0
    with pytest.raises(ValidationError):
        decline_offer(actor=second.user, entry=entry_2, now=T0 + timedelta(hours=2))


def test_raising_the_maximum_offers_the_new_places_to_those_waiting() -> None:
    edition, _enrolments = full_edition()
    first, second = make_adult(), make_adult()
    entry_1, entry_2 = wait(edition, first), wait(edition, second)
    Edition.objects.filter(pk=edition.pk).update(max_participants=2)
    # A newcomer does not jump the queue: they join it, and the free place is offered.
    newcomer = make_adult()
    assert isinstance(wait(edition, newcomer), WaitingListEntry)
    entry_1.refresh_from_db()
    assert entry_1.state == WaitingState.OFFERED
    assert places(edition) == 2
    Edition.objects.filter(pk=edition.pk).update(max_participants=3)
    expire_offers(now=T0)
    entry_2.refresh_from_db()
    assert entry_2.state == WaitingState.OFFERED
    assert places(edition) == 3


def test_the_expiry_command_lapses_offers_past_their_deadline() -> None:
    edition, [enrolment] = full_edition()
    first = make_adult()
    entry = wait(edition, first)
    long_ago = T0 - timedelta(days=30)
    cancel_enrolment(
        actor=enrolment.participant.user, enrolment=enrolment, reason="x", now=long_ago
    )
    out = StringIO()
    call_command("learning_expire_offers", stdout=out)
    entry.refresh_from_db()
    assert entry.state == WaitingState.EXPIRED
    assert out.getvalue().strip() == "1 offer(s) lapsed."
    assert places(edition) == 0
