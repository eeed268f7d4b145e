"""Read-ahead of list pages (interop/oai/read_ahead.py): a page built while the
harvester reads the previous one is the page the request would have got, a change of
the data in between makes the server build it again, and a harvest with read-ahead is
the same harvest, over HTTP with sickle."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from sickle import Sickle

from reisgezel.heritage.collection_cache import collection_changed
from reisgezel.heritage.models import HeritageObject
from reisgezel.heritage.services import objects_set_public
from reisgezel.interop.oai import conf, read_ahead, tokens
from reisgezel.interop.tests.oai_fixtures import HeritageData, build_heritage

pytestmark = pytest.mark.django_db(transaction=True)  # the read-ahead thread's reads
PAGE = 3
_TOKEN = re.compile(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


@pytest.fixture
def data(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeritageData]:
    monkeypatch.setattr(conf, "PAGE_SIZE", PAGE)
    yield build_heritage()
    _read_ahead_done()  # before the tables are emptied


def _read_ahead_done() -> None:
    """Let the read-ahead worker finish and disconnect (the tests' in-memory SQLite
    database locks a table a thread reads while the test writes to it, and a test
    database cannot be dropped while a thread is connected)."""
    read_ahead.stop()


def _read_ahead(settings: Any, on: bool) -> None:
    settings.OAI_PMH = {**settings.OAI_PMH, "READ_AHEAD": on}


def _get(client: Client, **params: str) -> str:
    response = client.get("/oai", params)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def _inner(body: str, verb: str) -> str:
    """The verb's element's content, without clock readings: the token's expiry, and
    the token as the state it carries (its signature holds the second it was signed
    in, so a page built ahead a second earlier has another token for the same state)."""
    inner = body.split(f"<{verb}>", 1)[1].rsplit(f"</{verb}>", 1)[0]
    inner = re.sub(r' expirationDate="[^"]*"', "", inner)
    return _TOKEN.sub(lambda m: f"<resumptionToken>{_state(m[1])}</resumptionToken>", inner)


def _state(token: str) -> tokens.ListState:
    return tokens.decode(token, verb="ListRecords")


def _wait_until_built(verb: str, token: str) -> None:
    key = read_ahead._key(verb, token)
    deadline = time.monotonic() + 30
    while read_ahead.cache.get(key + ":pending"):
        assert time.monotonic() < deadline, "the page was never built"
        time.sleep(0.01)


def test_a_page_built_ahead_is_the_page_the_request_gets(
    client: Client, settings: Any, data: HeritageData
) -> None:
    verb = "ListRecords"
    _read_ahead(settings, True)
    first = _get(client, verb=verb, metadataPrefix="lido")
    token = _TOKEN.search(first)
    assert token is not None
    _wait_until_built(verb, token[1])
    ahead = read_ahead.take(verb, token[1])
    assert ahead is not None

    _read_ahead(settings, False)
    fresh = _get(client, verb=verb, resumptionToken=token[1])
    assert _inner("<x>" + ahead.body + "</x>", "x") == _inner(fresh, verb)
    following = _TOKEN.search(fresh)
    assert following is not None and _state(ahead.next_token) == _state(following[1])

    _read_ahead(settings, True)
    served = _get(client, verb=verb, resumptionToken=token[1])
    assert _inner(served, verb) == _inner(fresh, verb)
    assert served.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH ')
    assert f'<request verb="{verb}" resumptionToken="' in served


def test_a_change_after_the_page_was_built_is_not_missed(
    client: Client, settings: Any, data: HeritageData
) -> None:
    _read_ahead(settings, True)
    token = _TOKEN.search(_get(client, verb="ListRecords", metadataPrefix="lido"))
    assert token is not None
    _wait_until_built("ListRecords", token[1])
    assert read_ahead.take("ListRecords", token[1]) is not None
    collection_changed()
    assert read_ahead.take("ListRecords", token[1]) is None


@pytest.mark.parametrize(
    ("verb", "prefix"), [("ListRecords", "oai_dc"), ("ListIdentifiers", "lido")]
)
def test_cheap_pages_are_not_built_ahead(
    client: Client, settings: Any, data: HeritageData, verb: str, prefix: str
) -> None:
    _read_ahead(settings, True)
    token = _TOKEN.search(_get(client, verb=verb, metadataPrefix=prefix))
    assert token is not None
    key = read_ahead._key(verb, token[1])
    assert read_ahead.cache.get(key + ":pending") is None
    assert read_ahead.cache.get(key) is None


def test_a_bad_token_is_still_a_protocol_error(
    client: Client, settings: Any, data: HeritageData
) -> None:
    _read_ahead(settings, True)
    body = _get(client, verb="ListRecords", resumptionToken="not-a-token")
    assert 'code="badResumptionToken"' in body
    assert read_ahead.cache.get(read_ahead._key("ListRecords", "not-a-token")) is None


def _harvest(url: str) -> list[tuple[str, str, bool, str]]:
    return [
        (r.header.identifier, r.header.datestamp, r.header.deleted, r.raw)
        for r in Sickle(url).ListRecords(metadataPrefix="lido")
    ]


def test_sickle_harvests_the_same_records_with_read_ahead(
    live_server: Any, settings: Any, data: HeritageData, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"{live_server.url}/oai"
    _read_ahead(settings, False)
    without = _harvest(url)
    served_ahead = []
    take = read_ahead.take

    def counting_take(verb: str, token: str) -> read_ahead.Page | None:
        page = take(verb, token)
        served_ahead.append(page is not None)
        return page

    monkeypatch.setattr(read_ahead, "take", counting_take)
    _read_ahead(settings, True)
    assert _harvest(url) == without
    assert len(without) > 2 * PAGE
    assert any(served_ahead)  # (a page still being built is waited for, not rebuilt)


def test_a_harvest_with_read_ahead_sees_changes_made_during_it(
    live_server: Any, settings: Any, data: HeritageData
) -> None:
    _read_ahead(settings, True)
    records = Sickle(f"{live_server.url}/oai").ListRecords(metadataPrefix="lido")
    first = [next(records) for _ in range(PAGE)]
    assert data.rich_pid in {r.header.identifier.rsplit("/", 1)[1] for r in first}
    # Page 2 is built ahead (the live server starts that once it has sent page 1).
    key = read_ahead._key("ListRecords", records.resumption_token.token)
    deadline = time.monotonic() + 30
    while read_ahead.cache.get(key) is None:
        assert time.monotonic() < deadline, "page 2 was never built ahead"
        time.sleep(0.01)
    objects_set_public(
        HeritageObject.objects.filter(pid=data.rich_pid).values_list("pk", flat=True),
        public=False,
        actor=None,
    )
    # Its new datestamp brings it back later in the same list, now deleted.
    rest = {r.header.identifier.rsplit("/", 1)[1]: r.header.deleted for r in records}
    assert rest[data.rich_pid] is True
