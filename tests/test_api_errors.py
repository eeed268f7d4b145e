"""The API's error messages follow Accept-Language, including input pydantic refuses.

`config/api.py` answers {"detail", "errors"}; `reisgezel/core/api_errors.py` turns
pydantic's English error list into messages in the request's language (Dutch when the
request names none) and falls back to pydantic's own text for an error it does not know.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel, Field, ValidationError

from reisgezel.accounts.models import MemberRole
from reisgezel.accounts.services import api_token_create
from reisgezel.agenda.models import Event
from reisgezel.core.api_errors import error_message
from tests.factories import at, make_organisation, make_place, member_of

pytestmark = pytest.mark.django_db

LANGUAGES = ["nl", "en", "de", "fr"]

NOT_VALID = {
    "nl": "Het verzoek is niet geldig.",
    "en": "The request is not valid.",
    "de": "Die Anfrage ist nicht gültig.",
    "fr": "La requête n’est pas valide.",  # noqa: RUF001 (French apostrophe)
}
WHOLE_NUMBER = {
    "nl": "Vul een heel getal in.",
    "en": "Enter a whole number.",
    "de": "Geben Sie eine ganze Zahl ein.",
    "fr": "Saisissez un nombre entier.",
}
REQUIRED = {
    "nl": "Dit veld is verplicht.",
    "en": "This field is required.",
    "de": "Dieses Feld ist erforderlich.",
    "fr": "Ce champ est obligatoire.",
}
AT_MOST_200_CHARACTERS = {
    "nl": "Gebruik hoogstens 200 tekens.",
    "en": "Use at most 200 characters.",
    "de": "Verwenden Sie höchstens 200 Zeichen.",
    "fr": "Utilisez 200 caractères au plus.",
}


def client(lang: str, **headers: str) -> Client:
    return Client(headers={"Accept-Language": lang, **headers})


def partner_client(lang: str) -> Client:
    org = make_organisation()
    user = member_of(org, role=MemberRole.ADMIN)
    _token, key = api_token_create(organisation=org, user=user, name="site")
    return client(lang, Authorization=f"Bearer {key}")


def event_payload(**overrides: Any) -> dict[str, Any]:
    start = at(12)
    data: dict[str, Any] = {
        "title": {"nl": "Koorconcert"},
        "disciplines": ["music"],
        "place_id": make_place().pk,
        "is_free": True,
        "calendar": {
            "type": "single",
            "time_slots": [
                {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
            ],
        },
    }
    data.update(overrides)
    return data


def post_event(partner: Client, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return partner.post("/api/partner/events", data, content_type="application/json")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_query_parameter_that_is_no_integer(lang: str):
    response = client(lang).get("/api/places", {"page": "two"})
    assert response.status_code == 422
    assert response.json() == {"detail": NOT_VALID[lang], "errors": {"page": [WHOLE_NUMBER[lang]]}}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_missing_field_and_a_too_long_text_in_a_body(lang: str):
    body = event_payload(online_url="https://example.org/" + "x" * 300)
    del body["calendar"]
    response = post_event(partner_client(lang), body)
    assert response.status_code == 422
    assert response.json() == {
        "detail": NOT_VALID[lang],
        "errors": {
            "online_url": [AT_MOST_200_CHARACTERS[lang]],
            "calendar": [REQUIRED[lang]],
        },
    }
    assert not Event.objects.exists()


def test_limits_and_choices_are_filled_in_from_the_error():
    nl = client("nl")
    assert nl.get("/api/places", {"page": "0"}).json()["errors"] == {
        "page": ["Vul een waarde van minstens 1 in."]
    }
    assert client("de").get("/api/places", {"page": "10001"}).json()["errors"] == {
        "page": ["Geben Sie einen Wert von höchstens 10000 ein."]
    }
    body = event_payload(audience="all", age_min=3.5, base_price="12345678.123")
    errors = post_event(partner_client("fr"), body).json()["errors"]
    assert errors == {
        "audience": ["Choisissez l’une de ces valeurs : 'everyone', 'members', 'schools'."],  # noqa: RUF001
        "age_min": ["Saisissez un nombre entier, sans décimales."],
        "base_price": ["Utilisez 7 chiffres au plus en tout."],
    }


def test_dates_times_and_unknown_fields():
    calendar = {
        "type": "periodic",
        "period_start": "2026-13-01",
        "time_slots": [{"start": "2026-05-01T20:00:00", "end": "later"}],
        "weekly": [{"weekday": 0, "opens": "25:00", "closes": "22:00"}],
    }
    body = event_payload(calendar=calendar, colour="red")
    errors = post_event(partner_client("nl"), body).json()["errors"]
    assert errors == {
        "colour": ["Dit veld is onbekend: laat het weg."],
        "calendar.period_start": ["Vul een geldige datum in."],
        "calendar.time_slots.0.start": [
            "Geef de tijd met het verschil ten opzichte van UTC, bijv. 2026-05-01T20:00:00+02:00."
        ],
        "calendar.time_slots.0.end": [
            "Vul een geldige datum en tijd in, bijv. 2026-05-01T20:00:00+02:00."
        ],
        "calendar.weekly.0.opens": ["Vul een geldige tijd in, bijv. 20:00."],
    }


def test_our_own_validators_answer_in_the_language_without_pydantics_prefix():
    body = event_payload(title={"nl": "Koor\u0000avond"})
    response = post_event(partner_client("de"), body)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "title": ["Text darf keine NUL-Zeichen (U+0000) enthalten."]
    }


@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        ("nl", "De inhoud van het verzoek is geen geldige JSON."),
        ("en", "The request body is not valid JSON."),
        ("fr", "Le corps de la requête n’est pas du JSON valide."),  # noqa: RUF001
    ],
)
def test_a_body_that_is_no_json_is_a_400_with_a_translated_detail(lang: str, detail: str):
    response = post_event(partner_client(lang), "{not json")
    assert response.status_code == 400
    assert response.json() == {"detail": detail, "errors": {}}


def test_a_missing_token_is_a_401_with_a_translated_detail():
    response = client("de").get("/api/partner/events")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Geben Sie einen gültigen API-Schlüssel an (Authorization: Bearer rg_...).",
        "errors": {},
    }


def test_a_broken_service_rule_has_a_translated_detail():
    response = post_event(partner_client("fr"), event_payload(age_min=12, age_max=6))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Les données ne sont pas valides."
    assert set(body["errors"]) == {"age_max"}


def test_without_accept_language_the_messages_are_dutch():
    response = Client().get("/api/places", {"page": "two"})
    assert response.json()["errors"] == {"page": ["Vul een heel getal in."]}


class _Unmapped(BaseModel):
    code: str = Field(pattern=r"^[a-z]+$")
    name: str = Field(max_length=3)


def _pydantic_errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        _Unmapped.model_validate(data)
    return [dict(error) for error in caught.value.errors(include_url=False)]


def test_an_error_type_without_a_message_keeps_pydantics_own_text():
    (error,) = _pydantic_errors({"code": "A1", "name": "ok"})
    assert error["type"] == "string_pattern_mismatch"  # no message of ours
    assert error_message(error) == "String should match pattern '^[a-z]+$'"


def test_an_error_without_the_context_its_message_needs_does_not_raise():
    (error,) = _pydantic_errors({"code": "ab", "name": "long"})
    assert error_message(error) == "Use at most 3 characters."
    del error["ctx"]
    assert error_message(error) == "String should have at most 3 characters"
    assert error_message({"type": "greater_than", "msg": "too small", "ctx": {}}) == "too small"
    # ninja's cursor pagination reports {"cursor": "Invalid Cursor"}: no type, no msg.
    assert error_message({"cursor": "Invalid Cursor"}) == "This value is not valid."


def test_filter_errors_of_events_and_courses_are_translated():
    events = client("de").get("/api/events", {"date_from": "9999-12-31"})
    assert events.status_code == 400
    assert events.json()["detail"] == "Die Filter sind nicht gültig."
    courses = client("fr").get(
        "/api/learning/courses", {"age": "200", "page": "0", "per_page": "7", "level": "x"}
    )
    assert courses.status_code == 400
    assert courses.json() == {
        "detail": "Les filtres ne sont pas valides.",
        "errors": {
            "level": ["« x » n’est pas une valeur connue."],  # noqa: RUF001
            "age": ["Indiquez un âge en nombre entier de 0 à 120."],
            "page": ["Indiquez un numéro de page à partir de 1."],
            "per_page": ["Choisissez 10, 20, 50 ou 100 par page."],
        },
    }


@pytest.mark.parametrize(
    ("path", "lang", "detail"),
    [
        (
            "/api/events/987654321",
            "en",
            "No published event with this id.",
        ),
        ("/api/places/nowhere", "nl", "Op dit adres is niets gevonden."),
        ("/api/learning/courses/nowhere", "de", "Kein veröffentlichter Kurs unter dieser Adresse."),
    ],
)
def test_not_found_says_what_in_the_language(path: str, lang: str, detail: str):
    response = client(lang).get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("path", "template", "status"),
    [
        ("/api/places/nowhere", "/api/places/{slug}", "404"),
        ("/api/organisers/nobody", "/api/organisers/{slug}", "404"),
        (
            "/api/stories/00000000-0000-0000-0000-000000000000",
            "/api/stories/{story_id}",
            "404",
        ),
        ("/api/stories/not-a-uuid", "/api/stories/{story_id}", "422"),
        ("/api/places?page=0", "/api/places", "422"),
    ],
)
def test_the_schema_declares_the_error_statuses_the_endpoints_answer(
    path: str, template: str, status: str
) -> None:
    from reisgezel.agenda.management.commands.export_openapi import mounted_api

    schema = json.loads(json.dumps(mounted_api().get_openapi_schema()))  # keys as served
    response = Client().get(path)
    assert str(response.status_code) == status
    assert set(response.json()) == {"detail", "errors"}
    assert status in schema["paths"][template]["get"]["responses"]


def test_the_schema_describes_the_stories() -> None:
    from reisgezel.agenda.management.commands.export_openapi import mounted_api

    schema = json.loads(json.dumps(mounted_api().get_openapi_schema()))  # keys as served
    for path in ("/api/stories", "/api/stories/{story_id}"):
        ok = schema["paths"][path]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"], path
