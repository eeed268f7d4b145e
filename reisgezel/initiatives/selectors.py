"""Reads of initiatives, each limited to what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from reisgezel.initiatives.models import Initiative


def initiatives_of(*, user: Any) -> QuerySet[Initiative]:
    """The user's own ideas, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Initiative.objects.none()
    return Initiative.objects.filter(initiator=user).select_related("neighbourhood")


def initiative_get_for_initiator(*, user: Any, pk: int) -> Initiative:
    """One idea of the user's own: anyone else's answers 404 (it is not theirs to see)."""
    initiative = initiatives_of(user=user).filter(pk=pk).first()
    if initiative is None:
        raise Http404("No such idea.")
    return initiative


def triage_list(
    *,
    state: str = "",
    coach_id: int | None = None,
    unassigned: bool = False,
    neighbourhood_id: int | None = None,
) -> QuerySet[Initiative]:
    """For house staff: every idea, filtered; oldest open ideas are not hidden by new ones."""
    qs = Initiative.objects.select_related("initiator", "coach", "neighbourhood")
    if state:
        qs = qs.filter(state=state)
    if unassigned:
        qs = qs.filter(coach__isnull=True)
    elif coach_id:
        qs = qs.filter(coach_id=coach_id)
    if neighbourhood_id:
        qs = qs.filter(neighbourhood_id=neighbourhood_id)
    return qs.order_by("-created_at", "-pk")
