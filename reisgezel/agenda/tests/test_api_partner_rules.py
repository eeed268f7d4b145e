"""The partner API holds the same rules as the site: who may read with a token, what
text the database can store, the model's lengths, and the error shape for every error.
Each test failed before its fix (found by a review of the API)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reisgezel.accounts.models import MemberRole
from reisgezel.accounts.services import api_token_create
from reisgezel.agenda.models import Event
from reisgezel.agenda.services import event_create, event_reject, event_submit
from reisgezel.agenda.tests.test_api import payload
from tests.factories import event_input, make_organisation, make_place, member_of, moderator

pytestmark = pytest.mark.django_db


def partner() -> tuple[Any, Any, Client]:
    org = make_organisation()
    user = member_of(org, role=MemberRole.ADMIN)
    _token, key = api_token_create(organisation=org, user=user, name="site")
    client = Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})
    client.raise_request_exception = False
    return org, user, client


def post(client: Client, body: object) -> Any:
    return client.post("/api/partner/events", json.dumps(body), content_type="application/json")


def test_a_token_whose_creator_left_reads_nothing_of_the_organisation() -> None:
    org, user, client = partner()
    draft = event_create(actor=member_of(org), organisation=org, data=event_input())
    assert client.get(f"/api/partner/events/{draft.pk}").status_code == 200
    user.memberships.all().delete()  # the token's creator left the organisation
    for path in ("/api/partner/events", f"/api/partner/events/{draft.pk}"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "no longer a member" in response.json()["detail"]


def test_a_token_of_a_deactivated_organisation_or_its_members_act_no_more() -> None:
    org, user, client = partner()
    event = event_create(actor=user, organisation=org, data=event_input())
    org.is_active = False
    org.save()
    assert client.get("/api/partner/events").status_code == 401
    # On the site too: a member of an inactive organisation has no rights left.
    site = Client()
    site.force_login(user)
    site.post(f"/nl/partners/events/{event.pk}/submit/")
    event.refresh_from_db()
    assert event.moderation == "draft"


def test_the_event_list_reads_the_latest_decisions_in_one_query() -> None:
    org, user, client = partner()
    place = make_place()
    events = [
        event_create(actor=user, organisation=org, data=event_input(place_id=place.pk))
        for _ in range(30)
    ]
    rejected = event_submit(actor=user, event=events[0])
    event_reject(actor=moderator(), event=rejected, message="Graag een Nederlandse titel.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/partner/events")
    items = response.json()["items"]
    assert len(items) == 30
    assert len(queries) < 15, len(queries)
    messages = {item["id"]: item["moderation_message"] for item in items}
    assert messages[events[0].pk] == "Graag een Nederlandse titel."
    assert messages[events[1].pk] == ""


def test_a_periodic_event_without_a_first_day_is_refused_with_a_message() -> None:
    _org, _user, client = partner()
    response = post(client, payload(calendar={"type": "periodic"}))
    assert response.status_code == 422
    assert "period_start" in response.json()["errors"]
    assert not Event.objects.exists()


@pytest.mark.parametrize("text", ["Koor \ud800", "\udfff", "Koor \x00"])
def test_characters_no_database_can_store_are_refused(text: str) -> None:
    _org, _user, client = partner()
    for body in (payload(title={"nl": text}), payload(summary={"nl": "ok", text: "x"})):
        response = post(client, body)
        assert response.status_code == 422, response.content
    assert not Event.objects.exists()


def test_the_models_text_lengths_and_languages_hold_for_the_api() -> None:
    _org, _user, client = partner()
    too_long_summary = post(client, payload(summary={"nl": "x" * 401}))
    assert too_long_summary.status_code == 422
    assert "summary" in too_long_summary.json()["errors"]
    long_tariff = [{"name": {"nl": "x" * 101}, "price": "5.00"}]
    assert post(client, payload(is_free=False, tariffs=long_tariff)).status_code == 422
    assert post(client, payload(description={"xx": "tekst"})).status_code == 422
    assert not Event.objects.exists()
    assert post(client, payload(summary={"nl": "x" * 400})).status_code == 201


def test_a_status_reason_holds_to_the_models_length_and_languages() -> None:
    org, user, client = partner()
    event = event_create(actor=user, organisation=org, data=event_input())
    url = f"/api/partner/events/{event.pk}/status"
    for reason in ({"nl": "x" * 401}, {"nl": "Ziek", "xx": "sick"}):
        body = json.dumps({"status": "cancelled", "reason": reason})
        assert client.post(url, body, content_type="application/json").status_code == 422
    event.refresh_from_db()
    assert event.status == "scheduled"


def test_an_id_beyond_64_bits_is_refused_not_a_server_error() -> None:
    _org, _user, client = partner()
    assert post(client, payload(place_id=2**70)).status_code == 422
    assert post(client, payload(place_id=0)).status_code == 422


def test_a_method_an_address_does_not_answer_gets_the_api_error_shape() -> None:
    _org, _user, client = partner()
    response = client.patch("/api/partner/events/1", "{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail", "errors"}
    assert "PATCH" in response.json()["detail"] and response["Allow"]
    nul = Client().get("/api/events?q=%00")
    assert nul.status_code == 400 and set(nul.json()) == {"detail", "errors"}
