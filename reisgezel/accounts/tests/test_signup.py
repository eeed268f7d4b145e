"""Residents make their own account: sign up, confirm by e-mail, sign in; and a forgotten
password. Nobody learns from these pages which addresses have an account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from reisgezel.core.models import AuditEntry
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FORM = {"display_name": "Marij", "email": "Marij@Example.org", "password": "Maasboulevard-1923"}


def link_in(message: Any) -> str:
    found = re.search(r"https?://[^\s]+", str(message.body))
    assert found, message.body
    return re.sub(r"^https?://[^/]+", "", found.group(0))


def sign_up(client: Client, capture: Any, **changes: str) -> Any:
    with capture(execute=True):
        return client.post("/en/accounts/signup/", {**FORM, **changes})


def test_signing_up_confirming_and_signing_in(django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/en/accounts/signup/sent/"
    user = get_user_model().objects.get(email="marij@example.org")
    assert not user.is_active and user.display_name == "Marij"
    assert user.preferred_language == "en"
    assert [m.to for m in mail.outbox] == [["marij@example.org"]]
    link = link_in(mail.outbox[0])
    # Following the link shows a button (a mail scanner changes nothing) ...
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    # ... the button activates the account and signs the person in.
    confirmed = client.post(link)
    assert confirmed.status_code == 302 and confirmed["Location"] == "/en/accounts/welcome/"
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/en/learn/family/").status_code == 200
    assert AuditEntry.objects.filter(action="account.confirm").count() == 1
    # The link works once: after the first sign-in it is spent.
    assert Client().post(link).status_code == 400
    # And the password works on the sign-in page.
    fresh = Client()
    signed_in = fresh.post(
        "/en/accounts/login/", {"username": user.username, "password": FORM["password"]}
    )
    assert signed_in.status_code == 302


def test_an_address_with_an_account_gets_no_second_one_and_the_page_says_the_same(
    django_capture_on_commit_callbacks: Any,
) -> None:
    existing = make_user(email="marij@example.org")
    response = sign_up(Client(), django_capture_on_commit_callbacks, email="MARIJ@example.org")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/signup/sent/"
    assert get_user_model().objects.filter(email__iexact="marij@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [[existing.email]]
    assert "/en/accounts/password/reset/" in str(mail.outbox[0].body)


def test_a_weak_password_or_no_name_is_refused_with_messages(
    django_capture_on_commit_callbacks: Any,
) -> None:
    weak = sign_up(Client(), django_capture_on_commit_callbacks, password="12345678")
    assert weak.status_code == 400
    assert 'href="#id_password"' in weak.content.decode()
    nameless = sign_up(Client(), django_capture_on_commit_callbacks, display_name="   ")
    assert nameless.status_code == 400
    bad_address = sign_up(Client(), django_capture_on_commit_callbacks, email="marij@")
    assert bad_address.status_code == 400
    assert not get_user_model().objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "link",
    [
        "/en/accounts/signup/confirm/MQ/nonsense/",
        "/en/accounts/signup/confirm/%C2%B2/x-y/",
        "/en/accounts/signup/confirm/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",
    ],
)
def test_a_broken_link_is_refused_with_a_message(link: str) -> None:
    response = Client().post(link)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_a_forgotten_password_is_reset_by_e_mail_without_telling_who_has_an_account() -> None:
    user = make_user(email="anna@example.org", password="Oud-wachtwoord-1")
    client = Client()
    unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    known = client.post("/en/accounts/password/reset/", {"email": "anna@example.org"})
    assert unknown["Location"] == known["Location"] == "/en/accounts/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert 'name="new_password1"' in form_page.content.decode()
    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nieuw-wachtwoord-2", "new_password2": "Nieuw-wachtwoord-2"},
    )
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nieuw-wachtwoord-2")


def test_the_sign_in_page_links_to_signing_up_and_a_forgotten_password() -> None:
    page = Client().get("/nl/accounts/login/").content.decode()
    assert 'href="/nl/accounts/signup/"' in page
    assert 'href="/nl/accounts/password/reset/"' in page
