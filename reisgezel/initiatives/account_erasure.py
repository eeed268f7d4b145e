"""What erasing an account (accounts.erasure) does to ideas: the person's ideas go, with
their history and the staff's notes on them (they are about the person's plan)."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.erasure import ErasureStep
from reisgezel.core.audit import audit_record
from reisgezel.initiatives.models import Initiative


def _erase(user: Any) -> None:
    ideas = Initiative.objects.filter(initiator=user)
    count = ideas.count()
    if count:
        ideas.delete()
        audit_record(actor=None, action="initiative.erase", target=user, data={"ideas": count})


def _records(user: Any) -> list[Any]:
    # The staff's reasons for a decision on an idea may name the person.
    return list(Initiative.objects.filter(initiator=user).only("pk"))


INITIATIVES_ERASURE = ErasureStep(
    name="initiatives", blockers=lambda user: [], erase=_erase, records=_records
)
