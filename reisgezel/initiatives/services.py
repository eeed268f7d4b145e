"""Writes and rules of initiatives: submission, triage (coach, state) and staff notes.

Every write records an audit entry; a state change is kept for the initiator and
e-mails them after the transaction commits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.initiatives.models import (
    HelpKind,
    Initiative,
    InitiativeNote,
    InitiativeState,
    InitiativeStateChange,
)
from reisgezel.initiatives.permissions import coach_candidates, is_house_staff
from reisgezel.initiatives.tasks import send_initiative_state_email
from reisgezel.places.models import Neighbourhood

S = InitiativeState
# The only allowed moves. Realised and declined are final: a declined idea that comes
# back is a new idea, with its own history.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.IN_CONVERSATION, S.DECLINED}),
    S.IN_CONVERSATION: frozenset({S.SUPPORTED, S.DECLINED}),
    S.SUPPORTED: frozenset({S.REALISED, S.DECLINED}),
    S.REALISED: frozenset(),
    S.DECLINED: frozenset(),
}


RESUBMIT_WINDOW = timedelta(minutes=10)


def allowed_next_states(state: str) -> list[str]:
    return [s for s in InitiativeState.values if s in TRANSITIONS.get(state, frozenset())]


def _require_staff(actor: Any) -> None:
    if not is_house_staff(actor):
        raise PermissionDenied(_("Only staff of the houses can do this."))


@transaction.atomic
def initiative_submit(
    *,
    actor: Any,
    title: str,
    description: str,
    help_needed: list[str],
    neighbourhood: Neighbourhood | None = None,
) -> Initiative:
    """A logged-in resident submits an idea; it starts as new, with its first history line."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Log in to share an idea."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give your idea a short title.")]
    if not description.strip():
        errors["description"] = [_("Describe your idea in a few sentences.")]
    unknown = set(help_needed) - set(HelpKind.values)
    if unknown:
        errors["help_needed"] = [_("Choose the help you need from the list.")]
    if errors:
        raise ValidationError(errors)
    # A second click on "Send" (or a resent form) gives the idea just sent, not a copy:
    # the resident's row is locked, so two requests at once see each other's idea.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    just_sent = Initiative.objects.filter(
        initiator=actor,
        title=title.strip(),
        description=description.strip(),
        created_at__gte=timezone.now() - RESUBMIT_WINDOW,
    ).first()
    if just_sent is not None:
        return just_sent
    initiative = Initiative.objects.create(
        title=title.strip(),
        description=description.strip(),
        neighbourhood=neighbourhood,
        initiator=actor,
        **{f"needs_{kind}": kind in help_needed for kind in HelpKind.values},
    )
    InitiativeStateChange.objects.create(
        initiative=initiative, from_state="", to_state=S.NEW, actor=actor
    )
    audit_record(actor=actor, action="initiative.submit", target=initiative)
    return initiative


@transaction.atomic
def initiative_change_state(
    *, actor: Any, initiative: Initiative, to_state: str, reason: str = ""
) -> InitiativeStateChange:
    """Move an initiative to another state; only the moves in TRANSITIONS are allowed and
    declining needs a reason (shown to the initiator). Locks the row so that two staff
    members deciding at once cannot both move it from the same state."""
    _require_staff(actor)
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    reason = reason.strip()
    if to_state not in TRANSITIONS.get(locked.state, frozenset()):
        raise ValidationError(
            {
                "to_state": [
                    _("An idea that is “%(from)s” cannot become “%(to)s”.")
                    % {
                        "from": InitiativeState(locked.state).label,
                        "to": InitiativeState(to_state).label
                        if to_state in InitiativeState.values
                        else to_state,
                    }
                ]
            }
        )
    if to_state == S.DECLINED and not reason:
        raise ValidationError({"reason": [_("Tell the initiator why the idea is declined.")]})
    from_state = locked.state
    locked.state = to_state
    if to_state == S.DECLINED:
        locked.decline_reason = reason
    locked.save(update_fields=["state", "decline_reason", "updated_at"])
    change = InitiativeStateChange.objects.create(
        initiative=locked, from_state=from_state, to_state=to_state, reason=reason, actor=actor
    )
    audit_record(
        actor=actor,
        action="initiative.state",
        target=locked,
        message=reason,
        data={"from": from_state, "to": to_state},
    )
    change_id = change.pk
    transaction.on_commit(lambda: send_initiative_state_email.enqueue(change_id=change_id))
    initiative.state = locked.state
    initiative.decline_reason = locked.decline_reason
    return change


@transaction.atomic
def initiative_assign_coach(*, actor: Any, initiative: Initiative, coach: Any | None) -> None:
    """Assign (or, with None, remove) the coach: one of the house staff."""
    _require_staff(actor)
    if coach is not None and not coach_candidates().filter(pk=coach.pk).exists():
        raise ValidationError({"coach": [_("A coach must be one of the staff of the houses.")]})
    previous = initiative.coach_id
    Initiative.objects.filter(pk=initiative.pk).update(coach=coach)
    initiative.coach = coach
    audit_record(
        actor=actor,
        action="initiative.coach",
        target=initiative,
        data={"from": previous, "to": coach.pk if coach is not None else None},
    )


@transaction.atomic
def initiative_note_add(*, actor: Any, initiative: Initiative, text: str) -> InitiativeNote:
    """A note for staff only; the initiator never sees it."""
    _require_staff(actor)
    if not text.strip():
        raise ValidationError({"text": [_("The note is empty.")]})
    note = InitiativeNote.objects.create(initiative=initiative, author=actor, text=text.strip())
    audit_record(actor=actor, action="initiative.note", target=initiative, data={"note": note.pk})
    return note
