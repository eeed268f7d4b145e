"""Dataset descriptions for the NDE dataset register: expanded with pyld and an
offline document loader (../shared/data/jsonld/contexts.json), checked for the
properties the NDE Requirements for Datasets ask for, and validated with pyshacl
against our shapes of those requirements (tests/shapes/nde-dataset.ttl)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from pyld import jsonld

from reisgezel.heritage.models import AgentKind, Collection
from reisgezel.interop.tests.oai_fixtures import HeritageData, build_heritage
from tests.heritage_factories import AgentFactory
from tests.linked_data import offline_loader, shacl_findings

pytestmark = pytest.mark.django_db
S = "http://schema.org/"


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": offline_loader})
    return expanded


def values(node: dict[str, Any], prop: str) -> list[Any]:
    return [v.get("@value", v.get("@id", v)) for v in node.get(S + prop, [])]


def assert_nde_dataset(node: dict[str, Any]) -> None:
    assert node["@type"] == [S + "Dataset"]
    assert node["@id"].startswith(settings.SITE_URL + "/data/")
    names = node[S + "name"]
    assert {n["@language"] for n in names} >= {"nl"} and all(n["@value"] for n in names)
    assert values(node, "description")
    assert values(node, "license") == ["http://creativecommons.org/publicdomain/zero/1.0/"]
    (publisher,) = node[S + "publisher"]
    assert publisher["@type"] == [S + "Organization"]
    assert values(publisher, "name") == [settings.HERITAGE["PUBLISHER"]]
    assert values(publisher, "url") == [settings.SITE_URL]
    (creator,) = node[S + "creator"]
    assert values(creator, "name") and values(creator, "url")
    assert node[S + "dateModified"][0]["@type"] == S + "Date"
    distributions = node[S + "distribution"]
    assert distributions
    for distribution in distributions:
        assert distribution["@type"] == [S + "DataDownload"]
        assert values(distribution, "contentUrl")[0].startswith(settings.SITE_URL)
        assert values(distribution, "encodingFormat")


@pytest.fixture
def data() -> HeritageData:
    return build_heritage()


def get_json_ld(client: Client, url: str, accept: str = "application/ld+json") -> dict[str, Any]:
    response = client.get(url, headers={"accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    document: dict[str, Any] = json.loads(response.content)
    return document


def test_catalog_expands_offline_with_every_nde_property(
    client: Client, data: HeritageData
) -> None:
    (catalog,) = expand(get_json_ld(client, "/data/"))
    assert catalog["@type"] == [S + "DataCatalog"]
    assert catalog["@id"] == f"{settings.SITE_URL}/data/"
    assert values(catalog, "name") and values(catalog, "publisher") is not None
    datasets = catalog[S + "dataset"]
    assert [d["@id"] for d in datasets] == [
        f"{settings.SITE_URL}/data/ceramics/",
        f"{settings.SITE_URL}/data/natural-history/",
    ]
    for dataset in datasets:
        assert_nde_dataset(dataset)
        assert values(dataset, "includedInDataCatalog") == [catalog["@id"]]


def test_distributions_point_at_every_way_to_get_the_data(
    client: Client, data: HeritageData
) -> None:
    (specimens,) = expand(get_json_ld(client, "/data/natural-history/"))
    assert_nde_dataset(specimens)
    urls = {
        values(d, "contentUrl")[0]: values(d, "encodingFormat")[0]
        for d in specimens[S + "distribution"]
    }
    site = settings.SITE_URL
    assert urls == {
        f"{site}/oai?verb=ListRecords&set=natural-history&metadataPrefix=oai_dc": "application/xml",
        f"{site}/oai?verb=ListRecords&set=natural-history&metadataPrefix=lido": "application/xml",
        f"{site}/id/collection/natural-history": "application/ld+json",
        f"{site}/iiif/collection/natural-history.json": (
            'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
        ),
        f"{site}/data/specimens.dwca.zip": "application/zip",
    }
    (ceramics,) = expand(get_json_ld(client, "/data/ceramics/"))
    ceramics_urls = {values(d, "contentUrl")[0] for d in ceramics[S + "distribution"]}
    assert f"{site}/data/specimens.dwca.zip" not in ceramics_urls  # no specimens there


def test_distribution_urls_are_served(
    client: Client, data: HeritageData, settings: Any, tmp_path: Path
) -> None:
    settings.HERITAGE = {**settings.HERITAGE, "EXPORT_DIR": tmp_path}
    document = get_json_ld(client, "/data/natural-history/")
    for distribution in document["distribution"]:
        path = distribution["contentUrl"].removeprefix(settings.SITE_URL)
        if path.startswith(("/oai", "/data/")):
            assert client.get(path).status_code == 200, path


def test_dates_and_coverage(client: Client, data: HeritageData) -> None:
    document = get_json_ld(client, "/data/ceramics/")
    assert document["temporalCoverage"] == "1845/1875"
    assert len(document["dateModified"]) == 10


def test_content_negotiation(client: Client, data: HeritageData) -> None:
    assert get_json_ld(client, "/data/", accept="*/*")["@type"] == "DataCatalog"
    assert get_json_ld(client, "/data/", accept="application/json")["@type"] == "DataCatalog"
    page = client.get("/data/", headers={"accept": "text/html,application/xhtml+xml;q=0.9"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert '<script type="application/ld+json">' in html
    assert f'href="{settings.SITE_URL}/data/specimens.dwca.zip"' in html


def test_unknown_dataset_is_404(client: Client, data: HeritageData) -> None:
    assert client.get("/data/no-such-collection/").status_code == 404
    assert client.post("/data/").status_code == 405


def test_catalog_and_datasets_pass_the_nde_shapes(client: Client, data: HeritageData) -> None:
    catalog = get_json_ld(client, "/data/")
    assert shacl_findings(catalog, "nde-dataset") == []
    for code in ("ceramics", "natural-history"):
        assert shacl_findings(get_json_ld(client, f"/data/{code}/"), "nde-dataset") == []


def test_the_nde_shapes_catch_what_the_register_would_refuse(
    client: Client, data: HeritageData
) -> None:
    document = get_json_ld(client, "/data/natural-history/")
    site = settings.SITE_URL
    broken = {
        **document,
        "@id": None,  # a blank node
        "license": {"@value": "CC0"},  # a text, not the licence's IRI
        "publisher": {"@type": "Organization", "url": site},  # no name
        "dateModified": "29 november 2026",
        "distribution": [{"@type": "DataDownload", "contentUrl": f"{site}/oai"}],
    }
    del broken["@id"]
    findings = shacl_findings(broken, "nde-dataset")
    found = {(f.severity, f.path.removeprefix("http://schema.org/")) for f in findings}
    assert found == {
        ("Violation", ""),  # the dataset is not an IRI
        ("Violation", "license"),
        ("Violation", "publisher"),
        ("Violation", "name"),  # the detail: the publisher has no name
        ("Warning", "dateModified"),
        ("Warning", "distribution"),
        ("Violation", "encodingFormat"),  # the details of the distribution
        ("Warning", "name"),
    }


def test_creator_is_the_institution_agent_when_there_is_one(
    client: Client, data: HeritageData
) -> None:
    document = get_json_ld(client, "/data/ceramics/")
    assert "@id" not in document["creator"]  # no agent of that name yet
    institution = Collection.objects.get(code="ceramics").institution
    AgentFactory(kind=AgentKind.ORGANISATION, name=institution, slug="centre-ceramique")
    document = get_json_ld(client, "/data/ceramics/")
    assert document["creator"]["@id"] == f"{settings.SITE_URL}/id/agent/centre-ceramique"
    assert document["creator"]["name"] == institution
    assert shacl_findings(document, "nde-dataset") == []
    # The catalogue asks for the agents of all its collections at once.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        catalog = get_json_ld(client, "/data/")
    creators = {d["@id"].rstrip("/").rsplit("/", 1)[-1]: d["creator"] for d in catalog["dataset"]}
    assert creators["ceramics"]["@id"] == f"{settings.SITE_URL}/id/agent/centre-ceramique"
    assert sum('"heritage_agent"' in q["sql"] for q in queries) == 1
