"""Who may do what in the agenda. Services call these; views and the API never decide."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.models import Organisation
from reisgezel.accounts.selectors import is_member
from reisgezel.agenda.models import Event


def can_moderate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "can_moderate", False))


def can_edit_for(user: Any, organisation: Organisation) -> bool:
    """Members of the organisation (and staff) edit its events; nobody else."""
    return is_member(user=user, organisation=organisation)


def can_edit(user: Any, event: Event) -> bool:
    """The organiser's members, and moderators (who correct texts and add facilities)."""
    return can_edit_for(user, event.organiser) or can_moderate(user)


def is_trusted_for(user: Any, organisation: Organisation) -> bool:
    """Trusted roles publish without validation and may set accessibility facilities."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or getattr(user, "is_moderator", False):
        return True
    return organisation.is_trusted and can_edit_for(user, organisation)
