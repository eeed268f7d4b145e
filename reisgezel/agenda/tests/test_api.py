"""The JSON API: open reads, the partner token, the error shape, the OpenAPI snapshot."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client

from reisgezel.accounts.models import MemberRole
from reisgezel.accounts.services import api_token_create, api_token_revoke
from reisgezel.agenda.filters import AgendaFilterForm
from reisgezel.agenda.models import Event, ModerationState
from reisgezel.agenda.selectors import agenda_page
from reisgezel.agenda.services import event_create
from tests.factories import (
    at,
    event_input,
    make_organisation,
    make_place,
    member_of,
    published_event,
)

pytestmark = pytest.mark.django_db


def test_event_list_has_items_facets_and_the_page_counts():
    music = published_event(title={"nl": "Orgelconcert", "en": "Organ concert"})
    published_event(disciplines=["dance"], is_free=False, base_price=12)
    response = Client().get("/api/events", {"lang": "en", "discipline": "music"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["page"] == 1 and body["num_pages"] == 1
    item = body["items"][0]
    assert item["id"] == music.pk and item["uuid"] == str(music.uuid)
    assert item["title"]["nl"] == "Orgelconcert" and item["title_text"] == "Organ concert"
    assert item["url"].startswith("http://testserver/en/") and item["occurrence_count"] == 1
    assert item["disciplines"][0]["code"] == "music" and item["is_free"] is True
    disciplines = {f["value"]: f for f in body["facets"]["discipline"]}
    assert disciplines["music"]["selected"] and disciplines["dance"]["count"] == 1  # disjunctive


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"discipline": "music"},
        {"free": "1"},
        {"age": "8"},
        {"when": "month"},
        {"discipline": ["music", "dance"]},
    ],
)
def test_event_list_counts_equal_the_agenda_selector(query: dict[str, Any]):
    published_event(age_min=6, age_max=12)
    published_event(disciplines=["dance"], is_free=False, base_price=5)
    published_event(disciplines=["music"], start=at(3, month=1, year=2099))  # far away
    form = AgendaFilterForm(QueryDict(urlencode(query, doseq=True)))
    assert form.is_valid()
    expected = agenda_page(form.filters())
    body = Client().get("/api/events", query).json()
    assert body["total"] == expected.total
    assert [i["id"] for i in body["items"]] == [i.event.pk for i in expected.items]


def test_invalid_filters_are_400_with_field_messages():
    response = Client().get(
        "/api/events", {"age": "old", "date_from": "2026-05-10", "date_to": "2026-05-01"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and {"age", "date_to"} <= set(body["errors"])
    assert all(isinstance(m, str) for m in body["errors"]["age"])
    edge = Client().get(
        "/api/events", {"date_from": "9999-12-31"}, headers={"Accept-Language": "en"}
    )
    assert edge.status_code == 400
    assert edge.json()["errors"]["date_from"] == ["Enter a date between 1900 and 2199."]


def test_event_detail_shows_published_only():
    event = published_event(
        is_free=False, base_price=15, booking_url="https://tickets.example.org/1"
    )
    body = Client().get(f"/api/events/{event.pk}?lang=en").json()
    assert body["id"] == event.pk and body["booking"]["url"] == "https://tickets.example.org/1"
    assert len(body["occurrences"]) == 1 and body["price"] == "15.00"
    assert body["images"] == [] and body["tariffs"] == []
    org = make_organisation()
    draft = event_create(actor=member_of(org), organisation=org, data=event_input())
    assert Client().get(f"/api/events/{draft.pk}").status_code == 404
    assert Client().get("/api/events/999999").status_code == 404
    assert Client().get("/api/events/not-a-number").status_code in (404, 422)


def test_places_and_organisers():
    place = make_place(name="Theater aan het Vrijthof", slug="theater-vrijthof")
    make_place(name="Huiskamer", slug="huiskamer", is_private=True)
    org = make_organisation(name="Toneelgroep", slug="toneelgroep")
    client = Client()
    places = client.get("/api/places").json()
    assert places["total"] == 2
    private = next(p for p in places["items"] if p["slug"] == "huiskamer")
    assert private["street"] is None and private["latitude"] is None
    detail = client.get(f"/api/places/{place.slug}").json()
    assert detail["street"] == place.street and detail["opening_hours"] == []
    assert client.get("/api/places/nowhere").status_code == 404
    assert client.get("/api/places?page=0").status_code == 422
    assert any(o["slug"] == org.slug for o in client.get("/api/organisers").json()["items"])
    assert (
        client.get("/api/organisers/toneelgroep?lang=en").json()["description_text"]
        == "A cultural partner."
    )
    assert client.get("/api/organisers/nobody").status_code == 404


# --- Partner writes ---------------------------------------------------------------------
def payload(**overrides: Any) -> dict[str, Any]:
    start = at(12)
    data: dict[str, Any] = {
        "title": {"nl": "Koorconcert", "en": "Choir concert"},
        "disciplines": ["music"],
        "place_id": make_place().pk,
        "is_free": True,
        "languages": ["nl"],
        "calendar": {
            "type": "single",
            "time_slots": [
                {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
            ],
        },
    }
    data.update(overrides)
    return data


class Partner:
    """A token of an organisation, and a client that sends it."""

    def __init__(self, **org_kwargs: Any) -> None:
        self.org = make_organisation(**org_kwargs)
        self.user = member_of(self.org, role=MemberRole.ADMIN)
        self.token, self.key = api_token_create(organisation=self.org, user=self.user, name="site")
        # Messages follow Accept-Language (Dutch by default): ask for the English sources.
        self.client = Client(
            headers={"Authorization": f"Bearer {self.key}", "Accept-Language": "en"}
        )

    def send(self, method: str, path: str, body: Any = None) -> Any:
        data = body if isinstance(body, str) else json.dumps(body) if body is not None else None
        return getattr(self.client, method)(
            f"/api/partner{path}", data=data, content_type="application/json"
        )

    def draft(self) -> Event:
        return event_create(actor=self.user, organisation=self.org, data=event_input())


def test_without_a_live_token_writes_are_401():
    partner = Partner()
    assert (
        Client()
        .post("/api/partner/events", json.dumps(payload()), content_type="application/json")
        .status_code
        == 401
    )
    assert (
        Client(headers={"Authorization": "Bearer rg_nonsense"})
        .get("/api/partner/events")
        .status_code
        == 401
    )
    assert (
        Client(headers={"Authorization": "Token " + partner.key})
        .get("/api/partner/events")
        .status_code
        == 401
    )
    api_token_revoke(token=partner.token, actor=partner.user)
    assert partner.send("post", "/events", payload()).status_code == 401
    assert not Event.objects.exists()


def test_create_as_draft_and_submitted():
    partner = Partner()
    response = partner.send("post", "/events", payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["moderation"] == "draft" and body["title"]["en"] == "Choir concert"
    assert len(body["occurrences"]) == 1
    submitted = partner.send("post", "/events", payload(submit=True)).json()
    assert submitted["moderation"] == "ready"
    assert Event.objects.filter(organiser=partner.org).count() == 2


def test_service_validation_errors_are_422_by_field():
    partner = Partner()
    response = partner.send(
        "post",
        "/events",
        payload(title={"en": "Only English"}, disciplines=["opera-on-ice"], age_min=12, age_max=6),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"title", "disciplines", "age_max"} <= set(errors)
    assert "Dutch" in errors["title"][0]


def test_malformed_input_is_4xx_with_readable_messages_never_500():
    partner = Partner()
    assert partner.send("post", "/events", "{not json").status_code == 400
    wrong = partner.send(
        "post", "/events", payload(age_min="twelve", calendar={"type": "weekly-ish"})
    )
    assert wrong.status_code == 422
    assert {"age_min", "calendar.type"} <= set(wrong.json()["errors"])
    naive = payload(
        calendar={
            "type": "single",
            "time_slots": [{"start": "2026-05-01T20:00:00", "end": "2026-05-01T22:00:00"}],
        }
    )
    response = partner.send("post", "/events", naive)
    assert response.status_code == 422
    assert "offset" in response.json()["errors"]["calendar.time_slots.0.start"][0]
    assert partner.send("post", "/events", payload(colour="red")).status_code == 422
    # JSON may carry \u0000; PostgreSQL stores it in neither text nor jsonb.
    nul = partner.send("post", "/events", payload(title={"nl": "Koor\u0000avond"}))
    assert nul.status_code == 422
    assert "NUL" in nul.json()["errors"]["title"][0]
    far = payload(
        calendar={
            "type": "periodic",
            "period_start": "0001-01-01",
            "time_slots": [
                {"start": "9999-12-31T20:00:00+01:00", "end": "9999-12-31T22:00:00+01:00"}
            ],
            "exception_dates": ["0001-01-02"],
        }
    )
    response = partner.send("post", "/events", far)
    assert response.status_code == 422
    errors = response.json()["errors"]
    for field in ("period_start", "time_slots", "exception_dates"):
        assert errors[field] == ["Enter a date between 1900 and 2199."], errors
    assert partner.send("post", "/events", [1, 2]).status_code == 422
    assert not Event.objects.exists()


def test_untrusted_partner_cannot_set_facilities_but_a_trusted_one_can():
    response = Partner().send("post", "/events", payload(facilities=["wheelchair-accessible"]))
    assert response.status_code == 403 and "facilities" in response.json()["detail"]
    assert not Event.objects.exists()
    trusted = Partner(is_trusted=True).send(
        "post", "/events", payload(facilities=["wheelchair-accessible"], submit=True)
    )
    assert trusted.status_code == 201
    body = trusted.json()
    assert (
        body["moderation"] == "approved"
        and body["facilities"][0]["code"] == "wheelchair-accessible"
    )


def test_update_submit_status_and_delete_own_events():
    partner = Partner()
    event = partner.draft()
    updated = partner.send("put", f"/events/{event.pk}", payload(title={"nl": "Nieuwe titel"}))
    assert updated.status_code == 200 and updated.json()["title_text"] == "Nieuwe titel"
    assert partner.send("post", f"/events/{event.pk}/submit").json()["moderation"] == "ready"
    assert partner.send("post", f"/events/{event.pk}/submit").status_code == 422
    no_reason = partner.send("post", f"/events/{event.pk}/status", {"status": "cancelled"})
    assert no_reason.status_code == 422 and "status_reason" in no_reason.json()["errors"]
    cancelled = partner.send(
        "post", f"/events/{event.pk}/status", {"status": "cancelled", "reason": {"nl": "Ziek"}}
    )
    assert cancelled.json()["status"] == "cancelled"
    assert (
        partner.send("delete", f"/events/{event.pk}").status_code == 422
    )  # submitted: cancel instead
    draft = partner.draft()
    assert partner.send("delete", f"/events/{draft.pk}").status_code == 204
    assert not Event.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("put", "", "payload"),
        ("post", "/submit", None),
        ("post", "/status", {"status": "cancelled", "reason": {"nl": "Weg"}}),
        ("delete", "", None),
    ],
)
def test_another_organisations_event_is_404_and_unchanged(method: str, suffix: str, body: Any):
    owner, intruder = Partner(), Partner()
    event = owner.draft()
    before = Event.objects.filter(pk=event.pk).values().get()
    response = intruder.send(
        method, f"/events/{event.pk}{suffix}", payload() if body == "payload" else body
    )
    assert response.status_code == 404
    assert Event.objects.filter(pk=event.pk).values().get() == before


def test_partner_list_shows_own_events_in_every_state():
    partner, other = Partner(), Partner()
    draft = partner.draft()
    published = published_event(organisation=partner.org)
    other.draft()
    body = partner.send("get", "/events").json()
    assert {i["id"] for i in body["items"]} == {draft.pk, published.pk} and body["total"] == 2
    approved = partner.send("get", "/events?moderation=approved").json()
    assert [i["id"] for i in approved["items"]] == [published.pk]
    assert approved["items"][0]["moderation"] == ModerationState.APPROVED


def test_a_former_member_token_is_refused_by_the_service():
    partner = Partner()
    event = partner.draft()
    partner.user.memberships.all().delete()
    response = partner.send("put", f"/events/{event.pk}", payload())
    assert response.status_code == 403 and response.json()["detail"]


def test_a_partner_can_get_change_and_put_back_the_calendar():
    partner = Partner()
    created = partner.send("post", "/events", payload()).json()
    calendar = created["calendar"]
    assert calendar["type"] == "single" and len(calendar["time_slots"]) == 1
    assert created["place_id"] is not None
    later = at(20)
    calendar["time_slots"][0].update(
        start=later.isoformat(), end=(later + timedelta(hours=1)).isoformat()
    )
    body = payload(place_id=created["place_id"], calendar=calendar)
    updated = partner.send("put", f"/events/{created['id']}", body)
    assert updated.status_code == 200, updated.content
    assert updated.json()["occurrences"][0]["start"].startswith(later.date().isoformat())
    assert updated.json()["sequence"] == 1
