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
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
