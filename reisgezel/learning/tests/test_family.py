"""The family account: setting it up, child profiles with consent, and privacy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reisgezel.learning.models import (
    CHILD_AGE_LIMIT,
    DiscountScheme,
    EnrolmentState,
    Entitlement,
    Guardian,
    Participant,
    SchemeKind,
    VerificationMethod,
)
from reisgezel.learning.services.family import (
    child_add,
    child_erase,
    child_update,
    household_create_for,
    household_for,
)
from tests.factories import make_user
from tests.learning_factories import make_adult, make_child, make_edition

pytestmark = pytest.mark.django_db


def years_ago(years: int, *, days: int = 30) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


# --- Services ---------------------------------------------------------------------------
def test_setting_up_a_family_account_makes_the_user_an_adult_member_and_guardian() -> None:
    user = make_user()
    adult = household_create_for(
        actor=user, given_name="Anna", family_name="Smeets", birth_date=date(1985, 3, 2)
    )
    assert adult.user == user
    assert Guardian.objects.filter(household=adult.household, user=user).exists()
    assert household_for(user) == adult.household
    # A second call returns the same person, no second household.
    again = household_create_for(
        actor=user, given_name="Anna", family_name="Smeets", birth_date=date(1985, 3, 2)
    )
    assert again.pk == adult.pk


def test_someone_under_16_cannot_set_up_an_account_of_their_own() -> None:
    with pytest.raises(ValidationError) as caught:
        household_create_for(
            actor=make_user(), given_name="Tim", family_name="Smeets", birth_date=years_ago(14)
        )
    assert "birth_date" in caught.value.message_dict
    assert Participant.objects.count() == 0


def test_a_guardian_adds_a_child_with_consent_recorded() -> None:
    adult = make_adult()
    child = child_add(
        actor=adult.user,
        household=adult.household,
        given_name="Lotte",
        family_name="Smeets",
        birth_date=years_ago(8),
        consent=True,
        notes_for_teacher="Allergic to nuts",
    )
    assert child.user is None
    assert child.consent_by == adult.user
    assert child.consent_at is not None
    assert child.notes_for_teacher == "Allergic to nuts"


def test_a_child_profile_needs_consent() -> None:
    adult = make_adult()
    with pytest.raises(ValidationError) as caught:
        child_add(
            actor=adult.user,
            household=adult.household,
            given_name="Lotte",
            family_name="Smeets",
            birth_date=years_ago(8),
            consent=False,
        )
    assert "consent" in caught.value.message_dict


def test_a_person_of_16_or_older_needs_their_own_account() -> None:
    adult = make_adult()
    with pytest.raises(ValidationError) as caught:
        child_add(
            actor=adult.user,
            household=adult.household,
            given_name="Sem",
            family_name="Smeets",
            birth_date=years_ago(CHILD_AGE_LIMIT, days=1),
            consent=True,
        )
    assert "account of their own" in caught.value.message_dict["birth_date"][0]


def test_a_birth_date_in_the_future_is_refused() -> None:
    adult = make_adult()
    with pytest.raises(ValidationError):
        child_add(
            actor=adult.user,
            household=adult.household,
            given_name="Sem",
            family_name="Smeets",
            birth_date=timezone.localdate() + timedelta(days=3),
            consent=True,
        )


def test_only_a_guardian_adds_or_changes_a_child() -> None:
    adult = make_adult()
    stranger = make_adult()
    with pytest.raises(PermissionDenied):
        child_add(
            actor=stranger.user,
            household=adult.household,
            given_name="Lotte",
            family_name="Smeets",
            birth_date=years_ago(8),
            consent=True,
        )
    child = make_child(household=adult.household)
    with pytest.raises(PermissionDenied):
        child_update(
            actor=stranger.user,
            participant=child,
            given_name="X",
            family_name="Y",
            birth_date=child.birth_date,
        )


def test_a_guardian_changes_a_child_profile_but_not_an_adults() -> None:
    adult = make_adult()
    child = make_child(household=adult.household)
    child_update(
        actor=adult.user,
        participant=child,
        given_name="Lotte",
        family_name="Janssen",
        birth_date=child.birth_date,
        notes_for_teacher="Wears a hearing aid",
    )
    child.refresh_from_db()
    assert child.family_name == "Janssen"
    with pytest.raises(PermissionDenied):
        child_update(
            actor=adult.user,
            participant=adult,
            given_name="A",
            family_name="B",
            birth_date=adult.birth_date,
        )


def test_a_child_who_turned_16_keeps_a_profile_the_guardian_can_correct() -> None:
    adult = make_adult()
    child = make_child(household=adult.household, age=CHILD_AGE_LIMIT, given_name="Lote")
    child_update(
        actor=adult.user,
        participant=child,
        given_name="Lotte",
        family_name=child.family_name,
        birth_date=child.birth_date,
    )
    child.refresh_from_db()
    assert child.given_name == "Lotte"
    # A new date of birth is still held to the limit.
    with pytest.raises(ValidationError) as refused:
        child_update(
            actor=adult.user,
            participant=child,
            given_name="Lotte",
            family_name=child.family_name,
            birth_date=years_ago(CHILD_AGE_LIMIT + 1),
        )
    assert "birth_date" in refused.value.message_dict


# --- Pages ------------------------------------------------------------------------------
def test_the_family_page_needs_a_login() -> None:
    response = Client().get(reverse("learning:family"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_first_visit_sets_up_the_family_account_and_returns_to_next() -> None:
    user = make_user()
    client = logged_in(user)
    page = client.get("/en/learn/family/")
    assert page.status_code == 200
    assert "Set up your family account" in page.content.decode()
    assert 'name="birth_date"' in page.content.decode()
    response = client.post(
        "/en/learn/family/",
        {
            "given_name": "Anna",
            "family_name": "Smeets",
            "birth_date": "1984-02-03",
            "language": "en",
            "next": "/en/learn/enrol/1/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/learn/enrol/1/"
    assert Participant.objects.get(user=user).language == "en"


def test_setup_refuses_an_outside_next_url_and_a_bad_birth_date() -> None:
    client = logged_in(make_user())
    bad = client.post(
        "/en/learn/family/",
        {"given_name": "Anna", "family_name": "Smeets", "birth_date": "not a date"},
    )
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.content.decode()
    ok = client.post(
        "/en/learn/family/",
        {
            "given_name": "Anna",
            "family_name": "Smeets",
            "birth_date": "1984-02-03",
            "language": "nl",
            "next": "https://evil.example.org/",
        },
    )
    assert ok.status_code == 302
    assert ok["Location"] == "/en/learn/family/"


def test_the_family_page_lists_members_enrolments_and_entitlements() -> None:
    adult = make_adult()
    child = make_child(household=adult.household, given_name="Lotte")
    scheme = DiscountScheme.objects.create(
        code="jeugdfonds", name={"nl": "Jeugdfonds Sport & Cultuur"}, kind=SchemeKind.FUND
    )
    today = timezone.localdate()
    Entitlement.objects.create(
        participant=child,
        scheme=scheme,
        valid_from=today,
        valid_until=today + timedelta(days=200),
        verified_by=make_user(),
        verified_how=VerificationMethod.FUND_DECISION,
    )
    edition = make_edition()
    child.enrolments.create(edition=edition)
    page = logged_in(adult.user).get("/en/learn/family/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lotte" in html
    assert "Jeugdfonds Sport &amp; Cultuur" in html
    assert reverse("learning:enrolment_cancel", kwargs={"pk": child.enrolments.get().pk}) in html
    assert reverse("learning:family_child_edit", kwargs={"pk": child.pk}) in html


def test_adding_a_child_through_the_page() -> None:
    adult = make_adult()
    client = logged_in(adult.user)
    url = reverse("learning:family_child_add", kwargs={"household_id": adult.household_id})
    data = {
        "given_name": "Lotte",
        "family_name": "Smeets",
        "birth_date": years_ago(7).isoformat(),
        "language": "nl",
        "notes_for_teacher": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "consent" in refused.content.decode()
    assert 'href="#id_consent"' in refused.content.decode()
    response = client.post(url, {**data, "consent": "on"})
    assert response.status_code == 302
    assert adult.household.participants.filter(given_name="Lotte", user=None).exists()


def test_adding_a_16_year_old_shows_they_need_their_own_account() -> None:
    adult = make_adult()
    url = reverse("learning:family_child_add", kwargs={"household_id": adult.household_id})
    response = logged_in(adult.user).post(
        url,
        {
            "given_name": "Sem",
            "family_name": "Smeets",
            "birth_date": years_ago(17).isoformat(),
            "language": "nl",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    assert "account of their own" in response.content.decode()


def test_editing_a_child_through_the_page() -> None:
    adult = make_adult()
    child = make_child(household=adult.household)
    url = reverse("learning:family_child_edit", kwargs={"pk": child.pk})
    client = logged_in(adult.user)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "given_name": "Lotte",
            "family_name": "Janssen",
            "birth_date": child.birth_date.isoformat(),
            "language": "fr",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.family_name, child.language) == ("Janssen", "fr")


def test_another_household_gets_404_on_family_urls() -> None:
    adult = make_adult()
    child = make_child(household=adult.household)
    stranger = logged_in(make_adult().user)
    add = reverse("learning:family_child_add", kwargs={"household_id": adult.household_id})
    edit = reverse("learning:family_child_edit", kwargs={"pk": child.pk})
    assert stranger.get(add).status_code == 404
    assert stranger.get(edit).status_code == 404
    assert stranger.post(edit, {"given_name": "X"}).status_code == 404
    assert "Lotte" not in stranger.get(reverse("learning:family")).content.decode()


# --- Erasing a child profile ---------------------------------------------------------------
def test_a_child_without_history_is_deleted() -> None:
    adult = make_adult()
    child = make_child(household=adult.household)
    assert child_erase(actor=adult.user, participant=child) is True
    assert not Participant.objects.filter(pk=child.pk).exists()


def test_a_child_with_past_courses_is_anonymised_not_deleted() -> None:
    adult = make_adult()
    child = make_child(household=adult.household, notes_for_teacher="Allergic to nuts")
    year = child.birth_date.year
    child.enrolments.create(
        edition=make_edition(), state=EnrolmentState.CANCELLED, cancelled_at=timezone.now()
    )
    assert child_erase(actor=adult.user, participant=child) is False
    child.refresh_from_db()
    assert child.given_name == "Removed" and child.notes_for_teacher == ""
    assert child.birth_date == date(year, 1, 1)
    assert child.enrolments.count() == 1


def test_an_enrolled_child_cannot_be_erased_and_strangers_get_404() -> None:
    adult = make_adult()
    child = make_child(household=adult.household)
    child.enrolments.create(edition=make_edition())
    with pytest.raises(ValidationError):
        child_erase(actor=adult.user, participant=child)
    url = reverse("learning:family_child_erase", kwargs={"pk": child.pk})
    assert logged_in(make_adult().user).post(url).status_code == 404
    refused = logged_in(adult.user).post(url)
    assert refused.status_code == 400
    assert "Cancel the enrolments" in refused.content.decode()
    assert Participant.objects.filter(pk=child.pk, given_name="Lotte").exists()


def test_erasing_through_the_page() -> None:
    adult = make_adult()
    child = make_child(household=adult.household)
    client = logged_in(adult.user)
    url = reverse("learning:family_child_erase", kwargs={"pk": child.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Participant.objects.filter(pk=child.pk).exists()
