"""IIIF Presentation API 3.0 over HTTP: manifests and collections valid against the IIIF
JSON Schema (../shared/data/iiif/schema, offline), readable as JSON-LD by pyld with the
local contexts, with language maps, rights, links and image services; bad requests get
a 4xx with a JSON message, never a 500."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from jsonschema import Draft7Validator
from pyld import jsonld

from reisgezel.heritage.iiif import presentation
from reisgezel.heritage.media import media_add
from reisgezel.heritage.models import (
    Dimension,
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
    Inscription,
    MakerRole,
    MediaKind,
    ObjectAgent,
)
from reisgezel.heritage.services import object_delete
from reisgezel.heritage.tests.media_fixtures import (
    CC0,
    SITE,
    SOUNDS,
    add_image,
    media_dirs,
    photo,
)
from reisgezel.heritage.tests.test_jsonld_documents import offline_loader
from tests.heritage_factories import AgentFactory, CollectionFactory, ConceptFactory, ObjectFactory

__all__ = ["media_dirs"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_dirs")]

PROFILE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


@cache
def iiif_schema() -> Draft7Validator:
    """The schema of the official presentation validator. It names itself by `$id`
    (http://iiif.io/api/presentation/3/schema.json) and refers only to its own parts
    ("#/types/...", "#/classes/..."), so it resolves without any network."""
    path = settings.SHARED_DATA_DIR / "iiif" / "schema" / "iiif_3_0.json"
    schema = json.loads(path.read_text())
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def assert_valid(document: dict[str, Any]) -> list[dict[str, Any]]:
    errors = sorted(iiif_schema().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:200]}" for e in errors)
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": offline_loader})
    assert expanded and expanded[0]["@id"] == document["id"]
    return expanded


def get_json(client: Client, url: str, status: int = 200, lang: str = "en") -> dict[str, Any]:
    # Unprefixed URLs answer in the visitor's Accept-Language (Dutch by default).
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == status, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    data: dict[str, Any] = response.json()
    return data


def read_file(client: Client, url: str) -> bytes:
    """The body of a file the IIIF view serves (a streaming response)."""
    response: Any = client.get(url)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = b"".join(response.streaming_content)
    response.close()
    return body


@pytest.fixture
def plate(django_capture_on_commit_callbacks: Any) -> HeritageObject:
    obj = ObjectFactory(
        pid="cc-sphinx-bord",
        inventory_number="CC-1891-004",
        title={"nl": "Bord met blauw decor", "en": "Plate with blue decoration", "de": "Teller"},
        credit_line={"nl": "Collectie Centre Céramique", "en": "Centre Céramique collection"},
        date_display="c. 1880-1890",
        date_display_language="nl",
        production_place="Maastricht",
        dimensions_display="diam. 24 cm",
    )
    obj.object_type = ConceptFactory(code="bord", label={"nl": "bord", "en": "plate"})
    obj.save()
    obj.materials.add(
        ConceptFactory(
            scheme="material", code="aardewerk", label={"nl": "aardewerk", "en": "earthenware"}
        )
    )
    ObjectAgent.objects.create(
        object=obj, agent=AgentFactory(name="Petrus Regout & Co"), role=MakerRole.MANUFACTURER
    )
    Dimension.objects.create(object=obj, kind="diameter", value=Decimal("24.50"), unit="cm")
    Inscription.objects.create(object=obj, kind="mark", transcription="P. REGOUT MAESTRICHT")
    add_image(django_capture_on_commit_callbacks, obj, photo(6))
    add_image(
        django_capture_on_commit_callbacks,
        obj,
        photo(2),
        alt_text={"nl": "Achterkant met fabrieksmerk"},
        credit="Foto: Wagtail",
        caption={"nl": "Achterkant", "en": "Back"},
    )
    media_add(actor=None, data=(SOUNDS / "uitspraak.mp3").read_bytes(), obj=obj, rights_uri=CC0)
    return obj


def test_manifest_of_a_public_object(client: Client, plate: HeritageObject) -> None:
    response = client.get(f"/iiif/object/{plate.pid}/manifest.json")
    assert response.status_code == 200 and response["Content-Type"] == PROFILE
    manifest = response.json()
    expanded = assert_valid(manifest)
    assert "http://iiif.io/api/presentation/3#Manifest" in expanded[0]["@type"]
    assert manifest["id"] == f"{SITE}/iiif/object/{plate.pid}/manifest.json"
    assert manifest["label"] == {
        "nl": ["Bord met blauw decor"],
        "en": ["Plate with blue decoration"],
        "de": ["Teller"],
    }
    assert manifest["rights"] == plate.rights_uri
    assert manifest["requiredStatement"]["value"]["en"] == ["Centre Céramique collection"]
    assert manifest["provider"][0]["label"] == {"none": [settings.HERITAGE["PUBLISHER"]]}
    assert manifest["seeAlso"] == [
        {
            "id": f"{SITE}/id/object/{plate.pid}",
            "type": "Dataset",
            "format": "application/ld+json",
            "profile": "https://schema.org/",
        }
    ]
    homepages = {h["language"][0]: h["id"] for h in manifest["homepage"]}
    assert homepages == {
        "nl": f"{SITE}/nl/collection/object/{plate.pid}/",
        "en": f"{SITE}/en/collection/object/{plate.pid}/",
    }
    metadata = {m["label"]["en"][0]: m["value"] for m in manifest["metadata"]}
    assert metadata["Inventory number"] == {"none": ["CC-1891-004"]}
    assert metadata["Date"] == {"nl": ["c. 1880-1890"]}  # under its language, not "none"
    assert metadata["Object type"] == {"nl": ["bord"], "en": ["plate"]}
    assert metadata["Materials"]["en"] == ["earthenware"]
    assert metadata["Maker"]["en"] == ["Petrus Regout & Co (Manufacturer)"]
    assert metadata["Dimensions"]["en"] == ["Diameter 24.5 cm"]
    assert "P. REGOUT MAESTRICHT" in metadata["Marks and inscriptions"]["en"][0]
    assert {"nl", "en"} <= set(manifest["metadata"][0]["label"])


def test_canvases_paint_the_images_through_their_image_services(
    client: Client, plate: HeritageObject
) -> None:
    manifest = get_json(client, f"/iiif/object/{plate.pid}/manifest.json")
    images = [m for m in plate.media.all() if m.kind == MediaKind.IMAGE]
    canvases = manifest["items"]
    assert len(canvases) == 3  # two images and the sound
    for canvas, media in zip(canvases, images, strict=False):
        assert (canvas["width"], canvas["height"]) == (600, 450)
        annotation = canvas["items"][0]["items"][0]
        assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
        body = annotation["body"]
        service = body["service"][0]
        assert service == {
            "id": f"{SITE}/iiif/image/{media.key.hex}",
            "type": "ImageService3",
            "profile": "level0",
        }
        # The service id answers with its info.json, served from the static tiles.
        info = json.loads(read_file(client, service["id"].removeprefix(SITE) + "/info.json"))
        assert info["id"] == service["id"]
        assert read_file(client, body["id"].removeprefix(SITE))[:2] == b"\xff\xd8"  # a JPEG
        assert body["label"]["nl"] == [media.alt_text["nl"]]
        assert canvas["rights"] == media.rights_uri
    assert canvases[1]["requiredStatement"]["value"] == {"none": ["Foto: Wagtail"]}
    assert canvases[1]["label"] == {"nl": ["Achterkant"], "en": ["Back"]}
    sound = canvases[2]["items"][0]["items"][0]["body"]
    assert sound["type"] == "Sound" and sound["format"] == "audio/mpeg"
    assert canvases[2]["duration"] == pytest.approx(2.0, abs=0.1)
    thumb = manifest["thumbnail"][0]
    assert (thumb["width"], thumb["height"]) == (400, 300) and "/full/400,300/" in thumb["id"]


def test_hidden_unknown_removed_and_malformed_objects(
    client: Client, plate: HeritageObject
) -> None:
    hidden = ObjectFactory(is_public=False)
    for pid in (hidden.pid, "no-such-object", "..%2F..%2Fetc", "x" * 300, "%00"):
        body = get_json(client, f"/iiif/object/{pid}/manifest.json", status=404)
        assert body["detail"]
    without_images = ObjectFactory()
    assert (
        "no images"
        in get_json(client, f"/iiif/object/{without_images.pid}/manifest.json", status=404)[
            "detail"
        ]
    )
    object_delete(plate, actor=None)
    get_json(client, f"/iiif/object/{plate.pid}/manifest.json", status=410)
    response = client.post(f"/iiif/object/{hidden.pid}/manifest.json")
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"


def test_collection_lists_public_manifests_and_pages_when_large(
    client: Client, plate: HeritageObject, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    second = ObjectFactory(collection=plate.collection)
    add_image(django_capture_on_commit_callbacks, second, photo(1))
    ObjectFactory(collection=plate.collection)  # public, no image: no manifest to list
    add_image(django_capture_on_commit_callbacks, ObjectFactory(is_public=False), photo(1))
    code = plate.collection.code
    response = client.get(f"/iiif/collection/{code}.json")
    assert response["Content-Type"] == PROFILE
    document = response.json()
    assert_valid(document)
    assert document["label"] == {"nl": ["Keramiek"], "en": ["Ceramics"]}
    ids = [item["id"] for item in document["items"]]
    assert ids == [f"{SITE}/iiif/object/{o.pid}/manifest.json" for o in (plate, second)]
    assert all(
        item["thumbnail"][0]["service"][0]["type"] == "ImageService3" for item in document["items"]
    )

    monkeypatch.setattr(presentation, "COLLECTION_PAGE_SIZE", 1)
    top = get_json(client, f"/iiif/collection/{code}.json")
    assert_valid(top)
    assert [i["type"] for i in top["items"]] == ["Collection", "Collection"]
    pages = [get_json(client, i["id"].removeprefix(SITE)) for i in top["items"]]
    for page in pages:
        assert_valid(page)
        assert page["partOf"][0]["id"] == top["id"]
    assert [p["items"][0]["id"] for p in pages] == ids
    get_json(client, f"/iiif/collection/{code}/3.json", status=404)
    get_json(client, f"/iiif/collection/{code}/0.json", status=404)
    get_json(client, "/iiif/collection/nope.json", status=404)
    get_json(client, "/iiif/collection/%E2%98%83.json", status=404)


def test_exhibit_collection_in_story_order(
    client: Client, plate: HeritageObject, django_capture_on_commit_callbacks: Any
) -> None:
    other = ObjectFactory(collection=CollectionFactory(code="archaeology", kind="archaeology"))
    add_image(django_capture_on_commit_callbacks, other, photo(5))
    exhibit = Exhibit.objects.create(
        slug="sphinx",
        title={"nl": "Het verhaal van Sphinx", "en": "The Sphinx story"},
        is_public=True,
    )
    first = ExhibitSection.objects.create(exhibit=exhibit, position=0, heading={"nl": "Begin"})
    later = ExhibitSection.objects.create(exhibit=exhibit, position=1, heading={"nl": "Later"})
    ExhibitObject.objects.create(section=first, object=other)
    ExhibitObject.objects.create(section=later, object=plate)
    ExhibitObject.objects.create(section=later, object=other, position=1)  # shown twice
    document = get_json(client, "/iiif/exhibit/sphinx.json")
    assert_valid(document)
    assert document["label"]["en"] == ["The Sphinx story"]
    assert [i["id"].split("/")[-2] for i in document["items"]] == [other.pid, plate.pid]
    assert document["homepage"][0]["id"] == f"{SITE}/nl/collection/exhibits/sphinx/"
    exhibit.is_public = False
    exhibit.save()
    get_json(client, "/iiif/exhibit/sphinx.json", status=404)
