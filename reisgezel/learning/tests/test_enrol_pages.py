"""The enrolment pages: enrol, waiting list, cancel, waiting-list offers.

Each refusal of the enrolment service comes back as a message on the form (status
400), never a 500; another household's enrolment or offer answers 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reisgezel.learning.models import (
    CourseKind,
    CourseState,
    Edition,
    EditionState,
    Enrolment,
    EnrolmentKind,
    EnrolmentState,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.services.enrolment import cancel_enrolment, enrol
from tests.factories import make_user
from tests.learning_factories import make_adult, make_child, make_course, make_edition

pytestmark = pytest.mark.django_db


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def enrol_url(edition_id: int) -> str:
    return f"/en/learn/enrol/{edition_id}/"


# --- Enrol --------------------------------------------------------------------------------
def test_the_enrol_page_needs_a_login() -> None:
    response = Client().get(enrol_url(make_edition().pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_enrol_page_shows_the_household_the_quote_and_the_trial_option() -> None:
    adult = make_adult()
    make_child(household=adult.household, given_name="Lotte")
    edition = make_edition(price="120.00")
    response = logged_in(adult.user).get(enrol_url(edition.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lotte" in html and adult.given_name in html
    assert "120.00" in html  # the quote, with its explanation
    assert "c-explanation" in html and "Standard" in html  # the tariff, explained
    assert 'name="trial"' in html  # a year course offers a trial lesson


def test_a_workshop_offers_no_trial_lesson() -> None:
    adult = make_adult()
    edition = make_edition(course=make_course(kind=CourseKind.WORKSHOP))
    html = logged_in(adult.user).get(enrol_url(edition.pk)).content.decode()
    assert 'name="trial"' not in html


def test_an_edition_without_trial_lessons_offers_none() -> None:
    adult = make_adult()
    edition = make_edition()
    Edition.objects.filter(pk=edition.pk).update(trial_lessons=False)
    html = logged_in(adult.user).get(enrol_url(edition.pk)).content.decode()
    assert 'name="trial"' not in html


def test_a_user_without_a_family_account_is_asked_to_set_it_up_first() -> None:
    edition = make_edition()
    response = logged_in(make_user()).get(enrol_url(edition.pk))
    assert response.status_code == 200
    assert f"/en/learn/family/?next=/en/learn/enrol/{edition.pk}/" in response.content.decode()


def test_a_draft_course_cannot_be_enrolled_in() -> None:
    edition = make_edition(course=make_course(state=CourseState.DRAFT))
    assert logged_in(make_adult().user).get(enrol_url(edition.pk)).status_code == 404


def test_enrolling_yourself() -> None:
    adult = make_adult()
    edition = make_edition()
    client = logged_in(adult.user)
    response = client.post(enrol_url(edition.pk), {"participant": adult.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:family")
    enrolment = Enrolment.objects.get(participant=adult, edition=edition)
    assert enrolment.state == EnrolmentState.ACTIVE
    assert "is enrolled in" in client.get(response["Location"]).content.decode()


def test_signing_a_child_up_for_a_trial_lesson() -> None:
    adult = make_adult()
    child = make_child(household=adult.household, age=9)
    edition = make_edition(course=make_course(age_min=6, age_max=12))
    response = logged_in(adult.user).post(
        enrol_url(edition.pk), {"participant": child.pk, "trial": "on"}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(participant=child).kind == EnrolmentKind.TRIAL


def test_a_child_of_the_wrong_age_gets_a_clear_message() -> None:
    adult = make_adult()
    child = make_child(household=adult.household, age=5)
    edition = make_edition(course=make_course(age_min=8, age_max=12))
    response = logged_in(adult.user).post(enrol_url(edition.pk), {"participant": child.pk})
    html = response.content.decode()
    assert response.status_code == 400
    assert "it is for ages 8 to 12" in html
    assert 'href="#id_participant_0"' in html  # the summary links to the field
    assert not Enrolment.objects.exists()


def test_past_the_deadline_gets_a_clear_message() -> None:
    adult = make_adult()
    now = timezone.now()
    edition = make_edition(
        enrol_opens_at=now - timedelta(days=20), enrol_closes_at=now - timedelta(days=1)
    )
    client = logged_in(adult.user)
    assert "enrolment deadline has passed" in client.get(enrol_url(edition.pk)).content.decode()
    response = client.post(enrol_url(edition.pk), {"participant": adult.pk})
    assert response.status_code == 400
    assert "deadline" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolling_twice_gets_a_clear_message() -> None:
    adult = make_adult()
    edition = make_edition()
    client = logged_in(adult.user)
    client.post(enrol_url(edition.pk), {"participant": adult.pk})
    response = client.post(enrol_url(edition.pk), {"participant": adult.pk})
    assert response.status_code == 400
    assert "already enrolled" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_a_cancelled_edition_gets_a_clear_message() -> None:
    adult = make_adult()
    edition = make_edition(state=EditionState.CANCELLED)
    response = logged_in(adult.user).post(enrol_url(edition.pk), {"participant": adult.pk})
    assert response.status_code == 400
    assert "cancelled" in response.content.decode()


def test_someone_outside_the_household_cannot_be_chosen() -> None:
    adult = make_adult()
    stranger = make_adult()
    edition = make_edition()
    response = logged_in(adult.user).post(enrol_url(edition.pk), {"participant": stranger.pk})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_a_full_edition_puts_you_on_the_waiting_list_with_your_position() -> None:
    edition = make_edition(min_participants=1, max_participants=1)
    first, second, third = make_adult(), make_adult(), make_adult()
    enrol(actor=first.user, edition=edition, participant=first)
    enrol(actor=second.user, edition=edition, participant=second)
    client = logged_in(third.user)
    page = client.get(enrol_url(edition.pk)).content.decode()
    assert "Join the waiting list" in page
    response = client.post(enrol_url(edition.pk), {"participant": third.pk}, follow=True)
    assert WaitingListEntry.objects.get(participant=third).state == WaitingState.WAITING
    assert "on the waiting list at number 2" in response.content.decode()
    assert "number 2 in line" in response.content.decode()  # the family page


# --- Cancel -------------------------------------------------------------------------------
def test_cancelling_needs_a_reason_and_frees_the_place() -> None:
    adult = make_adult()
    edition = make_edition(cancel_until=timezone.now() + timedelta(days=3))
    enrolment = enrol(actor=adult.user, edition=edition, participant=adult)
    assert isinstance(enrolment, Enrolment)
    url = reverse("learning:enrolment_cancel", kwargs={"pk": enrolment.pk})
    client = logged_in(adult.user)
    assert "You can cancel until" in client.get(url).content.decode()
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert 'href="#id_reason"' in refused.content.decode()
    response = client.post(url, {"reason": "We are moving house"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.CANCELLED
    assert enrolment.cancel_reason == "We are moving house"
    edition.refresh_from_db()
    assert edition.places_taken == 0


def test_after_the_cancellation_deadline_the_page_says_so() -> None:
    adult = make_adult()
    edition = make_edition(cancel_until=timezone.now() + timedelta(days=3))
    enrolment = enrol(actor=adult.user, edition=edition, participant=adult)
    edition.cancel_until = timezone.now() - timedelta(hours=1)
    edition.save()
    url = reverse("learning:enrolment_cancel", kwargs={"pk": enrolment.pk})
    client = logged_in(adult.user)
    html = client.get(url).content.decode()
    assert "The cancellation deadline has passed." in html
    assert 'name="reason"' not in html
    client.post(url, {"reason": "Ill"})
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ACTIVE


def test_another_household_gets_404_on_an_enrolment() -> None:
    adult = make_adult()
    enrolment = enrol(actor=adult.user, edition=make_edition(), participant=adult)
    url = reverse("learning:enrolment_cancel", kwargs={"pk": enrolment.pk})
    stranger = logged_in(make_adult().user)
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"reason": "Because"}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ACTIVE


# --- Waiting-list offers --------------------------------------------------------------------
def offered_entry() -> WaitingListEntry:
    """An offer made the real way: the only place frees up while someone waits."""
    edition = make_edition(min_participants=1, max_participants=1)
    first, second = make_adult(), make_adult()
    enrolment = enrol(actor=first.user, edition=edition, participant=first)
    entry = enrol(actor=second.user, edition=edition, participant=second)
    assert isinstance(entry, WaitingListEntry) and isinstance(enrolment, Enrolment)
    cancel_enrolment(actor=first.user, enrolment=enrolment, reason="Ill")
    entry.refresh_from_db()
    assert entry.state == WaitingState.OFFERED and entry.offer_token
    return entry


def offer_url(entry: WaitingListEntry) -> str:
    return reverse("learning:offer", kwargs={"token": entry.offer_token})


def test_accepting_an_offer_enrols() -> None:
    entry = offered_entry()
    client = logged_in(entry.participant.user)
    page = client.get(offer_url(entry))
    assert page.status_code == 200
    assert "Answer before" in page.content.decode()
    assert client.post(offer_url(entry), {}).status_code == 400  # no answer chosen
    response = client.post(offer_url(entry), {"decision": "accept"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == WaitingState.ACCEPTED
    assert entry.enrolment is not None and entry.enrolment.state == EnrolmentState.ACTIVE
    # The link now says the offer is closed, and why.
    closed = client.get(offer_url(entry))
    assert closed.status_code == 410
    assert "You already accepted this place" in closed.content.decode()


def test_declining_an_offer_withdraws() -> None:
    entry = offered_entry()
    response = logged_in(entry.participant.user).post(offer_url(entry), {"decision": "decline"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == WaitingState.WITHDRAWN


def test_an_expired_offer_gets_a_clear_page() -> None:
    entry = offered_entry()
    WaitingListEntry.objects.filter(pk=entry.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = logged_in(entry.participant.user).get(offer_url(entry))
    assert response.status_code == 410
    assert "The time to answer ran out" in response.content.decode()


def test_an_unknown_token_or_another_households_offer_gets_a_clear_404() -> None:
    entry = offered_entry()
    client = logged_in(make_adult().user)
    unknown = client.get(reverse("learning:offer", kwargs={"token": "no-such-token"}))
    assert unknown.status_code == 404
    assert "We cannot find this offer" in unknown.content.decode()
    assert client.get(offer_url(entry)).status_code == 404
    assert client.post(offer_url(entry), {"decision": "accept"}).status_code == 404
    entry.refresh_from_db()
    assert entry.state == WaitingState.OFFERED


# --- Continuing after a trial lesson ---------------------------------------------------------
def test_a_trial_lesson_becomes_an_enrolment_after_seeing_the_price() -> None:
    adult = make_adult()
    edition = make_edition(price="95.00")
    trial = enrol(actor=adult.user, edition=edition, participant=adult, trial=True)
    assert isinstance(trial, Enrolment)
    client = logged_in(adult.user)
    assert (
        reverse("learning:enrolment_convert", kwargs={"pk": trial.pk})
        in client.get(reverse("learning:family")).content.decode()
    )
    url = reverse("learning:enrolment_convert", kwargs={"pk": trial.pk})
    page = client.get(url)
    assert page.status_code == 200 and "95.00" in page.content.decode()
    assert client.post(url).status_code == 302
    trial.refresh_from_db()
    assert trial.state == EnrolmentState.CONVERTED
    regular = Enrolment.objects.get(converted_from=trial)
    assert (regular.state, regular.kind) == (EnrolmentState.ACTIVE, EnrolmentKind.REGULAR)
    # A second try is answered with a message, not an error page.
    again = client.post(url)
    assert again.status_code == 400
    assert "can no longer be turned into an enrolment" in again.content.decode()
    assert Enrolment.objects.filter(converted_from=trial).count() == 1


def test_only_a_trial_converts_and_only_for_the_household() -> None:
    adult = make_adult()
    edition = make_edition()
    regular = enrol(actor=adult.user, edition=edition, participant=adult)
    assert isinstance(regular, Enrolment)
    url = reverse("learning:enrolment_convert", kwargs={"pk": regular.pk})
    assert logged_in(adult.user).get(url).status_code == 404
    other = make_adult()
    trial = enrol(actor=other.user, edition=edition, participant=other, trial=True)
    assert isinstance(trial, Enrolment)
    trial_url = reverse("learning:enrolment_convert", kwargs={"pk": trial.pk})
    assert logged_in(adult.user).post(trial_url).status_code == 404
    trial.refresh_from_db()
    assert trial.state == EnrolmentState.ACTIVE
