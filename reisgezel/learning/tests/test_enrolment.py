"""Enrolling: the checks with their messages, who may enrol whom, the price, trial
lessons and their conversion, and cancellation that frees the place."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import (
    DiscountScheme,
    Edition,
    EditionState,
    Enrolment,
    EnrolmentKind,
    EnrolmentState,
    SchemeKind,
    Tariff,
    WaitingListEntry,
)
from reisgezel.learning.selectors import households_of, journey_of, may_act_for, participants_of
from reisgezel.learning.services.enrolment import cancel_enrolment, convert_trial, enrol
from tests.factories import make_user, member_of
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> list[str]:
    return [m for ms in error.message_dict.values() for m in ms]


def refreshed(edition: Edition) -> Edition:
    edition.refresh_from_db()
    return edition


def test_an_adult_enrols_themself_at_the_quoted_price() -> None:
    edition = make_edition(price="95.00")
    adult = make_adult()
    enrolment = enrol(actor=adult.user, edition=edition, participant=adult)
    assert isinstance(enrolment, Enrolment)
    assert enrolment.state == EnrolmentState.ACTIVE
    assert enrolment.kind == EnrolmentKind.REGULAR
    assert enrolment.price_full == enrolment.price_due == Decimal("95.00")
    assert enrolment.tariff is not None and enrolment.tariff.code == "standard"
    assert enrolment.price_explanation  # the tariff service's sentences are kept
    assert enrolment.enrolled_by == adult.user
    assert refreshed(edition).places_taken == 1
    assert AuditEntry.objects.filter(action="learning.enrol", target_id=str(enrolment.pk)).exists()


def test_a_guardian_enrols_their_child_and_staff_may_enrol_anyone() -> None:
    course = make_course(age_min=6, age_max=12)
    edition = make_edition(course=course)
    guardian = make_user()
    child = make_child(household=make_household(guardian=guardian), age=9)
    assert isinstance(enrol(actor=guardian, edition=edition, participant=child), Enrolment)
    other_child = make_child(household=make_household(), age=8, given_name="Bram")
    staff = make_user(is_staff=True)
    assert isinstance(enrol(actor=staff, edition=edition, participant=other_child), Enrolment)
    assert refreshed(edition).places_taken == 2


def test_nobody_enrols_someone_outside_their_household() -> None:
    edition = make_edition()
    adult = make_adult()
    with pytest.raises(PermissionDenied):
        enrol(actor=make_user(), edition=edition, participant=adult)
    provider_member = member_of(edition.course.provider)
    with pytest.raises(PermissionDenied):
        enrol(actor=provider_member, edition=edition, participant=adult)
    assert refreshed(edition).places_taken == 0


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (EditionState.CANCELLED, "This edition has been cancelled."),
        (EditionState.PLANNED, "This edition is not open for enrolment."),
        (EditionState.COMPLETED, "This edition is not open for enrolment."),
    ],
)
def test_an_edition_that_is_not_open_is_refused(state: str, expected: str) -> None:
    edition = make_edition(state=state)
    adult = make_adult()
    with pytest.raises(ValidationError) as caught:
        enrol(actor=adult.user, edition=edition, participant=adult)
    assert caught.value.message_dict["edition"] == [expected]
    assert not Enrolment.objects.exists()


def test_the_enrolment_window_is_respected() -> None:
    now = timezone.now()
    edition = make_edition(
        enrol_opens_at=now + timedelta(days=1), enrol_closes_at=now + timedelta(days=5)
    )
    adult = make_adult()
    with pytest.raises(ValidationError) as early:
        enrol(actor=adult.user, edition=edition, participant=adult, now=now)
    assert messages(early.value)[0].startswith("Enrolment opens on ")
    with pytest.raises(ValidationError) as late:
        enrol(actor=adult.user, edition=edition, participant=adult, now=now + timedelta(days=5))
    assert "enrolment deadline" in messages(late.value)[0]
    assert "has passed" in messages(late.value)[0]
    inside = enrol(
        actor=adult.user, edition=edition, participant=adult, now=now + timedelta(days=2)
    )
    assert isinstance(inside, Enrolment)


def test_a_child_of_the_wrong_age_is_told_why() -> None:
    course = make_course(age_min=12, age_max=17)
    edition = make_edition(course=course)
    guardian = make_user()
    child = make_child(household=make_household(guardian=guardian), age=9, given_name="Lotte")
    with pytest.raises(ValidationError) as caught:
        enrol(actor=guardian, edition=edition, participant=child)
    age = child.age_on(edition.starts_on)
    assert caught.value.message_dict["participant"] == [
        f"Lotte Smeets will be {age} when this course starts; it is for ages 12 to 17."
    ]


def test_prerequisites_must_be_completed_first() -> None:
    basics = make_course(title={"nl": "Basis", "en": "Basics"})
    follow_up = make_course(title={"nl": "Vervolg", "en": "Follow-up"})
    follow_up.prerequisites.add(basics)
    edition = make_edition(course=follow_up)
    adult = make_adult()
    with pytest.raises(ValidationError) as caught:
        enrol(actor=adult.user, edition=edition, participant=adult)
    assert caught.value.message_dict["participant"] == [
        "This course asks that you first complete: Basics."
    ]
    # An active enrolment in an edition that has ended counts as completed.
    past = make_edition(
        course=basics,
        starts_on=date(2025, 1, 7),
        ends_on=date(2025, 3, 25),
        state=EditionState.COMPLETED,
    )
    Enrolment.objects.create(edition=past, participant=adult, state=EnrolmentState.ACTIVE)
    assert isinstance(enrol(actor=adult.user, edition=edition, participant=adult), Enrolment)


def test_enrolling_twice_is_refused_with_a_clear_message() -> None:
    edition = make_edition()
    adult = make_adult()
    enrol(actor=adult.user, edition=edition, participant=adult)
    with pytest.raises(ValidationError) as caught:
        enrol(actor=adult.user, edition=edition, participant=adult)
    assert caught.value.message_dict["participant"] == [f"{adult} is already enrolled."]
    assert refreshed(edition).places_taken == 1


def test_a_full_edition_puts_the_participant_on_the_waiting_list() -> None:
    edition = make_edition(min_participants=1, max_participants=1)
    first, second = make_adult(), make_adult()
    enrol(actor=first.user, edition=edition, participant=first)
    entry = enrol(actor=second.user, edition=edition, participant=second)
    assert isinstance(entry, WaitingListEntry)
    assert entry.state == "waiting"
    assert refreshed(edition).places_taken == 1
    with pytest.raises(ValidationError) as caught:
        enrol(actor=second.user, edition=edition, participant=second)
    assert caught.value.message_dict["participant"] == [f"{second} is already on the waiting list."]


def _senior_discount() -> DiscountScheme:
    return DiscountScheme.objects.create(
        code="senior",
        name={"nl": "Seniorenkorting", "en": "Senior discount"},
        kind=SchemeKind.DISCOUNT,
        percentage=Decimal("20.00"),
        age_min=65,
        needs_entitlement=False,
    )


def test_a_reduced_place_is_taken_with_the_place_and_freed_with_it() -> None:
    _senior_discount()
    edition = make_edition(price="100.00", reduced_places_max=1)
    first = make_adult(birth_date=date(1950, 3, 1))
    second = make_adult(birth_date=date(1951, 3, 1))
    reduced = enrol(actor=first.user, edition=edition, participant=first)
    assert isinstance(reduced, Enrolment)
    assert reduced.uses_reduced_place
    assert reduced.price_due == Decimal("80.00")
    assert reduced.scheme is not None and reduced.scheme.code == "senior"
    edition = refreshed(edition)
    assert (edition.places_taken, edition.reduced_places_taken) == (1, 1)
    # The cap is reached: the next senior pays the full price.
    full = enrol(actor=second.user, edition=edition, participant=second)
    assert isinstance(full, Enrolment)
    assert not full.uses_reduced_place and full.price_due == Decimal("100.00")
    cancel_enrolment(actor=first.user, enrolment=reduced, reason="Moved away")
    edition = refreshed(edition)
    assert (edition.places_taken, edition.reduced_places_taken) == (1, 0)


def test_a_trial_lesson_holds_a_place_and_converts_without_a_second_one() -> None:
    edition = make_edition(price="120.00", min_participants=1, max_participants=2)
    Tariff.objects.create(edition=edition, code="trial", label={"nl": "Proefles"}, amount=10)
    adult = make_adult()
    trial = enrol(actor=adult.user, edition=edition, participant=adult, trial=True)
    assert isinstance(trial, Enrolment)
    assert trial.kind == EnrolmentKind.TRIAL and trial.price_due == Decimal("10.00")
    assert refreshed(edition).places_taken == 1
    regular = convert_trial(actor=adult.user, enrolment=trial)
    trial.refresh_from_db()
    assert trial.state == EnrolmentState.CONVERTED
    assert regular.kind == EnrolmentKind.REGULAR and regular.state == EnrolmentState.ACTIVE
    assert regular.converted_from == trial
    assert regular.price_due == Decimal("120.00")
    assert refreshed(edition).places_taken == 1
    with pytest.raises(ValidationError):
        convert_trial(actor=adult.user, enrolment=trial)


def test_no_trial_lesson_where_none_is_offered() -> None:
    """The rule is the service's, not only the page's: a workshop has no trial lesson,
    and a provider can switch them off for an edition."""
    from reisgezel.learning.models import CourseKind

    adult = make_adult()
    workshop = make_edition(course=make_course(kind=CourseKind.WORKSHOP))
    switched_off = make_edition()
    Edition.objects.filter(pk=switched_off.pk).update(trial_lessons=False)
    for edition in (workshop, switched_off):
        with pytest.raises(ValidationError) as caught:
            enrol(actor=adult.user, edition=edition, participant=adult, trial=True)
        assert "offers no trial lesson" in caught.value.message_dict["trial"][0]
    assert not Enrolment.objects.exists()
    regular = enrol(actor=adult.user, edition=switched_off, participant=adult)
    assert isinstance(regular, Enrolment) and regular.kind == EnrolmentKind.REGULAR


def test_no_trial_lesson_in_a_full_edition() -> None:
    edition = make_edition(min_participants=1, max_participants=1)
    first, second = make_adult(), make_adult()
    enrol(actor=first.user, edition=edition, participant=first)
    with pytest.raises(ValidationError) as caught:
        enrol(actor=second.user, edition=edition, participant=second, trial=True)
    assert "trial" in caught.value.message_dict
    assert not WaitingListEntry.objects.exists()


def test_cancelling_needs_a_reason_and_frees_the_place() -> None:
    edition = make_edition()
    adult = make_adult()
    enrolment = enrol(actor=adult.user, edition=edition, participant=adult)
    assert isinstance(enrolment, Enrolment)
    with pytest.raises(ValidationError) as caught:
        cancel_enrolment(actor=adult.user, enrolment=enrolment, reason="  ")
    assert caught.value.message_dict == {"reason": ["Please give a reason."]}
    cancelled = cancel_enrolment(actor=adult.user, enrolment=enrolment, reason="Ill")
    assert cancelled.state == EnrolmentState.CANCELLED
    assert cancelled.cancel_reason == "Ill" and cancelled.cancelled_by == adult.user
    assert refreshed(edition).places_taken == 0
    with pytest.raises(ValidationError):
        cancel_enrolment(actor=adult.user, enrolment=enrolment, reason="Again")
    # The place is free again: the same person may enrol once more.
    assert isinstance(enrol(actor=adult.user, edition=edition, participant=adult), Enrolment)


def test_after_the_deadline_only_the_provider_or_staff_cancel() -> None:
    now = timezone.now()
    edition = make_edition(cancel_until=now + timedelta(days=1))
    adult = make_adult()
    enrolment = enrol(actor=adult.user, edition=edition, participant=adult, now=now)
    assert isinstance(enrolment, Enrolment)
    later = now + timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        cancel_enrolment(actor=adult.user, enrolment=enrolment, reason="Busy", now=later)
    assert "cancellation deadline" in caught.value.messages[0]
    with pytest.raises(PermissionDenied):
        cancel_enrolment(actor=make_user(), enrolment=enrolment, reason="Busy", now=now)
    provider = member_of(edition.course.provider)
    cancel_enrolment(actor=provider, enrolment=enrolment, reason="Asked by phone", now=later)
    assert refreshed(edition).places_taken == 0


def test_a_user_acts_for_themself_and_their_households_members_only() -> None:
    guardian = make_user()
    own = make_adult(user=guardian)
    child = make_child(household=own.household, age=7)
    other_household = make_household(guardian=guardian, name="Oma's huis")
    grandchild = make_child(household=other_household, age=5, given_name="Mia")
    stranger = make_adult()
    assert set(participants_of(guardian)) == {own, child, grandchild}
    assert set(households_of(guardian)) == {own.household, other_household}
    assert may_act_for(guardian, grandchild) and not may_act_for(guardian, stranger)
    assert not may_act_for(stranger.user, child)
    assert may_act_for(make_user(is_staff=True), child)


def test_the_learning_journey_groups_enrolments_by_year() -> None:
    adult = make_adult()
    old = make_edition(starts_on=date(2024, 9, 3), ends_on=date(2025, 1, 28), state="completed")
    newer = make_edition(starts_on=date(2025, 9, 2), ends_on=date(2026, 1, 27))
    dropped = make_edition(starts_on=date(2025, 9, 4), ends_on=date(2026, 1, 29))
    done = Enrolment.objects.create(edition=old, participant=adult, state=EnrolmentState.COMPLETED)
    active = Enrolment.objects.create(edition=newer, participant=adult)
    Enrolment.objects.create(
        edition=dropped,
        participant=adult,
        state=EnrolmentState.CANCELLED,
        cancelled_at=timezone.now(),
    )
    journey = journey_of(adult)
    assert [(year.year, year.enrolments) for year in journey] == [
        (2025, [active]),
        (2024, [done]),
    ]


def test_a_trial_tariff_keeps_to_its_age_range() -> None:
    """A trial tariff for children is not an adult's, and never a child's course price."""
    course = make_course(age_min=4, age_max=120)
    edition = make_edition(course=course, price="120.00", min_participants=1)
    Tariff.objects.create(
        edition=edition, code="trial", label={"nl": "Proefles"}, amount=5, age_min=4, age_max=17
    )
    adult = make_adult()
    with pytest.raises(ValidationError) as refused:
        enrol(actor=adult.user, edition=edition, participant=adult, trial=True)
    age = adult.age_on(edition.starts_on)
    assert messages(refused.value) == [
        f"Anna Smeets will be {age} when this course starts; its trial lesson is for ages 4 "
        "to 17. You can enrol for the whole course."
    ]
    assert refreshed(edition).places_taken == 0

    household = make_household()
    child = make_child(household=household, age=9)
    guardian = household.guardians.get().user
    trial = enrol(actor=guardian, edition=edition, participant=child, trial=True)
    assert isinstance(trial, Enrolment) and trial.price_due == Decimal("5.00")
    regular = convert_trial(actor=guardian, enrolment=trial)
    assert regular.price_due == Decimal("120.00")
    assert regular.tariff is not None and regular.tariff.code == "standard"
