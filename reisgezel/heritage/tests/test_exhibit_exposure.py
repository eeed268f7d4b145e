"""An object's page and linked data name the public exhibits that show it, so when an
exhibit starts or stops showing an object (published, hidden, deleted, the object added
to or taken out of a section) the object's last change moves: its sitemap lastmod, its
OAI-PMH datestamp and its JSON-LD `sdDatePublished` all read `updated_at`. Objects whose
pages did not change keep theirs.

OAI-PMH has no set per exhibit (sets are collections, docs/oai-pmh.md) and its records
do not name exhibits; a harvest `from` the change gets the objects again all the same,
because the datestamp is the object's one last change."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from lxml import etree

from reisgezel.heritage import editing, uris
from reisgezel.heritage.models import Exhibit, ExhibitObject, ExhibitSection, HeritageObject
from reisgezel.heritage.tests.test_admin_heritage import ADMIN, _translated
from tests.factories import UserFactory
from tests.heritage_factories import ObjectFactory

pytestmark = pytest.mark.django_db
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}


@pytest.fixture
def curator() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _exhibit(*pids: str, public: bool) -> tuple[Exhibit, ExhibitSection]:
    exhibit = Exhibit.objects.create(slug="sphinx", title={"nl": "Sphinx"}, is_public=public)
    section = ExhibitSection.objects.create(exhibit=exhibit, heading={"nl": "Borden"})
    for pid in pids:
        ExhibitObject.objects.create(section=section, object=HeritageObject.objects.get(pid=pid))
    return exhibit, section


def _long_unchanged() -> datetime:
    """Every object last changed three days ago; returns a moment since then (a day
    ago: the sitemap's lastmod is a date)."""
    now = timezone.now()
    HeritageObject.objects.update(updated_at=now - timedelta(days=3))
    return now - timedelta(days=1)


def _lastmods(client: Client) -> dict[str, date]:
    """pid -> lastmod of its Dutch page in the sitemap."""
    found = {}
    root = etree.fromstring(client.get("/sitemap-objects.xml").content)
    for url in root.iterfind("s:url", SITEMAP):
        location = str(url.findtext("s:loc", namespaces=SITEMAP))
        if location.startswith(f"{settings.SITE_URL}/nl/"):
            pid = location.rstrip("/").rsplit("/", 1)[-1]
            found[pid] = date.fromisoformat(str(url.findtext("s:lastmod", namespaces=SITEMAP)))
    return found


def _harvested_since(client: Client, since: datetime) -> set[str]:
    response = client.get(
        "/oai",
        {
            "verb": "ListIdentifiers",
            "metadataPrefix": "oai_dc",
            "from": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    root = etree.fromstring(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return {
        str(identifier.text).rsplit("/", 1)[-1]
        for identifier in root.iterfind(".//oai:header/oai:identifier", OAI)
    }


def _changed_since(client: Client, since: datetime) -> set[str]:
    """Objects whose sitemap lastmod says they changed since `since`; OAI agrees."""
    day = timezone.localdate(since)
    changed = {pid for pid, lastmod in _lastmods(client).items() if lastmod >= day}
    assert _harvested_since(client, since) == changed
    return changed


def _subject_of(client: Client, pid: str) -> list[str]:
    document = client.get(f"/id/object/{pid}", headers={"Accept": "application/ld+json"})
    return [exhibit["@id"] for exhibit in document.json().get("subjectOf", [])]


def test_publishing_hiding_and_deleting_an_exhibit_move_its_objects(
    client: Client, curator: Client
) -> None:
    for pid in ("cc-shown-1", "cc-shown-2", "cc-elsewhere"):
        ObjectFactory(pid=pid)
    ObjectFactory(pid="cc-hidden", is_public=False)
    exhibit, _section = _exhibit("cc-shown-1", "cc-shown-2", "cc-hidden", public=False)
    since = _long_unchanged()
    # Published with the admin's action
    response = curator.post(
        f"{ADMIN}/exhibit/", {"action": "publish", "_selected_action": [exhibit.pk]}
    )
    assert response.status_code == 302
    assert _subject_of(client, "cc-shown-1") == [uris.exhibit_uri("sphinx")]
    assert _changed_since(client, since) == {"cc-shown-1", "cc-shown-2"}
    # Hidden in its change form (the service the form calls)
    since = _long_unchanged()
    exhibit.refresh_from_db()
    exhibit.is_public = False
    editing.record_save(record=exhibit, actor=None, created=False, changed=["is_public"])
    assert _subject_of(client, "cc-shown-1") == []
    assert _changed_since(client, since) == {"cc-shown-1", "cc-shown-2"}
    # Edited while hidden: no page shows it, nothing moves
    since = _long_unchanged()
    exhibit.title = {"nl": "Sphinx en Regout"}
    editing.record_save(record=exhibit, actor=None, created=False, changed=["title"])
    assert _changed_since(client, since) == set()
    # Published again, then deleted
    editing.records_set_public([exhibit], public=True, actor=None)
    since = _long_unchanged()
    editing.record_delete(record=exhibit, actor=None)
    assert _changed_since(client, since) == {"cc-shown-1", "cc-shown-2"}


def test_an_object_added_to_or_taken_from_a_public_exhibit_moves(
    client: Client, curator: Client
) -> None:
    for pid in ("cc-shown-1", "cc-shown-2", "cc-added", "cc-in-b"):
        ObjectFactory(pid=pid)
    exhibit, section = _exhibit("cc-shown-1", "cc-shown-2", public=True)
    other = ExhibitSection.objects.create(exhibit=exhibit, heading={"nl": "Vazen"}, position=1)
    ExhibitObject.objects.create(section=other, object=HeritageObject.objects.get(pid="cc-in-b"))
    items = list(section.items.order_by("pk"))
    added = HeritageObject.objects.get(pid="cc-added")
    since = _long_unchanged()
    form = {
        "exhibit": str(section.exhibit_id),
        "position": "0",
        **_translated("heading", "Borden"),
        **_translated("body"),
        "media": "",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        # the first stays, the second is taken out, a third object is added
        **{f"items-0-{k}": v for k, v in (("id", items[0].pk), ("section", section.pk))},
        "items-0-object": str(items[0].object_id),
        "items-0-position": "0",
        **_translated("items-0-caption"),
        "items-1-id": str(items[1].pk),
        "items-1-section": str(section.pk),
        "items-1-object": str(items[1].object_id),
        "items-1-position": "1",
        "items-1-DELETE": "on",
        **_translated("items-1-caption"),
        "items-2-id": "",
        "items-2-section": str(section.pk),
        "items-2-object": str(added.pk),
        "items-2-position": "2",
        **_translated("items-2-caption"),
    }
    response = curator.post(f"{ADMIN}/exhibitsection/{section.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(section.items.values_list("object__pid", flat=True)) == {"cc-shown-1", "cc-added"}
    assert _changed_since(client, since) == {"cc-shown-2", "cc-added"}
    # A section deleted in the exhibit's own form
    since = _long_unchanged()
    sections = [(0, section, ""), (1, other, "on")]
    exhibit_form = {
        "slug": "sphinx",
        **_translated("title", "Sphinx"),
        **_translated("summary"),
        **_translated("introduction"),
        "cover": "",
        "curator": "",
        "is_public": "on",
        "position": "0",
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "2",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for n, row, delete in sections:
        exhibit_form |= {
            f"sections-{n}-id": str(row.pk),
            f"sections-{n}-exhibit": str(exhibit.pk),
            f"sections-{n}-position": str(n),
            **_translated(f"sections-{n}-heading", str(row.heading)),
            **_translated(f"sections-{n}-body"),
            f"sections-{n}-media": "",
        } | ({f"sections-{n}-DELETE": delete} if delete else {})
    response = curator.post(f"{ADMIN}/exhibit/{exhibit.pk}/change/", exhibit_form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not ExhibitSection.objects.filter(pk=other.pk).exists()
    assert _changed_since(client, since) == {"cc-in-b"}
    # A section deleted on its own page takes its objects off the exhibit's page
    since = _long_unchanged()
    response = curator.post(f"{ADMIN}/exhibitsection/{section.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _changed_since(client, since) == {"cc-shown-1", "cc-added"}


def test_retitling_a_public_exhibit_moves_the_objects_that_name_it(client: Client) -> None:
    for pid in ("cc-shown-1", "cc-elsewhere"):
        ObjectFactory(pid=pid)
    exhibit, _section = _exhibit("cc-shown-1", public=True)
    since = _long_unchanged()
    exhibit.title = {"nl": "Sphinx en Regout"}
    editing.record_save(record=exhibit, actor=None, created=False, changed=["title"])
    assert _changed_since(client, since) == {"cc-shown-1"}
    # Another change (its introduction) shows on the exhibit's page only.
    since = _long_unchanged()
    editing.record_save(record=exhibit, actor=None, created=False, changed=["introduction"])
    assert _changed_since(client, since) == set()


def test_publishing_or_retitling_an_exhibit_moves_the_dictionary_entries_linking_it() -> None:
    from reisgezel.heritage.models import DialectEntry

    exhibit, _section = _exhibit(public=False)
    linked = DialectEntry.objects.create(lemma="sjiek", slug="sjiek", part_of_speech="adjective")
    linked.related_exhibits.add(exhibit)
    DialectEntry.objects.create(lemma="vlaai", slug="vlaai", part_of_speech="noun")
    long_ago = timezone.now() - timedelta(days=3)
    DialectEntry.objects.update(updated_at=long_ago)

    def moved() -> set[str]:
        return set(
            DialectEntry.objects.filter(updated_at__gt=long_ago).values_list("slug", flat=True)
        )

    editing.records_set_public([exhibit], public=True, actor=None)
    assert moved() == {"sjiek"}
    DialectEntry.objects.update(updated_at=long_ago)
    exhibit.refresh_from_db()
    exhibit.title = {"nl": "Sphinx en Regout"}
    editing.record_save(record=exhibit, actor=None, created=False, changed=["title"])
    assert moved() == {"sjiek"}
    DialectEntry.objects.update(updated_at=long_ago)
    editing.record_delete(record=exhibit, actor=None)
    assert moved() == {"sjiek"}
