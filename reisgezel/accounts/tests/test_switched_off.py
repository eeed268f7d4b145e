"""An inactive account is either a sign-up awaiting its confirmation or an account staff
switched off (or erased). Only the first is activated by its link; a new sign-up of the
address switches nothing on, and says no more than for any existing address."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils.timezone import localtime

from reisgezel.accounts.erasure import account_erase
from reisgezel.accounts.signup import confirm_link_parts
from reisgezel.core.models import AuditEntry
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.make_user's
FORM = {"display_name": "Spammer", "email": "anna@example.org", "password": "Maasboulevard-1923"}


def links_in(message: Any) -> list[str]:
    return [
        re.sub(r"^https?://[^/]+", "", link)
        for link in re.findall(r"https?://[^\s]+", str(message.body))
    ]


def sign_up(capture: Any, **changes: str) -> Any:
    with capture(execute=True):
        return Client().post("/en/accounts/signup/", {**FORM, **changes})


def staff_client() -> Client:
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def switch_off_in_admin(staff: Client, user: Any) -> None:
    response = staff.post(
        "/en/admin/accounts/user/",
        {"action": "switch_off", "_selected_action": [str(user.pk)]},
    )
    assert response.status_code == 302


def save_in_admin(staff: Client, user: Any, **changes: Any) -> Any:
    """Post the user's admin change form as it is, with `changes`."""
    url = f"/en/admin/accounts/user/{user.pk}/change/"
    form = staff.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, datetime):  # the admin's split date and time
            local = localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None:
            data[name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return staff.post(url, data)


def assert_still_off(user: Any, password: str) -> None:
    """Inactive, with its own password (not a later sign-up's)."""
    user.refresh_from_db()
    assert not user.is_active and not user.awaiting_confirmation
    assert user.check_password(password)


def test_signing_up_again_does_not_switch_on_an_account_switched_off_before_its_first_sign_in(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Made by staff, switched off before the person ever signed in.
    user = make_user(email="anna@example.org", display_name="Anna")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = sign_up(django_capture_on_commit_callbacks, email="ANNA@example.org")
    # The page says what it says for any address; the mail is the one of any existing
    # account (a link to "forgot your password", which reaches no inactive account).
    assert response.status_code == 302 and response["Location"] == "/en/accounts/signup/sent/"
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject == "You already have a Reisgezel account"
    assert links_in(message) == ["/en/accounts/password/reset/"]
    assert_still_off(user, PASSWORD)
    assert user.display_name == "Anna"


def test_an_unconfirmed_sign_up_switched_off_by_staff_stays_off(
    django_capture_on_commit_callbacks: Any,
) -> None:
    sign_up(django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(email="anna@example.org")
    (first_link,) = links_in(mail.outbox[0])
    staff = staff_client()
    switch_off_in_admin(staff, user)
    assert AuditEntry.objects.filter(action="account.switch_off", target_id=str(user.pk)).exists()
    # The link mailed before no longer activates it ...
    assert Client().post(first_link).status_code == 400
    assert_still_off(user, FORM["password"])
    # ... nor does a new sign-up (the same page; the mail of an existing account, and the
    # password stays the first one).
    mail.outbox.clear()
    response = sign_up(django_capture_on_commit_callbacks, password="Ander-wachtwoord-77")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/signup/sent/"
    (message,) = mail.outbox
    assert links_in(message) == ["/en/accounts/password/reset/"]
    for link in links_in(message):
        Client().post(link, {"email": "anna@example.org"})
    assert_still_off(user, FORM["password"])
    assert len(mail.outbox) == 1  # a reset reaches no inactive account
    # Staff switch it on again in the admin.
    assert save_in_admin(staff, user, is_active=True).status_code == 302
    user.refresh_from_db()
    assert user.is_active and not user.awaiting_confirmation


def test_a_sign_up_awaiting_confirmation_still_takes_the_latest_password(
    django_capture_on_commit_callbacks: Any,
) -> None:
    sign_up(django_capture_on_commit_callbacks, password="Vreemde-sleutel-66")
    sign_up(django_capture_on_commit_callbacks)
    assert mail.outbox[-1].subject == "Confirm your Reisgezel account"
    (link,) = links_in(mail.outbox[-1])
    assert Client().post(link).status_code == 302
    user = get_user_model().objects.get(email="anna@example.org")
    assert user.is_active and not user.awaiting_confirmation
    assert user.check_password(FORM["password"])


def test_an_erased_account_never_comes_back() -> None:
    user = make_user(email="anna@example.org")
    account_erase(user=user, password=PASSWORD)
    user.refresh_from_db()
    # Even a link that matches the emptied account activates nothing.
    uidb64, token = confirm_link_parts(user)
    assert Client().post(f"/en/accounts/signup/confirm/{uidb64}/{token}/").status_code == 400
    user.refresh_from_db()
    assert not user.is_active and user.erased_at is not None
    # The admin shows it, but does not change it ...
    staff = staff_client()
    url = f"/en/admin/accounts/user/{user.pk}/change/"
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"is_active": "on", "username": "back"}).status_code == 403
    user.refresh_from_db()
    assert not user.is_active and user.username == f"erased-{user.pk}"
    # ... and the database refuses it.
    user.is_active = True
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save(update_fields=["is_active"])


@pytest.mark.django_db(transaction=True)
def test_the_migration_tells_waiting_sign_ups_from_switched_off_and_erased_accounts() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0004_user_email_unique")]
    after = [("accounts", "0005_user_awaiting_confirmation_erased_at")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        old_user = apps.get_model("accounts", "User")
        audit_entry = apps.get_model("core", "AuditEntry")

        def account(name: str, **fields: Any) -> Any:
            fields.setdefault("email", f"{name}@example.org")
            return old_user.objects.create(username=name, **fields)

        def audited(user: Any, action: str) -> None:
            audit_entry.objects.create(
                action=action, target_type="accounts.user", target_id=str(user.pk)
            )

        waiting = account("waiting", is_active=False)
        audited(waiting, "account.signup")
        account("made-by-staff", is_active=False)  # switched off, no sign-up
        confirmed = account("confirmed", is_active=True)
        audited(confirmed, "account.signup")
        erased = account("erased", is_active=False, email="")
        audited(erased, "account.signup")
        audited(erased, "account.erase")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        user_model = get_user_model()
        states = {
            user.username: (user.awaiting_confirmation, user.erased_at is not None)
            for user in user_model.objects.all()
        }
        assert states == {
            "waiting": (True, False),
            "made-by-staff": (False, False),
            "confirmed": (False, False),
            "erased": (False, True),
        }
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
