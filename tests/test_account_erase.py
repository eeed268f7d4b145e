"""A person deletes their own account: what must be done first, what goes, what stays."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from reisgezel.accounts.erasure import account_erase, account_erase_blockers
from reisgezel.accounts.models import ApiToken, MemberRole, Membership
from reisgezel.accounts.services import api_token_create
from reisgezel.core.models import AuditEntry
from reisgezel.initiatives.models import Initiative
from reisgezel.initiatives.tests.helpers import make_idea, make_neighbourhood
from reisgezel.neighbourhoods.models import HomeNeighbourhood
from reisgezel.stories.models import Story, StoryReport
from reisgezel.stories.tests.conftest import published
from tests.factories import make_organisation, make_user, member_of

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # tests.factories.make_user's


def test_erasing_empties_the_account_and_ends_its_sessions_everywhere() -> None:
    user = make_user(display_name="Marij", email="marij@example.org", first_name="Marij")
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    page = here.get("/en/accounts/me/delete/")
    assert page.status_code == 200 and "This cannot be undone" in page.content.decode()
    response = here.post("/en/accounts/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/"
    user.refresh_from_db()
    assert (user.username, user.email, user.display_name, user.first_name) == (
        f"erased-{user.pk}",
        "",
        "",
        "",
    )
    assert not user.is_active and not user.has_usable_password()
    for client in (here, elsewhere):
        assert client.get("/en/accounts/me/").status_code == 302  # signed out
    entry = AuditEntry.objects.get(action="account.erase")
    assert entry.actor_id is None and "marij" not in str(entry.__dict__).lower()
    # The address is free again for a new account.
    assert not get_user_model().objects.filter(email__iexact="marij@example.org").exists()


def test_a_wrong_password_or_a_staff_account_is_refused_with_a_message() -> None:
    user = make_user()
    client = Client()
    client.force_login(user)
    wrong = client.post("/en/accounts/me/delete/", {"password": "not-mine"})
    assert wrong.status_code == 400 and "That is not your password" in wrong.content.decode()
    empty = client.post("/en/accounts/me/delete/", {})
    assert empty.status_code == 400 and "Please correct the following" in empty.content.decode()
    staff = make_user(is_staff=True)
    with pytest.raises(ValidationError, match="Staff accounts"):
        account_erase(user=staff, password=PASSWORD)
    user.refresh_from_db()
    staff.refresh_from_db()
    assert user.is_active and staff.is_active


def test_stories_ideas_and_the_home_neighbourhood_go(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_user(email="jo@example.org")
    story = published(django_capture_on_commit_callbacks, author=user)
    other = published(django_capture_on_commit_callbacks)
    StoryReport.objects.create(story=other, reason="other", reporter_email="JO@example.org")
    make_idea(initiator=user)
    kept_idea = make_idea()
    HomeNeighbourhood.objects.create(user=user, neighbourhood=make_neighbourhood())
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=user, password=PASSWORD)
    assert not Story.objects.filter(pk=story.pk).exists()
    assert Story.objects.filter(pk=other.pk).exists()
    assert StoryReport.objects.get(story=other).reporter_email == ""
    assert list(Initiative.objects.all()) == [kept_idea]
    assert not HomeNeighbourhood.objects.filter(user=user).exists()


def test_the_only_administrator_hands_over_first_and_tokens_are_revoked() -> None:
    organisation = make_organisation(name="Koor Wyck")
    admin = member_of(organisation, role=MemberRole.ADMIN)
    member_of(organisation, role=MemberRole.EDITOR)
    token, _key = api_token_create(organisation=organisation, user=admin, name="site")
    assert account_erase_blockers(admin) == [
        "Make another member administrator of Koor Wyck first."
    ]
    with pytest.raises(ValidationError, match="Make another member administrator"):
        account_erase(user=admin, password=PASSWORD)
    member_of(organisation, role=MemberRole.ADMIN)
    account_erase(user=admin, password=PASSWORD)
    assert not Membership.objects.filter(user=admin).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_a_deactivated_fellow_administrator_is_no_hand_over() -> None:
    organisation = make_organisation(name="Harmonie")
    admin = member_of(organisation, role=MemberRole.ADMIN)
    member_of(organisation, role=MemberRole.EDITOR)
    member_of(organisation, role=MemberRole.ADMIN, is_active=False)
    assert account_erase_blockers(admin) == ["Make another member administrator of Harmonie first."]
