"""OAI-PMH responses, verb by verb, validated against the OAI-PMH XSD (with oai_dc and
LIDO payloads against their own schemas). Harvesting with real clients over HTTP is in
test_oai_harvest.py; errors in test_oai_errors.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import etree

from reisgezel.interop.oai import conf
from reisgezel.interop.tests.oai_fixtures import (
    OAI_NS,
    HeritageData,
    assert_valid,
    build_heritage,
    lido_schema,
    oai_dc_schema,
    oai_lido_schema,
    oai_schema,
)

pytestmark = pytest.mark.django_db
NS = {
    **OAI_NS,
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "lido": "http://www.lido-schema.org",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}


def oai_get(
    client: Client, query: dict[str, str] | None = None, *, lido: bool = False, **params: str
) -> etree._Element:
    params = {**(query or {}), **params}
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    document = etree.fromstring(response.getvalue())
    lido = lido or params.get("metadataPrefix") == "lido"
    assert_valid(oai_lido_schema() if lido else oai_schema(), document)
    return document


def identifier(pid: str) -> str:
    return f"oai:{conf.repository_identifier()}:object/{pid}"


def texts(document: etree._Element, path: str) -> list[str]:
    return [str(e.text) for e in document.iterfind(path, NS)]


@pytest.fixture
def data() -> HeritageData:
    return build_heritage()


def test_identify(client: Client, data: HeritageData) -> None:
    document = oai_get(client, verb="Identify")
    assert texts(document, ".//oai:baseURL") == ["http://127.0.0.1:8000/oai"]
    assert texts(document, ".//oai:deletedRecord") == ["persistent"]
    assert texts(document, ".//oai:granularity") == ["YYYY-MM-DDThh:mm:ssZ"]
    assert texts(document, ".//oai:request") == ["http://127.0.0.1:8000/oai"]
    assert document.find("oai:request", NS).get("verb") == "Identify"
    assert texts(document, ".//id:repositoryIdentifier") == ["127.0.0.1"]
    earliest = texts(document, ".//oai:earliestDatestamp")[0]
    assert earliest.endswith("Z") and len(earliest) == 20


def test_list_metadata_formats(client: Client, data: HeritageData) -> None:
    document = oai_get(client, verb="ListMetadataFormats")
    assert texts(document, ".//oai:metadataPrefix") == ["oai_dc", "lido"]
    assert "http://www.lido-schema.org" in texts(document, ".//oai:metadataNamespace")
    for_item = oai_get(client, verb="ListMetadataFormats", identifier=identifier(data.rich_pid))
    assert texts(for_item, ".//oai:metadataPrefix") == ["oai_dc", "lido"]


def test_list_sets_one_per_collection(client: Client, data: HeritageData) -> None:
    document = oai_get(client, verb="ListSets")
    assert texts(document, ".//oai:setSpec") == ["ceramics", "natural-history"]
    assert texts(document, ".//oai:setName") == [
        "Keramiek / Ceramics",
        "Natuurhistorie / Natural history",
    ]
    description = document.find(".//oai:setDescription/oai_dc:dc", NS)
    assert_valid(oai_dc_schema(), etree.ElementTree(description))
    assert "Maastricht ceramics." in texts(description, "dc:description")


def test_get_record_oai_dc(client: Client, data: HeritageData) -> None:
    document = oai_get(
        client, verb="GetRecord", identifier=identifier(data.rich_pid), metadataPrefix="oai_dc"
    )
    header = document.find(".//oai:header", NS)
    assert header.get("status") is None
    assert texts(header, "oai:identifier") == [identifier(data.rich_pid)]
    assert texts(header, "oai:setSpec") == ["ceramics"]
    dc = document.find(".//oai_dc:dc", NS)
    assert_valid(oai_dc_schema(), etree.ElementTree(dc))
    assert texts(dc, "dc:title") == ["Schotel met Chinees decor", "Dish with Chinese decoration"]
    assert [
        t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in dc.iterfind("dc:title", NS)
    ] == ["nl", "en"]
    assert texts(dc, "dc:creator") == ["Petrus Regout & Co (Sphinx)"]
    assert "http://vocab.getty.edu/aat/300018795" in texts(dc, "dc:subject")
    assert texts(dc, "dc:identifier") == ["http://127.0.0.1:8000/id/object/cc-000001", "CC-000001"]
    assert texts(dc, "dc:rights") == ["http://creativecommons.org/licenses/by/4.0/"]
    assert texts(dc, "dc:date") == ["c. 1850-1870"]
    assert {"PhysicalObject", "schotel", "dish"} <= set(texts(dc, "dc:type"))
    assert {"diam. 24.5 cm", "aardewerk", "earthenware"} <= set(texts(dc, "dc:format"))
    assert texts(dc, "dc:coverage") == ["Maastricht", "http://www.wikidata.org/entity/Q1309"]
    assert texts(dc, "dc:publisher") == ["Centre Céramique"]
    assert texts(dc, "dc:relation") == ["http://127.0.0.1:8000/id/collection/ceramics"]


def test_get_record_lido_validates_against_lido_11(client: Client, data: HeritageData) -> None:
    document = oai_get(
        client, verb="GetRecord", identifier=identifier(data.rich_pid), metadataPrefix="lido"
    )
    record = document.find(".//lido:lido", NS)
    assert_valid(lido_schema(), etree.ElementTree(record))
    assert texts(record, "lido:objectPublishedID") == ["http://127.0.0.1:8000/id/object/cc-000001"]
    assert texts(record, ".//lido:workID") == ["CC-000001"]
    assert texts(record, ".//lido:inscriptionTranscription") == ["P. REGOUT MAESTRICHT"]
    assert "http://www.wikidata.org/entity/Q2289446" in texts(record, ".//lido:actorID")
    assert texts(record, ".//lido:earliestDate") == ["1845"]
    assert texts(record, ".//lido:measurementValue") == ["24.5"]
    links = texts(record, ".//lido:linkResource")
    assert len(links) == 1 and links[0].endswith("/full/max/0/default.jpg")
    assert "http://creativecommons.org/licenses/by-sa/4.0/" in texts(
        record, ".//lido:rightsResource//lido:conceptID"
    )


def test_get_record_of_specimen_in_lido_names_the_taxon(client: Client, data: HeritageData) -> None:
    document = oai_get(
        client, verb="GetRecord", identifier=identifier("nh-000001"), metadataPrefix="lido"
    )
    assert texts(document, ".//lido:classification/lido:term") == [
        "Mosasaurus hoffmanni Mantell, 1829"
    ]


@pytest.mark.parametrize("kind", ["hidden", "deleted"])
def test_hidden_and_deleted_objects_are_deleted_records(
    client: Client, data: HeritageData, kind: str
) -> None:
    pid = getattr(data, kind)[0]
    document = oai_get(
        client, verb="GetRecord", identifier=identifier(pid), metadataPrefix="oai_dc"
    )
    assert document.find(".//oai:header", NS).get("status") == "deleted"
    assert document.find(".//oai:metadata", NS) is None
    assert texts(document, ".//oai:setSpec") == ["ceramics"]


def _harvest(client: Client, **params: Any) -> tuple[list[etree._Element], list[etree._Element]]:
    pages, tokens = [], []
    document = oai_get(client, **params)
    pages.append(document)
    lido = params.get("metadataPrefix") == "lido"
    while (token := document.find(".//oai:resumptionToken", NS)) is not None and token.text:
        tokens.append(token)
        document = oai_get(client, lido=lido, verb=params["verb"], resumptionToken=token.text)
        pages.append(document)
    if token is not None:
        tokens.append(token)
    return pages, tokens


@pytest.mark.parametrize("prefix", ["oai_dc", "lido"])
def test_list_records_in_pages(
    client: Client, data: HeritageData, monkeypatch: pytest.MonkeyPatch, prefix: str
) -> None:
    monkeypatch.setattr(conf, "PAGE_SIZE", 4)
    pages, tokens = _harvest(client, verb="ListRecords", metadataPrefix=prefix)
    total = len(data.public) + len(data.hidden) + len(data.deleted)
    assert len(pages) == -(-total // 4)
    headers = [h for page in pages for h in page.iterfind(".//oai:header", NS)]
    pids = [str(h.findtext("oai:identifier", namespaces=NS)).rsplit("/", 1)[1] for h in headers]
    assert sorted(pids) == sorted(data.public + data.hidden + data.deleted)
    deleted = {p for p, h in zip(pids, headers, strict=True) if h.get("status") == "deleted"}
    assert deleted == set(data.hidden + data.deleted)
    # cursor counts what came before; the last token is empty and closes the list
    assert [int(t.get("cursor")) for t in tokens] == [4 * i for i in range(len(tokens))]
    assert {int(t.get("completeListSize")) for t in tokens} == {total}
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None
    assert all(t.get("expirationDate", "").endswith("Z") for t in tokens[:-1])


def test_list_identifiers_single_page_has_no_token(client: Client, data: HeritageData) -> None:
    document = oai_get(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="natural-history"
    )
    assert document.find(".//oai:resumptionToken", NS) is None
    assert sorted(texts(document, ".//oai:identifier")) == sorted(
        [identifier("nh-000001"), identifier("nh-000002"), identifier("nh-000003")]
    )


def test_from_and_until_are_inclusive_at_both_granularities(
    client: Client, data: HeritageData
) -> None:
    from reisgezel.heritage.models import HeritageObject

    stamp = HeritageObject.objects.get(pid=data.rich_pid).updated_at
    second = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    day = stamp.strftime("%Y-%m-%d")
    for value in (second, day):
        document = oai_get(
            client, {"from": value}, verb="ListIdentifiers", metadataPrefix="oai_dc", until=value
        )
        assert identifier(data.rich_pid) in texts(document, ".//oai:identifier")


def test_post_is_answered_like_get(client: Client, data: HeritageData) -> None:
    response = client.post("/oai", {"verb": "ListSets"})
    document = etree.fromstring(response.getvalue())
    assert_valid(oai_schema(), document)
    assert texts(document, ".//oai:setSpec") == ["ceramics", "natural-history"]


def test_a_page_of_records_costs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_heritage(public=40)
    monkeypatch.setattr(conf, "PAGE_SIZE", 30)
    for prefix, queries in (("oai_dc", 6), ("lido", 10)):
        with django_assert_max_num_queries(queries):
            response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": prefix})
            content = response.getvalue()
        assert content.count(b"<record>") == 30


def test_lido_gives_the_display_date_its_language_when_known(
    client: Client, data: HeritageData
) -> None:
    from reisgezel.heritage.models import HeritageObject

    HeritageObject.objects.filter(pid=data.rich_pid).update(
        date_display="tweede helft 19e eeuw", date_display_language="nl"
    )
    document = oai_get(
        client, verb="GetRecord", identifier=identifier(data.rich_pid), metadataPrefix="lido"
    )
    (shown,) = document.iterfind(".//lido:eventDate/lido:displayDate", NS)
    assert shown.text == "tweede helft 19e eeuw"
    assert shown.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"


@pytest.mark.parametrize("prefix", ["oai_dc", "lido"])
def test_markup_and_control_characters_in_data(
    client: Client, data: HeritageData, prefix: str
) -> None:
    """Imported text may hold <, & or control characters XML cannot carry at all: the
    record stays valid (markup escaped, control characters dropped)."""
    from reisgezel.heritage.models import HeritageObject

    HeritageObject.objects.filter(pid=data.rich_pid).update(
        title={"nl": "Bord <groot> & klein\x01\x0b", "en": "Plate"},
        date_display="c. 1850 \x1f",
    )
    document = oai_get(
        client, verb="GetRecord", identifier=identifier(data.rich_pid), metadataPrefix=prefix
    )
    title = "dc:title" if prefix == "oai_dc" else "lido:titleSet/lido:appellationValue"
    assert texts(document, f".//{title}")[0] == "Bord <groot> & klein"
