"""Payments and refunds on enrolments, and a household's statement.

What a participant owes is `Enrolment.price_due` (the tariff service computed it); a
fund owes `Enrolment.fund_amount` and pays the provider directly. Money received is a
Payment row (kind "payment"), money returned one of kind "refund"; amounts are always
positive. Staff and the course provider's members record them by hand (bank transfer,
debit card at the desk, cash, the fund's invoice).

Online payments come later through a `PaymentProvider` (a Mollie or Stripe adapter):
`payment_provider()` returns none today, and no page offers online payment until one is
configured. The provider's webhook would call `payment_record(...)` with
`method="online"` and the provider's id as `provider_reference` (unique in the database,
so a webhook delivered twice records the payment once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.accounts.models import Organisation
from reisgezel.accounts.selectors import is_member
from reisgezel.core.audit import audit_record
from reisgezel.learning.models.enrolment import Enrolment, EnrolmentState
from reisgezel.learning.models.people import Household
from reisgezel.learning.models.schemes import (
    DiscountScheme,
    PayerKind,
    Payment,
    PaymentKind,
    PaymentMethod,
    SchemeKind,
)
from reisgezel.learning.services.tariffs import ZERO, format_money, money

# Methods a person records by hand; "online" belongs to a payment provider.
MANUAL_METHODS = (
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.CARD,
    PaymentMethod.CASH,
    PaymentMethod.FUND_INVOICE,
)

# Who pays the participant's share (Balance.paid); a fund pays its own (fund_paid).
PARTICIPANT_PAYERS = (PayerKind.PERSON, PayerKind.SCHOOL)


@dataclass(frozen=True)
class PaymentStart:
    """What a provider returns when a payment starts: where to send the payer."""

    provider_reference: str
    redirect_url: str


class PaymentProvider(Protocol):
    """An online payment provider, plugged in later (none is configured now)."""

    def start_payment(
        self, *, enrolment: Enrolment, amount: Decimal, description: str, return_url: str
    ) -> PaymentStart: ...

    def payment_status(self, *, provider_reference: str) -> str:
        """'paid', 'open', 'failed' or 'cancelled'."""
        ...

    def refund(self, *, provider_reference: str, amount: Decimal) -> str:
        """Start a refund; returns the provider's id of the refund."""
        ...


def payment_provider() -> PaymentProvider | None:
    """The configured online provider: none yet, so pages offer manual payment only."""
    return None


@dataclass(frozen=True)
class Balance:
    """Money on one enrolment, for the participant and for the fund."""

    enrolment: Enrolment
    due: Decimal
    paid: Decimal
    refunded: Decimal
    fund_due: Decimal
    fund_paid: Decimal

    @property
    def net_paid(self) -> Decimal:
        return self.paid - self.refunded

    @property
    def balance(self) -> Decimal:
        """Still to pay by the participant (negative: paid too much, to be refunded)."""
        return self.due - self.net_paid

    @property
    def fund_balance(self) -> Decimal:
        return self.fund_due - self.fund_paid


def _sum(payments: QuerySet[Payment], **filters: Any) -> Decimal:
    total = payments.filter(**filters).aggregate(total=Sum("amount"))["total"]
    return money(Decimal(total or 0))


def _net_paid_by(enrolment: Enrolment, payer_kind: str) -> Decimal:
    payments = Payment.objects.filter(enrolment=enrolment, payer_kind=payer_kind)
    return _sum(payments, kind=PaymentKind.PAYMENT) - _sum(payments, kind=PaymentKind.REFUND)


def balance_of(enrolment: Enrolment) -> Balance:
    payments = Payment.objects.filter(enrolment=enrolment)
    person = Q(payer_kind__in=PARTICIPANT_PAYERS)
    paid = _sum(payments.filter(person), kind=PaymentKind.PAYMENT)
    refunded = _sum(payments.filter(person), kind=PaymentKind.REFUND)
    fund_paid = _sum(payments, payer_kind=PayerKind.FUND, kind=PaymentKind.PAYMENT) - _sum(
        payments, payer_kind=PayerKind.FUND, kind=PaymentKind.REFUND
    )
    # A cancelled enrolment owes nothing more; what was paid is refunded by hand.
    cancelled = enrolment.state == EnrolmentState.CANCELLED
    return Balance(
        enrolment=enrolment,
        due=ZERO if cancelled else money(enrolment.price_due),
        paid=paid,
        refunded=refunded,
        fund_due=ZERO if cancelled else money(enrolment.fund_amount),
        fund_paid=fund_paid,
    )


def money_to_return(*, provider: Organisation | None = None) -> QuerySet[Enrolment]:
    """Cancelled enrolments (by the participant or with their edition) on which money
    was paid and not all of it refunded yet: the worklist of refunds to make by hand
    (no payment provider refunds by itself). Each row carries `person_to_return` (what
    the participant, household or school paid, less refunds) and `fund_to_return`;
    oldest cancellation first. With `provider`, only that organisation's courses."""
    person = Q(payments__payer_kind__in=PARTICIPANT_PAYERS)
    fund = Q(payments__payer_kind=PayerKind.FUND)
    paid, refunded = Q(payments__kind=PaymentKind.PAYMENT), Q(payments__kind=PaymentKind.REFUND)
    amount = "payments__amount"
    rows = (
        Enrolment.objects.filter(state=EnrolmentState.CANCELLED)
        .annotate(
            person_to_return=Coalesce(Sum(amount, filter=person & paid), ZERO)
            - Coalesce(Sum(amount, filter=person & refunded), ZERO),
            fund_to_return=Coalesce(Sum(amount, filter=fund & paid), ZERO)
            - Coalesce(Sum(amount, filter=fund & refunded), ZERO),
        )
        .filter(Q(person_to_return__gt=0) | Q(fund_to_return__gt=0))
        .select_related("participant", "edition__course", "scheme")
        .order_by("cancelled_at", "pk")
    )
    if provider is not None:
        rows = rows.filter(edition__course__provider=provider)
    return rows


def can_record_payments(user: Any, enrolment: Enrolment) -> bool:
    """Staff, and members of the organisation that provides the course."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_staff) or is_member(
        user=user, organisation=enrolment.edition.course.provider
    )


def _check_input(
    *, amount: Decimal, method: str, payer_kind: str, scheme: DiscountScheme | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        errors.setdefault("amount", []).append(_("Enter an amount above zero."))
    elif amount != money(amount):
        errors.setdefault("amount", []).append(_("Enter an amount in whole cents."))
    if method not in MANUAL_METHODS and method != PaymentMethod.ONLINE:
        errors.setdefault("method", []).append(_("Choose a payment method."))
    if payer_kind not in PayerKind.values:
        errors.setdefault("payer_kind", []).append(_("Choose who pays."))
    if payer_kind == PayerKind.FUND and (scheme is None or scheme.kind != SchemeKind.FUND):
        errors.setdefault("scheme", []).append(_("Name the fund that pays."))
    return errors


def _record(
    *,
    actor: Any,
    enrolment: Enrolment,
    kind: str,
    amount: Decimal,
    method: str,
    payer_kind: str,
    scheme: DiscountScheme | None,
    reference: str,
    provider_reference: str,
    at: datetime | None,
) -> Payment:
    if not can_record_payments(actor, enrolment):
        raise PermissionDenied(_("You may not record payments for this course."))
    if method == PaymentMethod.ONLINE and (payment_provider() is None or not provider_reference):
        raise ValidationError(
            {"method": [_("Online payments come from a payment provider, not by hand.")]}
        )
    errors = _check_input(amount=amount, method=method, payer_kind=payer_kind, scheme=scheme)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the enrolment so two desks cannot both refund the same money.
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        balance = balance_of(locked)
        if payer_kind == PayerKind.FUND:
            if scheme is None or locked.scheme_id != scheme.pk:
                raise ValidationError({"scheme": [_("This fund does not pay for this enrolment.")]})
            if kind == PaymentKind.PAYMENT and amount > balance.fund_balance:
                raise ValidationError(
                    {
                        "amount": [
                            _("The fund owes %(amount)s for this enrolment, not more.")
                            % {"amount": format_money(balance.fund_balance)}
                        ]
                    }
                )
            if kind == PaymentKind.REFUND and amount > balance.fund_paid:
                raise ValidationError(
                    {"amount": [_("A refund cannot be more than the fund paid.")]}
                )
        else:
            if kind == PaymentKind.PAYMENT:
                if locked.state == EnrolmentState.CANCELLED:
                    raise ValidationError(
                        {"amount": [_("This enrolment is cancelled: nothing is due.")]}
                    )
                if amount > balance.balance:
                    raise ValidationError(
                        {
                            "amount": [
                                _("Only %(amount)s is still due.")
                                % {"amount": format_money(max(balance.balance, ZERO))}
                            ]
                        }
                    )
            elif amount > (payer_paid := _net_paid_by(locked, payer_kind)):
                # Each payer gets back at most what it paid: the school's money is not
                # the parent's, though both pay the participant's share.
                raise ValidationError(
                    {
                        "amount": [
                            _("A refund cannot be more than was paid (%(amount)s).")
                            % {"amount": format_money(payer_paid)}
                        ]
                    }
                )
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    enrolment=locked,
                    kind=kind,
                    amount=amount,
                    payer_kind=payer_kind,
                    scheme=scheme if payer_kind == PayerKind.FUND else None,
                    method=method,
                    reference=reference.strip()[:120],
                    provider_reference=provider_reference,
                    at=at or timezone.now(),
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError as error:
            raise ValidationError(
                {"provider_reference": [_("This payment has already been recorded.")]}
            ) from error
        audit_record(
            actor=actor,
            action=f"learning.{kind}_record",
            target=payment,
            data={"amount": str(amount), "method": method, "payer_kind": payer_kind},
        )
    return payment


def payment_record(
    *,
    actor: Any,
    enrolment: Enrolment,
    amount: Decimal,
    method: str,
    payer_kind: str = PayerKind.PERSON,
    scheme: DiscountScheme | None = None,
    reference: str = "",
    provider_reference: str = "",
    at: datetime | None = None,
) -> Payment:
    """Record money received. A fund's payment names its scheme (the enrolment's)."""
    return _record(
        actor=actor,
        enrolment=enrolment,
        kind=PaymentKind.PAYMENT,
        amount=amount,
        method=method,
        payer_kind=payer_kind,
        scheme=scheme,
        reference=reference,
        provider_reference=provider_reference,
        at=at,
    )


def refund_record(
    *,
    actor: Any,
    enrolment: Enrolment,
    amount: Decimal,
    method: str,
    payer_kind: str = PayerKind.PERSON,
    scheme: DiscountScheme | None = None,
    reference: str = "",
    at: datetime | None = None,
) -> Payment:
    """Record money returned; never more than that payer paid."""
    return _record(
        actor=actor,
        enrolment=enrolment,
        kind=PaymentKind.REFUND,
        amount=amount,
        method=method,
        payer_kind=payer_kind,
        scheme=scheme,
        reference=reference,
        provider_reference="",
        at=at,
    )


@dataclass(frozen=True)
class Statement:
    """A household's money over all its members' enrolments."""

    household: Household
    lines: list[Balance]

    @property
    def due(self) -> Decimal:
        return sum((line.due for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.net_paid for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        return sum((line.balance for line in self.lines), ZERO)

    @property
    def fund_due(self) -> Decimal:
        return sum((line.fund_due for line in self.lines), ZERO)


def household_statement(*, actor: Any, household: Household) -> Statement:
    """Every enrolment of the household's members with what is due, paid and left.

    For the household's guardians and staff only."""
    is_guardian = (
        getattr(actor, "is_authenticated", False)
        and household.guardians.filter(user=actor).exists()
    )
    if not (is_guardian or getattr(actor, "is_staff", False)):
        raise PermissionDenied(_("Only the household's guardians may see its statement."))
    enrolments = (
        Enrolment.objects.filter(participant__household=household)
        .select_related("participant", "edition__course", "scheme")
        .order_by("participant__given_name", "created_at", "id")
    )
    return Statement(household=household, lines=[balance_of(e) for e in enrolments])
