"""Enrolling, cancelling and converting trial lessons (issue 4).

Capacity is a database guarantee: a place is taken by one conditional UPDATE of the
edition row (`capacity.take_place`), inside the same transaction as the enrolment row,
and the check constraint `learning_edition_capacity_never_exceeded` refuses any write
beyond the maximum. When no place is left the participant joins the waiting list, in
order of (priority, arrival); see services/waiting.py for offers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning.emails import EmailKind
from reisgezel.learning.models import (
    CourseKind,
    CourseState,
    Edition,
    EditionState,
    Enrolment,
    EnrolmentKind,
    EnrolmentState,
    Participant,
    SchemeUse,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.permissions import can_manage_course
from reisgezel.learning.selectors import has_completed, may_act_for
from reisgezel.learning.services import capacity
from reisgezel.learning.services.notify import enrolment_email_later, waiting_email_later
from reisgezel.learning.services.tariffs import Quote, age_fits, quote, trial_tariff

ADULT_AGE = 18  # under this age a participant is served before adults on the waiting list


class Priority:
    """Waiting-list priorities (lower is served first) and the reasons stored with them."""

    RETURNING = 0, "returning"  # completed an earlier edition of the same course
    UNDER_18 = 1, "under_18"
    EVERYONE = 2, ""


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _name(participant: Participant) -> str:
    return f"{participant.given_name} {participant.family_name}"


def _check_open(edition: Edition, now: datetime) -> list[str]:
    if edition.state == EditionState.CANCELLED:
        return [_("This edition has been cancelled.")]
    # A running edition still takes late enrolments and trial lessons (its window allowing).
    if edition.state not in capacity.PLACE_STATES or edition.course.state != CourseState.PUBLISHED:
        return [_("This edition is not open for enrolment.")]
    if edition.enrol_opens_at and now < edition.enrol_opens_at:
        return [_("Enrolment opens on %(when)s.") % {"when": _when(edition.enrol_opens_at)}]
    if edition.enrol_closes_at and now >= edition.enrol_closes_at:
        return [
            _("The enrolment deadline (%(when)s) has passed.")
            % {"when": _when(edition.enrol_closes_at)}
        ]
    if edition.ends_on < timezone.localdate(now):
        return [_("This edition has already ended.")]
    return []


def _check_participant(edition: Edition, participant: Participant, now: datetime) -> list[str]:
    course = edition.course
    problems: list[str] = []
    age = participant.age_on(edition.starts_on)
    if not course.age_min <= age <= course.age_max:
        problems.append(
            _(
                "%(name)s will be %(age)s when this course starts; it is for ages "
                "%(min)s to %(max)s."
            )
            % {"name": _name(participant), "age": age, "min": course.age_min, "max": course.age_max}
        )
    required = list(course.prerequisites.all())
    if required and not has_completed(
        participant, course_ids=[c.pk for c in required], today=timezone.localdate(now)
    ):
        problems.append(
            _("This course asks that you first complete: %(courses)s.")
            % {"courses": _(" or ").join(str(c.title) for c in required)}
        )
    return problems


def _check_not_in_yet(edition: Edition, participant: Participant) -> None:
    if Enrolment.objects.filter(
        edition=edition, participant=participant, state=EnrolmentState.ACTIVE
    ).exists():
        raise ValidationError(
            {"participant": [_("%(name)s is already enrolled.") % {"name": _name(participant)}]}
        )
    if WaitingListEntry.objects.filter(
        edition=edition,
        participant=participant,
        state__in=[WaitingState.WAITING, WaitingState.OFFERED],
    ).exists():
        raise ValidationError(
            {
                "participant": [
                    _("%(name)s is already on the waiting list.") % {"name": _name(participant)}
                ]
            }
        )


def requote_under_lock(
    price: Quote,
    *,
    edition: Edition,
    participant: Participant,
    on: date,
    scheme_code: str | None = None,
) -> Quote:
    """Inside the transaction that records the enrolment: a price with a scheme counts
    the participant's other enrolments toward the scheme's yearly cap, so the
    participant is held and the price worked out again. Two enrolments of one child at
    once (enrolling, converting a trial, accepting an offer) cannot both spend what the
    fund has left. Every path locks the participant before the edition or the entry."""
    if price.scheme is None:
        return price
    Participant.objects.select_for_update().filter(pk=participant.pk).exists()
    return quote(edition=edition, participant=participant, on=on, scheme_code=scheme_code)


def _check_trial_age(edition: Edition, participant: Participant) -> list[str]:
    """A trial tariff with an age range is for those ages only, as any tariff is: the
    trial lesson is refused to others (rather than given to them for nothing)."""
    tariff = trial_tariff(edition)
    age = participant.age_on(edition.starts_on)
    if tariff is None or age_fits(tariff, age):
        return []
    return [
        _(
            "%(name)s will be %(age)s when this course starts; its trial lesson is for ages "
            "%(min)s to %(max)s. You can enrol for the whole course."
        )
        % {
            "name": _name(participant),
            "age": age,
            "min": tariff.age_min if tariff.age_min is not None else 0,
            "max": tariff.age_max if tariff.age_max is not None else 120,
        }
    ]


def _trial_quote(edition: Edition) -> Quote:
    """A trial lesson costs the edition's tariff with code "trial" when there is one
    (its age range checked by `_check_trial_age`), else nothing; no scheme and no reduced
    place (those come with the enrolment)."""
    tariff = trial_tariff(edition)
    amount = tariff.amount if tariff is not None else Decimal("0.00")
    return Quote(
        tariff=tariff,
        price_full=amount,
        price_due=amount,
        fund_amount=Decimal("0.00"),
        scheme=None,
        uses_reduced_place=False,
        explanation=[_("Trial lesson")],
    )


def priority_of(edition: Edition, participant: Participant, *, now: datetime) -> tuple[int, str]:
    """Returning pupils first, then under-18s, then everyone (each in arrival order)."""
    if has_completed(participant, course_ids=[edition.course_id], today=timezone.localdate(now)):
        return Priority.RETURNING
    if participant.age_on(edition.starts_on) < ADULT_AGE:
        return Priority.UNDER_18
    return Priority.EVERYONE


def create_enrolment_row(
    *,
    actor: Any,
    edition: Edition,
    participant: Participant,
    price: Quote,
    kind: str = EnrolmentKind.REGULAR,
    converted_from: Enrolment | None = None,
) -> Enrolment:
    enrolment = Enrolment.objects.create(
        edition=edition,
        participant=participant,
        enrolled_by=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        state=EnrolmentState.ACTIVE,
        converted_from=converted_from,
        tariff=price.tariff,
        price_full=price.price_full,
        price_due=price.price_due,
        fund_amount=price.fund_amount,
        scheme=price.scheme,
        uses_reduced_place=price.uses_reduced_place,
        price_explanation=[str(line) for line in price.explanation],
    )
    # Every scheme's share, also of those stacked under the recorded one: their yearly
    # maxima count them (tariffs.used_this_year).
    SchemeUse.objects.bulk_create(
        SchemeUse(enrolment=enrolment, scheme=scheme, amount=amount)
        for scheme, amount in price.covered
    )
    return enrolment


# Course kinds whose editions may let a newcomer try one lesson before enrolling. (A
# course of kind "trial lesson" is itself the trial; a workshop or camp is too short.)
TRIAL_KINDS = frozenset({CourseKind.YEAR_COURSE, CourseKind.SHORT_COURSE, CourseKind.LESSON_CARD})


def trial_offered(edition: Edition) -> bool:
    """Whether a newcomer may book a trial lesson of this edition: a course kind that has
    them, and an edition whose provider did not switch them off."""
    return edition.course.kind in TRIAL_KINDS and edition.trial_lessons


def _had_trial(participant: Participant, edition: Edition) -> bool:
    """One trial lesson per participant and course (in any of its editions, also one
    cancelled since): a trial is a first look, not a free course."""
    return Enrolment.objects.filter(
        participant=participant, kind=EnrolmentKind.TRIAL, edition__course_id=edition.course_id
    ).exists()


def enrol(
    *,
    actor: Any,
    edition: Edition,
    participant: Participant,
    scheme_code: str | None = None,
    trial: bool = False,
    now: datetime | None = None,
) -> Enrolment | WaitingListEntry:
    """Enrol `participant` in `edition` (a trial lesson with `trial=True`), or put them
    on the waiting list when the edition is full.

    Raises PermissionDenied when `actor` may not act for the participant (only the
    participant's own user, a guardian of their household, or staff), and
    ValidationError with clear messages when the edition is not open, the enrolment
    window is closed, the age or prerequisites do not fit, or the participant is
    already enrolled or waiting. A confirmation (or waiting-list) e-mail follows after
    commit.
    """
    now = now or timezone.now()
    if not may_act_for(actor, participant):
        raise PermissionDenied(_("You can enrol only yourself and the members of your family."))
    edition = Edition.objects.select_related("course").get(pk=edition.pk)
    errors: dict[str, list[str]] = {}
    if problems := _check_open(edition, now):
        errors["edition"] = problems
    if problems := _check_participant(edition, participant, now):
        errors["participant"] = problems
    if trial and not trial_offered(edition):
        errors["trial"] = [_("This edition offers no trial lesson. You can enrol for it.")]
    elif trial and _had_trial(participant, edition):
        errors["trial"] = [
            _("A trial lesson is for newcomers: you had one for this course. You can enrol.")
        ]
    elif trial and (problems := _check_trial_age(edition, participant)):
        errors["trial"] = problems
    if errors:
        raise ValidationError(errors)
    price = (
        _trial_quote(edition)
        if trial
        else quote(
            edition=edition,
            participant=participant,
            on=timezone.localdate(now),
            scheme_code=scheme_code,
        )
    )
    try:
        with transaction.atomic():
            price = requote_under_lock(
                price,
                edition=edition,
                participant=participant,
                on=timezone.localdate(now),
                scheme_code=scheme_code,
            )
            return _take_place_or_wait(
                actor=actor,
                edition=edition,
                participant=participant,
                price=price,
                trial=trial,
                now=now,
            )
    except IntegrityError:
        # A second request for the same participant won the race: the unique
        # constraints (one active enrolment, one open waiting entry) refused this one.
        _check_not_in_yet(edition, participant)
        raise


def _take_place_or_wait(
    *,
    actor: Any,
    edition: Edition,
    participant: Participant,
    price: Quote,
    trial: bool,
    now: datetime,
) -> Enrolment | WaitingListEntry:
    _check_not_in_yet(edition, participant)
    someone_waits = WaitingListEntry.objects.filter(
        edition=edition, state=WaitingState.WAITING
    ).exists()
    if (
        not someone_waits
        and capacity.seems_free(edition.pk)
        and capacity.take_place(edition.pk, reduced=price.uses_reduced_place)
    ):
        return _enrolled(
            actor=actor, edition=edition, participant=participant, price=price, trial=trial
        )

    # No place. The priority is read before the lock, to keep the time it is held short.
    priority, reason = priority_of(edition, participant, now=now)
    # Hold the edition row so that the waiting list is written in the order requests
    # arrive here, then look again (a place may have been freed meanwhile).
    locked = capacity.lock_edition(edition.pk)
    if locked.state not in capacity.PLACE_STATES:
        raise ValidationError(
            {"edition": _check_open(locked, now) or [_("This edition is not open for enrolment.")]}
        )
    if locked.places_taken < locked.max_participants:
        if someone_waits:
            capacity.offer_free_places(locked, now=now)
        elif capacity.take_place(edition.pk, reduced=price.uses_reduced_place):
            return _enrolled(
                actor=actor, edition=edition, participant=participant, price=price, trial=trial
            )
        elif price.uses_reduced_place:
            raise ValidationError(
                {
                    "scheme_code": [
                        _(
                            "The places at a reduced price are all taken. You can still "
                            "enrol at the full price."
                        )
                    ]
                }
            )
    if trial:
        raise ValidationError(
            {
                "trial": [
                    _(
                        "This edition is full, so a trial lesson is not possible. You can "
                        "join the waiting list instead."
                    )
                ]
            }
        )
    entry = WaitingListEntry.objects.create(
        edition=edition,
        participant=participant,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        priority=priority,
        priority_reason=reason,
        state=WaitingState.WAITING,
    )
    audit_record(actor=actor, action="learning.waiting_join", target=entry)
    waiting_email_later(EmailKind.WAITING, entry.pk)
    return entry


def _enrolled(
    *, actor: Any, edition: Edition, participant: Participant, price: Quote, trial: bool
) -> Enrolment:
    enrolment = create_enrolment_row(
        actor=actor,
        edition=edition,
        participant=participant,
        price=price,
        kind=EnrolmentKind.TRIAL if trial else EnrolmentKind.REGULAR,
    )
    audit_record(actor=actor, action="learning.enrol", target=enrolment)
    enrolment_email_later(EmailKind.CONFIRMATION, enrolment.pk)
    return enrolment


def convert_trial(*, actor: Any, enrolment: Enrolment, now: datetime | None = None) -> Enrolment:
    """Turn an active trial lesson into a regular enrolment: the trial becomes CONVERTED
    and a new ACTIVE enrolment (linked by `converted_from`) keeps its place, with the
    price of a regular enrolment (a reduced place is taken if the price uses one)."""
    now = now or timezone.now()
    participant = enrolment.participant
    if not may_act_for(actor, participant):
        raise PermissionDenied(_("You can enrol only yourself and the members of your family."))
    if enrolment.kind != EnrolmentKind.TRIAL:
        raise ValidationError(_("Only a trial lesson can be turned into an enrolment."))
    edition = Edition.objects.select_related("course").get(pk=enrolment.edition_id)
    if edition.state not in capacity.PLACE_STATES:
        raise ValidationError({"edition": [_("This edition is not open for enrolment.")]})
    price = quote(edition=edition, participant=participant, on=timezone.localdate(now))
    with transaction.atomic():
        price = requote_under_lock(
            price, edition=edition, participant=participant, on=timezone.localdate(now)
        )
        trial = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if trial.state != EnrolmentState.ACTIVE:
            raise ValidationError(_("This trial lesson can no longer be turned into an enrolment."))
        if price.uses_reduced_place and not capacity.take_reduced_place(edition.pk):
            raise ValidationError(
                _("The places at a reduced price are all taken; please ask the provider.")
            )
        trial.state = EnrolmentState.CONVERTED
        trial.save(update_fields=["state"])
        regular = create_enrolment_row(
            actor=actor,
            edition=edition,
            participant=participant,
            price=price,
            converted_from=trial,
        )
        audit_record(actor=actor, action="learning.trial_convert", target=regular)
        enrolment_email_later(EmailKind.CONFIRMATION, regular.pk)
    return regular


def cancel_enrolment(
    *, actor: Any, enrolment: Enrolment, reason: str, now: datetime | None = None
) -> Enrolment:
    """Cancel an active enrolment (or trial lesson) with a reason.

    The participant (or their guardian) may cancel until the edition's `cancel_until`;
    after it only the provider or staff may. The place (and a reduced place) is freed in
    the same transaction: handed to the first on the waiting list, who gets an offer
    e-mail after commit, or released when nobody waits."""
    now = now or timezone.now()
    edition = Edition.objects.select_related("course").get(pk=enrolment.edition_id)
    manager = can_manage_course(actor, edition.course)
    if not manager:
        if not may_act_for(actor, enrolment.participant):
            raise PermissionDenied(_("You can cancel only your own and your family's enrolments."))
        if edition.cancel_until and now > edition.cancel_until:
            raise ValidationError(
                _("The cancellation deadline (%(when)s) has passed. Please contact the provider.")
                % {"when": _when(edition.cancel_until)}
            )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give a reason.")]})
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.state != EnrolmentState.ACTIVE:
            raise ValidationError(_("This enrolment is not active."))
        enrolment.state = EnrolmentState.CANCELLED
        enrolment.cancelled_at = now
        enrolment.cancelled_by = actor if getattr(actor, "is_authenticated", False) else None
        enrolment.cancel_reason = reason
        enrolment.save(update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason"])
        locked = capacity.lock_edition(edition.pk)
        if enrolment.uses_reduced_place:
            capacity.release_reduced_place(edition.pk)
        capacity.pass_place_on(locked, now=now)
        audit_record(
            actor=actor, action="learning.enrolment_cancel", target=enrolment, message=reason
        )
    return enrolment
