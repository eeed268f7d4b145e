"""Deleting one's account (accounts.erasure) and learning: enrolments first, then the
profiles of the person and of the children only they look after."""

from __future__ import annotations

import pytest
from django.utils import timezone

from reisgezel.accounts.erasure import account_erase, account_erase_blockers
from reisgezel.learning.models import (
    Enrolment,
    EnrolmentState,
    Guardian,
    GuardianInvitation,
    Participant,
)
from tests.factories import make_user
from tests.learning_factories import make_adult, make_child, make_edition, make_household

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_enrolments_are_cancelled_first_then_the_family_is_erased() -> None:
    adult = make_adult()
    user = adult.user
    assert user is not None
    child = make_child(household=adult.household, given_name="Lotte")
    edition = make_edition()
    enrolment = Enrolment.objects.create(edition=edition, participant=child)
    assert account_erase_blockers(user) == [
        "Cancel the enrolments and waiting-list places of Lotte first."
    ]
    enrolment.state = EnrolmentState.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save()
    account_erase(user=user, password=PASSWORD)
    # The child's enrolment stays in the books, without the child's name; the adult had
    # no history, so their profile is gone.
    child.refresh_from_db()
    assert (child.given_name, child.family_name, child.birth_date.month) == ("Removed", "-", 1)
    assert not Participant.objects.filter(pk=adult.pk).exists()
    assert not Guardian.objects.filter(user=user).exists()


def test_a_child_with_another_guardian_stays_in_that_family() -> None:
    first, second = make_user(), make_user()
    household = make_household(guardian=first)
    Guardian.objects.create(household=household, user=second)
    child = make_child(household=household, given_name="Sem")
    Enrolment.objects.create(edition=make_edition(), participant=child)
    assert account_erase_blockers(first) == []  # the other guardian looks after Sem
    account_erase(user=first, password=PASSWORD)
    child.refresh_from_db()
    assert child.given_name == "Sem"
    assert list(Guardian.objects.filter(household=household).values_list("user", flat=True)) == [
        second.pk
    ]


def test_open_invitations_lapse() -> None:
    from datetime import timedelta

    adult = make_adult()
    user = adult.user
    assert user is not None
    now = timezone.now()
    invitation = GuardianInvitation.objects.create(
        household=adult.household,
        email="partner@example.org",
        token_hash="x" * 64,
        invited_by=user,
        created_at=now,
        expires_at=now + timedelta(days=7),
    )
    account_erase(user=user, password=PASSWORD)
    # Revoked, or gone with the family account that had nobody left in it.
    assert not GuardianInvitation.objects.filter(pk=invitation.pk, revoked_at=None).exists()


def test_the_family_account_keeps_neither_the_name_nor_the_billing_address() -> None:
    from datetime import date

    from reisgezel.learning.models import Household
    from reisgezel.learning.services.family import household_create_for

    # Set up as the family page does: "Family Jansen", billed to the person's address.
    user = make_user(email="marij@example.org")
    adult = household_create_for(
        actor=user, given_name="Marij", family_name="Jansen", birth_date=date(1980, 5, 1)
    )
    household = adult.household
    assert household.billing_email == "marij@example.org"
    child = make_child(household=household, given_name="Lotte")
    Enrolment.objects.create(
        edition=make_edition(),
        participant=child,
        state=EnrolmentState.CANCELLED,
        cancelled_at=timezone.now(),
    )
    account_erase(user=user, password=PASSWORD)
    # The child's cancelled enrolment keeps the household in the books, without the
    # family's name or the person's address.
    household.refresh_from_db()
    assert "Jansen" not in household.name and household.billing_email == ""
    # A family that has nobody left goes altogether.
    other = make_user(email="joep@example.org")
    empty = household_create_for(
        actor=other, given_name="Joep", family_name="Vos", birth_date=date(1975, 1, 2)
    ).household
    account_erase(user=other, password=PASSWORD)
    assert not Household.objects.filter(pk=empty.pk).exists()


def test_a_family_with_another_guardian_is_no_longer_billed_to_the_person() -> None:
    first, second = make_user(email="first@example.org"), make_user(email="second@example.org")
    household = make_household(guardian=first)
    household.billing_email = "First@Example.org"
    household.save()
    Guardian.objects.create(household=household, user=second)
    make_child(household=household)
    account_erase(user=first, password=PASSWORD)
    household.refresh_from_db()
    assert household.billing_email == ""


def test_invitations_to_the_person_from_other_families_go() -> None:
    from datetime import timedelta

    inviter = make_adult()
    assert inviter.user is not None
    invitee = make_user(email="Invitee@example.org")
    now = timezone.now()
    GuardianInvitation.objects.create(
        household=inviter.household,
        email="invitee@example.org",
        token_hash="y" * 64,
        invited_by=inviter.user,
        created_at=now,
        expires_at=now + timedelta(days=7),
    )
    account_erase(user=invitee, password=PASSWORD)
    assert not GuardianInvitation.objects.filter(email="invitee@example.org").exists()


def test_a_teachers_school_bookings_get_the_schools_address() -> None:
    from reisgezel.learning.tests.test_schools import book, make_programme, make_school, make_slot

    teacher = make_user(email="juf@example.org")
    school = make_school(teacher=teacher)
    booking = book(teacher, make_slot(make_programme()), school, contact_email="Juf@example.org")
    account_erase(user=teacher, password=PASSWORD)
    booking.refresh_from_db()
    assert booking.contact_email == "info@geusselt.example"
