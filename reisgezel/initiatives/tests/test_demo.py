"""load_initiatives_demo: profiles on the demo groups, initiatives in several states,
and a second run that changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from reisgezel.accounts.models import Organisation
from reisgezel.core.models import AuditEntry
from reisgezel.initiatives.models import Initiative, InitiativeNote, InitiativeState
from reisgezel.initiatives.tests.helpers import make_neighbourhood
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_needs_the_agenda_demo_first() -> None:
    with pytest.raises(CommandError, match="load_demo_data"):
        call_command("load_initiatives_demo")


def test_the_demo_loads_profiles_and_initiatives_and_is_idempotent() -> None:
    make_user(username="admin", is_staff=True)
    make_neighbourhood("Malberg", "BU1")
    make_organisation(name="Buurtkoor Malberg", slug="buurtkoor-malberg")
    call_command("load_initiatives_demo", stdout=io.StringIO())
    choir = Organisation.objects.get(name="Buurtkoor Malberg")
    assert choir.open_for_members and choir.wants_volunteers
    assert [b.name for b in choir.active_in.all()] == ["Malberg"]
    states = set(Initiative.objects.values_list("state", flat=True))
    assert states == set(InitiativeState.values)
    declined = Initiative.objects.get(state=InitiativeState.DECLINED)
    assert declined.decline_reason
    counts = (Initiative.objects.count(), InitiativeNote.objects.count())
    audit = AuditEntry.objects.filter(action__startswith="initiative.").count()

    call_command("load_initiatives_demo", stdout=io.StringIO())
    assert (Initiative.objects.count(), InitiativeNote.objects.count()) == counts
    assert AuditEntry.objects.filter(action__startswith="initiative.").count() == audit
