"""Every OAI-PMH error condition, each response validated against the OAI-PMH XSD.
After badVerb and badArgument the <request> element must carry no attributes."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.test import Client
from lxml import etree

from reisgezel.heritage.models import Collection, HeritageObject, Tombstone
from reisgezel.interop.oai import conf
from reisgezel.interop.oai.tokens import decode
from reisgezel.interop.tests.oai_fixtures import (
    OAI_NS,
    HeritageData,
    assert_valid,
    build_heritage,
    oai_error_codes,
    oai_schema,
)

pytestmark = pytest.mark.django_db


def oai_error(
    client: Client, query: str, *, post: bool = False
) -> tuple[list[str], dict[str, str]]:
    if post:
        response = client.post("/oai", query, content_type="application/x-www-form-urlencoded")
    else:
        response = client.get(f"/oai?{query}")
    assert response.status_code == 200
    document = etree.fromstring(response.getvalue())
    assert_valid(oai_schema(), document)
    request = document.find("oai:request", OAI_NS)
    return oai_error_codes(document), dict(request.attrib)


@pytest.fixture
def data() -> HeritageData:
    return build_heritage()


def pid_identifier(pid: str) -> str:
    return f"oai:{conf.repository_identifier()}:object/{pid}"


@pytest.mark.parametrize(
    "query",
    ["", "verb=Frobnicate", "verb=Identify&verb=Identify", "verb=", "metadataPrefix=oai_dc"],
)
def test_bad_verb(client: Client, data: HeritageData, query: str) -> None:
    assert oai_error(client, query) == (["badVerb"], {})


@pytest.mark.parametrize(
    "query",
    [
        "verb=Identify&set=ceramics",
        "verb=ListRecords",
        "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=lido",
        "verb=ListRecords&metadataPrefix=oai_dc&foo=bar",
        "verb=ListRecords&metadataPrefix=",
        "verb=ListRecords&metadataPrefix=oai%20dc",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-13-01",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-02-30",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=yesterday",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-01T00:00:00",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-01T00:00:00.5Z",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-01&until=2024-02-01T00:00:00Z",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-02-01&until=2024-01-01",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&set=not%20a%20set",
        "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc",
        "verb=GetRecord&metadataPrefix=oai_dc",
        "verb=GetRecord&identifier=oai:127.0.0.1:object/cc-000001",
        "verb=ListSets&set=ceramics",
    ],
)
def test_bad_argument(client: Client, data: HeritageData, query: str) -> None:
    assert oai_error(client, query) == (["badArgument"], {})


def test_bad_argument_by_post(client: Client, data: HeritageData) -> None:
    assert oai_error(client, "verb=ListRecords&until=2024-01-01", post=True) == (
        ["badArgument"],
        {},
    )


def first_token(client: Client, verb: str = "ListIdentifiers") -> str:
    response = client.get("/oai", {"verb": verb, "metadataPrefix": "oai_dc"})
    document = etree.fromstring(response.getvalue())
    return str(document.find(".//oai:resumptionToken", OAI_NS).text)


def test_bad_resumption_tokens(
    client: Client, data: HeritageData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conf, "PAGE_SIZE", 3)
    token = first_token(client)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    # a token whose payload was edited keeps the old signature
    _payload, signature = token.rsplit(":", 1)
    forged = signing.dumps({"v": 1, "verb": "ListIdentifiers"}, salt="other").rsplit(":", 1)[0]
    for bad in ("garbage", tampered, f"{forged}:{signature}", token.upper()):
        codes, attrs = oai_error(client, f"verb=ListIdentifiers&resumptionToken={bad}")
        assert codes == ["badResumptionToken"]
        assert attrs == {"verb": "ListIdentifiers", "resumptionToken": bad}
    # a ListIdentifiers token does not continue ListRecords
    codes, _ = oai_error(client, f"verb=ListRecords&resumptionToken={token}")
    assert codes == ["badResumptionToken"]
    # ListSets is never split, so no token fits it
    assert oai_error(client, f"verb=ListSets&resumptionToken={token}")[0] == ["badResumptionToken"]


def test_expired_token(client: Client, data: HeritageData, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conf, "PAGE_SIZE", 3)
    token = first_token(client)
    assert decode(token, verb="ListIdentifiers").cursor == 3
    later = time.time() + conf.TOKEN_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert oai_error(client, f"verb=ListIdentifiers&resumptionToken={token}")[0] == [
        "badResumptionToken"
    ]


def test_cannot_disseminate_format(client: Client, data: HeritageData) -> None:
    for query in (
        "verb=ListRecords&metadataPrefix=marc21",
        "verb=ListIdentifiers&metadataPrefix=edm",
        f"verb=GetRecord&metadataPrefix=mods&identifier={pid_identifier(data.rich_pid)}",
    ):
        codes, attrs = oai_error(client, query)
        assert codes == ["cannotDisseminateFormat"]
        assert attrs["verb"] and attrs["metadataPrefix"]


def test_id_does_not_exist(client: Client, data: HeritageData) -> None:
    for identifier in (
        pid_identifier("no-such-object"),
        "oai:example.org:object/cc-000001",  # another repository's
        "oai:127.0.0.1:agent/sphinx",
        "cc-000001",
    ):
        for query in (
            f"verb=GetRecord&metadataPrefix=oai_dc&identifier={identifier}",
            f"verb=ListMetadataFormats&identifier={identifier}",
        ):
            assert oai_error(client, query)[0] == ["idDoesNotExist"]


def test_both_errors_of_get_record_are_reported(client: Client, data: HeritageData) -> None:
    codes, _ = oai_error(client, "verb=GetRecord&metadataPrefix=mods&identifier=nope")
    assert codes == ["cannotDisseminateFormat", "idDoesNotExist"]


def test_no_records_match(client: Client, data: HeritageData) -> None:
    for query in (
        "verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01",
        "verb=ListRecords&metadataPrefix=oai_dc&until=1999-12-31T23:59:59Z",
        "verb=ListIdentifiers&metadataPrefix=lido&set=no-such-collection",
    ):
        codes, attrs = oai_error(client, query)
        assert codes == ["noRecordsMatch"]
        assert attrs["verb"].startswith("List")


def test_no_metadata_formats_for_a_deleted_item(client: Client, data: HeritageData) -> None:
    for pid in (data.deleted[0], data.hidden[0]):
        query = f"verb=ListMetadataFormats&identifier={pid_identifier(pid)}"
        assert oai_error(client, query)[0] == ["noMetadataFormats"]


def test_no_set_hierarchy_without_collections(client: Client) -> None:
    assert not Collection.objects.exists()
    assert oai_error(client, "verb=ListSets")[0] == ["noSetHierarchy"]
    query = "verb=ListRecords&metadataPrefix=oai_dc&set=ceramics"
    assert oai_error(client, query)[0] == ["noSetHierarchy"]


def test_list_emptied_under_a_token_is_no_records_match(
    client: Client, data: HeritageData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows removed behind the services' back (no tombstone) cannot leave an empty,
    schema-invalid page."""
    monkeypatch.setattr(conf, "PAGE_SIZE", 3)
    token = first_token(client)
    Tombstone.objects.all().delete()
    HeritageObject.objects.all().delete()
    assert oai_error(client, f"verb=ListIdentifiers&resumptionToken={token}")[0] == [
        "noRecordsMatch"
    ]


def test_other_methods_are_not_allowed(client: Client) -> None:
    assert client.put("/oai?verb=Identify").status_code == 405
