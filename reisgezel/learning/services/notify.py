"""E-mails the services send once their transaction has committed (ids, not objects:
the task reads the committed rows, and nothing is sent for a rolled-back change)."""

from __future__ import annotations

from django.db import transaction

from reisgezel.learning.emails import EmailKind
from reisgezel.learning.tasks import (
    send_edition_cancelled,
    send_enrolment_email,
    send_waiting_email,
)


def enrolment_email_later(kind: EmailKind, enrolment_id: int) -> None:
    transaction.on_commit(
        lambda: send_enrolment_email.enqueue(kind=str(kind), enrolment_id=enrolment_id)
    )


def waiting_email_later(kind: EmailKind, entry_id: int) -> None:
    transaction.on_commit(lambda: send_waiting_email.enqueue(kind=str(kind), entry_id=entry_id))


def edition_cancelled_later(
    edition_id: int, enrolment_ids: list[int], entry_ids: list[int]
) -> None:
    transaction.on_commit(
        lambda: send_edition_cancelled.enqueue(
            edition_id=edition_id, enrolment_ids=enrolment_ids, entry_ids=entry_ids
        )
    )
