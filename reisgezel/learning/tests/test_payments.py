"""Payments and refunds: who records them, balances, funds, a household's statement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reisgezel.learning.models import (
    DiscountScheme,
    Edition,
    Enrolment,
    EnrolmentState,
    Participant,
    PayerKind,
    Payment,
    PaymentKind,
    PaymentMethod,
)
from reisgezel.learning.services.payments import (
    PaymentProvider,
    balance_of,
    household_statement,
    money_to_return,
    payment_provider,
    payment_record,
    refund_record,
)
from reisgezel.learning.services.schemes import (
    JEUGDFONDS_CODE,
    SENIOR_DISCOUNT_CODE,
    schemes_ensure,
)
from tests.factories import make_user, member_of
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)

pytestmark = pytest.mark.django_db


def enrolment_of(
    participant: Participant,
    *,
    edition: Edition | None = None,
    due: str = "120.00",
    fund: str = "0.00",
    scheme: DiscountScheme | None = None,
) -> Enrolment:
    edition = edition or make_edition()
    return Enrolment.objects.create(
        edition=edition,
        participant=participant,
        price_full=Decimal("120.00"),
        price_due=Decimal(due),
        fund_amount=Decimal(fund),
        scheme=scheme,
    )


def test_a_payment_at_the_desk_lowers_the_balance() -> None:
    enrolment = enrolment_of(make_adult())
    desk = member_of(enrolment.edition.course.provider)
    payment_record(
        actor=desk, enrolment=enrolment, amount=Decimal("50.00"), method=PaymentMethod.CARD
    )
    balance = balance_of(enrolment)
    assert (balance.due, balance.paid, balance.balance) == (
        Decimal("120.00"),
        Decimal("50.00"),
        Decimal("70.00"),
    )


def test_more_than_is_due_is_refused() -> None:
    enrolment = enrolment_of(make_adult())
    staff = make_user(is_staff=True)
    with pytest.raises(ValidationError) as error:
        payment_record(
            actor=staff, enrolment=enrolment, amount=Decimal("120.01"), method=PaymentMethod.CASH
        )
    assert "120.00" in str(error.value.message_dict["amount"])


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.005"), Decimal("NaN")])
def test_bad_amounts_get_a_clear_message(amount: Decimal) -> None:
    enrolment = enrolment_of(make_adult())
    with pytest.raises(ValidationError) as error:
        payment_record(
            actor=make_user(is_staff=True),
            enrolment=enrolment,
            amount=amount,
            method=PaymentMethod.CASH,
        )
    assert "amount" in error.value.message_dict


def test_only_staff_and_the_provider_record_payments() -> None:
    enrolment = enrolment_of(make_adult())
    with pytest.raises(PermissionDenied):
        payment_record(
            actor=enrolment.participant.user,
            enrolment=enrolment,
            amount=Decimal("10.00"),
            method=PaymentMethod.CASH,
        )
    other_provider = member_of(make_course().provider)
    with pytest.raises(PermissionDenied):
        payment_record(
            actor=other_provider, enrolment=enrolment, amount=Decimal("10.00"), method="cash"
        )


def test_a_refund_is_never_more_than_was_paid() -> None:
    enrolment = enrolment_of(make_adult())
    staff = make_user(is_staff=True)
    payment_record(
        actor=staff, enrolment=enrolment, amount=Decimal("120.00"), method="bank_transfer"
    )
    refund_record(actor=staff, enrolment=enrolment, amount=Decimal("20.00"), method="bank_transfer")
    with pytest.raises(ValidationError) as error:
        refund_record(
            actor=staff, enrolment=enrolment, amount=Decimal("100.01"), method="bank_transfer"
        )
    assert "cannot be more than was paid" in str(error.value.message_dict["amount"])
    refund_record(
        actor=staff, enrolment=enrolment, amount=Decimal("100.00"), method="bank_transfer"
    )
    balance = balance_of(enrolment)
    assert balance.net_paid == Decimal("0.00")
    assert Payment.objects.filter(enrolment=enrolment, kind=PaymentKind.REFUND).count() == 2


def test_a_cancelled_enrolment_owes_nothing_and_what_was_paid_can_be_refunded() -> None:
    enrolment = enrolment_of(make_adult())
    staff = make_user(is_staff=True)
    payment_record(actor=staff, enrolment=enrolment, amount=Decimal("60.00"), method="cash")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        state=EnrolmentState.CANCELLED, cancelled_at=timezone.now()
    )
    enrolment.refresh_from_db()
    assert balance_of(enrolment).balance == Decimal("-60.00")
    with pytest.raises(ValidationError):
        payment_record(actor=staff, enrolment=enrolment, amount=Decimal("1.00"), method="cash")
    refund_record(actor=staff, enrolment=enrolment, amount=Decimal("60.00"), method="cash")
    assert balance_of(enrolment).balance == Decimal("0.00")


def test_a_fund_payment_names_the_enrolments_fund() -> None:
    schemes_ensure()
    jeugdfonds = DiscountScheme.objects.get(code=JEUGDFONDS_CODE)
    child = make_child(household=make_household(), age=9)
    enrolment = enrolment_of(child, due="0.00", fund="120.00", scheme=jeugdfonds)
    staff = make_user(is_staff=True)
    with pytest.raises(ValidationError) as unnamed:
        payment_record(
            actor=staff,
            enrolment=enrolment,
            amount=Decimal("120.00"),
            method=PaymentMethod.FUND_INVOICE,
            payer_kind=PayerKind.FUND,
        )
    assert "scheme" in unnamed.value.message_dict
    with pytest.raises(ValidationError):
        payment_record(
            actor=staff,
            enrolment=enrolment,
            amount=Decimal("120.00"),
            method=PaymentMethod.FUND_INVOICE,
            payer_kind=PayerKind.FUND,
            scheme=DiscountScheme.objects.get(code=SENIOR_DISCOUNT_CODE),
        )
    payment = payment_record(
        actor=staff,
        enrolment=enrolment,
        amount=Decimal("120.00"),
        method=PaymentMethod.FUND_INVOICE,
        payer_kind=PayerKind.FUND,
        scheme=jeugdfonds,
        reference="Factuur 2026-17",
    )
    assert payment.scheme == jeugdfonds
    balance = balance_of(enrolment)
    assert (balance.fund_due, balance.fund_paid, balance.fund_balance) == (
        Decimal("120.00"),
        Decimal("120.00"),
        Decimal("0.00"),
    )
    assert balance.balance == Decimal("0.00")
    with pytest.raises(ValidationError):
        payment_record(
            actor=staff,
            enrolment=enrolment,
            amount=Decimal("0.01"),
            method=PaymentMethod.FUND_INVOICE,
            payer_kind=PayerKind.FUND,
            scheme=jeugdfonds,
        )


def test_the_database_requires_a_fund_payment_to_name_its_scheme() -> None:
    enrolment = enrolment_of(make_adult())
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            enrolment=enrolment,
            kind=PaymentKind.PAYMENT,
            amount=Decimal("10.00"),
            payer_kind=PayerKind.FUND,
            method=PaymentMethod.FUND_INVOICE,
            at=timezone.now(),
        )


def test_online_payments_are_not_recorded_by_hand_while_no_provider_exists() -> None:
    assert payment_provider() is None
    enrolment = enrolment_of(make_adult())
    with pytest.raises(ValidationError) as error:
        payment_record(
            actor=make_user(is_staff=True),
            enrolment=enrolment,
            amount=Decimal("10.00"),
            method=PaymentMethod.ONLINE,
            provider_reference="tr_123",
        )
    assert "method" in error.value.message_dict


def test_the_provider_protocol_is_what_an_adapter_implements() -> None:
    # The protocol's methods, which an online provider adapter must offer.
    assert {"start_payment", "payment_status", "refund"} <= set(dir(PaymentProvider))


def test_a_households_statement_covers_all_its_members() -> None:
    parent = make_adult()
    household = parent.household
    guardian = household.guardians.get().user
    child = make_child(household=household, age=9)
    staff = make_user(is_staff=True)
    first = enrolment_of(parent)
    second = enrolment_of(child, due="80.00")
    enrolment_of(make_adult())  # another household: not on the statement
    payment_record(actor=staff, enrolment=first, amount=Decimal("120.00"), method="cash")
    payment_record(actor=staff, enrolment=second, amount=Decimal("30.00"), method="cash")
    statement = household_statement(actor=guardian, household=household)
    assert {line.enrolment.pk for line in statement.lines} == {first.pk, second.pk}
    assert statement.due == Decimal("200.00")
    assert statement.paid == Decimal("150.00")
    assert statement.balance == Decimal("50.00")
    assert household_statement(actor=staff, household=household).balance == Decimal("50.00")
    with pytest.raises(PermissionDenied):
        household_statement(actor=make_user(), household=household)


def _owed(rows: Any) -> dict[int, tuple[Decimal, Decimal]]:
    return {
        pk: (person, fund)
        for pk, person, fund in rows.values_list("pk", "person_to_return", "fund_to_return")
    }


def test_money_to_return_lists_cancelled_paid_enrolments_until_refunded() -> None:
    """Refunds are made by hand: the worklist shows what each cancelled enrolment is
    owed back (by the participant and by a fund), per provider, until it is recorded."""
    schemes_ensure()
    jeugdfonds = DiscountScheme.objects.get(code=JEUGDFONDS_CODE)
    staff = make_user(is_staff=True)
    edition = make_edition()
    paid = enrolment_of(make_adult(), edition=edition)
    funded = enrolment_of(
        make_child(household=make_household(), age=9),
        edition=edition,
        due="20.00",
        fund="100.00",
        scheme=jeugdfonds,
    )
    unpaid = enrolment_of(make_adult(), edition=edition)
    still_active = enrolment_of(make_adult(), edition=edition)
    elsewhere = enrolment_of(make_adult(), edition=make_edition(course=make_course()))
    for enrolment in (paid, still_active, elsewhere):
        payment_record(actor=staff, enrolment=enrolment, amount=Decimal("120.00"), method="cash")
    payment_record(actor=staff, enrolment=funded, amount=Decimal("20.00"), method="cash")
    by_fund: dict[str, Any] = {
        "method": PaymentMethod.FUND_INVOICE,
        "payer_kind": PayerKind.FUND,
        "scheme": jeugdfonds,
    }
    payment_record(actor=staff, enrolment=funded, amount=Decimal("100.00"), **by_fund)
    refund_record(actor=staff, enrolment=paid, amount=Decimal("20.00"), method="cash")
    Enrolment.objects.exclude(pk=still_active.pk).update(
        state=EnrolmentState.CANCELLED, cancelled_at=timezone.now()
    )
    rows = _owed(money_to_return(provider=edition.course.provider))
    assert rows == {
        paid.pk: (Decimal("100.00"), Decimal("0.00")),
        funded.pk: (Decimal("20.00"), Decimal("100.00")),
    }  # not the unpaid one, not the active one, not another provider's
    assert {e.pk for e in money_to_return()} == {paid.pk, funded.pk, elsewhere.pk}
    refund_record(actor=staff, enrolment=paid, amount=Decimal("100.00"), method="cash")
    refund_record(actor=staff, enrolment=funded, amount=Decimal("100.00"), **by_fund)
    rows = _owed(money_to_return())
    assert rows == {
        funded.pk: (Decimal("20.00"), Decimal("0.00")),
        elsewhere.pk: (Decimal("120.00"), Decimal("0.00")),
    }
    assert unpaid.pk not in rows


def test_the_admin_filters_enrolments_with_money_to_return(client: Any) -> None:
    staff = make_user(is_staff=True, is_superuser=True)
    owed = enrolment_of(make_adult())
    settled = enrolment_of(make_adult(), edition=owed.edition)
    payment_record(actor=staff, enrolment=owed, amount=Decimal("30.00"), method="cash")
    Enrolment.objects.update(state=EnrolmentState.CANCELLED, cancelled_at=timezone.now())
    client.force_login(staff)
    response = client.get("/nl/admin/learning/enrolment/?to_return=yes")
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == [Enrolment.objects.get(pk=owed.pk)] and settled not in shown
