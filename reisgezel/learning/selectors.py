"""Reads of the learning app that pages, the API and the services share.

Who may act for whom: a user acts for the participant linked to their own login and for
every member of the households they are a guardian of; staff act for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from reisgezel.accounts.models import Organisation, User
from reisgezel.learning.models import (
    EditionState,
    Enrolment,
    EnrolmentKind,
    EnrolmentState,
    Household,
    Participant,
    ProgrammeSlot,
    Session,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.places.models import Room
from reisgezel.places.room_capacity import OverCapacity


def households_of(user: Any) -> QuerySet[Household]:
    """The households the user is a guardian of."""
    if not getattr(user, "is_authenticated", False):
        return Household.objects.none()
    return Household.objects.filter(guardians__user=user).distinct()


def participants_of(user: Any) -> QuerySet[Participant]:
    """The participants a user may enrol: themself and the child profiles of their
    households. Another adult of the household has a login and acts for themself: a
    second guardian sees that they are a member, not their enrolments."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Participant.objects.none()
    return (
        Participant.objects.filter(
            Q(user=user) | Q(user__isnull=True, household__guardians__user=user)
        )
        .distinct()
        .select_related("household")
    )


def may_act_for(user: Any, participant: Participant) -> bool:
    """Whether `user` may enrol, cancel or accept an offer for `participant`: the
    participant themself, staff, or a guardian of the household for a child profile."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or participant.user_id == user.pk:
        return True
    if participant.user_id is not None:
        return False
    return participant.household.guardians.filter(user=user).exists()


def offer_by_token(token: str) -> WaitingListEntry | None:
    """The open offer a link in an offer e-mail points to (None when unknown)."""
    if not token:
        return None
    return (
        WaitingListEntry.objects.select_related("edition__course", "participant")
        .filter(offer_token=token, state=WaitingState.OFFERED)
        .first()
    )


def waiting_position(entry: WaitingListEntry) -> int:
    """1 for the first in line; 0 when the entry no longer waits."""
    if entry.state != WaitingState.WAITING:
        return 0
    ahead = WaitingListEntry.objects.filter(
        edition_id=entry.edition_id, state=WaitingState.WAITING
    ).filter(Q(priority__lt=entry.priority) | Q(priority=entry.priority, id__lt=entry.pk))
    return ahead.count() + 1


def has_completed(participant: Participant, *, course_ids: list[int], today: date) -> bool:
    """Whether the participant completed one of these courses: a regular enrolment
    marked completed, or an active one in an edition that has ended (editions are not
    always closed by hand). A trial lesson is not a completed course."""
    return Enrolment.objects.filter(
        Q(state=EnrolmentState.COMPLETED)
        | Q(state=EnrolmentState.ACTIVE, edition__ends_on__lt=today),
        kind=EnrolmentKind.REGULAR,
        participant=participant,
        edition__course_id__in=course_ids,
    ).exists()


@dataclass
class JourneyYear:
    year: int
    enrolments: list[Enrolment] = field(default_factory=list)


def journey_of(participant: Participant) -> list[JourneyYear]:
    """A participant's learning journey: every enrolment (not the cancelled ones or the
    trials that became an enrolment), grouped by the year the edition started, newest
    first; each with its edition, course and attendance prefetched."""
    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .exclude(state__in=[EnrolmentState.CANCELLED, EnrolmentState.CONVERTED])
        .select_related("edition__course", "edition__place")
        .prefetch_related("attendance__session")
        .order_by("-edition__starts_on", "-id")
    )
    years: dict[int, JourneyYear] = {}
    for enrolment in enrolments:
        year = enrolment.edition.starts_on.year
        years.setdefault(year, JourneyYear(year=year)).enrolments.append(enrolment)
    return list(years.values())


def teachers_for(organisation: Organisation, current: int | None) -> QuerySet[User]:
    """Who may teach an edition of the organisation: its active members, and the
    edition's present teacher (who may have left). The provider's form offers these; the
    edition service refuses anyone else."""
    return (
        User.objects.filter(
            Q(memberships__organisation=organisation, is_active=True) | Q(pk=current or 0)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def slots_over_capacity(room: Room, capacity: int, now: datetime) -> list[OverCapacity]:
    """School-programme slots held in the room, starting after `now`, for a larger group
    than `capacity` (registered with places.room_capacity by the app config). A school
    that books one is held to the room's capacity (`ProgrammeSlot.pupils_max`); a class
    that booked before the room shrank may be too large for it."""
    slots = (
        ProgrammeSlot.objects.filter(
            room=room, in_school=False, starts_at__gt=now, max_pupils__gt=capacity
        )
        .select_related("course")
        .order_by("starts_at", "pk")
    )
    return [
        OverCapacity(
            kind=_("School programme"),
            name=str(slot.course),
            starts_at=slot.starts_at,
            people=slot.max_pupils,
            holder=f"learning.slot:{slot.pk}",
            admin_url=reverse("admin:learning_programmeslot_change", args=[slot.pk]),
        )
        for slot in slots
    ]


def editions_over_capacity(room: Room, capacity: int, now: datetime) -> list[OverCapacity]:
    """Course editions with a session in the room after `now`, for a larger group than
    `capacity` (registered with places.room_capacity by the app config): one entry per
    edition, at its first such session. Cancelled sessions and cancelled or completed
    editions are not counted; the group is the edition's maximum, what was planned (its
    participants may be fewer so far)."""
    sessions = (
        Session.objects.filter(
            room=room,
            is_cancelled=False,
            starts_at__gt=now,
            edition__max_participants__gt=capacity,
            edition__state__in=(EditionState.PLANNED, EditionState.OPEN, EditionState.RUNNING),
        )
        .select_related("edition__course")
        .order_by("edition_id", "starts_at")
    )
    first: dict[int, Session] = {}
    for session in sessions:
        first.setdefault(session.edition_id, session)
    return [
        OverCapacity(
            kind=_("Course"),
            name=str(session.edition),
            starts_at=session.starts_at,
            people=session.edition.max_participants,
            holder=f"learning.edition:{session.edition_id}",
            admin_url=reverse("admin:learning_edition_change", args=[session.edition_id]),
        )
        for session in first.values()
    ]
