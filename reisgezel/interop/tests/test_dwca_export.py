"""The Darwin Core Archive of specimens, read back with python-dwca-reader (the reader
GBIF's community uses), its meta.xml and eml.xml validated against the TDWG text
schema and the GBIF EML profile 1.3."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from dwca.read import DwCAReader
from lxml import etree

from reisgezel.heritage.editing import object_parts_changed
from reisgezel.heritage.models import HeritageObject, Specimen
from reisgezel.heritage.records import ObjectRecord, SpecimenRecord, object_upsert
from reisgezel.heritage.services import objects_set_public
from reisgezel.heritage.uris import object_uri
from reisgezel.interop.dwca_export.archive import archive_build, archive_path, is_current
from reisgezel.interop.tests.oai_fixtures import (
    XML_SCHEMAS,
    HeritageData,
    assert_valid,
    build_heritage,
)

pytestmark = pytest.mark.django_db
DWC = "http://rs.tdwg.org/dwc/terms/"
DC = "http://purl.org/dc/terms/"
MULTIMEDIA = "http://rs.gbif.org/terms/1.0/Multimedia"


@pytest.fixture
def data(settings: Any, tmp_path: Path) -> HeritageData:
    settings.HERITAGE = {
        **settings.HERITAGE,
        "EXPORT_DIR": tmp_path,
        "CONTACT_EMAIL": "nhmm@example.org",
    }
    return build_heritage()


def rows_by_catalog_number(path: Path) -> dict[str, Any]:
    with DwCAReader(str(path)) as archive:
        assert archive.descriptor.core.type == DWC + "Occurrence"
        return {row.data[DWC + "catalogNumber"]: row for row in archive}


def test_archive_opens_with_dwca_reader(data: HeritageData) -> None:
    report = archive_build()
    assert report.built and report.records == 2 and report.media == 1
    rows = rows_by_catalog_number(report.path)
    assert set(rows) == {"NHMM 1998 141", "NHMM 2012 001"}  # the hidden one is not exported
    mosasaur = rows["NHMM 1998 141"].data
    assert mosasaur[DWC + "occurrenceID"] == f"{settings.SITE_URL}/id/object/nh-000001"
    assert mosasaur[DWC + "basisOfRecord"] == "FossilSpecimen"
    assert mosasaur[DWC + "scientificName"] == "Mosasaurus hoffmanni Mantell, 1829"
    assert mosasaur[DWC + "scientificNameAuthorship"] == "Mantell, 1829"
    assert mosasaur[DWC + "class"] == "Reptilia"
    assert mosasaur[DWC + "formation"] == "Maastricht Formation"
    assert mosasaur[DWC + "member"] == "Nekum Member"
    assert mosasaur[DWC + "earliestAgeOrLowestStage"] == "Maastrichtian"
    assert mosasaur[DWC + "locality"] == "ENCI-groeve, Sint-Pietersberg, Maastricht"
    assert (mosasaur[DWC + "decimalLatitude"], mosasaur[DWC + "decimalLongitude"]) == (
        "50.824100",
        "5.686900",
    )
    assert mosasaur[DWC + "coordinateUncertaintyInMeters"] == "100"
    assert mosasaur[DWC + "institutionCode"] == "Natuurhistorisch Museum Maastricht"
    assert mosasaur[DWC + "collectionCode"] == "natural-history"
    assert mosasaur[DWC + "countryCode"] == "NL"
    assert mosasaur[DWC + "recordedBy"] == "ENCI"
    assert mosasaur[DWC + "eventDate"] == "1998-10"
    assert mosasaur[DWC + "individualCount"] == "1"
    assert mosasaur[DWC + "preparations"] == "skull, mandibles"
    assert mosasaur[DC + "license"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert mosasaur[DC + "references"].endswith("/nl/collection/object/nh-000001/")
    assert mosasaur[DWC + "informationWithheld"] == ""


def test_sensitive_locality_is_generalised(data: HeritageData) -> None:
    turtle = rows_by_catalog_number(archive_build().path)["NHMM 2012 001"].data
    assert turtle[DWC + "occurrenceID"] == f"{settings.SITE_URL}/id/object/nh-000002"
    assert turtle[DWC + "otherCatalogNumbers"] == "urn:catalog:NHMM:2012-001"
    assert turtle[DWC + "decimalLatitude"] == "50.8"
    assert turtle[DWC + "decimalLongitude"] == "5.7"
    assert turtle[DWC + "coordinateUncertaintyInMeters"] == "10000"
    assert turtle[DWC + "locality"] == ""
    assert "withheld" in turtle[DWC + "informationWithheld"]
    assert "0.1 degree" in turtle[DWC + "dataGeneralizations"]
    with zipfile.ZipFile(archive_path()) as archive:
        core = archive.read("occurrence.txt").decode()
    assert "50.826351" not in core and "wand 3" not in core


def test_multimedia_extension_points_at_iiif_images(data: HeritageData) -> None:
    with DwCAReader(str(archive_build().path)) as archive:
        assert [e.type for e in archive.descriptor.extensions] == [MULTIMEDIA]
        mosasaur = next(r for r in archive if r.data[DWC + "catalogNumber"] == "NHMM 1998 141")
        images = [e.data for e in mosasaur.extensions if e.rowtype == MULTIMEDIA]
        assert archive.orphaned_extension_rows() == {"multimedia.txt": {}}
    assert len(images) == 1  # the image without tiles yet is left out
    image = images[0]
    key = HeritageObject.objects.get(pid="nh-000001").media.get(position=0).key.hex
    assert image[DC + "identifier"] == (
        f"{settings.SITE_URL}{settings.IIIF_URL}{key}/full/max/0/default.jpg"
    )
    assert image[DC + "format"] == "image/jpeg"
    assert image[DC + "type"] == "StillImage"
    assert image[DC + "license"] == "http://creativecommons.org/licenses/by-sa/4.0/"
    assert image[DC + "rightsHolder"] == "Foto: Natuurhistorisch Museum Maastricht"
    assert image[DC + "creator"] == "Foto: Natuurhistorisch Museum Maastricht"
    assert image[DC + "title"] == "Voorzijde"
    assert image[DC + "references"].endswith("/collection/object/nh-000001/")


def test_meta_and_eml_validate(data: HeritageData) -> None:
    with zipfile.ZipFile(archive_build().path) as archive:
        meta = etree.fromstring(archive.read("meta.xml"))
        eml = etree.fromstring(archive.read("eml.xml"))
    dwc_text = etree.XMLSchema(etree.parse(str(XML_SCHEMAS / "dwc" / "tdwg_dwc_text.xsd")))
    assert_valid(dwc_text, meta)
    gbif_eml = etree.XMLSchema(
        etree.parse(str(XML_SCHEMAS / "eml-gbif-profile" / "1.3" / "eml.xsd"))
    )
    assert_valid(gbif_eml, eml)
    assert eml.findtext("dataset/creator/organizationName") == settings.HERITAGE["PUBLISHER"]
    assert eml.findtext("dataset/contact/electronicMailAddress") == "nhmm@example.org"
    assert (
        eml.findtext("dataset/licensed/url") == "http://creativecommons.org/publicdomain/zero/1.0/"
    )
    assert "2 specimens" in "".join(eml.find("dataset/abstract").itertext())


def test_eml_is_read_by_dwca_reader(data: HeritageData) -> None:
    with DwCAReader(str(archive_build().path)) as archive:
        assert archive.metadata is not None
        titles = [t.text for t in archive.metadata.findall("dataset/title")]
    assert titles[0].startswith("Natural-history specimens")


def _import_specimen(source: str, inventory_number: str, occurrence_id: str) -> None:
    """A specimen as a Darwin Core import of `source` writes it (its occurrenceID is
    also its source id there)."""
    record = ObjectRecord(
        source_id=occurrence_id,
        collection="natural-history",
        inventory_number=inventory_number,
        title={"nl": "Belemniet"},
        specimen=SpecimenRecord(
            basis_of_record="FossilSpecimen",
            scientific_name="Belemnitella mucronata",
            occurrence_id=occurrence_id,
        ),
        publish=True,
    )
    object_upsert(record, source=source, actor=None)


def occurrence_ids(path: Path) -> list[str]:
    with DwCAReader(str(path)) as archive:
        return [row.data[DWC + "occurrenceID"] for row in archive]


def test_occurrence_ids_are_unique_and_stable_across_sources(data: HeritageData) -> None:
    """GBIF requires occurrenceID unique within the dataset and knows a record by it
    from one harvest to the next: two sources sharing an identifier must not make two
    rows with one id, and a later import must not change an id already published."""
    _import_specimen("museum-a", "A 1", "607759330")
    before = {
        row.data[DWC + "catalogNumber"]: row.data[DWC + "occurrenceID"]
        for row in rows_by_catalog_number(archive_build().path).values()
    }
    _import_specimen("museum-b", "B 1", "607759330")  # another source, the same id
    # A curator fills in the occurrenceID the museum's own system gave the mosasaur.
    mosasaur = Specimen.objects.get(object__pid="nh-000001")
    mosasaur.occurrence_id = "urn:catalog:NHMM:1998-141"
    mosasaur.save()
    object_parts_changed(mosasaur.object, actor=None, part="specimen", summary="occurrence_id")
    path = archive_build().path
    ids = occurrence_ids(path)
    assert len(ids) == len(set(ids)) == 4
    rows = rows_by_catalog_number(path)
    assert all(rows[number].data[DWC + "occurrenceID"] == id_ for number, id_ in before.items())
    with DwCAReader(str(path)) as archive:
        for number in ("A 1", "B 1"):
            pid = HeritageObject.objects.get(inventory_number=number).pid
            row = archive.get_corerow_by_id(object_uri(pid))
            assert row.data[DWC + "catalogNumber"] == number
            assert row.data[DWC + "otherCatalogNumbers"] == "607759330"


def test_rebuilt_only_when_the_data_change(data: HeritageData) -> None:
    first = archive_build()
    assert first.built and is_current()
    assert not archive_build().built
    hidden = HeritageObject.objects.filter(pid="nh-000003").values_list("pk", flat=True)
    objects_set_public(hidden, public=True, actor=None)
    assert not is_current()
    second = archive_build()
    assert second.built and second.version != first.version
    assert len(rows_by_catalog_number(second.path)) == 3


def test_download_builds_a_missing_or_stale_archive(data: HeritageData, client: Client) -> None:
    """With the immediate task backend (tests), the rebuild runs within the request."""
    response = client.get("/data/specimens.dwca.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="specimens.dwca.zip"' in response["Content-Disposition"]
    body = response.getvalue()
    assert body == archive_path().read_bytes()
    assert is_current()


def test_download_answers_503_while_the_first_build_is_queued(
    data: HeritageData, client: Client, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    response = client.get("/data/specimens.dwca.zip")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert not archive_path().exists()
