"""A NUL character in an address is a bad request everywhere, before any view looks it up."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/id/object/%00",  # looked up in the database: PostgreSQL stores no NUL
        "/api/places/%00",
        "/en/collection/object/a%00b/",
        "/en/search/?q=%00",
        "/en/agenda/?discipline=music&q=a%00",
    ],
)
def test_a_nul_in_the_path_or_query_is_a_400_with_a_message(path: str) -> None:
    response = Client(headers={"Accept-Language": "en"}).get(path)  # for /id/ and /api/
    assert response.status_code == 400
    text = response.json()["detail"] if path.startswith("/api/") else response.content.decode()
    assert text == "A web address cannot contain a NUL character."


def test_in_dutch_on_dutch_pages_and_ordinary_addresses_pass() -> None:
    response = Client().get("/nl/search/?q=%00")
    assert response.content.decode() == "Een webadres kan geen NUL-teken bevatten."
    assert Client().get("/nl/search/?q=00%20jazz").status_code == 200


def test_oai_pmh_and_iiif_answer_with_their_own_errors() -> None:
    response = Client().get(
        "/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "\x00"}
    )
    assert response.status_code == 200
    assert b'code="badArgument"' in response.getvalue()
    manifest = Client().get("/iiif/object/%00/manifest.json")
    assert manifest.status_code == 404 and manifest.json()["detail"]


@pytest.mark.parametrize("query", ["created_at__year=9999", "created_at__year=" + "9" * 25])
def test_an_impossible_admin_date_hierarchy_year_is_the_admins_wrong_filter_answer(
    query: str,
) -> None:
    from tests.factories import make_user

    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get(f"/en/admin/agenda/event/?{query}")
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/agenda/event/?e=1"
    assert client.get(response["Location"]).status_code == 200
    fine = client.get("/en/admin/agenda/event/?created_at__year=2026&created_at__month=11")
    assert fine.status_code == 200
