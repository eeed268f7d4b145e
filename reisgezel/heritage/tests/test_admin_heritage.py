"""The curator's workflow in the admin, driven with the Django test client as staff."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import (
    DialectEntry,
    Exhibit,
    HeritageObject,
    MediaFile,
    Tombstone,
)
from reisgezel.heritage.search import OBJECT_DOCUMENTS
from reisgezel.heritage.services import OBJECT_DOC_TYPE
from reisgezel.search.registry import register
from reisgezel.search.services import documents_index
from tests.factories import UserFactory
from tests.heritage_factories import CollectionFactory, ObjectFactory

pytestmark = pytest.mark.django_db

ADMIN = "/nl/admin/heritage"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
PHOTO = Path(settings.SHARED_DATA_DIR) / "iiif" / "images" / "landscape_6.jpg"


@pytest.fixture
def curator(client: Client) -> Any:
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def media_dirs(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_ROOT = tmp_path / "iiif"
    yield tmp_path


def _audit(action: str, obj: Any) -> list[AuditEntry]:
    target_type = obj._meta.label_lower
    entries = AuditEntry.objects.filter(
        action=action, target_type=target_type, target_id=str(obj.pk)
    )
    return list(entries)


def _translated(name: str, nl: str = "", en: str = "") -> dict[str, str]:
    return {f"{name}_nl": nl, f"{name}_en": en, f"{name}_de": "", f"{name}_fr": ""}


def _inlines(*prefixes: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def _object_form(collection_pk: int, **values: str) -> dict[str, str]:
    data = {
        "pid": "cc-admin-1",
        "inventory_number": "CC-ADM-1",
        "collection": str(collection_pk),
        **_translated("title", "Kom met bloemen", "Bowl with flowers"),
        **_translated("description", "Handbeschilderd."),
        **_translated("provenance"),
        **_translated("credit_line"),
        "date_display": "c. 1850-1870",
        "date_earliest": "",
        "date_latest": "",
        "production_place": "Maastricht",
        "production_place_uri": "",
        "dimensions_display": "",
        "rights_uri": CNE,
        **_inlines("makers", "dimensions", "inscriptions", "specimen", "media"),
    }
    return data | values


def test_people_who_are_not_staff_get_no_admin(client: Client) -> None:
    obj = ObjectFactory()
    for path in (f"{ADMIN}/heritageobject/", f"{ADMIN}/heritageobject/{obj.pk}/change/"):
        assert client.get(path).status_code == 302  # to the login page
    client.force_login(UserFactory(is_staff=False))
    response = client.get(f"{ADMIN}/heritageobject/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(
        f"{ADMIN}/heritageobject/", {"action": "publish", "_selected_action": [obj.pk]}
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def test_every_heritage_list_and_form_opens(client: Client, curator: Any) -> None:
    obj = ObjectFactory()
    for model in (
        "heritageobject",
        "agent",
        "concept",
        "collection",
        "exhibit",
        "exhibitsection",
        "dialectentry",
        "mediafile",
        "tombstone",
    ):
        assert client.get(f"{ADMIN}/{model}/").status_code == 200, model
    assert client.get(f"{ADMIN}/heritageobject/{obj.pk}/change/").status_code == 200
    assert client.get(f"{ADMIN}/heritageobject/add/").status_code == 200
    assert client.get(f"{ADMIN}/mediafile/add/?object={obj.pk}").status_code == 200


def test_the_specimens_occurrence_id_is_explained_as_the_sources_id(
    client: Client, curator: Any
) -> None:
    # The export's occurrenceID is the persistent URI; this field goes out as
    # otherCatalogNumbers (docs/open-data.md), and the form must not say otherwise.
    html = client.get("/en/admin/heritage/heritageobject/add/").content.decode()

    assert "publishes it as otherCatalogNumbers" in html
    assert "Darwin Core occurrenceID." not in html


def test_adding_an_object_parses_the_period_and_is_audited(client: Client, curator: Any) -> None:
    collection = CollectionFactory()
    response = client.post(f"{ADMIN}/heritageobject/add/", _object_form(collection.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    obj = HeritageObject.objects.get(pid="cc-admin-1")
    assert (obj.date_earliest, obj.date_latest) == (1845, 1875)
    entry = AuditEntry.objects.get(action="create", target_id=str(obj.pk))
    assert entry.actor == curator and "date_earliest" in entry.message
    # a change keeps years the curator typed
    data = _object_form(collection.pk, date_earliest="1850", date_latest="1860")
    data |= _translated("title", "Kom met rozen", "Bowl with roses")
    response = client.post(f"{ADMIN}/heritageobject/{obj.pk}/change/", data)
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (str(obj.title), obj.date_earliest, obj.date_latest) == ("Kom met rozen", 1850, 1860)
    assert "title" in AuditEntry.objects.get(action="update", target_id=str(obj.pk)).message


def test_inline_edits_are_audited_on_the_object(client: Client, curator: Any) -> None:
    obj = ObjectFactory(pid="cc-admin-1", inventory_number="CC-ADM-1")
    data = _object_form(obj.collection.pk, date_earliest="1845", date_latest="1875")
    data |= {
        "dimensions-TOTAL_FORMS": "1",
        "dimensions-0-kind": "height",
        "dimensions-0-value": "12.5",
        "dimensions-0-unit": "cm",
    }
    response = client.post(f"{ADMIN}/heritageobject/{obj.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert obj.dimensions.get().value == 12.5
    messages = [e.message for e in _audit("update", obj)]
    assert any(m.startswith("dimensions: 1 added") for m in messages)


def test_publish_and_unpublish_actions(client: Client, curator: Any) -> None:
    hidden = [ObjectFactory(is_public=False) for _ in range(2)]
    changelist = f"{ADMIN}/heritageobject/"
    ids = [o.pk for o in hidden]
    response = client.post(changelist, {"action": "publish", "_selected_action": ids})
    assert response.status_code == 302
    assert HeritageObject.objects.filter(pk__in=ids, is_public=True).count() == 2
    assert all(_audit("publish", o) for o in hidden)
    client.post(changelist, {"action": "unpublish", "_selected_action": ids[:1]})
    assert not HeritageObject.objects.get(pk=ids[0]).is_public
    assert _audit("unpublish", hidden[0])[0].actor == curator


def test_set_rights_asks_first_then_sets_record_and_media_rights(
    client: Client, curator: Any
) -> None:
    obj = ObjectFactory(rights_uri=CNE)
    media = MediaFile.objects.create(
        kind="image", object=obj, file="x.jpg", alt_text={"nl": "Een bord"}, sha256="0" * 64
    )
    changelist = f"{ADMIN}/heritageobject/"
    page = client.post(changelist, {"action": "set_rights", "_selected_action": [obj.pk]})
    assert page.status_code == 200
    assert b'name="rights_uri"' in page.content and b'name="apply"' in page.content
    obj.refresh_from_db()
    assert obj.rights_uri == CNE  # nothing changed yet
    bad = {"action": "set_rights", "_selected_action": [obj.pk], "apply": "1", "rights_uri": "x"}
    assert client.post(changelist, bad).status_code == 200  # the form again, with an error
    data = bad | {"rights_uri": CC_BY, "include_media": "on"}
    assert client.post(changelist, data).status_code == 302
    obj.refresh_from_db()
    media.refresh_from_db()
    assert obj.rights_uri == media.rights_uri == CC_BY
    entry = _audit("set_rights", obj)[0]
    assert entry.data == {"from": CNE, "to": CC_BY, "media": True}


def test_deleting_in_the_admin_leaves_a_tombstone(client: Client, curator: Any) -> None:
    obj = ObjectFactory()
    pid, pk = obj.pid, obj.pk
    response = client.post(f"{ADMIN}/heritageobject/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Tombstone.objects.filter(pid=pid).exists()
    assert AuditEntry.objects.get(action="delete", target_id=str(pk)).actor == curator
    others = [ObjectFactory() for _ in range(2)]
    client.post(
        f"{ADMIN}/heritageobject/",
        {"action": "delete_selected", "_selected_action": [o.pk for o in others], "post": "yes"},
    )
    assert Tombstone.objects.filter(pid__in=[o.pid for o in others]).count() == 2


def test_object_search_uses_the_search_index(client: Client, curator: Any) -> None:
    register(OBJECT_DOCUMENTS)  # as HeritageConfig.ready does
    match = ObjectFactory(
        title={"nl": "Terrine van Sphinx", "en": "Sphinx tureen"}, is_public=False
    )
    other = ObjectFactory(title={"nl": "Ammoniet", "en": "Ammonite"})
    documents_index(doc_type=OBJECT_DOC_TYPE, ids=[match.pk, other.pk])
    found = client.get(f"{ADMIN}/heritageobject/", {"q": "terrines"})  # a stemmed form
    assert found.status_code == 200
    assert list(found.context["cl"].result_list) == [match]  # hidden objects too
    exact = client.get(f"{ADMIN}/heritageobject/", {"q": other.inventory_number})
    assert list(exact.context["cl"].result_list) == [other]


def test_upload_through_the_media_service(
    client: Client, curator: Any, media_dirs: Path, django_capture_on_commit_callbacks: Any
) -> None:
    obj = ObjectFactory()
    form = {
        "object": str(obj.pk),
        **_translated("alt_text", "Landschap", "Landscape"),
        **_translated("caption"),
        "credit": "Wagtail test image (BSD-3-Clause)",
        "rights_uri": CC_BY,
        "position": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{ADMIN}/mediafile/add/",
            form | {"upload": SimpleUploadedFile("photo.jpg", PHOTO.read_bytes())},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    media = MediaFile.objects.get(object=obj)
    # EXIF orientation 6 honoured: pixels stored 450x600 and turned, upright 600x450
    assert (media.kind, media.width, media.height) == ("image", 600, 450)
    assert media.tile_state == "ready"
    assert AuditEntry.objects.filter(action="media.add", target_id=str(media.pk)).exists()
    # not an image: a form error, nothing stored
    bad = client.post(
        f"{ADMIN}/mediafile/add/",
        form | {"upload": SimpleUploadedFile("notes.jpg", b"just some text, no image")},
    )
    assert bad.status_code == 200 and bad.context["adminform"].form.errors["upload"]
    assert MediaFile.objects.count() == 1
    # an edit of the description goes through media_update (audited with the old values)
    change = form | {"rights_uri": CNE}
    assert client.post(f"{ADMIN}/mediafile/{media.pk}/change/", change).status_code == 302
    media.refresh_from_db()
    assert media.rights_uri == CNE
    entry = AuditEntry.objects.get(action="media.update", target_id=str(media.pk))
    assert entry.data["before"]["rights_uri"] == CC_BY


def test_exhibits_and_dictionary_entries_are_audited(client: Client, curator: Any) -> None:
    exhibit = Exhibit.objects.create(slug="mosasaur", title={"nl": "De mosasaurus"})
    response = client.post(
        f"{ADMIN}/exhibit/", {"action": "publish", "_selected_action": [exhibit.pk]}
    )
    assert response.status_code == 302
    exhibit.refresh_from_db()
    assert exhibit.is_public and _audit("publish", exhibit)
    data = {
        "lemma": "sjoen",
        "slug": "sjoen",
        "variants": "",
        "pronunciation": "",
        "part_of_speech": "adjective",
        "gender": "",
        "plural": "",
        **_translated("etymology"),
        "is_public": "on",
        **_inlines("senses", "examples"),
        "senses-TOTAL_FORMS": "1",
        "senses-0-position": "0",
        **{
            k.replace("meaning", "senses-0-meaning"): v
            for k, v in _translated("meaning", "mooi", "beautiful").items()
        },
    }
    response = client.post(f"{ADMIN}/dialectentry/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = DialectEntry.objects.get(slug="sjoen")
    assert entry.senses.get().meaning.get_for("en") == "beautiful"
    entries = AuditEntry.objects.filter(
        target_type="heritage.dialectentry", target_id=str(entry.pk)
    )
    assert set(entries.values_list("action", flat=True)) == {"create", "update"}
