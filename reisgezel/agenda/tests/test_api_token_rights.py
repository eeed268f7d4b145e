"""An API token acts with the rights of an ordinary member of its organisation, whoever
made it: a staff member, superuser or moderator who makes a token for a partner gives the
partner's program none of their own rights (publishing without validation, setting
accessibility facilities, acting for other organisations, moderating)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from reisgezel.accounts.models import ApiToken, MemberRole
from reisgezel.accounts.services import api_token_create
from reisgezel.accounts.token_actor import TokenActor
from reisgezel.agenda.models import Event, ModerationState
from reisgezel.agenda.services import (
    event_approve,
    event_create,
    event_set_status,
    event_submit,
)
from reisgezel.agenda.tests.test_api import payload
from reisgezel.core.models import AuditEntry
from tests.factories import (
    event_input,
    make_organisation,
    make_user,
    member_of,
    moderator,
    published_event,
)

pytestmark = pytest.mark.django_db


def staff_token(**org_kwargs: Any) -> tuple[Any, Any, ApiToken, Client]:
    """A token that a staff member (superuser and moderator too, no member) made for an
    organisation: staff may make tokens for any organisation on the partner pages."""
    org = make_organisation(**org_kwargs)
    staff = make_user(is_staff=True, is_superuser=True, is_moderator=True)
    token, key = api_token_create(organisation=org, user=staff, name="partner website")
    client = Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})
    return org, staff, token, client


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(
        f"/api/partner{path}", data=data, content_type="application/json"
    )


def test_a_staff_members_token_submits_for_validation_instead_of_publishing() -> None:
    _org, _staff, _token, client = staff_token()
    response = send(client, "post", "/events", payload(submit=True))
    assert response.status_code == 201, response.content
    assert response.json()["moderation"] == ModerationState.READY
    draft = send(client, "post", "/events", payload()).json()
    assert send(client, "post", f"/events/{draft['id']}/submit").json()["moderation"] == "ready"


def test_a_staff_members_token_may_not_set_accessibility_facilities() -> None:
    _org, _staff, _token, client = staff_token()
    response = send(client, "post", "/events", payload(facilities=["wheelchair-accessible"]))
    assert response.status_code == 403 and "facilities" in response.json()["detail"]
    assert not Event.objects.exists()


def test_a_staff_members_token_sends_a_changed_published_event_back_to_validation() -> None:
    org, _staff, _token, client = staff_token()
    event = published_event(organisation=org)
    response = send(client, "put", f"/events/{event.pk}", payload(title={"nl": "Nieuwe titel"}))
    assert response.status_code == 200, response.content
    assert response.json()["moderation"] == ModerationState.READY


def test_a_token_of_a_trusted_organisation_publishes_as_its_members_do() -> None:
    _org, _staff, _token, client = staff_token(is_trusted=True)
    body = payload(submit=True, facilities=["wheelchair-accessible"])
    response = send(client, "post", "/events", body)
    assert response.status_code == 201, response.content
    assert response.json()["moderation"] == ModerationState.APPROVED


def test_a_token_acts_for_its_own_organisation_only_and_never_moderates() -> None:
    org, _staff, token, _client = staff_token()
    actor = TokenActor(token)
    others_event = published_event(organisation=make_organisation())
    with pytest.raises(PermissionDenied):
        event_set_status(actor=actor, event=others_event, status="cancelled", reason={"nl": "Weg"})
    own = event_submit(actor=member_of(org), event=_draft(org))
    with pytest.raises(PermissionDenied):
        event_approve(actor=actor, event=own)
    own.refresh_from_db()
    assert own.moderation == ModerationState.READY


def test_the_audit_log_names_the_maker_and_the_token() -> None:
    _org, staff, token, client = staff_token()
    created = send(client, "post", "/events", payload(submit=True)).json()
    entry = AuditEntry.objects.get(action="event.create", target_id=str(created["id"]))
    assert entry.actor == staff and entry.data == {"api_token": token.pk}
    event = Event.objects.get(pk=created["id"])
    assert event.moderation_log.get().actor == staff


def test_a_members_token_keeps_what_an_ordinary_member_may() -> None:
    org = make_organisation()
    admin = member_of(org, role=MemberRole.ADMIN)
    token, _key = api_token_create(organisation=org, user=admin, name="site")
    event = _draft(org)
    cancelled = event_set_status(
        actor=TokenActor(token), event=event, status="cancelled", reason={"nl": "Ziek"}
    )
    assert cancelled.status == "cancelled"
    with pytest.raises(PermissionDenied):
        event_approve(actor=TokenActor(token), event=event_submit(actor=admin, event=event))


def test_the_maker_keeps_their_own_rights_in_person() -> None:
    org, staff, _token, _client = staff_token()
    event = event_submit(actor=member_of(org), event=_draft(org))
    assert event_approve(actor=staff, event=event).moderation == ModerationState.APPROVED
    assert event_approve(actor=moderator(), event=_submitted(org)).moderation == "approved"


def _draft(org: Any) -> Event:
    return event_create(actor=member_of(org), organisation=org, data=event_input())


def _submitted(org: Any) -> Event:
    return event_submit(actor=member_of(org), event=_draft(org))
