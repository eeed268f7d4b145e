"""Discount schemes (after UiTPAS), entitlements and payments.

The platform never stores income data: an Entitlement records only that a participant
may use a scheme until a date, who verified that and how. Funds (Jeugdfonds,
Volwassenenfonds) pay the provider directly: their share is recorded on the enrolment
(`fund_amount`) and reported per fund and period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reisgezel.core.date_range import validate_in_range
from reisgezel.core.fields import TranslatedField, dutch_text_present

from .enrolment import Enrolment
from .people import Participant


class SchemeKind(models.TextChoices):
    FUND = "fund", _("A fund pays the provider")
    DISCOUNT = "discount", _("A discount on the price")
    SCHOOL_BUDGET = "school_budget", _("A school's budget")


class DiscountScheme(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = TranslatedField(_("name"), max_length=120)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    kind = models.CharField(max_length=15, choices=SchemeKind.choices)
    percentage = models.DecimalField(
        _("percentage off / paid by the fund"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    max_amount_per_year = models.DecimalField(
        _("maximum per participant per year (EUR)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    needs_entitlement = models.BooleanField(
        _("needs a verified entitlement"),
        default=True,
        help_text=_("Off for schemes everyone in the age range gets (senior discount)."),
    )
    stackable = models.BooleanField(_("combines with other schemes"), default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            dutch_text_present("name"),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True)
                | (Q(percentage__gt=0) & Q(percentage__lte=100)),
                name="learning_scheme_percentage_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


class SchemeUse(models.Model):
    """What one scheme covered of one enrolment: the reduction a discount gave, or what a
    fund pays the provider.

    The enrolment names one scheme (the fund, when one pays); when schemes are stacked,
    these rows say what each of them gave, so that a scheme's yearly maximum counts what
    that scheme covered and nothing that another scheme stacked with it gave."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="scheme_uses")
    scheme = models.ForeignKey(DiscountScheme, on_delete=models.PROTECT, related_name="uses")
    amount = models.DecimalField(_("amount covered (EUR)"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["enrolment", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "scheme"], name="learning_scheme_use_once_per_enrolment"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="learning_scheme_use_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}: € {self.amount} ({self.enrolment_id})"


class VerificationMethod(models.TextChoices):
    FUND_DECISION = "fund_decision", _("Decision letter of the fund")
    INTERMEDIARY = "intermediary", _("Application by an intermediary")
    CARD_SEEN = "card_seen", _("Card or pass seen")
    ID_SEEN = "id_seen", _("Proof of age seen")


class Entitlement(models.Model):
    """That a participant may use a scheme until a date. Never why (no income data)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="entitlements"
    )
    scheme = models.ForeignKey(
        DiscountScheme, on_delete=models.PROTECT, related_name="entitlements"
    )
    valid_from = models.DateField(_("valid from"), validators=[validate_in_range])
    valid_until = models.DateField(_("valid until"), validators=[validate_in_range])
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_how = models.CharField(max_length=20, choices=VerificationMethod.choices)
    reference = models.CharField(
        _("reference"), max_length=80, blank=True, help_text=_("E.g. the fund's decision number.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lte=models.F("valid_until")),
                name="learning_entitlement_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.scheme} until {self.valid_until}"


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")


class PayerKind(models.TextChoices):
    PERSON = "person", _("Participant or household")
    FUND = "fund", _("Fund")
    SCHOOL = "school", _("School")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Debit card at the desk")
    CASH = "cash", _("Cash")
    FUND_INVOICE = "fund_invoice", _("Invoice to the fund")
    ONLINE = "online", _("Online payment")


class Payment(models.Model):
    """Money received for (or refunded on) an enrolment. Amounts are positive; the kind
    says the direction. An online provider plugs in behind learning/payments.py."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    payer_kind = models.CharField(max_length=10, choices=PayerKind.choices)
    scheme = models.ForeignKey(
        DiscountScheme, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(max_length=15, choices=PaymentMethod.choices)
    reference = models.CharField(max_length=120, blank=True)
    provider_reference = models.CharField(
        max_length=120, blank=True, help_text=_("The payment provider's id, for online payments.")
    )
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="learning_payment_positive"),
            models.CheckConstraint(
                condition=~Q(payer_kind="fund") | Q(scheme__isnull=False),
                name="learning_payment_fund_names_scheme",
            ),
            models.UniqueConstraint(
                fields=["provider_reference"],
                condition=~Q(provider_reference=""),
                name="learning_payment_provider_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} € {self.amount} ({self.enrolment_id})"
