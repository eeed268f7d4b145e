"""Invitations to become a guardian of a household (a second parent, a carer).

A guardian invites someone by e-mail; the link in that e-mail carries a random token.
Only the token's SHA-256 hash is stored, so a copy of the database cannot be used to
join a family. Whoever opens the link while logged in and accepts becomes a guardian.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Household


def token_hash(token: str) -> str:
    """The stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


class GuardianInvitation(models.Model):
    """An invitation to join a household as a guardian; open until accepted, revoked or
    expired."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="guardian_invitations"
    )
    # Stored lower-case (the service normalises), so the constraint below is case-blind.
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="learning_guardian_invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="learning_guardian_invitation_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="learning_guardian_invitation_accepted_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.household}"

    @property
    def is_open(self) -> bool:
        """Can still be accepted now (the family page lists only these)."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and (self.expires_at > timezone.now())
        )
