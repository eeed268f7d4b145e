"""A person's own account page: name, language of the mails, password; the header's link."""

from __future__ import annotations

import pytest
from django.test import Client

from reisgezel.core.models import AuditEntry
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def signed_in(**user_fields: str) -> tuple[Client, object]:
    user = make_user(display_name="Marij", email="marij@example.org", **user_fields)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_header_offers_sign_in_or_the_account() -> None:
    anonymous = Client().get("/nl/stories/").content.decode()
    assert 'href="/nl/accounts/login/?next=/nl/stories/"' in anonymous
    client, _user = signed_in()
    page = client.get("/en/stories/").content.decode()
    assert 'href="/en/accounts/me/">Your account</a>' in page
    assert "/accounts/login/" not in page


def test_a_person_changes_their_name_and_the_language_of_their_mails() -> None:
    client, user = signed_in()
    page = client.get("/en/accounts/me/")
    assert page.status_code == 200
    assert "marij@example.org" in page.content.decode()
    saved = client.post(
        "/en/accounts/me/", {"display_name": "  Marij   Cremers ", "preferred_language": "de"}
    )
    assert saved.status_code == 302
    user.refresh_from_db()  # type: ignore[attr-defined]
    assert (user.display_name, user.preferred_language) == ("Marij Cremers", "de")  # type: ignore[attr-defined]
    entry = AuditEntry.objects.get(action="account.update")
    assert entry.data == {"fields": ["display_name", "preferred_language"]}
    # Saving the same again changes and audits nothing.
    client.post("/en/accounts/me/", {"display_name": "Marij Cremers", "preferred_language": "de"})
    assert AuditEntry.objects.filter(action="account.update").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"display_name": "   ", "preferred_language": "nl"},
        {"display_name": "Marij", "preferred_language": "xx"},
        {"display_name": "M" * 121, "preferred_language": "nl"},
        {},
    ],
)
def test_bad_account_details_are_refused_with_a_message(data: dict[str, str]) -> None:
    client, user = signed_in()
    response = client.post("/en/accounts/me/", data)
    assert response.status_code == 400
    assert "Please correct the following" in response.content.decode()
    user.refresh_from_db()  # type: ignore[attr-defined]
    assert user.display_name == "Marij"  # type: ignore[attr-defined]


def test_the_account_page_asks_to_sign_in_first() -> None:
    response = Client().get("/en/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/en/accounts/me/")


def test_a_person_changes_their_password_with_the_old_one() -> None:
    client, user = signed_in(password="Oud-wachtwoord-1")
    wrong = client.post(
        "/en/accounts/me/password/",
        {
            "old_password": "not-it",
            "new_password1": "Nieuw-wachtwoord-2",
            "new_password2": "Nieuw-wachtwoord-2",
        },
    )
    assert wrong.status_code == 200 and "Please correct the following" in wrong.content.decode()
    changed = client.post(
        "/en/accounts/me/password/",
        {
            "old_password": "Oud-wachtwoord-1",
            "new_password1": "Nieuw-wachtwoord-2",
            "new_password2": "Nieuw-wachtwoord-2",
        },
    )
    assert changed.status_code == 302 and changed["Location"] == "/en/accounts/me/password/done/"
    user.refresh_from_db()  # type: ignore[attr-defined]
    assert user.check_password("Nieuw-wachtwoord-2")  # type: ignore[attr-defined]
    # Still signed in on this device (Django keeps the session of the one who changed it).
    assert client.get("/en/accounts/me/").status_code == 200
