"""Invariants the learning models leave to the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from reisgezel.learning.models import Edition, Participant
from tests.learning_factories import make_adult, make_edition, make_household

pytestmark = pytest.mark.django_db


def test_the_database_refuses_more_places_than_the_maximum() -> None:
    edition = make_edition(min_participants=1, max_participants=2)
    Edition.objects.filter(pk=edition.pk).update(places_taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(places_taken=F("places_taken") + 1)


def test_a_profile_without_login_needs_a_guardians_consent() -> None:
    adult = make_adult()
    household = make_household(guardian=adult.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(
            household=household, given_name="Tim", family_name="Smeets", birth_date="2018-01-01"
        )
