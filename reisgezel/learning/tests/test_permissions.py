"""Who manages courses, who teaches, who sees participants."""

from __future__ import annotations

import pytest

from reisgezel.learning.permissions import can_manage_course, can_see_participants, can_teach
from tests.factories import make_organisation, make_user, member_of
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db


def test_members_of_the_provider_and_staff_manage_a_course_nobody_else() -> None:
    provider = make_organisation()
    course = make_course(provider=provider)
    assert can_manage_course(member_of(provider), course)
    assert can_manage_course(make_user(is_staff=True), course)
    assert not can_manage_course(member_of(make_organisation()), course)
    assert not can_manage_course(make_user(), course)


def test_an_inactive_member_manages_nothing() -> None:
    provider = make_organisation()
    member = member_of(provider)
    member.is_active = False
    member.save()
    assert not can_manage_course(member, make_course(provider=provider))


def test_anonymous_visitors_manage_and_teach_nothing() -> None:
    from django.contrib.auth.models import AnonymousUser

    edition = make_edition()
    assert not can_manage_course(AnonymousUser(), edition.course)
    assert not can_teach(AnonymousUser(), edition)
    assert not can_see_participants(AnonymousUser(), edition)


def test_only_the_editions_teacher_teaches_it() -> None:
    teacher = make_user()
    edition = make_edition(teacher=teacher)
    other_edition = make_edition(course=edition.course, teacher=make_user())
    assert can_teach(teacher, edition)
    assert not can_teach(teacher, other_edition)
    assert not can_teach(make_user(), make_edition())  # an edition without a teacher


def test_teacher_provider_members_and_staff_see_participants() -> None:
    provider = make_organisation()
    teacher = make_user()
    edition = make_edition(course=make_course(provider=provider), teacher=teacher)
    assert can_see_participants(teacher, edition)
    assert can_see_participants(member_of(provider), edition)
    assert can_see_participants(make_user(is_staff=True), edition)
    assert not can_see_participants(make_user(), edition)
    assert not can_see_participants(member_of(make_organisation()), edition)
    # A teacher of another edition of the same course does not see this one's.
    assert not can_see_participants(
        make_user(), make_edition(course=edition.course, teacher=make_user())
    )
