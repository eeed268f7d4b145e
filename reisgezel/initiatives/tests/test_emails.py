"""The initiator's e-mail arrives at a real SMTP server after commit, at each state
change, in their preferred language (checked on the language prefix of the link, which
holds before and after the strings are translated), and never carries a staff note."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from reisgezel.initiatives.models import InitiativeState
from reisgezel.initiatives.services import initiative_change_state, initiative_note_add
from reisgezel.initiatives.tests.helpers import make_idea, staff_user
from tests.factories import make_user
from tests.smtp import ReceivedMail

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[Any]]
S = InitiativeState


@pytest.mark.parametrize("language", ["nl", "en", "de", "fr"])
def test_each_state_change_mails_the_initiator_in_their_language(
    language: str, smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    initiator = make_user(email="ines@example.org", preferred_language=language)
    idea, staff = make_idea(initiator, title="Wijkfestival"), staff_user()
    with django_capture_on_commit_callbacks(execute=True):
        initiative_note_add(actor=staff, initiative=idea, text="Interne notitie XYZ")
        initiative_change_state(actor=staff, initiative=idea, to_state=S.IN_CONVERSATION)
        assert smtp_server.messages == []  # nothing leaves before the commit
    with django_capture_on_commit_callbacks(execute=True):
        initiative_change_state(
            actor=staff, initiative=idea, to_state=S.DECLINED, reason="Geen ruimte vrij."
        )
    messages = smtp_server.to("ines@example.org")
    assert len(messages) == 2
    assert all("Wijkfestival" in str(m["Subject"]) for m in messages)
    bodies = [smtp_server.body(m) for m in messages]
    assert all(f"/{language}/ideas/mine/{idea.pk}/" in body for body in bodies)
    assert "Geen ruimte vrij." in bodies[1]
    assert not any("Interne notitie" in body for body in bodies)


def test_submitting_and_notes_send_no_mail(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea()
        initiative_note_add(actor=staff_user(), initiative=idea, text="Alleen voor ons")
    assert smtp_server.messages == []
