"""Entitlements: who may grant and revoke them, what they record (never income data)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reisgezel.accounts.models import User
from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import DiscountScheme, Entitlement, SchemeKind, VerificationMethod
from reisgezel.learning.services.schemes import (
    JEUGDFONDS_CODE,
    SENIOR_DISCOUNT_CODE,
    default_schemes,
    entitlement_grant,
    entitlement_revoke,
    entitlements_valid,
    schemes_ensure,
)
from reisgezel.learning.services.tariffs import FAMILY_DISCOUNT_CODE
from tests.factories import make_user
from tests.learning_factories import make_child, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeugdfonds() -> DiscountScheme:
    schemes_ensure()
    return DiscountScheme.objects.get(code=JEUGDFONDS_CODE)


def intermediary() -> User:
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="add_entitlement"))
    return user


def test_the_five_default_schemes() -> None:
    values = default_schemes()
    assert [v["code"] for v in values] == [
        "jeugdfonds",
        "volwassenenfonds",
        "cjp-cultuurkaart",
        FAMILY_DISCOUNT_CODE,
        SENIOR_DISCOUNT_CODE,
    ]
    schemes_ensure()
    schemes_ensure()  # idempotent
    assert DiscountScheme.objects.count() == 5
    jeugdfonds = DiscountScheme.objects.get(code=JEUGDFONDS_CODE)
    assert (jeugdfonds.kind, jeugdfonds.age_min, jeugdfonds.age_max) == (SchemeKind.FUND, 4, 17)
    assert DiscountScheme.objects.get(code=SENIOR_DISCOUNT_CODE).needs_entitlement is False


@pytest.mark.parametrize("who", ["staff", "intermediary"])
def test_staff_and_intermediaries_grant_an_entitlement(
    who: str, jeugdfonds: DiscountScheme
) -> None:
    actor = make_user(is_staff=True) if who == "staff" else intermediary()
    child = make_child(household=make_household(), age=9)
    entitlement = entitlement_grant(
        actor=actor,
        participant=child,
        scheme=jeugdfonds,
        valid_from=date(2026, 8, 1),
        valid_until=date(2027, 7, 31),
        verified_how=VerificationMethod.INTERMEDIARY,
        reference="  JF-123  ",
    )
    assert entitlement.verified_by == actor
    assert entitlement.reference == "JF-123"
    assert AuditEntry.objects.filter(
        action="learning.entitlement_grant", target_id=str(entitlement.pk)
    ).exists()


def test_the_entitlement_stores_no_reasons_or_income() -> None:
    fields = {f.name for f in Entitlement._meta.get_fields()}
    assert not {"income", "reason", "notes"} & fields


def test_a_guardian_may_not_grant_an_entitlement(jeugdfonds: DiscountScheme) -> None:
    household = make_household()
    child = make_child(household=household, age=9)
    guardian = household.guardians.get().user
    with pytest.raises(PermissionDenied):
        entitlement_grant(
            actor=guardian,
            participant=child,
            scheme=jeugdfonds,
            valid_from=date(2026, 8, 1),
            valid_until=date(2027, 7, 31),
            verified_how=VerificationMethod.FUND_DECISION,
        )


def test_bad_input_gets_clear_messages(jeugdfonds: DiscountScheme) -> None:
    child = make_child(household=make_household(), age=9)
    with pytest.raises(ValidationError) as error:
        entitlement_grant(
            actor=make_user(is_staff=True),
            participant=child,
            scheme=jeugdfonds,
            valid_from=date(2027, 1, 1),
            valid_until=date(2026, 1, 1),
            verified_how="because-I-say-so",
        )
    assert set(error.value.message_dict) == {"valid_until", "verified_how"}
    with pytest.raises(ValidationError) as too_long:
        entitlement_grant(
            actor=make_user(is_staff=True),
            participant=child,
            scheme=jeugdfonds,
            valid_from=date(2026, 1, 1),
            valid_until=date(2036, 1, 1),
            verified_how=VerificationMethod.FUND_DECISION,
        )
    assert "two years" in str(too_long.value.message_dict["valid_until"])


def test_a_scheme_without_entitlements_refuses_one() -> None:
    schemes_ensure()
    child = make_child(household=make_household(), age=9)
    with pytest.raises(ValidationError) as error:
        entitlement_grant(
            actor=make_user(is_staff=True),
            participant=child,
            scheme=DiscountScheme.objects.get(code=FAMILY_DISCOUNT_CODE),
            valid_from=date(2026, 1, 1),
            valid_until=date(2026, 12, 31),
            verified_how=VerificationMethod.ID_SEEN,
        )
    assert "scheme" in error.value.message_dict


def test_revoking_ends_the_entitlement_once(jeugdfonds: DiscountScheme) -> None:
    staff = make_user(is_staff=True)
    child = make_child(household=make_household(), age=9)
    today = timezone.localdate()
    entitlement = entitlement_grant(
        actor=staff,
        participant=child,
        scheme=jeugdfonds,
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=10),
        verified_how=VerificationMethod.FUND_DECISION,
    )
    assert entitlements_valid(participant=child, on=today) == [entitlement]
    entitlement_revoke(actor=staff, entitlement=entitlement)
    first = Entitlement.objects.get(pk=entitlement.pk).revoked_at
    assert first is not None
    entitlement_revoke(actor=staff, entitlement=entitlement)
    assert Entitlement.objects.get(pk=entitlement.pk).revoked_at == first
    assert entitlements_valid(participant=child, on=today) == []
    with pytest.raises(PermissionDenied):
        entitlement_revoke(actor=make_user(), entitlement=entitlement)
