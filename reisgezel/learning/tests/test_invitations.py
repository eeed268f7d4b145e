"""Guardian invitations: a second parent or a carer joins a household by an e-mailed link.

Covers the rules of `services.invitations` (invite, accept, revoke, leave), the token
(only its hash is stored), expiry on a controlled clock, the e-mail through a real SMTP
server, the second guardian's powers afterwards, and the pages (404/410, other
households stay hidden).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import Enrolment, Guardian, GuardianInvitation, Participant
from reisgezel.learning.models.invitations import token_hash
from reisgezel.learning.services.enrolment import cancel_enrolment, enrol
from reisgezel.learning.services.family import child_add, child_update, participant_export
from reisgezel.learning.services.invitations import (
    INVITATION_DAYS,
    MAX_OPEN_INVITATIONS,
    guardian_accept,
    guardian_invitation_revoke,
    guardian_invite,
    guardian_leave,
)
from tests.factories import make_user
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)
from tests.smtp import ReceivedMail

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]


# --- Helpers ----------------------------------------------------------------------------
def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def invite(household: Any, email: str = "partner@example.org", **kwargs: Any) -> Any:
    actor = household.guardians.first().user
    return guardian_invite(actor=actor, household=household, email=email, **kwargs)


# --- Inviting ---------------------------------------------------------------------------
def test_a_guardian_invites_and_only_the_hash_of_the_token_is_stored() -> None:
    adult = make_adult()
    sent = invite(adult.household, email="  Partner@Example.org ")
    invitation = GuardianInvitation.objects.get()
    assert invitation.email == "partner@example.org"
    assert invitation.token_hash == token_hash(sent.token) != sent.token
    assert invitation.expires_at - invitation.created_at == timedelta(days=INVITATION_DAYS)
    # The raw token appears nowhere in the table.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {GuardianInvitation._meta.db_table}")
        rows = cursor.fetchall()
    assert sent.token not in repr(rows)
    assert AuditEntry.objects.filter(action="learning.guardian_invite").count() == 1


def test_only_a_guardian_of_the_household_invites() -> None:
    adult = make_adult()
    stranger = make_adult()
    with pytest.raises(PermissionDenied):
        guardian_invite(actor=stranger.user, household=adult.household, email="x@example.org")
    assert not GuardianInvitation.objects.exists()


def test_an_address_of_a_guardian_or_with_an_open_invitation_is_refused() -> None:
    adult = make_adult(user=make_user(email="anna@example.org"))
    with pytest.raises(ValidationError) as caught:
        invite(adult.household, email="ANNA@example.org")
    assert "already a guardian" in caught.value.message_dict["email"][0]
    invite(adult.household, email="partner@example.org")
    with pytest.raises(ValidationError) as caught:
        invite(adult.household, email="partner@example.org")
    assert "open invitation" in caught.value.message_dict["email"][0]


def test_the_database_allows_one_open_invitation_per_household_and_address() -> None:
    adult = make_adult()
    assert adult.user is not None
    sent = invite(adult.household)
    with pytest.raises(IntegrityError), transaction.atomic():
        GuardianInvitation.objects.create(
            household=adult.household,
            email="partner@example.org",
            token_hash=token_hash("other"),
            invited_by=adult.user,
            created_at=timezone.now(),
            expires_at=timezone.now() + timedelta(days=1),
        )
    # Once revoked, the address can be invited again.
    guardian_invitation_revoke(actor=adult.user, invitation=sent.invitation)
    invite(adult.household)
    assert GuardianInvitation.objects.count() == 2


def test_at_most_five_open_invitations_per_household() -> None:
    adult = make_adult()
    for number in range(MAX_OPEN_INVITATIONS):
        invite(adult.household, email=f"person{number}@example.org")
    with pytest.raises(ValidationError) as caught:
        invite(adult.household, email="one-more@example.org")
    assert "at most 5" in caught.value.messages[0]


def test_an_invalid_address_is_refused() -> None:
    adult = make_adult()
    with pytest.raises(ValidationError) as caught:
        invite(adult.household, email="not an address")
    assert "email" in caught.value.message_dict


# --- Accepting --------------------------------------------------------------------------
def test_accepting_makes_the_user_a_guardian_and_records_who() -> None:
    adult = make_adult()
    sent = invite(adult.household, email="partner@example.org")
    # The accepting account may use another address than the invited one.
    partner = make_user(email="other-address@example.org")
    guardian = guardian_accept(actor=partner, token=sent.token)
    assert guardian.household == adult.household and guardian.user == partner
    sent.invitation.refresh_from_db()
    assert sent.invitation.accepted_by == partner
    assert sent.invitation.accepted_at is not None
    assert AuditEntry.objects.filter(action="learning.guardian_accept").count() == 1
    # Used once: the link does not work again, not even for someone else.
    with pytest.raises(ValidationError) as caught:
        guardian_accept(actor=make_user(), token=sent.token)
    assert "already been used" in caught.value.messages[0]


def test_accepting_is_idempotent_for_a_user_who_already_is_a_guardian() -> None:
    adult = make_adult()
    sent = invite(adult.household)
    guardian = guardian_accept(actor=adult.user, token=sent.token)
    assert Guardian.objects.filter(household=adult.household).count() == 1
    assert guardian.user == adult.user


def test_accepting_needs_a_login_and_a_known_token() -> None:
    from django.contrib.auth.models import AnonymousUser

    adult = make_adult()
    sent = invite(adult.household)
    with pytest.raises(PermissionDenied):
        guardian_accept(actor=AnonymousUser(), token=sent.token)
    with pytest.raises(ValidationError):
        guardian_accept(actor=make_user(), token=sent.token + "x")
    with pytest.raises(ValidationError):
        guardian_accept(actor=make_user(), token=token_hash(sent.token))  # the hash is no key


def test_an_invitation_expires_after_seven_days_on_a_controlled_clock() -> None:
    adult = make_adult()
    start = timezone.now()
    sent = invite(adult.household, now=start)
    late = start + timedelta(days=INVITATION_DAYS, seconds=1)
    with pytest.raises(ValidationError) as caught:
        guardian_accept(actor=make_user(), token=sent.token, now=late)
    assert "expired" in caught.value.messages[0]
    # Just in time still works.
    just_in_time = start + timedelta(days=INVITATION_DAYS, seconds=-1)
    guardian_accept(actor=make_user(), token=sent.token, now=just_in_time)


def test_an_expired_invitation_makes_room_for_a_new_one() -> None:
    adult = make_adult()
    start = timezone.now() - timedelta(days=30)
    first = invite(adult.household, now=start)
    second = invite(adult.household)  # same address, the first has expired
    first.invitation.refresh_from_db()
    assert first.invitation.revoked_at is not None
    assert second.invitation.pk != first.invitation.pk


# --- Revoking ---------------------------------------------------------------------------
def test_a_revoked_invitation_cannot_be_accepted() -> None:
    adult = make_adult()
    sent = invite(adult.household)
    with pytest.raises(PermissionDenied):
        guardian_invitation_revoke(actor=make_user(), invitation=sent.invitation)
    guardian_invitation_revoke(actor=adult.user, invitation=sent.invitation)
    with pytest.raises(ValidationError) as caught:
        guardian_accept(actor=make_user(), token=sent.token)
    assert "withdrawn" in caught.value.messages[0]
    assert AuditEntry.objects.filter(action="learning.guardian_invitation_revoke").count() == 1


def test_a_used_invitation_cannot_be_revoked() -> None:
    adult = make_adult()
    sent = invite(adult.household)
    guardian_accept(actor=make_user(), token=sent.token)
    sent.invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        guardian_invitation_revoke(actor=adult.user, invitation=sent.invitation)


# --- Leaving ----------------------------------------------------------------------------
def test_the_last_guardian_of_a_household_with_children_cannot_leave() -> None:
    parent = make_user()
    household = make_household(guardian=parent)
    make_child(household=household)
    with pytest.raises(ValidationError) as caught:
        guardian_leave(actor=parent, household=household)
    assert "only guardian" in caught.value.messages[0]
    # With a second guardian, the first may leave.
    carer = make_user()
    guardian_accept(actor=carer, token=invite(household).token)
    guardian_leave(actor=parent, household=household)
    assert list(household.guardians.values_list("user", flat=True)) == [carer.pk]
    assert AuditEntry.objects.filter(action="learning.guardian_leave").count() == 1
    # Now the carer is the last one.
    with pytest.raises(ValidationError):
        guardian_leave(actor=carer, household=household)


def test_a_guardian_whose_own_profile_is_in_the_household_cannot_leave_it() -> None:
    adult = make_adult()
    partner = make_user()
    guardian_accept(actor=partner, token=invite(adult.household).token)
    with pytest.raises(ValidationError) as caught:
        guardian_leave(actor=adult.user, household=adult.household)
    assert "your own family account" in caught.value.messages[0]
    guardian_leave(actor=partner, household=adult.household)
    with pytest.raises(PermissionDenied):
        guardian_leave(actor=partner, household=adult.household)


# --- The e-mail -------------------------------------------------------------------------
def test_the_invitation_mail_arrives_after_commit_in_the_inviters_language(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    inviter = make_user(first_name="Anna", last_name="Smeets", preferred_language="en")
    adult = make_adult(user=inviter)
    with django_capture_on_commit_callbacks(execute=True):
        sent = guardian_invite(
            actor=inviter, household=adult.household, email="partner@example.org"
        )
        assert smtp_server.messages == []  # nothing leaves before the commit
    [message] = smtp_server.to("partner@example.org")
    body = smtp_server.body(message)
    assert adult.household.name in str(message["Subject"])
    assert "Anna Smeets" in body
    link = f"{django_settings.SITE_URL}/en/learn/family/join/{sent.token}/"
    assert link in body
    # The link in the mail opens the accept page.
    response = logged_in(make_user()).get(link.removeprefix(django_settings.SITE_URL))
    assert response.status_code == 200
    assert adult.household.name in response.content.decode()


def test_no_mail_for_an_invitation_revoked_before_the_task_ran(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    adult = make_adult()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = invite(adult.household)
    guardian_invitation_revoke(actor=adult.user, invitation=sent.invitation)
    for callback in callbacks:
        callback()
    assert smtp_server.messages == []


# --- The second guardian at work ----------------------------------------------------------
def test_a_second_guardian_adds_and_changes_a_child_and_enrols_them() -> None:
    adult = make_adult()
    partner = make_user()
    with pytest.raises(PermissionDenied):  # not before accepting
        child_add(
            actor=partner,
            household=adult.household,
            given_name="Tim",
            family_name="Smeets",
            birth_date=timezone.localdate() - timedelta(days=365 * 8),
            consent=True,
        )
    guardian_accept(actor=partner, token=invite(adult.household).token)
    child = child_add(
        actor=partner,
        household=adult.household,
        given_name="Tim",
        family_name="Smeets",
        birth_date=timezone.localdate() - timedelta(days=365 * 8),
        consent=True,
    )
    assert child.consent_by == partner
    child_update(
        actor=partner,
        participant=child,
        given_name="Timo",
        family_name="Smeets",
        birth_date=child.birth_date,
    )
    edition = make_edition(course=make_course(age_min=6, age_max=12))
    enrolment = enrol(actor=partner, edition=edition, participant=child)
    assert isinstance(enrolment, Enrolment)
    assert Participant.objects.get(pk=child.pk).given_name == "Timo"
    # The first guardian's child is theirs too.
    older = make_child(household=adult.household, given_name="Lotte")
    assert isinstance(enrol(actor=partner, edition=edition, participant=older), Enrolment)


def test_a_second_guardian_does_not_act_for_the_other_adult() -> None:
    adult = make_adult()
    partner = make_user()
    guardian_accept(actor=partner, token=invite(adult.household).token)
    edition = make_edition(course=make_course(title="Aquarelleren"))
    own = enrol(actor=adult.user, edition=edition, participant=adult)
    assert isinstance(own, Enrolment)
    # The other adult has a login: they enrol and cancel themselves.
    with pytest.raises(PermissionDenied):
        cancel_enrolment(actor=partner, enrolment=own, reason="")
    with pytest.raises(PermissionDenied):
        enrol(actor=partner, edition=make_edition(), participant=adult)
    with pytest.raises(PermissionDenied):
        participant_export(actor=partner, participant=adult)
    client = logged_in(partner)
    assert client.get(f"/en/learn/enrolments/{own.pk}/cancel/").status_code == 404
    assert client.get(f"/en/learn/journey/{adult.pk}/").status_code == 404
    page = client.get("/en/learn/family/").content.decode()
    assert "manages their own enrolments" in page
    assert "Aquarelleren" not in page
    # The adult themself still sees and cancels it.
    assert "Aquarelleren" in logged_in(adult.user).get("/en/learn/family/").content.decode()


# --- Pages ------------------------------------------------------------------------------
def test_the_family_page_shows_guardians_open_invitations_and_the_invite_form() -> None:
    adult = make_adult(user=make_user(first_name="Anna", last_name="Smeets"))
    invite(adult.household, email="partner@example.org")
    revoked = invite(adult.household, email="gone@example.org")
    guardian_invitation_revoke(actor=adult.user, invitation=revoked.invitation)
    html = logged_in(adult.user).get("/en/learn/family/").content.decode()
    assert "Guardians" in html and "Anna Smeets" in html
    assert "partner@example.org" in html
    assert "gone@example.org" not in html
    assert 'name="email"' in html
    assert reverse("learning:guardian_leave", kwargs={"household_id": adult.household.pk}) in html


def test_inviting_revoking_and_leaving_through_the_pages(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Capture
) -> None:
    adult = make_adult()
    client = logged_in(adult.user)
    url = reverse("learning:guardian_invite", kwargs={"household_id": adult.household.pk})
    response = client.post(url, {"email": "not an address"})
    assert response.status_code == 400
    assert 'href="#id_invite_' in response.content.decode()  # the error summary links
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "partner@example.org"})
    assert response.status_code == 302
    assert len(smtp_server.to("partner@example.org")) == 1
    response = client.post(url, {"email": "partner@example.org"})
    assert response.status_code == 400
    assert "open invitation" in response.content.decode()
    invitation = GuardianInvitation.objects.get()
    revoke = reverse("learning:guardian_invitation_revoke", kwargs={"pk": invitation.pk})
    assert client.get(revoke).status_code == 405  # a button, never a link
    assert client.post(revoke).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # Leaving one's own family account is refused with the reason.
    leave = reverse("learning:guardian_leave", kwargs={"household_id": adult.household.pk})
    assert client.get(leave).status_code == 200
    response = client.post(leave)
    assert response.status_code == 400
    assert "your own family account" in response.content.decode()


def test_the_accept_page_needs_a_login_and_accepts_on_post() -> None:
    adult = make_adult(user=make_user(first_name="Anna", last_name="Smeets"))
    sent = invite(adult.household)
    url = reverse("learning:guardian_join", kwargs={"token": sent.token})
    response = Client().get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    partner = make_user()
    client = logged_in(partner)
    page = client.get(url)
    assert page.status_code == 200
    assert adult.household.name in page.content.decode()
    assert "Anna Smeets" in page.content.decode()
    assert not Guardian.objects.filter(user=partner).exists()  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert Guardian.objects.filter(household=adult.household, user=partner).exists()
    # Used: 410 with a clear page.
    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_unknown_expired_and_revoked_links_answer_404_and_410() -> None:
    adult = make_adult()
    client = logged_in(make_user())
    unknown = reverse("learning:guardian_join", kwargs={"token": "no-such-token"})
    assert client.get(unknown).status_code == 404
    assert client.post(unknown).status_code == 404
    expired = invite(adult.household, now=timezone.now() - timedelta(days=INVITATION_DAYS + 1))
    response = client.post(reverse("learning:guardian_join", kwargs={"token": expired.token}))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    revoked = invite(adult.household, email="other@example.org")
    guardian_invitation_revoke(actor=adult.user, invitation=revoked.invitation)
    response = client.get(reverse("learning:guardian_join", kwargs={"token": revoked.token}))
    assert response.status_code == 410
    assert not Guardian.objects.exclude(user=adult.user).exists()


def test_a_stranger_with_a_token_sees_nothing_else_of_the_household() -> None:
    adult = make_adult()
    child = make_child(household=adult.household, given_name="Lotte")
    other = invite(adult.household, email="second@example.org")
    sent = invite(adult.household)
    stranger = make_adult()
    client = logged_in(stranger.user)
    page = client.get(reverse("learning:guardian_join", kwargs={"token": sent.token}))
    assert page.status_code == 200
    assert "Lotte" not in page.content.decode()
    assert "second@example.org" not in page.content.decode()
    # Holding a link gives no access to the household until it is accepted.
    household_id = adult.household.pk
    assert client.get(f"/en/learn/journey/{child.pk}/").status_code == 404
    assert client.get(f"/en/learn/family/children/{child.pk}/edit/").status_code == 404
    invite_url = reverse("learning:guardian_invite", kwargs={"household_id": household_id})
    assert client.post(invite_url, {"email": "x@example.org"}).status_code == 404
    revoke = reverse("learning:guardian_invitation_revoke", kwargs={"pk": other.invitation.pk})
    assert client.post(revoke).status_code == 404
    other.invitation.refresh_from_db()
    assert other.invitation.revoked_at is None
    leave = reverse("learning:guardian_leave", kwargs={"household_id": household_id})
    assert client.post(leave).status_code == 404
    assert "Lotte" not in client.get("/en/learn/family/").content.decode()


def test_a_second_guardian_leaves_through_the_page_and_loses_access() -> None:
    adult = make_adult()
    child = make_child(household=adult.household, given_name="Lotte")
    partner = make_user()
    guardian_accept(actor=partner, token=invite(adult.household).token)
    client = logged_in(partner)
    assert client.get(f"/en/learn/family/children/{child.pk}/edit/").status_code == 200
    leave = reverse("learning:guardian_leave", kwargs={"household_id": adult.household.pk})
    assert client.post(leave).status_code == 302
    assert not Guardian.objects.filter(user=partner).exists()
    assert client.get(f"/en/learn/family/children/{child.pk}/edit/").status_code == 404


def test_a_guardian_opening_an_invitation_of_their_own_household_is_told_so() -> None:
    adult = make_adult()
    sent = invite(adult.household)
    url = reverse("learning:guardian_join", kwargs={"token": sent.token})
    client = logged_in(adult.user)
    assert "You already manage this family" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Guardian.objects.filter(household=adult.household).count() == 1
