"""The places of an edition: taken, released and handed to the waiting list.

`Edition.places_taken` counts the active enrolments (trial lessons included) *and the
open waiting-list offers*: a place that frees up while people wait is not released but
handed to the first in line, who holds it until they accept, decline or the offer
lapses. Nobody can take it meanwhile, because a new enrolment only gets a place through
the conditional UPDATE in `take_place`, and the check constraint
`learning_edition_capacity_never_exceeded` backs that up in the database.

Lock order (to avoid deadlocks): an enrolment or waiting-list row first, then the
edition row, then the next waiting entry with SKIP LOCKED.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Q

from reisgezel.learning.emails import EmailKind
from reisgezel.learning.models import Edition, EditionState, WaitingListEntry, WaitingState
from reisgezel.learning.services.notify import waiting_email_later

# Editions whose places can still be taken or handed on (a trial lesson or an offer
# may come after the first session).
PLACE_STATES = (EditionState.OPEN, EditionState.RUNNING)


def take_place(edition_id: int, *, reduced: bool = False) -> bool:
    """Take one place (and one reduced-price place) in ONE conditional UPDATE. False when
    the edition is full, its reduced places are gone, or it is no longer open."""
    condition = Q(pk=edition_id, state__in=PLACE_STATES, places_taken__lt=F("max_participants"))
    changes: dict[str, Any] = {"places_taken": F("places_taken") + 1}
    if reduced:
        condition &= Q(reduced_places_max__isnull=True) | Q(
            reduced_places_taken__lt=F("reduced_places_max")
        )
        changes["reduced_places_taken"] = F("reduced_places_taken") + 1
    return Edition.objects.filter(condition).update(**changes) == 1


def seems_free(edition_id: int) -> bool:
    """A read without a lock: whether the committed row shows a free place. Only a hint
    (the conditional UPDATE decides): it spares a full edition's requests a wait for the
    row lock in an UPDATE that cannot succeed."""
    return Edition.objects.filter(pk=edition_id, places_taken__lt=F("max_participants")).exists()


def take_reduced_place(edition_id: int) -> bool:
    """Take a reduced-price place only (the place itself is already held)."""
    return (
        Edition.objects.filter(
            Q(reduced_places_max__isnull=True)
            | Q(reduced_places_taken__lt=F("reduced_places_max")),
            pk=edition_id,
        ).update(reduced_places_taken=F("reduced_places_taken") + 1)
        == 1
    )


def release_reduced_place(edition_id: int) -> None:
    Edition.objects.filter(pk=edition_id, reduced_places_taken__gt=0).update(
        reduced_places_taken=F("reduced_places_taken") - 1
    )


def release_place(edition_id: int) -> None:
    Edition.objects.filter(pk=edition_id, places_taken__gt=0).update(
        places_taken=F("places_taken") - 1
    )


def lock_edition(edition_id: int) -> Edition:
    """The edition row, locked until the transaction ends (serialises the waiting list)."""
    return (
        Edition.objects.select_for_update(of=("self",)).select_related("course").get(pk=edition_id)
    )


def offer_next(edition: Edition, *, now: datetime) -> WaitingListEntry | None:
    """Offer the place the caller holds to the first in line, by (priority, arrival).
    The offer e-mail goes out after commit. None when nobody waits."""
    entry = (
        WaitingListEntry.objects.select_for_update(skip_locked=True)
        .filter(edition_id=edition.pk, state=WaitingState.WAITING)
        .order_by("priority", "id")
        .first()
    )
    if entry is None:
        return None
    entry.state = WaitingState.OFFERED
    entry.offered_at = now
    entry.offer_expires_at = now + timedelta(hours=edition.waiting_offer_hours)
    entry.offer_token = secrets.token_urlsafe(32)
    entry.save(update_fields=["state", "offered_at", "offer_expires_at", "offer_token"])
    waiting_email_later(EmailKind.OFFER, entry.pk)
    return entry


def pass_place_on(edition: Edition, *, now: datetime) -> WaitingListEntry | None:
    """A held place is given up (cancelled enrolment, declined or lapsed offer): hand it
    to the next in line, or release it when nobody waits. The caller has locked the
    edition (`lock_edition`)."""
    if edition.state in PLACE_STATES:
        entry = offer_next(edition, now=now)
        if entry is not None:
            return entry
    release_place(edition.pk)
    return None


def offer_free_places(edition: Edition, *, now: datetime) -> list[WaitingListEntry]:
    """Offer every free place to those waiting (after the maximum was raised, or a place
    released in the instant someone joined the list). The caller has locked the edition."""
    offered: list[WaitingListEntry] = []
    while WaitingListEntry.objects.filter(
        edition_id=edition.pk, state=WaitingState.WAITING
    ).exists() and take_place(edition.pk):
        entry = offer_next(edition, now=now)
        if entry is None:  # the waiting entries are locked by someone else: give it back
            release_place(edition.pk)
            break
        offered.append(entry)
    return offered
