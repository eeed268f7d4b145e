"""Attendance per session, recorded by the teacher (or the provider, or staff).

One Attendance row per session and enrolment (a database constraint): recording again
overwrites the earlier answer, so a teacher can correct a mistake.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning.models import (
    Attendance,
    Edition,
    Enrolment,
    EnrolmentState,
    Presence,
    Session,
)
from reisgezel.learning.permissions import can_see_participants


def may_record_attendance(user: Any, edition: Edition) -> bool:
    """The edition's teacher, members of the course's provider, and staff: those who
    may see the participants (learning/permissions.py)."""
    return can_see_participants(user, edition)


def record_attendance(
    *, actor: Any, session: Session, presence: dict[int, str]
) -> list[Attendance]:
    """Record who was there: `presence` maps enrolment ids to a Presence value.

    Only active enrolments of the session's edition can be recorded; enrolments left out
    keep what they had. Raises PermissionDenied for anyone but the teacher, the provider
    and staff, and ValidationError (field -> messages) for a cancelled session, an
    unknown answer or an enrolment that is not in this group.
    """
    edition = Edition.objects.select_related("course__provider").get(pk=session.edition_id)
    if not may_record_attendance(actor, edition):
        raise PermissionDenied(_("Only the teacher of this group can record attendance."))
    if session.is_cancelled:
        raise ValidationError(
            {"session": [_("This session was cancelled: there is no attendance to record.")]}
        )
    allowed = set(Presence.values)
    wrong = sorted(str(value) for value in presence.values() if value not in allowed)
    if wrong:
        raise ValidationError(
            {"presence": [_("Choose present, absent or absent with notice for everyone.")]}
        )
    active = set(
        Enrolment.objects.filter(
            edition_id=session.edition_id, state=EnrolmentState.ACTIVE, pk__in=list(presence)
        ).values_list("pk", flat=True)
    )
    strangers = sorted(set(presence) - active)
    if strangers:
        raise ValidationError(
            {"presence": [_("Some of these people are not (or no longer) in this group.")]}
        )
    records: list[Attendance] = []
    with transaction.atomic():
        for enrolment_id, value in sorted(presence.items()):
            record, _created = Attendance.objects.update_or_create(
                session=session,
                enrolment_id=enrolment_id,
                defaults={"presence": value, "recorded_by": actor},
            )
            records.append(record)
        audit_record(
            actor=actor,
            action="learning.attendance_record",
            target=session,
            data={"presence": {str(k): v for k, v in sorted(presence.items())}},
        )
    return records
