"""Who learns: participants, grouped in households (the family account).

A household pays for all its members. Its guardians are users with a login; they
manage the profiles of the household's children. A child under 16 has no login: the
guardian who created the profile gave consent and is the contact. An adult participant
is linked to their own user.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reisgezel.core.date_range import validate_in_range
from reisgezel.core.models import TimeStampedModel

# Under this age a participant has no login of their own (issue 4, AVG/GDPR art. 8 as
# applied in the Netherlands).
CHILD_AGE_LIMIT = 16


class Household(TimeStampedModel):
    """A family account: the people who enrol together and pay together."""

    name = models.CharField(_("name"), max_length=120)
    billing_email = models.EmailField(_("billing e-mail"), blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Guardian(models.Model):
    """A user who manages a household (a parent, a carer, or an adult for themself)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="guardians")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "user"], name="learning_guardian_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.household}"


class Participant(TimeStampedModel):
    """A person who takes part: an adult with a login, or a child profile without one."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="participants")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
        help_text=_("Empty for a child profile managed by a guardian."),
    )
    given_name = models.CharField(_("first name"), max_length=80)
    family_name = models.CharField(_("last name"), max_length=120)
    birth_date = models.DateField(_("date of birth"), validators=[validate_in_range])
    language = models.CharField(_("language for e-mails"), max_length=5, default="nl")
    # Consent for a child profile: who gave it and when (the guardian is the contact).
    # PROTECT: a child profile needs its consent (the check below); deleting the account
    # that gave it is refused until the profile is erased or another guardian consents.
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consent given by"),
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    notes_for_teacher = models.TextField(
        _("notes for the teacher"),
        blank=True,
        help_text=_("Only what a teacher needs to know (e.g. an allergy or a hearing aid)."),
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False)
                | (Q(consent_by__isnull=False) & Q(consent_at__isnull=False)),
                name="learning_participant_login_or_guardian_consent",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["nl", "en", "de", "fr"]),
                name="learning_participant_language_supported",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years
