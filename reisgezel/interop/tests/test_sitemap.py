"""The sitemap index and its sections: every public page once per language, each with
hreflang alternates (nl, en, de, fr, x-default); hidden records never listed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from lxml import etree

from reisgezel.agenda.models import ModerationState
from reisgezel.agenda.services import event_create
from reisgezel.heritage.models import DialectEntry, Exhibit, PartOfSpeech
from reisgezel.interop.sitemaps import LanguageExpanded, ObjectSitemap
from reisgezel.interop.tests.oai_fixtures import HeritageData, build_heritage
from tests.factories import event_input, make_organisation, make_place, member_of, published_event

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = ["nl", "en", "de", "fr"]


@pytest.fixture
def data() -> HeritageData:
    heritage = build_heritage()
    Exhibit.objects.create(slug="sphinx", title={"nl": "Sphinx"}, is_public=True)
    Exhibit.objects.create(slug="concept", title={"nl": "In voorbereiding"}, is_public=False)
    DialectEntry.objects.create(lemma="Sjoen", slug="sjoen", part_of_speech=PartOfSpeech.ADJECTIVE)
    DialectEntry.objects.create(
        lemma="Geheim", slug="geheim", part_of_speech=PartOfSpeech.NOUN, is_public=False
    )
    return heritage


def get_xml(client: Client, url: str) -> etree._Element:
    response = client.get(
        urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
    )
    assert response.status_code == 200
    return etree.fromstring(response.content)


def harvest(client: Client) -> dict[str, dict[str, dict[str, str]]]:
    """section -> location -> {hreflang: alternate location}, through the index."""
    index = get_xml(client, "/sitemap.xml")
    found: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for loc in index.iterfind("s:sitemap/s:loc", NS):
        section = urlsplit(str(loc.text)).path.removeprefix("/sitemap-").removesuffix(".xml")
        for url in get_xml(client, str(loc.text)).iterfind("s:url", NS):
            alternates = {
                str(link.get("hreflang")): str(link.get("href"))
                for link in url.iterfind("x:link", NS)
            }
            assert url.findtext("s:lastmod", namespaces=NS) or section == "pages"
            found[section][str(url.findtext("s:loc", namespaces=NS))] = alternates
    return found


def unprefixed(path: str) -> str:
    """/en/agenda/... -> /agenda/..."""
    first, _, rest = path.lstrip("/").partition("/")
    assert first in LANGUAGES
    return f"/{rest}"


def pages_of(locations: dict[str, dict[str, str]], path: str) -> set[str]:
    site = settings.SITE_URL
    return {loc for loc in locations if loc in {f"{site}/{lang}{path}" for lang in LANGUAGES}}


def test_index_lists_every_section(client: Client, data: HeritageData) -> None:
    index = get_xml(client, "/sitemap.xml")
    locations = [str(loc.text) for loc in index.iterfind("s:sitemap/s:loc", NS)]
    assert {urlsplit(loc).path for loc in locations} == {
        f"/sitemap-{section}.xml"
        for section in (
            "pages",
            "objects",
            "exhibits",
            "dictionary",
            "events",
            "places",
            "organisers",
        )
    }
    assert set(harvest(client)) == {"pages", "objects", "exhibits", "dictionary"}


def test_public_heritage_pages_in_every_language(client: Client, data: HeritageData) -> None:
    found = harvest(client)
    objects = found["objects"]
    assert len(objects) == len(data.public) * 4
    for pid in data.public:
        path = f"/collection/object/{pid}/"
        assert len(pages_of(objects, path)) == 4
        alternates = objects[f"{settings.SITE_URL}/en{path}"]
        assert alternates == {
            **{lang: f"{settings.SITE_URL}/{lang}{path}" for lang in LANGUAGES},
            "x-default": f"{settings.SITE_URL}{path}",
        }
    for pid in data.hidden + data.deleted:
        assert not pages_of(objects, f"/collection/object/{pid}/")
    assert set(found["exhibits"]) == {
        f"{settings.SITE_URL}/{lang}/collection/exhibits/sphinx/" for lang in LANGUAGES
    }
    assert set(found["dictionary"]) == {
        f"{settings.SITE_URL}/{lang}/collection/dictionary/sjoen/" for lang in LANGUAGES
    }


def test_agenda_pages(client: Client, data: HeritageData) -> None:
    event = published_event()
    organisation = event.organiser
    draft = event_create(
        actor=member_of(organisation), organisation=organisation, data=event_input(), submit=True
    )
    place = make_place(name="Theater aan het Vrijthof", slug="theater-aan-het-vrijthof")
    home = make_place(name="Atelier aan huis", slug="atelier-aan-huis", is_private=True)
    inactive = make_organisation(name="Opgeheven", slug="opgeheven", is_active=False)
    found = harvest(client)
    event_path = unprefixed(event.get_absolute_url())  # type: ignore[attr-defined]
    assert len(pages_of(found["events"], event_path)) == 4
    assert len(found["events"]) == 4
    assert len(pages_of(found["places"], f"/places/{place.slug}/")) == 4
    assert not pages_of(found["places"], f"/places/{home.slug}/")  # someone's home
    assert len(pages_of(found["organisers"], f"/organisers/{event.organiser.slug}/")) == 4
    assert not pages_of(found["organisers"], f"/organisers/{inactive.slug}/")
    assert draft.moderation != ModerationState.APPROVED
    assert not pages_of(found["events"], unprefixed(draft.get_absolute_url()))  # type: ignore[attr-defined]
    assert len(pages_of(found["pages"], "/collection/")) == 4


def test_large_sections_are_split_into_pages(
    client: Client, data: HeritageData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ObjectSitemap, "limit", 8)  # two objects (x 4 languages) a page
    index = get_xml(client, "/sitemap.xml")
    object_pages = [
        str(loc.text)
        for loc in index.iterfind("s:sitemap/s:loc", NS)
        if "sitemap-objects" in str(loc.text)
    ]
    assert len(object_pages) == -(-len(data.public) // 2)
    listed = [
        str(url.text)
        for page in object_pages
        for url in get_xml(client, page).iterfind("s:url/s:loc", NS)
    ]
    assert len(listed) == len(set(listed)) == len(data.public) * 4


def test_language_expansion_reads_only_the_requested_rows(
    data: HeritageData, django_assert_num_queries: Any
) -> None:
    expanded = LanguageExpanded(ObjectSitemap().items(), LANGUAGES)
    with django_assert_num_queries(1):
        page = expanded[4:12]
    assert [lang for _, lang in page] == LANGUAGES * 2
    assert len({item.pk for item, _ in page}) == 2
    with django_assert_num_queries(1):
        assert len(expanded) == len(data.public) * 4
