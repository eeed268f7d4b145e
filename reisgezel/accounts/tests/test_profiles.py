"""The organisation profile: its rules, who may change it, its database checks and its
search document (facets for neighbourhood and joining)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.accounts.profiles import ProfileInput, organisation_profile_update
from reisgezel.core.i18n import LanguageMap
from reisgezel.core.models import AuditEntry
from reisgezel.places.models import District, Neighbourhood
from reisgezel.search.models import SearchDocument
from reisgezel.search.query import search
from reisgezel.search.registry import index_later
from reisgezel.search.tests.helpers import facets_of
from tests.factories import make_organisation, make_user, member_of

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


def buurt(name: str) -> Neighbourhood:
    district, _ = District.objects.get_or_create(
        code="WK1", defaults={"name": "Noordwest", "slug": "noordwest", "geometry": {}}
    )
    return Neighbourhood.objects.create(
        code=f"BU{name[:6]}", name=name, slug=name.lower(), district=district, geometry={}
    )


def choir_profile(**overrides: Any) -> ProfileInput:
    values: dict[str, Any] = {
        "description": LanguageMap(nl="Wij zingen liederen in het Mestreechs."),
        "audience": LanguageMap(nl="Iedereen die graag zingt", en="Everyone who likes to sing"),
        "age_min": 16,
        "age_max": 99,
        "contact_person": "Maria Janssen",
        "open_for_members": True,
        "members_note": LanguageMap(nl="We repeteren op dinsdag; nieuwe tenoren welkom."),
        "wants_volunteers": False,
    }
    values.update(overrides)
    return ProfileInput(**values)


def test_a_member_saves_the_profile_which_is_audited() -> None:
    org = make_organisation(kind=OrganisationKind.ASSOCIATION)
    malberg = buurt("Malberg")
    member = member_of(org)
    organisation_profile_update(
        actor=member, organisation=org, data=choir_profile(active_in=[malberg])
    )
    org = Organisation.objects.get(pk=org.pk)
    assert org.open_for_members and not org.wants_volunteers
    assert org.members_note["nl"].startswith("We repeteren op dinsdag")
    assert (org.age_min, org.age_max, org.contact_person) == (16, 99, "Maria Janssen")
    assert list(org.active_in.all()) == [malberg]
    assert AuditEntry.objects.filter(action="organisation.profile", actor=member).exists()


@pytest.mark.parametrize("who", ["resident", "other_member", "anonymous"])
def test_only_members_and_staff_change_a_profile(who: str) -> None:
    org = make_organisation()
    actor: Any = {
        "resident": lambda: make_user(),
        "other_member": lambda: member_of(make_organisation()),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDenied):
        organisation_profile_update(actor=actor, organisation=org, data=choir_profile())
    organisation_profile_update(
        actor=make_user(is_staff=True), organisation=org, data=choir_profile()
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"age_min": 40, "age_max": 12}, "age_max"),
        ({"age_min": -1}, "age_min"),
        ({"age_max": 130}, "age_max"),
        ({"members_note": LanguageMap(en="New tenors welcome")}, "members_note"),
        ({"audience": LanguageMap(fr="Tout le monde")}, "audience"),
    ],
)
def test_invalid_profiles_are_refused_per_field(overrides: dict[str, Any], field: str) -> None:
    org = make_organisation()
    with pytest.raises(ValidationError) as exc:
        organisation_profile_update(
            actor=member_of(org), organisation=org, data=choir_profile(**overrides)
        )
    assert field in exc.value.message_dict


def test_the_database_refuses_an_inverted_age_range() -> None:
    org = make_organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=org.pk).update(age_min=50, age_max=10)


def test_the_search_document_carries_the_profile(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    org = make_organisation(name="Buurtkoor Malberg", slug="buurtkoor-malberg")
    pottenberg = buurt("Pottenberg")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_profile_update(
            actor=member_of(org),
            organisation=org,
            data=choir_profile(
                active_in=[pottenberg],
                wants_volunteers=True,
                volunteers_note=LanguageMap(nl="Hulp bij de kassa gezocht."),
            ),
        )
    document = SearchDocument.objects.get(doc_type="organisation", object_id=org.pk)
    assert facets_of(document)["neighbourhood"] == ["pottenberg"]
    assert facets_of(document)["joining"] == ["open_for_members", "wants_volunteers"]
    for text in ("tenoren", "kassa", "Pottenberg", "zingt"):
        hits = search(text=text, doc_types=["organisation"]).hits
        assert [hit.object_id for hit in hits] == [org.pk], text


def test_staff_edit_the_profile_in_the_admin() -> None:
    org = make_organisation()
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get(f"/en/admin/accounts/organisation/{org.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="open_for_members"' in body and 'name="audience_nl"' in body
    listing = client.get("/en/admin/accounts/organisation/?open_for_members__exact=1")
    assert listing.status_code == 200


def test_an_organisation_follows_the_rename_of_its_home_place(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reisgezel.places.services import place_update
    from reisgezel.search.query import search
    from tests.factories import make_place

    place = make_place(name="Timmerfabriek")
    with django_capture_on_commit_callbacks(execute=True):
        org = make_organisation(name="Koor Sint Servaas", home_place=place)
        index_later("organisation", [org.pk])
    assert search(text="timmerfabriek ", doc_types=["organisation"]).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        place_update(place=place, name="Lumière Cinema")
    hits = search(text="lumiere ", doc_types=["organisation"]).hits
    assert [hit.object_id for hit in hits] == [org.pk]
    assert search(text="timmerfabriek ", doc_types=["organisation"]).total == 0
