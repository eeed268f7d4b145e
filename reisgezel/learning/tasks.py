"""Background tasks of the learning app (Django's tasks framework; ids in, never
objects). The services enqueue them after their transaction commits."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-not-found,unused-ignore]

from reisgezel.learning.emails import EmailKind, send_learning_email
from reisgezel.learning.models import Edition, Enrolment, WaitingListEntry


@task()
def send_enrolment_email(*, kind: str, enrolment_id: int) -> int:
    """A confirmation or reminder about one enrolment."""
    enrolment = (
        Enrolment.objects.select_related(
            "edition__course", "edition__place", "participant__user", "participant__consent_by"
        )
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return 0
    return send_learning_email(
        kind=EmailKind(kind),
        participant=enrolment.participant,
        context={"enrolment": enrolment, "edition": enrolment.edition},
    )


@task()
def send_waiting_email(*, kind: str, entry_id: int) -> int:
    """About a waiting-list entry: placed on the list, a place offered, the offer lapsed."""
    entry = (
        WaitingListEntry.objects.select_related(
            "edition__course", "edition__place", "participant__user", "participant__consent_by"
        )
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        return 0
    if kind == EmailKind.OFFER and entry.state != "offered":
        return 0  # accepted, declined or lapsed before the mail went out
    return send_learning_email(
        kind=EmailKind(kind),
        participant=entry.participant,
        context={"entry": entry, "edition": entry.edition},
    )


@task()
def send_edition_cancelled(
    *, edition_id: int, enrolment_ids: list[int], entry_ids: list[int]
) -> int:
    """Tell everyone who was enrolled or waiting that the edition is cancelled."""
    edition = Edition.objects.select_related("course", "place").filter(pk=edition_id).first()
    if edition is None:
        return 0
    sent = 0
    people = [
        enrolment.participant
        for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).select_related(
            "participant__user", "participant__consent_by"
        )
    ] + [
        entry.participant
        for entry in WaitingListEntry.objects.filter(pk__in=entry_ids).select_related(
            "participant__user", "participant__consent_by"
        )
    ]
    for participant in people:
        sent += send_learning_email(
            kind=EmailKind.EDITION_CANCELLED,
            participant=participant,
            context={"edition": edition},
        )
    return sent
