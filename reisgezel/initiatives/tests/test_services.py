"""The rules of initiatives: who submits and triages, the allowed moves, the audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from reisgezel.accounts.models import OrganisationKind
from reisgezel.core.models import AuditEntry
from reisgezel.initiatives.models import Initiative, InitiativeState
from reisgezel.initiatives.services import (
    initiative_assign_coach,
    initiative_change_state,
    initiative_note_add,
    initiative_submit,
)
from reisgezel.initiatives.tests.helpers import house_member, make_idea, staff_user
from tests.factories import make_organisation, make_user, member_of

pytestmark = pytest.mark.django_db
S = InitiativeState


def test_a_submitted_idea_is_new_with_its_help_and_first_history_line() -> None:
    idea = make_idea(help_needed=["money", "advice"])
    assert idea.state == S.NEW
    assert idea.help_needed == ["money", "advice"]
    assert [(c.from_state, c.to_state) for c in idea.state_changes.all()] == [("", S.NEW)]
    assert AuditEntry.objects.filter(action="initiative.submit", target_id=str(idea.pk)).exists()


def test_anonymous_visitors_cannot_submit() -> None:
    with pytest.raises(PermissionDenied):
        initiative_submit(actor=AnonymousUser(), title="x", description="y", help_needed=[])


def test_submission_needs_a_title_a_description_and_known_help() -> None:
    with pytest.raises(ValidationError) as exc:
        initiative_submit(actor=make_user(), title=" ", description="", help_needed=["rocket"])
    assert set(exc.value.message_dict) == {"title", "description", "help_needed"}


@pytest.mark.parametrize(
    "path",
    [
        [S.IN_CONVERSATION, S.SUPPORTED, S.REALISED],
        [S.DECLINED],
        [S.IN_CONVERSATION, S.DECLINED],
        [S.IN_CONVERSATION, S.SUPPORTED, S.DECLINED],
    ],
)
def test_the_allowed_moves(path: list[str]) -> None:
    idea, staff = make_idea(), staff_user()
    for state in path:
        initiative_change_state(actor=staff, initiative=idea, to_state=state, reason="Zo is het.")
    idea.refresh_from_db()
    assert idea.state == path[-1]
    assert [c.to_state for c in idea.state_changes.all()] == [S.NEW, *path]
    assert AuditEntry.objects.filter(action="initiative.state").count() == len(path)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ([], S.SUPPORTED),
        ([], S.REALISED),
        ([], S.NEW),
        ([S.IN_CONVERSATION], S.NEW),
        ([S.IN_CONVERSATION], S.REALISED),
        ([S.IN_CONVERSATION, S.SUPPORTED, S.REALISED], S.DECLINED),
        ([S.DECLINED], S.IN_CONVERSATION),
        ([], "archived"),
    ],
)
def test_other_moves_are_refused(start: list[str], target: str) -> None:
    idea, staff = make_idea(), staff_user()
    for state in start:
        initiative_change_state(actor=staff, initiative=idea, to_state=state, reason="Reden.")
    with pytest.raises(ValidationError) as exc:
        initiative_change_state(actor=staff, initiative=idea, to_state=target, reason="Reden.")
    assert "to_state" in exc.value.message_dict
    idea.refresh_from_db()
    assert idea.state == (start[-1] if start else S.NEW)


def test_declining_needs_a_reason_which_the_idea_keeps() -> None:
    idea, staff = make_idea(), staff_user()
    with pytest.raises(ValidationError) as exc:
        initiative_change_state(actor=staff, initiative=idea, to_state=S.DECLINED, reason="  ")
    assert "reason" in exc.value.message_dict
    initiative_change_state(
        actor=staff, initiative=idea, to_state=S.DECLINED, reason="Past niet in ons budget."
    )
    idea.refresh_from_db()
    assert idea.decline_reason == "Past niet in ons budget."


def test_the_database_refuses_a_declined_idea_without_reason() -> None:
    idea = make_idea()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=idea.pk).update(state=S.DECLINED, decline_reason="")


def test_members_of_a_house_triage_too_but_residents_and_other_partners_do_not() -> None:
    idea = make_idea()
    initiative_change_state(actor=house_member(), initiative=idea, to_state=S.IN_CONVERSATION)
    venue_member = member_of(make_organisation(kind=OrganisationKind.VENUE))
    for outsider in (idea.initiator, make_user(), venue_member, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            initiative_change_state(actor=outsider, initiative=idea, to_state=S.SUPPORTED)
        with pytest.raises(PermissionDenied):
            initiative_note_add(actor=outsider, initiative=idea, text="Hmm")
        with pytest.raises(PermissionDenied):
            initiative_assign_coach(actor=outsider, initiative=idea, coach=None)


def test_the_coach_is_one_of_the_house_staff() -> None:
    idea, staff = make_idea(), staff_user()
    with pytest.raises(ValidationError):
        initiative_assign_coach(actor=staff, initiative=idea, coach=make_user())
    coach = house_member()
    initiative_assign_coach(actor=staff, initiative=idea, coach=coach)
    idea.refresh_from_db()
    assert idea.coach == coach
    entry = AuditEntry.objects.get(action="initiative.coach")
    assert entry.data == {"from": None, "to": coach.pk}


def test_a_note_is_kept_with_its_author_and_audited() -> None:
    idea, staff = make_idea(), staff_user()
    with pytest.raises(ValidationError):
        initiative_note_add(actor=staff, initiative=idea, text="   ")
    note = initiative_note_add(actor=staff, initiative=idea, text="Bellen met de wijkraad.")
    assert note.author == staff
    assert AuditEntry.objects.filter(action="initiative.note", target_id=str(idea.pk)).exists()
