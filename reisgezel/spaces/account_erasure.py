"""What erasing an account (accounts.erasure) does to room bookings.

A group nobody else can act for (a resident's own group, or an association without
other members) first cancels its upcoming bookings: the desk would otherwise keep rooms
for a contact who no longer exists. An association's other members carry on: one of
them (an administrator first) becomes the group's contact. Past bookings stay, for the
invoices, under the emptied account.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.accounts.erasure import ErasureStep
from reisgezel.accounts.models import MemberRole, Membership
from reisgezel.spaces.models import LIVE_STATUSES, Booking, BookingGroup


def _successor(group: BookingGroup, user: Any) -> Any | None:
    """Another active member of the group's organisation, an administrator first."""
    if group.organisation_id is None:
        return None
    membership = (
        Membership.objects.filter(organisation_id=group.organisation_id, user__is_active=True)
        .exclude(user=user)
        .select_related("user")
    )
    members = sorted(membership, key=lambda m: (m.role != MemberRole.ADMIN, m.pk))
    return members[0].user if members else None


def _blockers(user: Any) -> list[str]:
    problems = []
    upcoming = Booking.objects.filter(status__in=LIVE_STATUSES, ends_at__gt=timezone.now())
    for group in BookingGroup.objects.filter(contact=user).order_by("name"):
        if _successor(group, user) is None and upcoming.filter(group=group).exists():
            problems.append(
                _("Cancel the upcoming room bookings of %(group)s first.") % {"group": group.name}
            )
    return problems


def _erase(user: Any) -> None:
    for group in BookingGroup.objects.filter(contact=user):
        successor = _successor(group, user)
        if successor is not None:
            group.contact = successor
            group.save(update_fields=["contact", "updated_at"])


SPACES_ERASURE = ErasureStep(name="spaces", blockers=_blockers, erase=_erase)
