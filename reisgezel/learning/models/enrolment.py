"""Enrolments, the waiting list and attendance.

Invariants in the database: one active enrolment per participant and edition, one
open waiting-list entry per participant and edition, one attendance record per session
and enrolment. Capacity lives on the edition (see Edition.places_taken).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .offer import Edition, Session, Tariff
from .people import Participant


class EnrolmentKind(models.TextChoices):
    REGULAR = "regular", _("Enrolment")
    TRIAL = "trial", _("Trial lesson")


class EnrolmentState(models.TextChoices):
    ACTIVE = "active", _("Enrolled")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")
    CONVERTED = "converted", _("Trial converted into an enrolment")


# States that hold a place in the edition.
PLACE_HOLDING_STATES = (EnrolmentState.ACTIVE,)


class Enrolment(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="enrolments")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(
        max_length=10, choices=EnrolmentKind.choices, default=EnrolmentKind.REGULAR
    )
    state = models.CharField(
        max_length=10, choices=EnrolmentState.choices, default=EnrolmentState.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    converted_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="converted_into",
        help_text=_("The trial lesson this enrolment followed."),
    )
    # The price as computed when enrolling (the tariff service explains it).
    tariff = models.ForeignKey(Tariff, null=True, blank=True, on_delete=models.SET_NULL)
    price_full = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    price_due = models.DecimalField(
        _("amount due by the participant"), max_digits=7, decimal_places=2, default=0
    )
    fund_amount = models.DecimalField(
        _("amount paid by a fund"), max_digits=7, decimal_places=2, default=0
    )
    scheme = models.ForeignKey(
        "learning.DiscountScheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    uses_reduced_place = models.BooleanField(default=False)
    price_explanation = models.JSONField(default=list, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "participant"],
                condition=Q(state="active"),
                name="learning_enrolment_one_active",
            ),
            models.CheckConstraint(
                condition=Q(price_due__gte=0) & Q(fund_amount__gte=0) & Q(price_full__gte=0),
                name="learning_enrolment_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(price_due__lte=F("price_full") - F("fund_amount")),
                name="learning_enrolment_due_within_price",
            ),
            models.CheckConstraint(
                condition=~Q(state="cancelled") | Q(cancelled_at__isnull=False),
                name="learning_enrolment_cancel_has_time",
            ),
        ]
        indexes = [models.Index(fields=["participant", "state"])]

    def __str__(self) -> str:
        return f"{self.participant} in {self.edition}"


class WaitingState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a place")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Offer lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WaitingListEntry(models.Model):
    """A place in the queue of a full edition. Served by (priority, arrival): a lower
    priority number first (e.g. 0 returning pupils, 1 under-18s, 2 everyone), then the
    order of arrival (the id, assigned by the database)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="waiting_list")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="waiting_entries"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(default=2)
    priority_reason = models.CharField(max_length=40, blank=True)
    state = models.CharField(
        max_length=10, choices=WaitingState.choices, default=WaitingState.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    offer_token = models.CharField(max_length=64, blank=True)
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="waiting_entry"
    )

    class Meta:
        ordering = ["priority", "id"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "participant"],
                condition=Q(state__in=["waiting", "offered"]),
                name="learning_waiting_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(state="offered")
                | (Q(offered_at__isnull=False) & Q(offer_expires_at__isnull=False)),
                name="learning_waiting_offer_has_deadline",
            ),
        ]
        indexes = [models.Index(fields=["edition", "state", "priority", "id"])]

    def __str__(self) -> str:
        return f"{self.participant} waiting for {self.edition}"


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Absent with notice")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(max_length=10, choices=Presence.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="learning_attendance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.participant} {self.presence} {self.session}"
