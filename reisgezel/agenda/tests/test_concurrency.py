"""Deleting an event while it is submitted (or the other way round), on PostgreSQL: each
write on its own database connection, the second one started while the first holds the
event's row."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import translation

from reisgezel.agenda.models import Event, ModerationState
from reisgezel.agenda.services import event_create, event_delete, event_submit
from reisgezel.core.models import Term, TermKind
from tests.factories import OrganisationFactory, event_input, member_of

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

# Long enough for the other connection to reach the locked row and wait for it.
WAIT_FOR_THE_OTHER = 0.5


def in_thread(call: Callable[[], Any]) -> Callable[[], Any]:
    """Start `call` on a connection of its own; the returned function joins it and gives
    its result or the exception it raised."""
    outcome: list[Any] = []

    def worker() -> None:
        translation.activate("en")  # the active language is per thread
        try:
            outcome.append(call())
        except Exception as error:
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()

    def result() -> Any:
        thread.join(timeout=60)
        assert not thread.is_alive(), "the write did not finish"
        return outcome[0]

    return result


def _draft() -> tuple[Any, Event]:
    # A test with real transactions empties the tables after it, the seeded terms too.
    Term.objects.get_or_create(
        kind=TermKind.DISCIPLINE, code="music", defaults={"label": {"nl": "Muziek"}}
    )
    organisation = OrganisationFactory(is_trusted=False)
    author = member_of(organisation)
    return author, event_create(actor=author, organisation=organisation, data=event_input())


def test_a_delete_waits_for_a_submission_and_then_refuses():
    author, event = _draft()
    loaded_by_the_delete_page = Event.objects.get(pk=event.pk)
    with transaction.atomic():
        event_submit(actor=author, event=event)
        delete = in_thread(lambda: event_delete(actor=author, event=loaded_by_the_delete_page))
        time.sleep(WAIT_FOR_THE_OTHER)
    refused = delete()
    assert isinstance(refused, ValidationError), refused
    assert "cannot be deleted" in " ".join(refused.messages)
    assert Event.objects.get(pk=event.pk).moderation == ModerationState.READY


def test_a_submission_waits_for_a_delete_and_then_refuses_with_a_message():
    author, event = _draft()
    loaded_by_the_dashboard = Event.objects.get(pk=event.pk)
    with transaction.atomic():
        event_delete(actor=author, event=event)
        submit = in_thread(lambda: event_submit(actor=author, event=loaded_by_the_dashboard))
        time.sleep(WAIT_FOR_THE_OTHER)
    refused = submit()
    assert isinstance(refused, ValidationError), refused
    assert refused.messages == ["This event was deleted in the meantime."]
    assert not Event.objects.filter(pk=event.pk).exists()
