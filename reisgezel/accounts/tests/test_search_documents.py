"""Organisations as search documents, and how staff find organisations, users and tokens.

Organisations are made through `organisation_create`, as the demo and staff make them;
the index is written after commit, so each write runs inside
django_capture_on_commit_callbacks(execute=True).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reisgezel.accounts.models import ApiToken, MemberRole, Organisation, OrganisationKind
from reisgezel.accounts.search import ORGANISATION_DOCUMENTS
from reisgezel.accounts.services import api_token_create, organisation_create
from reisgezel.core.models import Term
from reisgezel.search.models import SearchDocument
from reisgezel.search.query import search
from reisgezel.search.tests.helpers import facets_of
from tests.factories import make_user, member_of

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def _create(capture: Capture, name: str, **fields: Any) -> Organisation:
    fields.setdefault("kind", OrganisationKind.ASSOCIATION)
    with capture(execute=True):
        return organisation_create(name=name, **fields)


def _listed(client: Client, model: str, text: str) -> set[str]:
    response = client.get(reverse(f"admin:accounts_{model}_changelist"), {"q": text})
    assert response.status_code == 200
    return {str(row) for row in response.context["cl"].result_list}


def _public(text: str) -> list[int]:
    return [hit.object_id for hit in search(text=text, doc_types=["organisation"]).hits]


def test_a_new_organisation_is_indexed_with_its_kind_and_disciplines(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    music = Term.objects.get(kind="discipline", code="music")
    org = _create(
        django_capture_on_commit_callbacks,
        "Harmonie Sint-Pieter",
        description={"nl": "Blaasmuziek sinds 1885.", "en": "Wind music since 1885."},
        disciplines=[music],
    )

    document = SearchDocument.objects.get(doc_type="organisation", object_id=org.pk)
    assert document.url == "/nl/organisers/harmonie-sint-pieter/"
    assert document.public
    assert facets_of(document) == {"kind": ["association"], "discipline": ["music"]}
    assert document.summary["en"] == "Association or amateur group Wind music since 1885. Music"
    with translation.override("nl"):
        kind_nl = str(OrganisationKind.ASSOCIATION.label)
    assert document.summary["nl"].startswith(f"{kind_nl} Blaasmuziek sinds 1885.")
    for text in ("harmonie", "blaasmuziek", "music", "muziek", "association", "sint pieter"):
        assert _public(text) == [org.pk], text


def test_inactive_organisations_are_found_by_staff_only(
    staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    org = _create(django_capture_on_commit_callbacks, "Kunstkring Oud Wyck", is_active=False)

    assert _public("kunstkring") == []
    assert SearchDocument.objects.get(object_id=org.pk, doc_type="organisation").public is False
    assert _listed(staff, "organisation", "kunstkring") == {"Kunstkring Oud Wyck"}


def test_admin_search_finds_inflections_and_accents_through_the_index(
    staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    capture = django_capture_on_commit_callbacks
    _create(
        capture,
        "Stichting Beeldende Kunstenaars Limburg",
        description={"nl": "Ateliers en tentoonstellingen."},
        email="info@sbkl.example.org",
    )
    _create(capture, "Théâtre Sans Frontières", kind=OrganisationKind.COMPANY)
    _create(capture, "Kumulus", kind=OrganisationKind.HOUSE)

    assert _listed(staff, "organisation", "kunstenaar") == {
        "Stichting Beeldende Kunstenaars Limburg"
    }
    assert _listed(staff, "organisation", "tentoonstelling") == {
        "Stichting Beeldende Kunstenaars Limburg"
    }
    assert _listed(staff, "organisation", "theatre frontieres") == {"Théâtre Sans Frontières"}
    assert _listed(staff, "organisation", "kumul") == {"Kumulus"}  # the word being typed
    # Exact slug or e-mail, as they are written elsewhere (case does not matter).
    assert _listed(staff, "organisation", "INFO@sbkl.example.org") == {
        "Stichting Beeldende Kunstenaars Limburg"
    }
    assert _listed(staff, "organisation", "theatre-sans-frontieres") == {"Théâtre Sans Frontières"}
    # No substring search: a piece of the e-mail address is not the address.
    assert _listed(staff, "organisation", "sbkl") == set()


def test_admin_edits_and_deletes_keep_the_index_in_step(
    staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    org = _create(django_capture_on_commit_callbacks, "Fanfare Wyck")
    music = Term.objects.get(kind="discipline", code="music")
    data = {
        "name": "Koninklijke Fanfare Wyck",
        "slug": org.slug,
        "kind": OrganisationKind.ASSOCIATION,
        "description_nl": "Fanfare uit Wyck.",
        "disciplines": [music.pk],
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("admin:accounts_organisation_change", args=[org.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    document = SearchDocument.objects.get(doc_type="organisation", object_id=org.pk)
    assert document.title["nl"] == "Koninklijke Fanfare Wyck"
    assert facets_of(document)["discipline"] == ["music"]  # saved after the organisation
    assert _public("koninklijk") == [org.pk]

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("admin:accounts_organisation_delete", args=[org.pk]), {"post": "yes"})
    assert not Organisation.objects.exists()
    assert not SearchDocument.objects.filter(doc_type="organisation").exists()


def test_tokens_are_found_by_their_organisation_or_exact_prefix(
    staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    capture = django_capture_on_commit_callbacks
    jazz = _create(capture, "Jazzclub Maastricht")
    choir = _create(capture, "Mannenkoor Sint-Servaas")
    jazz_token, jazz_key = api_token_create(
        organisation=jazz, user=member_of(jazz, role=MemberRole.ADMIN), name="website"
    )
    api_token_create(
        organisation=choir, user=member_of(choir, role=MemberRole.ADMIN), name="website"
    )

    assert _listed(staff, "apitoken", "jazzclubs") == {str(jazz_token)}
    assert _listed(staff, "apitoken", jazz_key[:10]) == {str(jazz_token)}
    assert _listed(staff, "apitoken", jazz_key[3:8]) == set()
    assert ApiToken.objects.count() == 2


def test_users_are_found_by_exact_username_or_email(staff: Client) -> None:
    org = _create_plain("Kamerorkest")
    anna = member_of(org, username="anna.devries", email="anna@example.org", display_name="Anna")
    member_of(_create_plain("Strijkkwartet"), username="annabel", display_name="Annabel")

    assert _listed(staff, "user", "Anna.DeVries") == {str(anna)}
    assert _listed(staff, "user", "ANNA@example.org") == {str(anna)}
    assert _listed(staff, "user", "anna") == set()
    response = staff.get(
        reverse("admin:accounts_user_changelist"), {"memberships__organisation__id__exact": org.pk}
    )
    assert {row.pk for row in response.context["cl"].result_list} == {anna.pk}


def _create_plain(name: str) -> Organisation:
    return organisation_create(name=name, kind=OrganisationKind.ASSOCIATION)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_search_page_links_to_the_organiser_page_in_the_visitors_language(
    client: Client, django_capture_on_commit_callbacks: Capture, lang: str
) -> None:
    _create(
        django_capture_on_commit_callbacks,
        "Harmonie Sint-Pieter",
        description={"nl": "Blaasmuziek.", "en": "Wind music."},
    )
    with translation.override(lang):
        url = reverse("search:results") + "?q=harmonie"
        page_url = reverse("agenda:organiser", kwargs={"slug": "harmonie-sint-pieter"})
        label = str(ORGANISATION_DOCUMENTS.label)
        kind = str(OrganisationKind.ASSOCIATION.label)
    response = client.get(url)

    page = response.context["search"]
    assert [(group.label, [hit.url for hit in group.hits]) for group in page.groups] == [
        (label, [page_url])
    ]
    html = response.content.decode()
    assert page_url.startswith(f"/{lang}/")
    assert f'href="{page_url}"' in html
    assert f'<h2 id="results-organisation">{label} ' in html
    assert kind in html  # the snippet says what kind of organisation it is
    assert client.get(page_url).status_code == 200


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm needs PostgreSQL")
def test_admin_search_tolerates_typos_on_postgresql(
    staff: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _create(django_capture_on_commit_callbacks, "Philharmonie Zuidnederland")
    _create(django_capture_on_commit_callbacks, "Natuurhistorisch Genootschap Limburg")

    assert _listed(staff, "organisation", "filharmonie") == {"Philharmonie Zuidnederland"}
    assert _listed(staff, "organisation", "natuurhistorish genootschap") == {
        "Natuurhistorisch Genootschap Limburg"
    }
