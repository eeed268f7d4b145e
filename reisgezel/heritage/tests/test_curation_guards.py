"""What curators' edits and re-imports must not undo: a sensitive find site stays
generalised, a persistent identifier never changes or comes back, and only staff who
may change records run the admin's actions."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from reisgezel.heritage.models import (
    Collection,
    CollectionKind,
    HeritageObject,
    Specimen,
    Tombstone,
)
from reisgezel.heritage.records import ObjectRecord, SpecimenRecord, object_upsert
from reisgezel.heritage.tests.test_admin_heritage import ADMIN, _object_form
from tests.factories import UserFactory
from tests.heritage_factories import CollectionFactory, ObjectFactory, make_image

pytestmark = pytest.mark.django_db


def _mosasaur(**changes: object) -> ObjectRecord:
    specimen = SpecimenRecord(
        basis_of_record="FossilSpecimen",
        scientific_name="Mosasaurus hoffmanni",
        locality="Groeve 3, wand noord",
        latitude=Decimal("50.8241"),
        longitude=Decimal("5.6869"),
    )
    record = ObjectRecord(
        source_id="N-1",
        collection="natural-history",
        inventory_number="N 1",
        title={"nl": "Mosasaurus"},
        specimen=specimen,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def test_a_re_import_keeps_a_curators_sensitive_locality() -> None:
    Collection.objects.create(
        code="natural-history",
        kind=CollectionKind.NATURAL_HISTORY,
        name={"nl": "Natuurhistorie"},
        institution="NHMM",
    )
    object_upsert(_mosasaur(), source="dwca", actor=None)
    Specimen.objects.update(locality_is_sensitive=True)  # flagged in the admin
    object_upsert(_mosasaur(title={"nl": "Mosasaurus hoffmanni"}), source="dwca", actor=None)
    specimen = Specimen.objects.get()
    assert specimen.locality_is_sensitive
    assert specimen.public_locality() != "Groeve 3, wand noord"


@pytest.fixture
def curator() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_a_persistent_identifier_cannot_be_changed_in_the_admin(curator: Client) -> None:
    obj = ObjectFactory(pid="cc-old")
    form = _object_form(obj.collection.pk, pid="cc-new", inventory_number=obj.inventory_number)
    curator.post(f"{ADMIN}/heritageobject/{obj.pk}/change/", form)
    obj.refresh_from_db()
    assert obj.pid == "cc-old"  # read-only on the change form: the posted value is ignored


def test_a_deleted_objects_identifier_is_not_given_to_a_new_one(curator: Client) -> None:
    collection = CollectionFactory()
    Tombstone.objects.create(pid="cc-gone", collection_code="ceramics", deleted_at=timezone.now())
    response = curator.post(
        f"{ADMIN}/heritageobject/add/", _object_form(collection.pk, pid="cc-gone")
    )
    assert response.status_code == 200
    assert "pid" in response.context["adminform"].form.errors
    assert not HeritageObject.objects.filter(pid="cc-gone").exists()


def test_staff_who_may_only_view_run_no_actions(client: Client) -> None:
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_heritageobject"))
    client.force_login(viewer)
    obj = ObjectFactory(is_public=True)
    client.post(f"{ADMIN}/heritageobject/", {"action": "unpublish", "_selected_action": [obj.pk]})
    obj.refresh_from_db()
    assert obj.is_public


def test_every_admin_action_needs_the_change_permission() -> None:
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or ():  # Django's delete_selected is not listed
            func = getattr(model_admin, action) if isinstance(action, str) else action
            allowed = getattr(func, "allowed_permissions", ())
            assert "change" in allowed, f"{model.__name__}: action {action}"


def test_an_exhibit_shows_no_image_of_an_object_that_is_not_public(client: Client) -> None:
    from reisgezel.heritage.models import Exhibit, ExhibitSection

    hidden = ObjectFactory(is_public=False, pid="cc-hidden-1")
    media = make_image(hidden)
    exhibit = Exhibit.objects.create(
        slug="aardewerk", title={"nl": "Aardewerk"}, is_public=True, cover=media
    )
    ExhibitSection.objects.create(exhibit=exhibit, heading={"nl": "Borden"}, media=media)
    for path, accept in (
        ("/nl/collection/exhibits/aardewerk/", "text/html"),
        ("/nl/collection/exhibits/", "text/html"),
        ("/id/exhibit/aardewerk", "application/ld+json"),
        ("/iiif/exhibit/aardewerk.json", "application/json"),
    ):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, path
        text = response.content.decode()
        assert str(media.file.name) not in text and media.key.hex not in text, path


def _oai_identifiers(client: Client, since: str) -> str:
    response = client.get(
        "/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": since}
    )
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def test_a_renamed_maker_moves_the_datestamp_of_its_objects(client: Client) -> None:
    from datetime import timedelta

    from reisgezel.heritage import editing
    from reisgezel.heritage.models import MakerRole, ObjectAgent
    from tests.heritage_factories import AgentFactory

    obj = ObjectFactory(pid="cc-regout-1")
    agent = AgentFactory(name="Sphinx")
    ObjectAgent.objects.create(object=obj, agent=agent, role=MakerRole.MANUFACTURER)
    now = timezone.now()
    HeritageObject.objects.filter(pk=obj.pk).update(updated_at=now - timedelta(days=2))
    since = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "cc-regout-1" not in _oai_identifiers(client, since)
    agent.name = "Petrus Regout & Co"
    editing.record_save(record=agent, actor=None, created=False, changed=["name"])
    assert "cc-regout-1" in _oai_identifiers(client, since)


def test_an_image_whose_tiling_settles_moves_its_objects_datestamp(
    settings: object, tmp_path: object
) -> None:
    from datetime import timedelta

    from reisgezel.heritage.tasks import make_tiles

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    obj = ObjectFactory()
    media = make_image(obj, ready=False)  # no file: tiling fails, which the records show too
    before = timezone.now() - timedelta(days=2)
    HeritageObject.objects.filter(pk=obj.pk).update(updated_at=before)
    make_tiles.call(media_id=media.pk)
    obj.refresh_from_db()
    assert obj.updated_at > before + timedelta(days=1)


def test_a_collections_code_stays_once_it_holds_objects(curator: Client) -> None:
    obj = ObjectFactory()
    page = curator.get(f"{ADMIN}/collection/{obj.collection.pk}/change/")
    assert 'name="code"' not in page.content.decode()
    empty = CollectionFactory(code="archeologie")
    page = curator.get(f"{ADMIN}/collection/{empty.pk}/change/")
    assert 'name="code"' in page.content.decode()


def test_structured_data_names_the_iiif_manifest_only_once_it_answers(client: Client) -> None:
    from reisgezel.heritage.models import MediaFile, TileState

    obj = ObjectFactory(pid="cc-tiles-1", is_public=True)
    media = make_image(obj, ready=False)
    for accept in (
        "application/ld+json",
        'application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"',
    ):
        document = client.get(f"/id/object/{obj.pid}", headers={"Accept": accept}).content
        assert b"manifest.json" not in document, accept
    assert client.get(f"/iiif/object/{obj.pid}/manifest.json").status_code == 404
    MediaFile.objects.filter(pk=media.pk).update(tile_state=TileState.READY)
    ready = client.get(f"/id/object/{obj.pid}", headers={"Accept": "application/ld+json"})
    assert b"manifest.json" in ready.content
