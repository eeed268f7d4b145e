"""Guardian invitations: a second parent or a carer joins a household.

Rules (issue 4):
- Only a guardian of the household invites, by e-mail. An address that already belongs
  to a guardian of the household, or that has an open invitation, is refused with a
  message. A household has at most MAX_OPEN_INVITATIONS open invitations at a time.
- The link carries a random token; only its SHA-256 hash is stored. It works for
  INVITATION_DAYS days, once. A guardian can revoke it before that.
- Any logged-in user who has the link may accept (the invitation is often sent to a
  private address, the account may use another one); who accepted is recorded.
- A guardian may leave a household, except the last guardian of a household with
  children (the children would have nobody to look after their profiles) and a
  guardian whose own adult profile is in the household (it would stay behind).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning.invitation_tasks import send_guardian_invitation
from reisgezel.learning.models import Guardian, GuardianInvitation, Household
from reisgezel.learning.models.invitations import token_hash

INVITATION_DAYS = 7
MAX_OPEN_INVITATIONS = 5


@dataclass(frozen=True)
class SentInvitation:
    """The new invitation and its raw token (only here, to put in the e-mail link)."""

    invitation: GuardianInvitation
    token: str


def _is_guardian(user: Any, household: Household) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Guardian.objects.filter(household=household, user=user).exists()
    )


def _check_guardian(actor: Any, household: Household) -> None:
    if not _is_guardian(actor, household):
        raise PermissionDenied(_("Only a guardian of this family can do that."))


def open_invitations(
    household: Household, *, now: datetime | None = None
) -> QuerySet[GuardianInvitation]:
    """Invitations that can still be accepted: not accepted, not revoked, not expired."""
    now = now or timezone.now()
    return GuardianInvitation.objects.filter(
        household=household, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )


def invitation_by_token(token: str) -> GuardianInvitation | None:
    """The invitation a link points to, whatever its state (None when unknown)."""
    if not token:
        return None
    return (
        GuardianInvitation.objects.select_related("household", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def guardian_invite(
    *, actor: Any, household: Household, email: str, now: datetime | None = None
) -> SentInvitation:
    """Invite `email` to become a guardian of `household`; the e-mail with the link
    goes out after the commit, in the inviter's language."""
    _check_guardian(actor, household)
    now = now or timezone.now()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Please fill in a valid e-mail address.")}) from None
    if Guardian.objects.filter(household=household, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Someone with this e-mail address is already a guardian of this family.")}
        )
    with transaction.atomic():
        # Lock the household: two invitations at once must not pass the limit together.
        Household.objects.select_for_update().filter(pk=household.pk).first()
        # An expired invitation still counts as "open" for the database constraint; it
        # can never be used again, so close it to make room for a new one.
        GuardianInvitation.objects.filter(
            household=household,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__lte=now,
        ).update(revoked_at=now)
        if open_invitations(household, now=now).filter(email=email).exists():
            raise ValidationError(
                {"email": _("This address already has an open invitation. Revoke it first.")}
            )
        if open_invitations(household, now=now).count() >= MAX_OPEN_INVITATIONS:
            raise ValidationError(
                _("A family can have at most %(count)s open invitations. Revoke one first.")
                % {"count": MAX_OPEN_INVITATIONS}
            )
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                invitation = GuardianInvitation.objects.create(
                    household=household,
                    email=email,
                    token_hash=token_hash(token),
                    invited_by=actor,
                    created_at=now,
                    expires_at=now + timedelta(days=INVITATION_DAYS),
                )
        except IntegrityError:
            raise ValidationError(
                {"email": _("This address already has an open invitation. Revoke it first.")}
            ) from None
        audit_record(
            actor=actor,
            action="learning.guardian_invite",
            target=household,
            data={"invitation": invitation.pk},
        )
        language = getattr(actor, "preferred_language", "nl") or "nl"
        transaction.on_commit(
            lambda: send_guardian_invitation.enqueue(
                invitation_id=invitation.pk, token=token, language=language
            )
        )
    return SentInvitation(invitation=invitation, token=token)


def invitation_refusal(invitation: GuardianInvitation, *, now: datetime | None = None) -> str:
    """Why the invitation cannot be accepted any more ("" when it can)."""
    now = now or timezone.now()
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn.")
    if invitation.expires_at <= now:
        return _("This invitation has expired.")
    return ""


def guardian_accept(*, actor: Any, token: str, now: datetime | None = None) -> Guardian:
    """Accept the invitation behind `token`: the actor becomes a guardian. Idempotent
    for a user who is already a guardian of the household (the invitation is then
    closed as accepted by them)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            GuardianInvitation.objects.select_for_update()
            .filter(token_hash=token_hash(token or ""))
            .first()
        )
        if invitation is None:
            raise ValidationError(_("We cannot find this invitation. Check the link."))
        refusal = invitation_refusal(invitation, now=now)
        if refusal:
            raise ValidationError(refusal)
        guardian, created = Guardian.objects.get_or_create(
            household_id=invitation.household_id, user=actor
        )
        invitation.accepted_at = now
        invitation.accepted_by = actor
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=actor,
            action="learning.guardian_accept",
            target=invitation.household,
            data={"invitation": invitation.pk, "new_guardian": created},
        )
    return guardian


def guardian_invitation_revoke(
    *, actor: Any, invitation: GuardianInvitation, now: datetime | None = None
) -> GuardianInvitation:
    """Withdraw an invitation that has not been accepted yet."""
    _check_guardian(actor, invitation.household)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        return invitation
    with transaction.atomic():
        invitation.revoked_at = now or timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="learning.guardian_invitation_revoke",
            target=invitation.household,
            data={"invitation": invitation.pk},
        )
    return invitation


def guardian_leave(*, actor: Any, household: Household) -> None:
    """The actor stops being a guardian of `household`. The last guardian of a household
    with children cannot leave. Their own participant profile (if any) stays."""
    _check_guardian(actor, household)
    if household.participants.filter(user=actor).exists():
        # Their own profile would stay behind in a family they no longer manage.
        raise ValidationError(
            _("This is your own family account: you take part in it, so you cannot leave it.")
        )
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()
        others = Guardian.objects.filter(household=household).exclude(user=actor)
        has_children = household.participants.filter(user__isnull=True).exists()
        if has_children and not others.exists():
            raise ValidationError(
                _(
                    "You are the only guardian of the children in this family, so you cannot "
                    "leave. Invite another guardian first."
                )
            )
        Guardian.objects.filter(household=household, user=actor).delete()
        audit_record(actor=actor, action="learning.guardian_leave", target=household)


def invitations_for_page(household: Household) -> QuerySet[GuardianInvitation]:
    """The open invitations a guardian sees on the family page."""
    return open_invitations(household).select_related("invited_by").order_by("created_at")
