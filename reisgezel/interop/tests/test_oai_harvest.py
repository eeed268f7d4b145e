"""Harvesting over loopback with the real clients `sickle` and `oaipmh-scythe` against
the live server: paged lists, sets, selective harvesting, deleted records, and
resumption tokens that need no server state."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig
from oaipmh_scythe.models import Header, Record, Set
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, NoRecordsMatch

from reisgezel.heritage.models import HeritageObject
from reisgezel.heritage.services import object_delete, objects_set_public
from reisgezel.interop.oai import conf
from reisgezel.interop.tests.oai_fixtures import HeritageData, build_heritage

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = 3


@pytest.fixture
def data(monkeypatch: pytest.MonkeyPatch) -> HeritageData:
    # The live server runs in this process: a small page forces several resumptions.
    monkeypatch.setattr(conf, "PAGE_SIZE", PAGE)
    return build_heritage()


@pytest.fixture
def endpoint(live_server: Any) -> str:
    return f"{live_server.url}/oai"


def pid(identifier: str) -> str:
    return identifier.rsplit("/", 1)[1]


def test_sickle_list_records_collects_public_and_deleted(endpoint: str, data: HeritageData) -> None:
    records = list(Sickle(endpoint).ListRecords(metadataPrefix="oai_dc"))
    assert sorted(pid(r.header.identifier) for r in records) == sorted(
        data.public + data.hidden + data.deleted
    )
    deleted = {pid(r.header.identifier) for r in records if r.header.deleted}
    assert deleted == set(data.hidden + data.deleted)
    by_pid = {pid(r.header.identifier): r for r in records}
    rich = by_pid[data.rich_pid].metadata
    assert rich["title"] == ["Schotel met Chinees decor", "Dish with Chinese decoration"]
    assert rich["rights"] == ["http://creativecommons.org/licenses/by/4.0/"]
    # sickle gives a deleted record no metadata at all
    assert not hasattr(by_pid[data.deleted[0]], "metadata")


def test_sickle_sets_get_record_and_selective_lists(endpoint: str, data: HeritageData) -> None:
    sickle = Sickle(endpoint)
    sets = {s.setSpec: s.setName for s in sickle.ListSets()}
    assert sets == {
        "ceramics": "Keramiek / Ceramics",
        "natural-history": "Natuurhistorie / Natural history",
    }
    record = sickle.GetRecord(
        identifier=f"oai:{conf.repository_identifier()}:object/nh-000002", metadataPrefix="lido"
    )
    assert record.header.setSpecs == ["natural-history"]
    assert "Allopleuron hofmanni (Gray, 1831)" in record.raw

    specimens = sickle.ListIdentifiers(metadataPrefix="oai_dc", set="natural-history")
    assert sorted(pid(h.identifier) for h in specimens) == ["nh-000001", "nh-000002", "nh-000003"]

    # Selective harvesting by date: push one object a day into the future.
    moved = HeritageObject.objects.get(pid="cc-000002")
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    HeritageObject.objects.filter(pk=moved.pk).update(updated_at=tomorrow)
    day = tomorrow.strftime("%Y-%m-%d")
    later = sickle.ListIdentifiers(metadataPrefix="oai_dc", set="ceramics", **{"from": day})
    assert [pid(h.identifier) for h in later] == ["cc-000002"]
    until = (tomorrow - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="ceramics", until=until))
    assert "cc-000002" not in {pid(h.identifier) for h in earlier}
    assert len(earlier) == 7 - 1 + 2 + 2  # ceramics: public, hidden, deleted
    with pytest.raises(NoRecordsMatch):
        list(
            sickle.ListIdentifiers(metadataPrefix="oai_dc", set="natural-history", **{"from": day})
        )


def test_scythe_harvests_by_get_and_post(endpoint: str, data: HeritageData) -> None:
    expected = sorted(data.public + data.hidden + data.deleted)
    for method in ("GET", "POST"):
        with Scythe(endpoint, http_config=HTTPConfig(http_method=method)) as scythe:
            records = [
                r for r in scythe.list_records(metadata_prefix="lido") if isinstance(r, Record)
            ]
            assert sorted(pid(str(r.header.identifier)) for r in records) == expected
            headers = [
                h
                for h in scythe.list_identifiers(metadata_prefix="oai_dc", ignore_deleted=True)
                if isinstance(h, Header)
            ]
            assert sorted(pid(str(h.identifier)) for h in headers) == sorted(data.public)
            sets = [s.setSpec for s in scythe.list_sets() if isinstance(s, Set)]
            assert sets == ["ceramics", "natural-history"]
            identify = scythe.identify()
            assert identify.xml.findtext("{*}deletedRecord") == "persistent"


def test_changes_during_a_harvest_are_not_lost(endpoint: str, data: HeritageData) -> None:
    """An object changed, hidden or deleted while a harvest runs appears later in the
    same harvest with its new state: keyset order by datestamp never skips it."""
    sickle = Sickle(endpoint)
    records = sickle.ListRecords(metadataPrefix="oai_dc")
    first = [next(records) for _ in range(PAGE)]
    seen = {pid(r.header.identifier) for r in first}
    assert data.rich_pid in seen
    objects_set_public(
        HeritageObject.objects.filter(pid=data.rich_pid).values_list("pk", flat=True),
        public=False,
        actor=None,
    )
    object_delete(HeritageObject.objects.get(pid="cc-000002"), actor=None)
    rest = list(records)
    states = {pid(r.header.identifier): r.header.deleted for r in rest}
    assert states[data.rich_pid] is True
    assert states["cc-000002"] is True


def _token_after_first_page(endpoint: str) -> str:
    response = Sickle(endpoint).ListIdentifiers(metadataPrefix="oai_dc")
    token = response.resumption_token
    assert token is not None and token.token
    assert int(token.cursor) == 0
    return str(token.token)


def test_resumption_token_survives_a_restart(endpoint: str, data: HeritageData) -> None:
    token = _token_after_first_page(endpoint)
    # Forget everything a server process could hold: caches, connections, the client.
    cache.clear()
    connections.close_all()
    # A fresh interpreter with only the settings (no database, no cache) reads the
    # token: it is self-contained and signed, not a key into server memory.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "REISGEZEL_TESTING": "1"}
    script = (
        "import django, sys; django.setup();"
        "from reisgezel.interop.oai.tokens import decode;"
        "s = decode(sys.argv[1], verb='ListIdentifiers'); print(s.cursor, s.phase)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, token],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split() == [str(PAGE), "public"]
    rest = list(Sickle(endpoint).ListIdentifiers(resumptionToken=token))
    assert len(rest) == len(data.public) + len(data.hidden) + len(data.deleted) - PAGE


def test_tampered_token_is_refused_by_the_client(endpoint: str, data: HeritageData) -> None:
    token = _token_after_first_page(endpoint)
    with pytest.raises(BadResumptionToken):
        list(Sickle(endpoint).ListIdentifiers(resumptionToken=token[:-1] + "x"))


def test_an_object_moved_to_another_collection_is_deleted_from_its_old_set(
    endpoint: str, data: HeritageData
) -> None:
    from reisgezel.heritage import editing
    from reisgezel.heritage.models import Collection, Tombstone

    sickle = Sickle(endpoint)
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    HeritageObject.objects.update(updated_at=two_days_ago)
    Tombstone.objects.update(deleted_at=two_days_ago)
    since = (two_days_ago + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    moved = HeritageObject.objects.get(pid="cc-000001")
    moved.collection = Collection.objects.get(code="natural-history")
    editing.object_save(obj=moved, actor=None, created=False, changed=["collection"])

    old_set = list(
        sickle.ListIdentifiers(metadataPrefix="oai_dc", set="ceramics", **{"from": since})
    )
    assert [(pid(h.identifier), h.deleted) for h in old_set] == [("cc-000001", True)]
    new_set = sickle.ListIdentifiers(
        metadataPrefix="oai_dc", set="natural-history", **{"from": since}
    )
    assert [(pid(h.identifier), h.deleted) for h in new_set] == [("cc-000001", False)]
    # Across all sets it is one live record, under its new set.
    everywhere = sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": since})
    assert [(pid(h.identifier), h.deleted, h.setSpecs) for h in everywhere] == [
        ("cc-000001", False, ["natural-history"])
    ]
    # Moved back: the old set has it again, not deleted.
    moved.collection = Collection.objects.get(code="ceramics")
    editing.object_save(obj=moved, actor=None, created=False, changed=["collection"])
    again = sickle.ListIdentifiers(metadataPrefix="oai_dc", set="ceramics", **{"from": since})
    assert [(pid(h.identifier), h.deleted) for h in again] == [("cc-000001", False)]
