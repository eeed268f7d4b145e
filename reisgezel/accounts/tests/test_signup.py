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


def test_sign_ups_are_limited_per_address_and_per_ip_address(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    for _ in range(3):
        assert sign_up(client, django_capture_on_commit_callbacks).status_code == 302
    # Three mails to one address in an hour; the fourth request is refused, no mail.
    refused = sign_up(client, django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert "too often" in refused.content.decode()
    assert len(mail.outbox) == 3
    # Other addresses from the same IP address: up to ten requests in all.
    for n in range(6):
        response = sign_up(client, django_capture_on_commit_callbacks, email=f"p{n}@example.org")
        assert response.status_code == 302
    assert (
        sign_up(client, django_capture_on_commit_callbacks, email="q@example.org").status_code
        == 429
    )
    # Another IP address may still sign up.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert (
        sign_up(other, django_capture_on_commit_callbacks, email="r@example.org").status_code == 302
    )
    assert get_user_model().objects.count() == 8


def test_password_reset_mails_are_limited_per_address() -> None:
    make_user(email="anna@example.org")
    answers = [
        Client(REMOTE_ADDR=f"10.0.0.{n}")
        .post("/en/accounts/password/reset/", {"email": "anna@example.org"})
        .status_code
        for n in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy: the header is the client's own words
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the proxy's entry, not the client's
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "", "127.0.0.1"),
    ],
)
def test_the_client_address_behind_proxies(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    from django.test import RequestFactory

    from reisgezel.core.rate_limits import client_ip

    settings.FORWARDED_FOR_PROXIES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == expected


def test_a_refused_password_does_not_count_toward_the_limit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    for _ in range(5):
        assert (
            sign_up(client, django_capture_on_commit_callbacks, password="123").status_code == 400
        )
    assert sign_up(client, django_capture_on_commit_callbacks).status_code == 302
    assert len(mail.outbox) == 1


def test_the_database_keeps_one_account_per_address_whatever_its_case() -> None:
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    make_user(email="Anna@Example.org")
    make_user(email="")  # accounts without an address are not limited
    make_user(email="")
    twin = get_user_model()(username="anna2", email="anna@example.ORG")
    with pytest.raises(ValidationError, match="Another account has this e-mail address"):
        twin.full_clean()  # what the admin's forms run
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_two_sign_ups_of_one_address_at_once_make_one_account(monkeypatch: Any) -> None:
    from reisgezel.accounts.signup import signup_request

    # The second request did not see the first's row yet (it was not committed): the
    # constraint refuses the second account, and the request answers as for an address
    # that has one.
    make_user(email="marij@example.org", username="first")
    user_model = get_user_model()
    manager = user_model._default_manager
    original = manager.filter

    def blind_filter(*args: Any, **kwargs: Any) -> Any:
        if "email__iexact" in kwargs:
            return original(pk=-1)
        return original(*args, **kwargs)

    monkeypatch.setattr(manager, "filter", blind_filter)
    assert signup_request(**FORM) is None
    monkeypatch.undo()
    assert user_model.objects.filter(email__iexact="marij@example.org").count() == 1


def test_signing_up_again_before_confirming_sets_the_new_password_and_name(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Someone else signed up with Marij's address first (they chose the password). Marij
    # signs up herself and follows the link she gets: the account must have her
    # password, not the stranger's, or the stranger could sign in to her account.
    sign_up(
        Client(),
        django_capture_on_commit_callbacks,
        display_name="Stranger",
        password="Vreemde-sleutel-66",
    )
    sign_up(Client(REMOTE_ADDR="10.9.9.9"), django_capture_on_commit_callbacks)
    assert get_user_model().objects.filter(email__iexact=FORM["email"]).count() == 1
    # The stranger's link (the first mail) no longer works; Marij's (the last) does.
    assert Client().post(link_in(mail.outbox[0])).status_code == 400
    assert Client().post(link_in(mail.outbox[-1])).status_code == 302
    user = get_user_model().objects.get(email__iexact=FORM["email"])
    assert user.is_active and user.display_name == "Marij"
    assert user.check_password(FORM["password"])
    assert not user.check_password("Vreemde-sleutel-66")


def test_an_old_password_reset_link_does_not_reactivate_a_deactivated_account() -> None:
    # A reset link mailed while the account was active, followed after an administrator
    # deactivated it: the sign-up confirmation page must not accept it.
    user = make_user(email="anna@example.org")
    Client().post("/en/accounts/password/reset/", {"email": "anna@example.org"})
    reset_link = link_in(mail.outbox[0])
    user.is_active = False
    user.save(update_fields=["is_active"])
    uidb64, token = reset_link.rstrip("/").split("/")[-2:]
    response = Client().post(f"/en/accounts/signup/confirm/{uidb64}/{token}/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_the_mails_to_one_address_count_together_whatever_asked_for_them(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_user(email="anna@example.org")
    codes = [
        Client(REMOTE_ADDR="10.0.0.1")
        .post("/en/accounts/password/reset/", {"email": "anna@example.org"})
        .status_code
        for _ in range(2)
    ]
    signed_up = sign_up(
        Client(REMOTE_ADDR="10.0.0.2"), django_capture_on_commit_callbacks, email="anna@example.org"
    )
    refused = sign_up(
        Client(REMOTE_ADDR="10.0.0.3"), django_capture_on_commit_callbacks, email="anna@example.org"
    )
    assert codes == [302, 302] and signed_up.status_code == 302
    assert refused.status_code == 429
    assert len(mail.outbox) == 3


def test_an_ipv6_network_counts_as_one_address(django_capture_on_commit_callbacks: Any) -> None:
    answers = [
        sign_up(
            Client(REMOTE_ADDR=f"2001:db8:1:2::{n:x}"),
            django_capture_on_commit_callbacks,
            email=f"p{n}@example.org",
        ).status_code
        for n in range(11)
    ]
    assert answers == [302] * 10 + [429]
    other_network = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert (
        sign_up(
            other_network, django_capture_on_commit_callbacks, email="q@example.org"
        ).status_code
        == 302
    )
