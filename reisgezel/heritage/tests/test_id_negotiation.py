"""Persistent URIs over HTTP: content negotiation, redirects, errors, CORS, Link headers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from reisgezel.heritage import uris
from reisgezel.heritage.jsonld.common import LINKED_ART_PROFILE
from reisgezel.heritage.jsonld.negotiation import (
    HTML,
    LINKED_ART,
    SCHEMA,
    SCHEMA_AS_JSON,
    negotiate,
    parse_accept,
)
from reisgezel.heritage.models import (
    Agent,
    Concept,
    DialectEntry,
    DialectSense,
    Exhibit,
    Tombstone,
)
from reisgezel.heritage.tests.test_jsonld_documents import (
    SCHEMA as SCHEMA_NS,
)
from reisgezel.heritage.tests.test_jsonld_documents import (
    linked_art_errors,
    objects_of,
    rdf,
    rich_object,
)
from tests.heritage_factories import ObjectFactory

LA_ACCEPT = f'application/ld+json;profile="{LINKED_ART_PROFILE}"'
OFFERS = (HTML, SCHEMA, LINKED_ART, SCHEMA_AS_JSON)


def path(kind: str, local_id: str) -> str:
    return f"/id/{kind}/{local_id}"


# --- Negotiation rules (no database) ------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, HTML),
        ("", HTML),
        ("*/*", HTML),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", HTML),
        ("application/ld+json", SCHEMA),
        ("application/json", SCHEMA_AS_JSON),
        (LA_ACCEPT, LINKED_ART),
        (f"{LA_ACCEPT}, application/ld+json;q=0.5", LINKED_ART),
        (f"{LA_ACCEPT};q=0.4, application/ld+json;q=0.5", SCHEMA),
        ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', SCHEMA),
        ("text/html;q=0.5, application/ld+json", SCHEMA),
        ("application/ld+json;q=0.5, text/html", HTML),
        ("application/*", SCHEMA),
        ("text/html;q=0, */*", SCHEMA),
        ("text/html;q=nonsense, application/ld+json;q=0.2", SCHEMA),
        ("image/png", None),
        ('application/ld+json;profile="https://example.org/other"', None),
    ],
)
def test_negotiation_follows_quality_and_specificity(accept: str | None, expected: object) -> None:
    assert negotiate(accept, OFFERS) == expected


def test_a_quoted_profile_may_contain_commas_and_several_uris() -> None:
    profiles = f"https://example.org/a,b {LINKED_ART_PROFILE}"
    header = f'application/ld+json;profile="{profiles}";q=0.9, text/plain'
    ranges = parse_accept(header)
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("application", "ld+json", 0.9),
        ("text", "plain", 1.0),
    ]
    assert negotiate(header, OFFERS) == LINKED_ART


# --- Over HTTP -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_browsers_are_sent_to_the_page_in_their_language(client: Client) -> None:
    obj = rich_object()
    response = client.get(
        path("object", obj.pid), HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 303
    assert response["Location"] == f"/en/collection/object/{obj.pid}/"
    response = client.get(
        path("object", obj.pid), HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="nl-NL"
    )
    assert response["Location"] == f"/nl/collection/object/{obj.pid}/"
    assert "Accept" in response["Vary"] and "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_programs_get_schema_org_json_ld_with_cors_vary_and_links(client: Client) -> None:
    obj = rich_object()
    uri = uris.object_uri(obj.pid)
    response = client.get(path("object", obj.pid), HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in response["Vary"]
    links = response["Link"]
    assert f'<{uri}>; rel="canonical"' in links
    alternate = f'<{uri}?format=linked-art>; rel="alternate"; type="application/ld+json"'
    assert f'{alternate}; profile="{LINKED_ART_PROFILE}"' in links
    assert f'/nl/collection/object/{obj.pid}/>; rel="alternate"; type="text/html"' in links
    triples = rdf(json.loads(response.content))
    assert '"Plate with Petrus pattern"@en' in objects_of(triples, uri, SCHEMA_NS + "name")


@pytest.mark.django_db
def test_linked_art_by_profile_or_by_format_parameter(client: Client) -> None:
    obj = rich_object()
    response = client.get(path("object", obj.pid), HTTP_ACCEPT=LA_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"] == LA_ACCEPT
    document = json.loads(response.content)
    assert document["type"] == "HumanMadeObject"
    assert linked_art_errors(document, "object") == []
    by_format = client.get(path("object", obj.pid) + "?format=linked-art", HTTP_ACCEPT="text/html")
    assert json.loads(by_format.content) == document
    schema = client.get(path("object", obj.pid) + "?format=jsonld")
    assert json.loads(schema.content)["@context"] == "https://schema.org/"
    plain = client.get(path("object", obj.pid), HTTP_ACCEPT="application/json")
    assert plain["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_what_we_cannot_make_is_406_with_the_offer(client: Client) -> None:
    obj = rich_object()
    response = client.get(path("object", obj.pid), HTTP_ACCEPT="image/png")
    assert response.status_code == 406
    body = response.content.decode()
    assert "text/html" in body and LINKED_ART_PROFILE in body and "?format=jsonld" in body
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(path("object", obj.pid) + "?format=turtle").status_code == 406
    # exhibits have no Linked Art document
    response = client.get(path("exhibit", "sphinx"), HTTP_ACCEPT=LA_ACCEPT)
    assert response.status_code == 406
    assert LINKED_ART_PROFILE not in response.content.decode()


@pytest.mark.django_db
def test_unknown_hidden_and_deleted_records(client: Client) -> None:
    hidden = ObjectFactory(is_public=False)
    Tombstone.objects.create(pid="cc-gone", collection_code="ceramics", deleted_at=timezone.now())
    assert (
        client.get(path("object", "no-such-pid"), HTTP_ACCEPT="application/ld+json").status_code
        == 404
    )
    response = client.get(path("object", hidden.pid), HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    gone = client.get(path("object", "cc-gone"), HTTP_ACCEPT="text/html")
    assert gone.status_code == 410
    assert client.get(path("thing", "1")).status_code == 404
    assert client.get(path("concept", "no-scheme:x")).status_code == 404
    assert client.get(path("concept", "material:nothing")).status_code == 404
    hidden_exhibit = Exhibit.objects.create(slug="draft", title={"nl": "Concept"}, is_public=False)
    assert client.get(path("exhibit", hidden_exhibit.slug)).status_code == 404


@pytest.mark.django_db
def test_preflight_and_other_methods(client: Client) -> None:
    obj = rich_object()
    response = client.options(path("object", obj.pid), HTTP_ORIGIN="https://example.org")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in response["Access-Control-Allow-Headers"]
    assert client.post(path("object", obj.pid)).status_code == 405
    head = client.head(path("object", obj.pid), HTTP_ACCEPT="application/ld+json")
    assert head.status_code == 200 and head.content == b""


@pytest.mark.django_db
def test_every_kind_resolves(client: Client) -> None:
    obj = rich_object()
    agent = Agent.objects.get(slug="petrus-regout-co")
    concept = Concept.objects.get(scheme="material", code="porcelain")
    entry = DialectEntry.objects.create(lemma="sjiek", slug="sjiek", part_of_speech="adjective")
    DialectSense.objects.create(entry=entry, meaning={"nl": "chic, mooi", "en": "smart, fine"})
    html: dict[str, Any] = {"HTTP_ACCEPT": "text/html", "HTTP_ACCEPT_LANGUAGE": "en"}
    expected = {
        path("agent", agent.slug): "/en/collection/?maker=petrus-regout-co",
        path("concept", "material:porcelain"): "/en/collection/?material=porcelain",
        path("concept", "material"): "/en/collection/",
        path(
            "collection", obj.collection.code
        ): f"/en/collection/?collection={obj.collection.code}",
        path("exhibit", "sphinx"): "/en/collection/exhibits/sphinx/",
        path("word", "sjiek"): "/en/collection/dictionary/sjiek/",
    }
    for url, location in expected.items():
        response = client.get(url, **html)
        assert (response.status_code, response["Location"]) == (303, location), url
        data = client.get(url, HTTP_ACCEPT="application/ld+json")
        assert data.status_code == 200, url
        assert rdf(json.loads(data.content)), url  # expands offline into triples
    word = json.loads(client.get(path("word", "sjiek"), HTTP_ACCEPT="application/ld+json").content)
    assert word["name"] == {"@value": "sjiek", "@language": "li"}
    term = json.loads(client.get(path("concept", "material:porcelain") + "?format=jsonld").content)
    assert (
        term["@id"] == uris.concept_uri("material", "porcelain") and term["sameAs"] == concept.uri
    )
    group = json.loads(client.get(path("agent", agent.slug), HTTP_ACCEPT=LA_ACCEPT).content)
    assert linked_art_errors(group, "group") == []
    collection = client.get(path("collection", obj.collection.code), HTTP_ACCEPT=LA_ACCEPT)
    assert linked_art_errors(json.loads(collection.content), "set") == []
    as_dataset = json.loads(
        client.get(path("collection", obj.collection.code) + "?format=jsonld").content
    )
    assert as_dataset["collectionSize"] == 1
    assert as_dataset["creator"] == {"name": {"@value": "Centre Céramique", "@language": "nl"}}
    page = client.get(path("object", obj.pid) + "?format=html", HTTP_ACCEPT="application/ld+json")
    assert page.status_code == 303
