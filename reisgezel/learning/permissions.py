"""Who may do what with the offer. Services call these; views and the API never decide.

Many providers share the platform, with the agenda's organisation model: the members of
a course's provider organisation manage its courses and editions, staff manage all of
them. A teacher (`Edition.teacher`) teaches one edition: they see its participants and
record attendance, but do not change the course unless they are a member too.
"""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.selectors import is_member
from reisgezel.learning.models import Course, Edition


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_staff(user: Any) -> bool:
    return _active(user) and bool(user.is_staff)


def can_manage_course(user: Any, course: Course) -> bool:
    """Staff, and members of the course's provider (`is_member` already admits staff)."""
    return is_member(user=user, organisation=course.provider)


def can_teach(user: Any, edition: Edition) -> bool:
    """The edition's own teacher, and only while their account is active."""
    return _active(user) and edition.teacher_id is not None and edition.teacher_id == user.pk


def can_see_participants(user: Any, edition: Edition) -> bool:
    """The teacher, the provider's members and staff; nobody else sees who takes part."""
    return can_teach(user, edition) or can_manage_course(user, edition.course)
