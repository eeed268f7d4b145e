"""Partner pages: own events only, forms that explain, places reused, moderation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reisgezel.accounts.models import ApiToken, MemberRole
from reisgezel.agenda.models import Event, EventStatus, ModerationState
from reisgezel.agenda.services import event_create, event_reject
from reisgezel.places.models import Place
from tests.factories import (
    at,
    event_input,
    make_organisation,
    make_place,
    make_user,
    member_of,
    moderator,
)

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):  # English pages: messages are the source strings
        return reverse(f"partners:{name}", kwargs=kwargs)


def signed_in(user: Any) -> Client:
    # UserFactory sets the password without saving it (skip_postgeneration_save); the
    # session's auth hash is derived from the stored password, so store it first.
    user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    return client


def form_data(place: Place | None = None, **overrides: Any) -> dict[str, Any]:
    start = at(14)
    data: dict[str, Any] = {
        "title_nl": "Harmonieconcert",
        "title_en": "Wind band concert",
        "disciplines": ["music"],
        "place": (place or make_place()).pk,
        "audience": "everyone",
        "languages": "nl, li",
        "is_free": "on",
        "calendar_type": "single",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-0-start": start.strftime("%Y-%m-%dT%H:%M"),
        "slots-0-end": start.replace(hour=22).strftime("%Y-%m-%dT%H:%M"),
        "weekly-TOTAL_FORMS": "0",
        "weekly-INITIAL_FORMS": "0",
        "tariffs-TOTAL_FORMS": "0",
        "tariffs-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


class Org:
    def __init__(self, **kwargs: Any) -> None:
        self.org = make_organisation(**kwargs)
        self.user = member_of(self.org)
        self.client = signed_in(self.user)

    def draft(self, **overrides: Any) -> Event:
        return event_create(actor=self.user, organisation=self.org, data=event_input(**overrides))


def test_anonymous_visitors_are_sent_to_login():
    org = Org()
    event = org.draft()
    anonymous = Client()
    for path in (
        url("dashboard"),
        url("event_create", org_slug=org.org.slug),
        url("event_edit", pk=event.pk),
        url("event_status", pk=event.pk),
        url("event_delete", pk=event.pk),
        url("moderation"),
        url("tokens", org_slug=org.org.slug),
        url("place_create", org_slug=org.org.slug),
    ):
        response = anonymous.get(path)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], (
            path
        )
    assert anonymous.post(url("event_submit", pk=event.pk)).status_code == 302
    assert Event.objects.get(pk=event.pk).moderation == ModerationState.DRAFT


def test_dashboard_groups_events_and_shows_the_rejection_message():
    org = Org()
    org.draft(title={"nl": "Concept"})
    rejected = event_create(
        actor=org.user,
        organisation=org.org,
        data=event_input(title={"nl": "Afgewezen"}),
        submit=True,
    )
    event_reject(actor=moderator(), event=rejected, message="Voeg een foto toe.")
    content = org.client.get(url("dashboard")).content.decode()
    assert org.org.name in content and "Concept" in content and "Voeg een foto toe." in content


def test_a_user_without_organisation_gets_an_explanation():
    response = signed_in(make_user()).get(url("dashboard"))
    assert response.status_code == 200 and b"not a member" in response.content


def test_create_an_event_as_draft_and_submitted():
    org = Org()
    response = org.client.post(url("event_create", org_slug=org.org.slug), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(organiser=org.org)
    assert event.moderation == ModerationState.DRAFT and event.title["en"] == "Wind band concert"
    assert sorted(event.languages.values_list("code", flat=True)) == ["li", "nl"]
    assert event.occurrences.count() == 1
    org.client.post(url("event_create", org_slug=org.org.slug), form_data(submit="1"))
    assert Event.objects.filter(organiser=org.org, moderation=ModerationState.READY).count() == 1


def test_form_errors_are_shown_next_to_fields_never_500():
    org = Org()
    response = org.client.post(
        url("event_create", org_slug=org.org.slug),
        {**form_data(title_nl=""), "slots-0-start": "someday"},
    )
    assert response.status_code == 400
    assert (
        b"The Dutch text is required." in response.content
        and b"Enter a valid date/time." in response.content
    )
    service = org.client.post(
        url("event_create", org_slug=org.org.slug),
        form_data(age_min="12", age_max="6", rrule="", languages="xx-nonsense"),
    )
    assert service.status_code == 400
    assert b"The maximum age must not be below the minimum age." in service.content
    assert not Event.objects.exists()


def test_facilities_are_hidden_and_ignored_for_untrusted_partners():
    untrusted = Org()
    page = untrusted.client.get(url("event_create", org_slug=untrusted.org.slug))
    assert page.status_code == 200 and b'name="facilities"' not in page.content
    untrusted.client.post(
        url("event_create", org_slug=untrusted.org.slug),
        form_data(facilities=["wheelchair-accessible"]),
    )
    assert not Event.objects.get(organiser=untrusted.org).facilities.exists()
    trusted = Org(is_trusted=True)
    assert (
        b'name="facilities"'
        in trusted.client.get(url("event_create", org_slug=trusted.org.slug)).content
    )
    trusted.client.post(
        url("event_create", org_slug=trusted.org.slug),
        form_data(facilities=["wheelchair-accessible"]),
    )
    assert Event.objects.get(organiser=trusted.org).facilities.get().code == "wheelchair-accessible"


def test_edit_status_submit_and_delete_own_events():
    org = Org()
    event = org.draft()
    assert org.client.get(url("event_edit", pk=event.pk)).status_code == 200
    response = org.client.post(url("event_edit", pk=event.pk), form_data(title_nl="Nieuwe titel"))
    assert (
        response.status_code == 302 and Event.objects.get(pk=event.pk).title["nl"] == "Nieuwe titel"
    )
    assert (
        org.client.post(url("event_status", pk=event.pk), {"status": "cancelled"}).status_code
        == 400
    )
    org.client.post(
        url("event_status", pk=event.pk), {"status": "cancelled", "reason_nl": "Zieke solist"}
    )
    assert Event.objects.get(pk=event.pk).status == EventStatus.CANCELLED
    org.client.post(url("event_submit", pk=event.pk))
    assert Event.objects.get(pk=event.pk).moderation == ModerationState.READY
    org.client.post(url("event_delete", pk=event.pk))
    assert Event.objects.filter(pk=event.pk).exists()  # submitted events are cancelled, not deleted
    draft = org.draft()
    org.client.post(url("event_delete", pk=draft.pk))
    assert not Event.objects.filter(pk=draft.pk).exists()


def test_another_organisations_member_changes_nothing():
    owner, intruder = Org(), Org()
    event = owner.draft()
    before = Event.objects.filter(pk=event.pk).values().get()
    client = intruder.client
    assert client.get(url("event_create", org_slug=owner.org.slug)).status_code == 404
    assert client.post(url("event_create", org_slug=owner.org.slug), form_data()).status_code == 404
    assert client.get(url("event_edit", pk=event.pk)).status_code == 403
    assert (
        client.post(url("event_edit", pk=event.pk), form_data(title_nl="Gekaapt")).status_code
        == 403
    )
    assert client.post(url("event_submit", pk=event.pk)).status_code == 403
    assert (
        client.post(
            url("event_status", pk=event.pk), {"status": "cancelled", "reason_nl": "x"}
        ).status_code
        == 403
    )
    assert client.post(url("event_delete", pk=event.pk)).status_code == 403
    assert (
        client.post(url("place_create", org_slug=owner.org.slug), {"name": "X"}).status_code == 404
    )
    assert client.post(url("tokens", org_slug=owner.org.slug), {"name": "steal"}).status_code == 404
    assert Event.objects.filter(pk=event.pk).values().get() == before
    assert not Event.objects.filter(organiser=intruder.org).exists()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("name", "postcode"), [("theater a/h vrijthof", "6211 AA"), ("De Bóvenzaal", "6211 le")]
)
def test_similar_places_are_offered_before_a_new_one_is_created(name: str, postcode: str):
    existing = make_place(name="Theater aan het Vrijthof", postcode="6211 LE", street="Vrijthof 47")
    org = Org()
    data = {"name": name, "street": "Vrijthof 47", "postcode": postcode, "city": "Maastricht"}
    offered = org.client.post(url("place_create", org_slug=org.org.slug), data)
    assert offered.status_code == 200 and existing.name.encode() in offered.content
    assert f"?place={existing.pk}".encode() in offered.content
    assert Place.objects.count() == 1
    created = org.client.post(
        url("place_create", org_slug=org.org.slug), {**data, "none_of_these": "on"}
    )
    assert created.status_code == 302 and Place.objects.count() == 2
    new = Place.objects.exclude(pk=existing.pk).get()
    assert created["Location"].endswith(f"?place={new.pk}") and new.postcode == postcode.upper()


def test_a_place_without_lookalikes_is_created_at_once_and_bad_postcodes_explained():
    org = Org()
    bad = org.client.post(
        url("place_create", org_slug=org.org.slug),
        {"name": "Sphinxkwartier", "street": "Boschstraat 1", "postcode": "ABC", "city": "M"},
    )
    assert bad.status_code == 400 and b"is not a Dutch postcode" in bad.content
    good = org.client.post(
        url("place_create", org_slug=org.org.slug),
        {"name": "Sphinxkwartier", "street": "Boschstraat 1", "postcode": "6211ax", "city": "M"},
    )
    assert good.status_code == 302 and Place.objects.get().postcode == "6211 AX"


def test_token_management_is_for_organisation_admins():
    org = Org()
    admin = member_of(org.org, role=MemberRole.ADMIN)
    assert org.client.get(url("tokens", org_slug=org.org.slug)).status_code == 403
    client = signed_in(admin)
    created = client.post(url("tokens", org_slug=org.org.slug), {"name": "website"})
    token = ApiToken.objects.get(organisation=org.org)
    key = created.context["new_key"]
    assert key.startswith("rg_") and key.encode() in created.content
    assert (
        key.encode() not in client.get(url("tokens", org_slug=org.org.slug)).content
    )  # shown once
    other_admin = member_of(make_organisation(), role=MemberRole.ADMIN)
    other = signed_in(other_admin)
    other_org = other_admin.memberships.get().organisation
    assert (
        other.post(url("token_revoke", org_slug=other_org.slug, token_id=token.pk)).status_code
        == 404
    )
    client.post(url("token_revoke", org_slug=org.org.slug, token_id=token.pk))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_moderation_approve_and_reject_with_a_required_message():
    org = Org()
    first = event_create(actor=org.user, organisation=org.org, data=event_input(), submit=True)
    second = event_create(actor=org.user, organisation=org.org, data=event_input(), submit=True)
    assert org.client.get(url("moderation")).status_code == 403
    assert (
        org.client.post(url("moderation_decide", pk=first.pk), {"decision": "approve"}).status_code
        == 403
    )
    client = signed_in(moderator())
    assert b"Concert in St John" in client.get(url("moderation")).content
    client.post(url("moderation_decide", pk=first.pk), {"decision": "approve"})
    assert Event.objects.get(pk=first.pk).moderation == ModerationState.APPROVED
    refused = client.post(
        url("moderation_decide", pk=second.pk), {"decision": "reject", "message": " "}
    )
    assert refused.status_code == 400 and b"Tell the organiser why" in refused.content
    assert Event.objects.get(pk=second.pk).moderation == ModerationState.READY
    client.post(
        url("moderation_decide", pk=second.pk), {"decision": "reject", "message": "Geen datum."}
    )
    assert Event.objects.get(pk=second.pk).moderation == ModerationState.REJECTED


def test_login_and_logout():
    user = member_of(make_organisation())
    user.save(update_fields=["password"])  # see signed_in()
    client = Client()
    assert client.get(reverse("accounts:login")).status_code == 200
    wrong = client.post(reverse("accounts:login"), {"username": user.username, "password": "nope"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302 and response["Location"].endswith(url("dashboard"))
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(url("dashboard")).status_code == 302
