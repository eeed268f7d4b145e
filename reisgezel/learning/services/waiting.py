"""The waiting list: offers, accepting, declining and lapsing (issue 4).

When a place frees up while people wait, the first in line by (priority, arrival) gets
an offer that holds the place (it stays counted in `Edition.places_taken`, see
services/capacity.py) until `offer_expires_at` (`Edition.waiting_offer_hours` after the
offer). Accepting enrols; declining or letting it lapse hands the place to the next in
line. `expire_offers` runs every few minutes (`manage.py learning_expire_offers`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning.emails import EmailKind
from reisgezel.learning.models import (
    Edition,
    Enrolment,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.selectors import may_act_for
from reisgezel.learning.services import capacity
from reisgezel.learning.services.enrolment import create_enrolment_row, requote_under_lock
from reisgezel.learning.services.notify import enrolment_email_later, waiting_email_later
from reisgezel.learning.services.tariffs import quote


def _check_actor(actor: Any, entry: WaitingListEntry) -> None:
    if not may_act_for(actor, entry.participant):
        raise PermissionDenied(_("This offer is for someone else."))


def accept_offer(
    *,
    actor: Any,
    entry: WaitingListEntry,
    now: datetime | None = None,
    scheme_code: str | None = None,
) -> Enrolment:
    """Accept an open offer before its deadline: the held place becomes an enrolment
    (priced now, with `scheme_code` if given). A confirmation e-mail follows."""
    now = now or timezone.now()
    _check_actor(actor, entry)
    edition = Edition.objects.select_related("course").get(pk=entry.edition_id)
    price = quote(
        edition=edition,
        participant=entry.participant,
        on=timezone.localdate(now),
        scheme_code=scheme_code,
    )
    with transaction.atomic():
        price = requote_under_lock(
            price,
            edition=edition,
            participant=entry.participant,
            on=timezone.localdate(now),
            scheme_code=scheme_code,
        )
        entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.state != WaitingState.OFFERED or entry.offer_expires_at is None:
            raise ValidationError(_("This offer is no longer open."))
        if entry.offer_expires_at <= now:
            raise ValidationError(_("Sorry, this offer has lapsed."))
        if Edition.objects.get(pk=edition.pk).state not in capacity.PLACE_STATES:
            raise ValidationError(_("This edition is not open for enrolment."))
        if price.uses_reduced_place and not capacity.take_reduced_place(edition.pk):
            raise ValidationError(
                {
                    "scheme_code": [
                        _(
                            "The places at a reduced price are all taken. You can still "
                            "accept the place at the full price."
                        )
                    ]
                }
            )
        enrolment = create_enrolment_row(
            actor=actor, edition=edition, participant=entry.participant, price=price
        )
        entry.state = WaitingState.ACCEPTED
        entry.enrolment = enrolment
        entry.save(update_fields=["state", "enrolment"])
        audit_record(actor=actor, action="learning.offer_accept", target=enrolment)
        enrolment_email_later(EmailKind.CONFIRMATION, enrolment.pk)
    return enrolment


def decline_offer(
    *, actor: Any, entry: WaitingListEntry, now: datetime | None = None
) -> WaitingListEntry:
    """Decline an offer (the place goes to the next in line at once), or leave the
    waiting list before any offer."""
    now = now or timezone.now()
    _check_actor(actor, entry)
    with transaction.atomic():
        entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.state not in (WaitingState.WAITING, WaitingState.OFFERED):
            raise ValidationError(_("This place on the waiting list is no longer open."))
        held_a_place = entry.state == WaitingState.OFFERED
        entry.state = WaitingState.WITHDRAWN
        entry.save(update_fields=["state"])
        if held_a_place:
            capacity.pass_place_on(capacity.lock_edition(entry.edition_id), now=now)
        audit_record(actor=actor, action="learning.waiting_withdraw", target=entry)
    return entry


def expire_offers(*, now: datetime | None = None) -> int:
    """Lapse the offers past their deadline, each handing its place to the next in line
    (who gets an offer e-mail; the lapsed one gets a note). Also offers places that are
    free while people wait (after a maximum was raised). Returns how many offers lapsed."""
    now = now or timezone.now()
    due = list(
        WaitingListEntry.objects.filter(
            state=WaitingState.OFFERED, offer_expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    lapsed = 0
    for pk in due:
        with transaction.atomic():
            entry = (
                WaitingListEntry.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=WaitingState.OFFERED, offer_expires_at__lte=now)
                .first()
            )
            if entry is None:  # accepted or declined meanwhile, or being handled
                continue
            entry.state = WaitingState.EXPIRED
            entry.save(update_fields=["state"])
            capacity.pass_place_on(capacity.lock_edition(entry.edition_id), now=now)
            audit_record(actor=None, action="learning.offer_lapse", target=entry)
            waiting_email_later(EmailKind.OFFER_LAPSED, entry.pk)
        lapsed += 1
    with_free_places = (
        Edition.objects.filter(
            state__in=capacity.PLACE_STATES,
            places_taken__lt=F("max_participants"),
            waiting_list__state=WaitingState.WAITING,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for edition_id in list(with_free_places):
        with transaction.atomic():
            capacity.offer_free_places(capacity.lock_edition(edition_id), now=now)
    return lapsed
