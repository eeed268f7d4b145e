"""Who may do what with initiatives. Services and views ask these; templates never decide."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from reisgezel.accounts.models import Membership, OrganisationKind
from reisgezel.initiatives.models import Initiative


def is_house_staff(user: Any) -> bool:
    """Staff of the houses triage and coach initiatives: `is_staff` users and members of a
    house organisation (Centre Céramique, Kumulus, the Natuurhistorisch Museum)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(
        user=user, organisation__kind=OrganisationKind.HOUSE, organisation__is_active=True
    ).exists()


def coach_candidates() -> QuerySet[Any]:
    """The users who may be assigned as coach: house staff, as defined above."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(
                memberships__organisation__kind=OrganisationKind.HOUSE,
                memberships__organisation__is_active=True,
            )
        )
        .distinct()
        .order_by("username")
    )


def can_view_as_initiator(user: Any, initiative: Initiative) -> bool:
    return bool(getattr(user, "is_authenticated", False) and initiative.initiator_id == user.pk)
