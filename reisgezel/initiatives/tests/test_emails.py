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


def test_the_mail_greets_by_the_name_chosen_on_your_account(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    # The login name, a first name from the admin, and the name chosen at /accounts/me/:
    # the mail greets by the last, the name others see.
    initiator = make_user(
        username="ines-1987",
        first_name="Ines",
        display_name="Ines van de Boschstraat",
        email="ines@example.org",
        preferred_language="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        initiative_change_state(
            actor=staff_user(), initiative=make_idea(initiator), to_state=S.IN_CONVERSATION
        )
    (message,) = smtp_server.to("ines@example.org")
    assert smtp_server.body(message).startswith("Hello Ines van de Boschstraat,")
    without_first_name = make_user(
        username="jan-2001", display_name="Jan", email="jan@example.org", preferred_language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        initiative_change_state(
            actor=staff_user(),
            initiative=make_idea(without_first_name),
            to_state=S.DECLINED,
            reason="Geen ruimte.",
        )
    (message,) = smtp_server.to("jan@example.org")
    assert smtp_server.body(message).startswith("Hello Jan,")
