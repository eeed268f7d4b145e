"""A person changes the e-mail address of their account: confirmed by the new address,
told to the old one, which can undo it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from reisgezel.core.models import AuditEntry
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def link_in(message: Any) -> str:
    found = re.search(r"https?://[^\s]+", str(message.body))
    assert found, message.body
    return re.sub(r"^https?://[^/]+", "", found.group(0))


def ask(client: Client, capture: Any, new_email: str, password: str = PASSWORD) -> Any:
    with capture(execute=True):
        return client.post("/en/accounts/me/email/", {"new_email": new_email, "password": password})


def signed_in() -> tuple[Client, Any]:
    user = make_user(email="marij@example.org", display_name="Marij", preferred_language="en")
    client = Client()
    client.force_login(user)
    return client, user


def test_the_new_address_counts_once_confirmed_and_the_old_one_is_told(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client, user = signed_in()
    sent = ask(client, django_capture_on_commit_callbacks, "Marij.Cremers@Example.org")
    assert sent.status_code == 200 and "sent a link to the new address" in sent.content.decode()
    user.refresh_from_db()
    assert user.email == "marij@example.org"  # not before the link is followed
    assert [m.to for m in mail.outbox] == [["marij.cremers@example.org"]]
    link = link_in(mail.outbox[0])
    assert client.get(link).status_code == 200  # a button; nothing changes yet
    user.refresh_from_db()
    assert user.email == "marij@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    user.refresh_from_db()
    assert user.email == "marij.cremers@example.org"
    assert mail.outbox[1].to == ["marij@example.org"]  # the old address hears of it
    assert AuditEntry.objects.filter(action="account.email_change").count() == 1
    # The link is spent: the account's address is no longer the one it was made for.
    assert client.post(link).status_code == 400


def test_the_old_address_undoes_the_change_and_gets_the_account_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client, user = signed_in()
    ask(client, django_capture_on_commit_callbacks, "thief@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[0]))
    undo = link_in(mail.outbox[1])
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(undo)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "marij@example.org" and not user.has_usable_password()
    assert client.get("/en/accounts/me/").status_code == 302  # the session ended
    # A link to choose a new password went to the old address, and it works.
    assert mail.outbox[-1].to == ["marij@example.org"]
    choose = Client().get(link_in(mail.outbox[-1]), follow=True)
    assert 'name="new_password1"' in choose.content.decode()
    assert Client().post(undo).status_code == 400  # spent


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_email": "new@example.org", "password": "wrong"}, "That is not your password"),
        ({"new_email": "MARIJ@example.org", "password": PASSWORD}, "the address your account"),
        ({"new_email": "new@", "password": PASSWORD}, "valid email"),
        ({}, "Please correct the following"),
    ],
)
def test_bad_requests_are_refused_with_a_message(
    django_capture_on_commit_callbacks: Any, data: dict[str, str], message: str
) -> None:
    client, _user = signed_in()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/me/email/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert mail.outbox == []


def test_an_address_of_another_account_is_refused_only_at_the_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_user(email="taken@example.org")
    client, user = signed_in()
    sent = ask(client, django_capture_on_commit_callbacks, "taken@example.org")
    assert sent.status_code == 200  # the asker learns nothing about other accounts
    response = client.post(link_in(mail.outbox[0]))
    assert response.status_code == 400
    assert "Another account has this e-mail address" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "marij@example.org"


@pytest.mark.parametrize("token", ["nonsense", "a:b:c", "%C2%B2"])
def test_broken_links_are_refused_with_a_message(token: str) -> None:
    for kind in ("confirm", "undo"):
        response = Client().post(f"/en/accounts/email/{kind}/{token}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()


def test_after_an_undo_the_person_can_still_ask_for_a_new_password_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # The undo clears the password and mails a link; if that link is lost or expires,
    # "Forgot your password" must still reach the account (Django's form skips accounts
    # without a usable password), or the person is locked out for good.
    client, _user = signed_in()
    ask(client, django_capture_on_commit_callbacks, "thief@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(link_in(mail.outbox[1]))
    mail.outbox.clear()
    response = Client().post("/en/accounts/password/reset/", {"email": "marij@example.org"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["marij@example.org"]]


def test_an_undo_voids_the_links_asked_for_before_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Whoever had the session and the password asked for two changes; the owner undid
    # the one confirmed. The other link, still unused, must not change the address now.
    client, user = signed_in()
    ask(client, django_capture_on_commit_callbacks, "thief2@example.org")
    spare = link_in(mail.outbox[0])
    ask(client, django_capture_on_commit_callbacks, "thief@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[1]))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(link_in(mail.outbox[2]))
    user.refresh_from_db()
    assert user.email == "marij@example.org"
    assert Client().post(spare).status_code == 400
    user.refresh_from_db()
    assert user.email == "marij@example.org"
