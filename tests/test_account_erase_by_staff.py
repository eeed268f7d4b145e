"""An administrator erases an account in the user admin: on the person's request made
to the houses, or a staff account (which cannot erase itself on the account page).
The admin asks first; accounts are erased, never deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from reisgezel.accounts.models import MemberRole, User
from reisgezel.core.models import AuditEntry
from reisgezel.stories.models import Story
from reisgezel.stories.tests.conftest import published
from tests.factories import make_organisation, make_user, member_of

pytestmark = pytest.mark.django_db
CHANGELIST = "/en/admin/accounts/user/"


def _admin(**flags: Any) -> tuple[Client, User]:
    user = make_user(is_staff=True, is_superuser=True, **flags)
    client = Client()
    client.force_login(user)
    return client, user


def _erase(client: Client, *users: User, confirmed: bool) -> Any:
    data = {"action": "erase", "_selected_action": [str(user.pk) for user in users]}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(CHANGELIST, data, follow=confirmed)


def test_the_admin_asks_first_then_erases_what_it_can(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client, administrator = _admin()
    person = make_user(username="marij", email="marij@example.org", display_name="Marij")
    story = published(django_capture_on_commit_callbacks, author=person)
    organisation = make_organisation(name="Koor Wyck")
    sole_admin = member_of(organisation, role=MemberRole.ADMIN)
    member_of(organisation, role=MemberRole.EDITOR)

    asked = _erase(client, person, sole_admin, confirmed=False)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "An erased account cannot be restored" in page
    assert "marij@example.org" in page
    assert "Make another member administrator of Koor Wyck first." in page
    person.refresh_from_db()
    assert person.is_active and person.erased_at is None  # nothing happened yet

    with django_capture_on_commit_callbacks(execute=True):
        done = _erase(client, person, sole_admin, confirmed=True)
    assert done.status_code == 200
    text = done.content.decode()
    assert "1 account erased." in text
    assert "was not erased: Make another member administrator of Koor Wyck first." in text
    person.refresh_from_db()
    sole_admin.refresh_from_db()
    assert person.erased_at is not None and person.email == "" and not person.is_active
    assert sole_admin.erased_at is None and sole_admin.is_active
    assert not Story.objects.filter(pk=story.pk).exists()
    entry = AuditEntry.objects.get(action="account.erase")
    assert entry.actor_id == administrator.pk and entry.target_id == str(person.pk)


def test_staff_accounts_are_erased_by_a_superuser_and_lose_their_rights() -> None:
    client, _administrator = _admin()
    colleague = make_user(username="baliemedewerker", is_staff=True)
    colleague.groups.add(Group.objects.create(name="Baliemedewerkers"))
    _erase(client, colleague, confirmed=True)
    colleague.refresh_from_db()
    assert colleague.erased_at is not None
    assert not colleague.is_staff and not colleague.is_superuser
    assert not colleague.groups.exists()

    # A staff member who may manage accounts, but is no superuser, cannot erase staff.
    manager = make_user(username="beheer", is_staff=True)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user", "delete_user"])
    )
    other_staff = make_user(username="conservator", is_staff=True)
    limited = Client()
    limited.force_login(manager)
    answer = _erase(limited, other_staff, confirmed=True)
    assert "Only a superuser erases a staff account (conservator)." in answer.content.decode()
    other_staff.refresh_from_db()
    assert other_staff.erased_at is None


def test_no_one_erases_their_own_account_here_or_deletes_accounts() -> None:
    client, administrator = _admin()
    answer = _erase(client, administrator, confirmed=True)
    assert "Your own account is erased by another administrator." in answer.content.decode()
    administrator.refresh_from_db()
    assert administrator.erased_at is None
    person = make_user()
    # Deleting is not offered: not as an action, not on the account's own page.
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()
    assert client.get(f"{CHANGELIST}{person.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=person.pk).exists()
