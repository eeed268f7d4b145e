"""Cancelling an edition (by its provider, or because too few enrolled) and the
reminder before the first session (issue 4).

Everyone enrolled or on the waiting list of a cancelled edition gets an e-mail after
commit, in their own language, with the reason.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning.emails import SUPPORTED_LANGUAGES, EmailKind
from reisgezel.learning.models import (
    Edition,
    EditionState,
    Enrolment,
    EnrolmentKind,
    EnrolmentState,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.permissions import can_manage_course
from reisgezel.learning.services.notify import edition_cancelled_later, enrolment_email_later
from reisgezel.learning.services.offer import editions_changed
from reisgezel.learning.services.room_claims import sessions_release

# An edition that starts within this many days and has fewer active enrolments than its
# minimum is cancelled by `cancel_undersubscribed` (run daily). A week leaves families
# time to choose something else; it is a constant, not a setting, so that the rule
# announced to providers is the same everywhere.
UNDERSUBSCRIBED_DAYS = 7

# The reminder e-mail goes out this many days before the first day (run daily).
REMINDER_DAYS = 2

OPEN_STATES = (EditionState.PLANNED, EditionState.OPEN, EditionState.RUNNING)


def edition_cancel(*, actor: Any, edition: Edition, reason: dict[str, str]) -> Edition:
    """Cancel an edition: every active enrolment is cancelled and every waiting-list
    entry withdrawn, with the reason (a language map; Dutch required)."""
    if not can_manage_course(actor, edition.course):
        raise PermissionDenied(_("Only the provider of this course can cancel it."))
    cleaned = {lang: text.strip() for lang, text in reason.items() if text and text.strip()}
    if not cleaned.get("nl"):
        raise ValidationError({"reason": [_("Please give the reason, at least in Dutch.")]})
    return _cancel(actor=actor, edition=edition, reason=cleaned, now=timezone.now())


def _locked_ids(edition_id: int) -> tuple[list[int], list[int]]:
    """Lock the edition's active enrolments and open waiting-list entries (by id)."""
    enrolments = (
        Enrolment.objects.select_for_update()
        .filter(edition_id=edition_id, state=EnrolmentState.ACTIVE)
        .order_by("pk")
    )
    entries = (
        WaitingListEntry.objects.select_for_update()
        .filter(edition_id=edition_id, state__in=[WaitingState.WAITING, WaitingState.OFFERED])
        .order_by("pk")
    )
    return list(enrolments.values_list("pk", flat=True)), list(entries.values_list("pk", flat=True))


def _cancel(*, actor: Any, edition: Edition, reason: dict[str, str], now: datetime) -> Edition:
    with transaction.atomic():
        # Enrolments and entries first, then the edition: the order a single cancellation
        # or a declined offer takes (capacity.py), so the two never deadlock. A place taken
        # in between is found by the second look, once the edition is held.
        _locked_ids(edition.pk)
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.state not in OPEN_STATES:
            raise ValidationError(_("Only a planned, open or running edition can be cancelled."))
        enrolment_ids, entry_ids = _locked_ids(edition.pk)
        Enrolment.objects.filter(pk__in=enrolment_ids).update(
            state=EnrolmentState.CANCELLED,
            cancelled_at=now,
            cancelled_by=actor if getattr(actor, "is_authenticated", False) else None,
            cancel_reason=reason["nl"],
        )
        WaitingListEntry.objects.filter(pk__in=entry_ids).update(state=WaitingState.WITHDRAWN)
        sessions_release(edition.sessions.values_list("pk", flat=True))
        edition.state = EditionState.CANCELLED
        edition.cancel_reason = reason
        edition.places_taken = 0
        edition.reduced_places_taken = 0
        edition.save(
            update_fields=[
                "state",
                "cancel_reason",
                "places_taken",
                "reduced_places_taken",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="learning.edition_cancel",
            target=edition,
            message=reason["nl"],
            data={"enrolments": len(enrolment_ids), "waiting": len(entry_ids)},
        )
        edition_cancelled_later(edition.pk, enrolment_ids, entry_ids)
        # The agenda shows the edition's event as cancelled; search drops it.
        editions_changed([edition.pk])
    return edition


def _undersubscribed_reason(edition: Edition) -> dict[str, str]:
    reason: dict[str, str] = {}
    for language in SUPPORTED_LANGUAGES:
        with translation.override(language):
            reason[language] = _(
                "Not enough people enrolled: this edition needed at least %(minimum)s participants."
            ) % {"minimum": edition.min_participants}
    return reason


def cancel_undersubscribed(*, today: date | None = None) -> list[Edition]:
    """Cancel the planned or open editions that start within UNDERSUBSCRIBED_DAYS days
    (today included) and have fewer active regular enrolments than their minimum (a
    trial lesson does not make a group)."""
    today = today or timezone.localdate()
    candidates = (
        Edition.objects.filter(
            state__in=[EditionState.PLANNED, EditionState.OPEN],
            starts_on__gte=today,
            starts_on__lte=today + timedelta(days=UNDERSUBSCRIBED_DAYS),
        )
        .annotate(
            enrolled=Count(
                "enrolments",
                filter=Q(
                    enrolments__state=EnrolmentState.ACTIVE,
                    enrolments__kind=EnrolmentKind.REGULAR,
                ),
            )
        )
        .select_related("course")
    )
    now = timezone.now()
    cancelled: list[Edition] = []
    for edition in candidates:
        if edition.enrolled >= edition.min_participants:
            continue
        cancelled.append(
            _cancel(actor=None, edition=edition, reason=_undersubscribed_reason(edition), now=now)
        )
    return cancelled


def remind_first_session(*, today: date | None = None) -> int:
    """E-mail everyone enrolled in an edition starting in REMINDER_DAYS days (run once a
    day: each edition is reminded on one day only). Returns how many were scheduled."""
    today = today or timezone.localdate()
    enrolment_ids = list(
        Enrolment.objects.filter(
            state=EnrolmentState.ACTIVE,
            edition__state__in=[EditionState.OPEN, EditionState.RUNNING],
            edition__starts_on=today + timedelta(days=REMINDER_DAYS),
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for enrolment_id in enrolment_ids:
            enrolment_email_later(EmailKind.REMINDER, enrolment_id)
    return len(enrolment_ids)
