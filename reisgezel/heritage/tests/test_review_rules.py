"""Rules a review found broken (each test failed before its fix): forged cursors, restricted
images in exhibits, bulk-deleted sections, deleted terms and makers, and the pronunciation
of a hidden object on a dictionary page."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import (
    Concept,
    ConceptScheme,
    DialectEntry,
    Exhibit,
    ExhibitSection,
    MediaFile,
    MediaKind,
    PartOfSpeech,
    TileState,
)
from reisgezel.heritage.search import MATERIAL, OBJECT_DOCUMENTS
from reisgezel.heritage.services import OBJECT_DOC_TYPE
from reisgezel.heritage.tests.test_pages_world import page, reindex
from reisgezel.search.models import SearchFacet
from reisgezel.search.registry import register
from reisgezel.search.services import documents_index
from tests.factories import UserFactory
from tests.heritage_factories import ObjectFactory, make_image

pytestmark = pytest.mark.django_db

IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"


def _raw_cursor(sort: str, key: Any, doc: int) -> str:
    raw = json.dumps([sort, key, doc]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# 1. A forged cursor passes Cursor.decode and crashes the query (500).
def test_a_forged_cursor_never_gives_a_server_error(client: Client) -> None:
    for _ in range(3):
        ObjectFactory()
    reindex()
    for sort, cursor in (
        ("title", _raw_cursor("title", "bord\x00", 1)),  # PostgreSQL: NUL in a parameter
        ("title", _raw_cursor("title", "bord", 10**20)),  # SQLite: beyond 64 bits
        ("relevance", _raw_cursor("relevance", float("inf"), 1)),
    ):
        url = page("heritage:search", "en") + f"?q=bord&sort={sort}&after={cursor}"
        assert client.get(url).status_code == 400, (sort, cursor)


# 2. A restricted image as exhibit cover / section image is rendered as <img src="None">.
def test_a_restricted_exhibit_image_is_not_an_img_with_src_none(client: Client) -> None:
    obj = ObjectFactory()
    image = make_image(obj)
    image.rights_uri = IN_COPYRIGHT
    image.save()
    exhibit = Exhibit.objects.create(
        slug="sphinx", title={"nl": "Sphinx"}, is_public=True, cover=image
    )
    ExhibitSection.objects.create(exhibit=exhibit, heading={"nl": "Borden"}, media=image)
    url = page("heritage:exhibit", "en", slug="sphinx")
    MediaFile.objects.filter(pk=image.pk).update(tile_state=TileState.PENDING)
    html = client.get(url).content.decode()
    assert 'src="None"' not in html and image.file.url not in html
    assert "This image is being prepared for viewing" in html
    MediaFile.objects.filter(pk=image.pk).update(tile_state=TileState.READY)
    html = client.get(url).content.decode()
    assert "/iiif/" in html  # the whole image from its tiles
    assert image.file.url not in html


# 3. Deleting exhibit sections with the changelist's "delete selected" action is not
#    audit-logged and leaves the exhibit's search document with the deleted text.
def test_bulk_deleting_sections_is_audited(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    exhibit = Exhibit.objects.create(slug="s", title={"nl": "Sphinx"}, is_public=True)
    section = ExhibitSection.objects.create(exhibit=exhibit, heading={"nl": "Borden"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/nl/admin/heritage/exhibitsection/",
            {"action": "delete_selected", "_selected_action": [section.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not ExhibitSection.objects.filter(pk=section.pk).exists()
    assert AuditEntry.objects.filter(
        target_type="heritage.exhibit", target_id=str(exhibit.pk)
    ).exists()


# 4. Deleting a material in the admin leaves the objects' facet rows (and datestamps):
#    the search still filters and counts by a concept that no longer exists.
def test_deleting_a_concept_reindexes_the_objects_using_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    register(OBJECT_DOCUMENTS)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    porcelain = Concept.objects.create(
        scheme=ConceptScheme.MATERIAL, code="porcelain", label={"nl": "porselein"}
    )
    obj = ObjectFactory()
    obj.materials.add(porcelain)
    documents_index(doc_type=OBJECT_DOC_TYPE, ids=[obj.pk])
    assert SearchFacet.objects.filter(name=MATERIAL, value="porcelain").exists()
    before = obj.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/nl/admin/heritage/concept/{porcelain.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Concept.objects.filter(pk=porcelain.pk).exists()
    assert not SearchFacet.objects.filter(name=MATERIAL, value="porcelain").exists()
    obj.refresh_from_db()
    assert obj.updated_at > before  # OAI-PMH harvesters must see the changed record


# 5. The audio of a hidden object is still played on a dictionary entry's page.
def test_word_page_does_not_play_audio_of_a_hidden_object(client: Client) -> None:
    hidden = ObjectFactory(is_public=False)
    audio = MediaFile.objects.create(
        kind=MediaKind.AUDIO,
        object=hidden,
        file="heritage/test/secret.wav",
        content_type="audio/wav",
        rights_uri="http://creativecommons.org/publicdomain/zero/1.0/",
        duration_seconds=1,
    )
    DialectEntry.objects.create(
        lemma="sjiek", slug="sjiek", part_of_speech=PartOfSpeech.ADJECTIVE, audio=audio
    )
    ld = client.get("/id/word/sjiek", HTTP_ACCEPT="application/ld+json")
    assert ld.status_code == 200
    assert "secret.wav" not in ld.content.decode()
    response = client.get(page("heritage:word", "en", slug="sjiek"))
    assert response.status_code == 200
    assert "secret.wav" not in response.content.decode()
