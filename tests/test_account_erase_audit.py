"""After an erasure the logs keep what happened (action, record, time, that an erased
account did it) but nothing that names the person: texts in the audit log and the
names Django's admin log gave the account and what it held."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from reisgezel.accounts.erasure import account_erase
from reisgezel.accounts.models import MemberRole, Membership
from reisgezel.core.audit import ERASED_TEXT
from reisgezel.core.models import AuditEntry
from reisgezel.initiatives.models import InitiativeState
from reisgezel.initiatives.services import initiative_change_state
from reisgezel.initiatives.tests.helpers import make_idea
from reisgezel.learning.models import Enrolment
from reisgezel.learning.services.enrolment import cancel_enrolment, enrol
from reisgezel.stories.services import story_reject
from reisgezel.stories.tests.conftest import submit
from tests.factories import make_organisation, make_user, moderator
from tests.learning_factories import make_child, make_course, make_edition, make_household

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # tests.factories.make_user's
NAMES = ("marij", "jansen", "lotte")


def logged_text() -> str:
    audit = [(e.message, json.dumps(e.data)) for e in AuditEntry.objects.all()]
    admin = [(e.object_repr, e.change_message) for e in LogEntry.objects.all()]
    return json.dumps([audit, admin]).lower()


def test_the_logs_keep_what_happened_but_not_who_it_was(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_user(display_name="Marij Jansen", email="marij@example.org")
    staff = make_user(is_staff=True, is_superuser=True)
    # Marij cancels her daughter's course, with a reason in her own words.
    child = make_child(household=make_household(guardian=user), given_name="Lotte")
    edition = make_edition(course=make_course(age_min=6, age_max=12))
    enrolment = enrol(actor=user, edition=edition, participant=child)
    assert isinstance(enrolment, Enrolment)  # not a place on the waiting list
    cancel_enrolment(actor=user, enrolment=enrolment, reason="Lotte Jansen is ill. Marij")
    # A moderator and a coach write about her story and her idea.
    story = submit(actor=user)
    story_reject(actor=moderator(), story=story, reason="Sorry Marij, no surnames please.")
    idea = make_idea(initiator=user)
    initiative_change_state(
        actor=staff,
        initiative=idea,
        to_state=InitiativeState.DECLINED,
        reason="Spoke to Marij Jansen on the phone.",
    )
    # Staff changed her account, her family ("Gezin Marij Jansen") and her daughter's
    # profile in the admin.
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[user], action_flag=CHANGE, change_message="[]"
    )
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[child.household],
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"name": "participant", "object": "Lotte"}}]),
    )
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[child],
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["given name"]}}]),
    )
    # Someone else's entries are not hers to erase.
    other = make_user(display_name="Kees")
    other_idea = make_idea(initiator=other)
    initiative_change_state(
        actor=staff, initiative=other_idea, to_state=InitiativeState.DECLINED, reason="Kees: no"
    )
    assert all(name in logged_text() for name in NAMES)
    entries_before = set(AuditEntry.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=user, password=PASSWORD)

    # What happened is still there: the same entries (and the erasure), the same actions
    # on the same records at the same times, by the emptied account.
    assert entries_before <= set(AuditEntry.objects.values_list("pk", flat=True))
    cancelled = AuditEntry.objects.get(action="learning.enrolment_cancel")
    assert cancelled.actor_id == user.pk and cancelled.target_id == str(enrolment.pk)
    assert cancelled.message == ERASED_TEXT
    user.refresh_from_db()
    assert str(user) == f"erased-{user.pk}"
    declined = AuditEntry.objects.get(action="initiative.state", target_id=str(idea.pk))
    assert declined.actor_id == staff.pk and declined.data == {"from": "new", "to": "declined"}
    assert AuditEntry.objects.filter(action="story.reject", target_id=str(story.pk)).exists()
    account_entry = LogEntry.objects.get(object_id=str(user.pk), content_type__model="user")
    assert account_entry.object_repr == ERASED_TEXT and account_entry.action_flag == CHANGE
    # ... but nothing names her or her daughter any more.
    assert not any(name in logged_text() for name in NAMES), logged_text()
    assert "kees: no" in logged_text()


def test_an_organisations_admin_log_forgets_the_member_but_not_the_others() -> None:
    """Staff added Marij and Kees to the choir in the organisation's admin page: the
    organisation's entry named both memberships. After Marij's erasure it names Kees's
    only; which fields changed stays."""
    user = make_user(username="marij.jansen", email="marij@example.org")
    staff = make_user(is_staff=True, is_superuser=True)
    choir = make_organisation(name="Koor Wyck")
    marij = Membership.objects.create(organisation=choir, user=user, role=MemberRole.EDITOR)
    kees = Membership.objects.create(
        organisation=choir, user=make_user(username="kees"), role=MemberRole.ADMIN
    )
    message = [
        {"changed": {"fields": ["name"]}},
        {"added": {"name": "membership", "object": str(marij)}},
        {"added": {"name": "membership", "object": str(kees)}},
    ]
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[choir], action_flag=CHANGE, change_message=json.dumps(message)
    )
    assert "marij" in logged_text()
    account_erase(user=user, password=PASSWORD)
    entry = LogEntry.objects.get(content_type__model="organisation")
    assert json.loads(entry.change_message) == [
        {"changed": {"fields": ["name"]}},
        {"added": {"name": "membership", "object": ERASED_TEXT}},
        {"added": {"name": "membership", "object": str(kees)}},
    ]
    assert entry.object_repr == "Koor Wyck"
    assert "marij" not in logged_text()
