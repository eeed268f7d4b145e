"""Capacity under concurrent enrolment, on PostgreSQL: parallel requests, each on its own
database connection, released at the same instant by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from reisgezel.learning.models import (
    Edition,
    EditionState,
    Enrolment,
    EnrolmentState,
    Participant,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.selectors import waiting_position
from reisgezel.learning.services.enrolment import enrol
from tests.learning_factories import make_adult, make_edition

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def run_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; each result or raised exception is
    returned in the order of `calls`. Every thread closes its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int) -> None:
        # The active language is per thread: messages in English, as in the main thread.
        translation.activate("en")
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def enrol_call_for(actor: Any, edition: Edition, participant: Participant) -> Callable[[], Any]:
    """A guardian enrolling a child (enrol_call: an adult enrolling themself)."""
    return lambda: enrol(actor=actor, edition=edition, participant=participant)


def enrol_call(edition: Edition, participant: Participant) -> Callable[[], Any]:
    return lambda: enrol(actor=participant.user, edition=edition, participant=participant)


def test_fifty_parallel_enrolments_for_ten_places() -> None:
    edition = make_edition(min_participants=1, max_participants=10)
    people = [make_adult() for _ in range(50)]
    results = run_at_once([enrol_call(edition, p) for p in people])

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    enrolled = [r for r in results if isinstance(r, Enrolment)]
    waiting = [r for r in results if isinstance(r, WaitingListEntry)]
    assert (len(enrolled), len(waiting)) == (10, 40)
    edition.refresh_from_db()
    assert edition.places_taken == 10
    assert Enrolment.objects.filter(edition=edition, state=EnrolmentState.ACTIVE).count() == 10
    # Nothing lost: every person has exactly one outcome in the database.
    in_db = list(
        Enrolment.objects.filter(edition=edition).values_list("participant_id", flat=True)
    ) + list(
        WaitingListEntry.objects.filter(edition=edition, state=WaitingState.WAITING).values_list(
            "participant_id", flat=True
        )
    )
    assert sorted(in_db) == sorted(p.pk for p in people)
    # Arrival order: the list's ids increase with the moment each request was served,
    # and everyone who got a place was served before anyone who had to wait.
    entries = list(WaitingListEntry.objects.filter(edition=edition).order_by("id"))
    stamps = [e.created_at for e in entries]
    assert stamps == sorted(stamps) and len(set(stamps)) == 40
    last_enrolled = max(e.created_at for e in Enrolment.objects.filter(edition=edition))
    assert last_enrolled < stamps[0]
    assert [waiting_position(e) for e in entries] == list(range(1, 41))


def test_the_same_participant_enrolled_twice_at_once_gets_one_place() -> None:
    edition = make_edition(min_participants=1, max_participants=10)
    adult = make_adult()
    results = run_at_once([enrol_call(edition, adult), enrol_call(edition, adult)])
    assert sum(isinstance(r, Enrolment) for r in results) == 1
    [refused] = [r for r in results if not isinstance(r, Enrolment)]
    assert isinstance(refused, ValidationError)
    assert refused.message_dict["participant"] == [f"{adult} is already enrolled."]
    edition.refresh_from_db()
    assert edition.places_taken == 1
    assert Enrolment.objects.filter(edition=edition).count() == 1


def test_the_same_participant_twice_at_once_on_a_full_edition_waits_once() -> None:
    edition = make_edition(min_participants=1, max_participants=1)
    holder = make_adult()
    enrol(actor=holder.user, edition=edition, participant=holder)
    adult = make_adult()
    results = run_at_once([enrol_call(edition, adult), enrol_call(edition, adult)])
    assert sum(isinstance(r, WaitingListEntry) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert WaitingListEntry.objects.filter(edition=edition, participant=adult).count() == 1


def test_cancelling_an_edition_while_a_participant_cancels_does_not_deadlock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from reisgezel.learning.services import capacity
    from reisgezel.learning.services.editions import edition_cancel
    from reisgezel.learning.services.enrolment import cancel_enrolment
    from tests.factories import make_user

    staff = make_user(is_staff=True)
    edition = make_edition()
    adult = make_adult()
    enrolment = enrol(actor=adult.user, edition=edition, participant=adult)
    assert isinstance(enrolment, Enrolment)
    lock_edition = capacity.lock_edition

    def slow_lock_edition(pk: int) -> Edition:
        time.sleep(0.5)  # the participant holds the enrolment, the provider cancels meanwhile
        return lock_edition(pk)

    monkeypatch.setattr(capacity, "lock_edition", slow_lock_edition)

    def provider_cancels() -> Any:
        time.sleep(0.2)
        return edition_cancel(actor=staff, edition=edition, reason={"nl": "Docent ziek"})

    results = run_at_once(
        [
            lambda: cancel_enrolment(actor=adult.user, enrolment=enrolment, reason="ziek"),
            provider_cancels,
        ]
    )
    assert not any(isinstance(result, Exception) for result in results), results
    edition.refresh_from_db()
    assert edition.state == EditionState.CANCELLED


def funded_child_and_two_editions() -> tuple[Any, Participant, list[Edition]]:
    """A child with the Jeugdfonds (a yearly cap of 450) and two editions of 300."""
    from datetime import date, timedelta

    from django.utils import timezone

    from reisgezel.learning.models import DiscountScheme, VerificationMethod
    from reisgezel.learning.services.schemes import entitlement_grant, schemes_ensure
    from tests.factories import make_user
    from tests.learning_factories import make_child, make_course, make_household

    schemes_ensure()
    guardian = make_user()
    child = make_child(household=make_household(guardian=guardian), age=9)
    today = timezone.localdate()
    entitlement_grant(
        actor=make_user(is_staff=True),
        participant=child,
        scheme=DiscountScheme.objects.get(code="jeugdfonds"),
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=365),
        verified_how=VerificationMethod.values[0],
    )
    start = date(today.year + 1, 9, 8)
    editions = [
        make_edition(
            course=make_course(slug=f"cursus-{n}", age_min=4, age_max=17),
            price="300.00",
            starts_on=start,
            ends_on=start + timedelta(weeks=4),
        )
        for n in range(2)
    ]
    return guardian, child, editions


def paid_by_fund(child: Participant) -> Any:
    from decimal import Decimal

    enrolments = Enrolment.objects.filter(
        participant=child, state__in=[EnrolmentState.ACTIVE, EnrolmentState.COMPLETED]
    )
    return sum((e.fund_amount for e in enrolments), Decimal(0))


def test_two_enrolments_of_one_child_at_once_do_not_both_spend_the_funds_cap() -> None:
    guardian, child, editions = funded_child_and_two_editions()
    results = run_at_once([enrol_call_for(guardian, edition, child) for edition in editions])
    assert all(isinstance(r, Enrolment) for r in results), results
    assert str(paid_by_fund(child)) == "450.00"  # the yearly cap, not 2 x 300


def test_a_trial_converted_while_the_child_enrols_elsewhere_keeps_the_funds_cap() -> None:
    from reisgezel.learning.services.enrolment import convert_trial

    guardian, child, (first, second) = funded_child_and_two_editions()
    trial = enrol(actor=guardian, edition=first, participant=child, trial=True)
    assert isinstance(trial, Enrolment)
    results = run_at_once(
        [
            lambda: convert_trial(actor=guardian, enrolment=trial),
            enrol_call_for(guardian, second, child),
        ]
    )
    assert all(isinstance(r, Enrolment) for r in results), results
    assert str(paid_by_fund(child)) == "450.00"


def test_an_offer_accepted_while_the_child_enrols_elsewhere_keeps_the_funds_cap() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from reisgezel.learning.services.waiting import accept_offer

    guardian, child, (first, second) = funded_child_and_two_editions()
    entry = WaitingListEntry.objects.create(
        edition=first,
        participant=child,
        state=WaitingState.OFFERED,
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + timedelta(days=1),
    )
    Edition.objects.filter(pk=first.pk).update(places_taken=1)  # the place held for the offer
    results = run_at_once(
        [
            lambda: accept_offer(actor=guardian, entry=entry),
            enrol_call_for(guardian, second, child),
        ]
    )
    assert all(isinstance(r, Enrolment) for r in results), results
    assert str(paid_by_fund(child)) == "450.00"
