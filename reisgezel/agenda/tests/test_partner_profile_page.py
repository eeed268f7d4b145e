"""The partner page where members edit their organisation's profile, and what the
directory and the organiser page show of it (filters that work without JavaScript)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.accounts.profiles import ProfileInput, organisation_profile_update
from reisgezel.core.i18n import LanguageMap
from reisgezel.places.models import District, Neighbourhood
from tests.factories import make_organisation, make_place, make_user, member_of

pytestmark = pytest.mark.django_db


def buurt(name: str) -> Neighbourhood:
    district, _ = District.objects.get_or_create(
        code="WK1", defaults={"name": "Noordwest", "slug": "noordwest", "geometry": {}}
    )
    return Neighbourhood.objects.create(
        code=f"BU{name[:6]}", name=name, slug=name.lower(), district=district, geometry={}
    )


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description_nl": "Wij zingen in het Mestreechs.",
        "audience_nl": "Iedereen die graag zingt",
        "audience_en": "Everyone who likes to sing",
        "age_min": "16",
        "age_max": "",
        "contact_person": "Maria Janssen",
        "website": "https://koor.example.org",
        "email": "koor@example.org",
        "phone": "043 123 45 67",
        "open_for_members": "on",
        "members_note_nl": "We repeteren op dinsdag; nieuwe tenoren welkom.",
    }
    data.update(overrides)
    return data


def set_profile(org: Organisation, **values: Any) -> None:
    organisation_profile_update(
        actor=make_user(is_staff=True), organisation=org, data=ProfileInput(**values)
    )


def test_a_member_edits_the_profile_on_the_partner_page() -> None:
    org = make_organisation(slug="buurtkoor")
    malberg = buurt("Malberg")
    client = logged_in(member_of(org))
    url = "/en/partners/buurtkoor/profile/"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(active_in=[malberg.pk]))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.open_for_members and org.age_min == 16 and org.age_max is None
    assert org.audience == {"nl": "Iedereen die graag zingt", "en": "Everyone who likes to sing"}
    assert list(org.active_in.all()) == [malberg]
    assert "/en/partners/buurtkoor/profile/" in client.get("/en/partners/").content.decode()


def test_invalid_input_is_shown_in_a_linked_error_summary() -> None:
    org = make_organisation(slug="buurtkoor", age_min=None)
    client = logged_in(member_of(org))
    response = client.post(
        "/en/partners/buurtkoor/profile/",
        form_data(age_min="40", age_max="12", members_note_nl="", members_note_en="Welcome"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_age_max"' in body
    assert 'href="#id_members_note_0"' in body
    org.refresh_from_db()
    assert org.age_min is None and not org.open_for_members


@pytest.mark.parametrize("field", ["disciplines", "active_in"])
def test_an_id_no_database_stores_is_an_unknown_choice(field: str) -> None:
    org = make_organisation(slug="buurtkoor")
    client = logged_in(member_of(org))
    response = client.post(
        "/en/partners/buurtkoor/profile/", form_data(**{field: ["99999999999999999999"]})
    )
    assert response.status_code == 400
    assert "“99999999999999999999” is not a valid value." in response.content.decode()
    org.refresh_from_db()
    assert not org.open_for_members


def test_other_users_cannot_reach_the_profile_page() -> None:
    org = make_organisation(slug="buurtkoor")
    for user in (make_user(), member_of(make_organisation())):
        client = logged_in(user)
        assert client.get("/en/partners/buurtkoor/profile/").status_code == 404
        assert client.post("/en/partners/buurtkoor/profile/", form_data()).status_code == 404
    assert Client().get("/en/partners/buurtkoor/profile/").status_code == 302
    org.refresh_from_db()
    assert not org.open_for_members


def test_the_organiser_page_shows_the_profile() -> None:
    org = make_organisation(slug="buurtkoor", name="Buurtkoor")
    set_profile(
        org,
        description=LanguageMap(nl="Wij zingen."),
        audience=LanguageMap(nl="Iedereen die graag zingt", en="Everyone who likes to sing"),
        age_min=16,
        active_in=[buurt("Malberg")],
        contact_person="Maria Janssen",
        open_for_members=True,
        members_note=LanguageMap(nl="Nieuwe tenoren welkom."),
        wants_volunteers=True,
    )
    body = Client().get("/en/organisers/buurtkoor/").content.decode()
    for text in (
        "Everyone who likes to sing",
        "from 16 years",
        "Malberg",
        "Maria Janssen",
        "Open for new members",
        '<p lang="nl">Nieuwe tenoren welkom.</p>',
        "Looking for volunteers",
    ):
        assert text in body, text


def directory_names(query: str) -> set[str]:
    response = Client().get("/en/organisers/" + query)
    assert response.status_code == 200
    return {e.organisation.name for e in response.context["entries"]}


def test_the_directory_filters_on_joining_neighbourhood_and_kind() -> None:
    malberg, heer = buurt("Malberg"), buurt("Heer")
    choir = make_organisation(name="Koor")
    band = make_organisation(name="Harmonie")
    atelier = make_organisation(name="Atelier", home_place=make_place(neighbourhood=heer))
    make_organisation(name="Schouwburg", kind=OrganisationKind.VENUE)
    set_profile(choir, open_for_members=True, active_in=[malberg])
    set_profile(band, wants_volunteers=True, open_for_members=True)
    assert directory_names("?open_for_members=on") == {"Koor", "Harmonie"}
    assert directory_names("?wants_volunteers=on") == {"Harmonie"}
    assert directory_names("?open_for_members=on&wants_volunteers=on") == {"Harmonie"}
    assert directory_names("?neighbourhood=malberg") == {"Koor"}
    assert directory_names("?neighbourhood=heer") == {"Atelier"}  # at home there
    assert directory_names("?kind=venue") == {"Schouwburg"}
    assert Client().get("/en/organisers/?neighbourhood=atlantis").status_code == 400
    body = Client().get("/en/organisers/?open_for_members=on").content.decode()
    assert 'name="open_for_members"' in body and "checked" in body
    assert atelier.pk
