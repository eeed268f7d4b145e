"""Background tasks of initiatives (ids in, never objects); enqueued after commit."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-not-found,unused-ignore]

from reisgezel.initiatives.emails import send_state_change_email
from reisgezel.initiatives.models import InitiativeStateChange


@task()
def send_initiative_state_email(*, change_id: int) -> int:
    """Tell the initiator their idea moved to another state."""
    change = (
        InitiativeStateChange.objects.select_related("initiative__initiator")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        return 0
    return send_state_change_email(change)
