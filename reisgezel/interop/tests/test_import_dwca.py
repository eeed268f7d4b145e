"""Darwin Core Archive import, on every archive in shared/data/dwca (valid and invalid)."""

from __future__ import annotations

import csv
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import BasisOfRecord, HeritageObject, Specimen
from reisgezel.heritage.rights import DEFAULT_RIGHTS
from reisgezel.interop.importers.base import JobOptions
from reisgezel.interop.importers.dwca import DwcaReader
from reisgezel.interop.models import JobStatus, Severity
from reisgezel.interop.tests.test_import_fixtures import (
    DWCA_DIR,
    collections,
    object_state,
    report,
    run,
)

__all__ = ["collections"]
GBIF = DWCA_DIR / "gbif-results.zip"
INVALID = {
    "description.rst": "is not a valid Darwin Core Archive",
    "dwca-invalid-lacks-metadata": "eml.xml is referenced in the archive descriptor but missing",
    "dwca-invalid-simple-toomuch.zip": "is not a valid Darwin Core Archive",
    "dwca-invalid-simple-two.zip": "is not a valid Darwin Core Archive",
    "dwca-malformed-descriptor": "references a non-existent field",
    "dwca-missing-extension-details": "its path is not specified",
}
TAXON_CORES = {
    "dwca-2extensions.zip",
    "dwca-ids.zip",
    "dwca-orphaned-rows.zip",
    "dwca-star-test-archive.zip",
}
# The only records refused in these archives: a basisOfRecord that is no specimen class
# (GBIF's "UNKNOWN", and "Observation, something" in the CSV quoting sample).
REFUSED_BASIS = ("'UNKNOWN' is not one of", "'Observation, something' is not one of")


def unpacked(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as source:
        source.extractall(into)
    return into


def edit_rows(folder: Path, change: dict[str, dict[str, str]]) -> None:
    """Change values of occurrence.txt rows, keyed by occurrenceID (tab-separated file)."""
    path = folder / "occurrence.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = ["occurrenceID", *[""] * 200]
    import xml.etree.ElementTree as ET

    meta = ET.parse(folder / "meta.xml").getroot()
    for field in meta.iter("{http://rs.tdwg.org/dwc/text/}field"):
        header[int(field.get("index", "0"))] = field.get("term", "").rsplit("/", 1)[-1]
    for number, line in enumerate(lines):
        cells = line.split("\t")
        if cells and cells[0] in change:
            for term, value in change[cells[0]].items():
                cells[header.index(term)] = value
            lines[number] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_every_archive_imports_or_gets_a_clear_report(collections) -> None:
    for path in sorted(DWCA_DIR.iterdir()):
        job = run("dwca", path)
        if path.name in INVALID:
            assert job.status == JobStatus.FAILED, path.name
            assert INVALID[path.name] in job.error, (path.name, job.error)
        elif path.name in TAXON_CORES:
            assert job.status == JobStatus.FAILED
            assert "has a taxon core: only Occurrence archives hold specimens" in job.error
        else:
            assert (job.status, job.error) == (JobStatus.FINISHED, ""), path.name
            assert job.read_count > 0
            assert job.read_count == (
                job.created_count + job.updated_count + job.unchanged_count + job.failed_count
            )
            errors = [str(p) for p in job.problems.filter(severity=Severity.ERROR)]
            assert all(
                "field basisOfRecord: " in line and any(r in line for r in REFUSED_BASIS)
                for line in errors
            ), (path.name, errors)
            assert job.failed_count == len(errors)
    assert HeritageObject.objects.filter(collection__code="natural-history").count() > 151


def test_a_gbif_download_maps_to_specimens(collections) -> None:
    job = run("dwca", GBIF)
    assert (job.read_count, job.created_count, job.failed_count) == (158, 151, 7)
    assert (
        "record 149 (occurrenceID 90285239): field basisOfRecord: 'UNKNOWN' is not one of "
        "FossilSpecimen, PreservedSpecimen, LivingSpecimen, MaterialSample, HumanObservation"
    ) in report(job)
    obj = HeritageObject.objects.get(source="dwca", source_id="607759330")
    assert obj.collection.code == "natural-history"
    assert (obj.title, obj.inventory_number, obj.rights_uri) == (
        {"nl": "Chelonodon fluviatilis (Hamilton, 1822)"},
        "CAS SU (ICH) 37109",
        DEFAULT_RIGHTS,  # no licence anywhere in the download: not evaluated
    )
    specimen = obj.specimen
    assert (specimen.basis_of_record, specimen.family, specimen.class_name) == (
        BasisOfRecord.PRESERVED,
        "Tetraodontidae",
        "Actinopterygii",
    )
    # Old GBIF downloads write Java dates; they become ISO 8601.
    assert (specimen.event_date, specimen.locality, specimen.occurrence_id) == (
        "1930-04-01",
        "Port Blair.",
        "607759330",
    )
    assert job.warning_tally == {"rights-missing": 158, "zero-coordinates": 7}
    with_coordinates = Specimen.objects.exclude(latitude=None).first()
    assert with_coordinates is not None and with_coordinates.latitude is not None
    assert -90 <= with_coordinates.latitude <= 90


def test_a_reimport_writes_nothing_and_asks_little(collections) -> None:
    run("dwca", GBIF)
    state, audits = object_state(), AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        again = run("dwca", GBIF)
    assert (again.unchanged_count, again.created_count, again.updated_count) == (151, 0, 0)
    assert object_state() == state and AuditEntry.objects.count() == audits
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert all("interop_import" in sql for sql in writes), writes  # only the job's own rows
    assert len(queries) < 40, len(queries)  # not one query per record


def test_a_changed_row_updates_its_object(collections, tmp_path: Path) -> None:
    folder = unpacked(GBIF, tmp_path / "gbif")
    run("dwca", folder)
    edit_rows(folder, {"607759330": {"locality": "Port Blair, Andaman Islands"}})
    job = run("dwca", folder)
    assert (job.updated_count, job.unchanged_count) == (1, 150)
    assert Specimen.objects.get(occurrence_id="607759330").locality == "Port Blair, Andaman Islands"


def test_a_nul_character_in_a_value_is_dropped(collections, tmp_path: Path) -> None:
    # Junk from an export; PostgreSQL stores no NUL and refused the whole record.
    folder = unpacked(GBIF, tmp_path / "gbif")
    edit_rows(folder, {"607759330": {"locality": "Port\x00 Blair"}})
    job = run("dwca", folder)
    assert job.failed_count == 7  # the archive's own bad rows, as in the test above
    assert Specimen.objects.get(occurrence_id="607759330").locality == "Port Blair"


def test_a_bad_coordinate_fails_its_record_and_leaves_no_object(
    collections, tmp_path: Path
) -> None:
    folder = unpacked(GBIF, tmp_path / "gbif")
    edit_rows(
        folder,
        {
            "607759330": {"decimalLatitude": "123.5", "decimalLongitude": "5.7"},
            "607792864": {"decimalLatitude": "fifty"},
        },
    )
    job = run("dwca", folder)
    assert (job.created_count, job.failed_count) == (149, 9)
    lines = report(job)
    assert (
        "record 1 (occurrenceID 607759330): field decimalLatitude: "
        "latitude 123.5 is outside -90..90"
    ) in lines
    assert (
        "record 2 (occurrenceID 607792864): field decimalLatitude: 'fifty' is not a number" in lines
    )
    # A record with a bad specimen part leaves nothing, not even its object row.
    assert not HeritageObject.objects.filter(source_id__in=["607759330", "607792864"]).exists()


def test_rows_without_identifiers_are_numbered_and_reimport_cleanly(collections) -> None:
    path = DWCA_DIR / "dwca-simple-test-archive.zip"
    job = run("dwca", path)
    assert job.created_count == 2
    assert HeritageObject.objects.filter(source_id="1").get().specimen.basis_of_record == (
        BasisOfRecord.HUMAN_OBSERVATION  # Darwin Core's old "Observation"
    )
    assert job.warning_tally["no-identifier"] == 2
    assert run("dwca", path).unchanged_count == 2


def test_a_dataset_licence_in_the_eml_is_used(collections, tmp_path: Path) -> None:
    folder = tmp_path / "licensed"
    shutil.copytree(DWCA_DIR / "dwca-simple-dir", folder)
    eml = (folder / "eml.xml").read_text(encoding="utf-8")
    rights = (
        "<intellectualRights><para>This work is licensed under a "
        '<ulink url="http://creativecommons.org/licenses/by/4.0/legalcode">'
        "<citetitle>CC BY 4.0</citetitle></ulink>.</para></intellectualRights>"
    )
    (folder / "eml.xml").write_text(
        eml.replace("</dataset>", rights + "</dataset>", 1), encoding="utf-8"
    )
    job = run("dwca", folder)
    assert job.created_count == 4
    assert set(HeritageObject.objects.values_list("rights_uri", flat=True)) == {
        "http://creativecommons.org/licenses/by/4.0/"
    }


def test_an_unknown_licence_is_a_field_problem(collections, tmp_path: Path) -> None:
    folder = unpacked(DWCA_DIR / "dwca-simple-csv.zip", tmp_path / "simple")
    data = next(folder.glob("*.csv"))
    with data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    column = rows[0].index("rights")
    rows[0][column] = "license"
    rows[1][column] = "all rights reserved"
    rows[2][column] = "CC_BY_4_0"  # GBIF's way of writing CC BY 4.0
    with data.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_ALL).writerows(rows)
    job = run("dwca", folder)
    assert (job.created_count, job.failed_count) == (1, 2)
    assert "field license: unknown rights statement 'all rights reserved'" in report(job)[0]
    licensed = HeritageObject.objects.get()
    assert licensed.rights_uri == "http://creativecommons.org/licenses/by/4.0/"


def test_multimedia_links_are_reported_and_images_in_the_archive_attached(
    collections, tmp_path: Path, settings, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_ROOT = tmp_path / "iiif"
    folder = unpacked(GBIF, tmp_path / "media-archive")
    (folder / "images").mkdir()
    photo = Path(settings.SHARED_DATA_DIR) / "iiif" / "images" / "landscape_6.jpg"
    shutil.copy(photo, folder / "images" / "37109.jpg")
    (folder / "images" / "broken.jpg").write_bytes(b"not an image at all")
    (folder / "multimedia.txt").write_text(
        "coreid\tidentifier\ttitle\tlicense\n"
        "607759330\thttps://example.org/media/37109.jpg\tlateral\t\n"
        "607759330\timages/37109.jpg\tPufferfish, left side\tCC0\n"
        "607792864\timages/broken.jpg\t\t\n"
        "607792864\timages/missing.jpg\t\t\n"
        "607792864\t../../etc/passwd\t\t\n",
        encoding="utf-8",
    )
    meta = (folder / "meta.xml").read_text(encoding="utf-8")
    extension = (
        '<extension encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" '
        'fieldsEnclosedBy="" ignoreHeaderLines="1" '
        'rowType="http://rs.gbif.org/terms/1.0/Multimedia">'
        '<files><location>multimedia.txt</location></files><coreid index="0"/>'
        '<field index="1" term="http://purl.org/dc/terms/identifier"/>'
        '<field index="2" term="http://purl.org/dc/terms/title"/>'
        '<field index="3" term="http://purl.org/dc/terms/license"/></extension>'
    )
    (folder / "meta.xml").write_text(
        meta.replace("</archive>", extension + "</archive>"), encoding="utf-8"
    )
    # A dry run checks the images in the archive as the real run will, storing none.
    dry = run("dwca", folder, dry_run=True)
    dry_lines = report(dry)
    assert not any("no imported object" in line for line in dry_lines), dry_lines
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))
    with django_capture_on_commit_callbacks(execute=True):
        job = run("dwca", folder)
    assert job.created_count == 151
    lines = report(job)
    assert lines == dry_lines
    assert any(
        line.startswith("core id 607792864: field multimedia: broken.jpg not attached: ")
        for line in lines
    ), lines
    assert (
        "core id 607759330: field multimedia: image not downloaded (imports do not fetch from "
        "the network): https://example.org/media/37109.jpg"
    ) in lines
    assert (
        "core id 607792864: field multimedia: image images/missing.jpg is not in the archive"
        in lines
    )
    assert (
        "core id 607792864: field multimedia: image ../../etc/passwd is not in the archive" in lines
    )
    media = HeritageObject.objects.get(source_id="607759330").media.get()
    assert (media.kind, media.alt_text, media.rights_uri) == (
        "image",
        {"nl": "Pufferfish, left side"},
        "http://creativecommons.org/publicdomain/zero/1.0/",
    )
    assert (media.width, media.height) == (600, 450)  # stored 450x600, EXIF orientation 6
    # Imported again: the object has its image already, nothing is added.
    with django_capture_on_commit_callbacks(execute=True):
        again = run("dwca", folder)
    assert again.unchanged_count == 151
    assert HeritageObject.objects.get(source_id="607759330").media.count() == 1


def test_without_a_natural_history_collection_the_job_says_what_to_do(db) -> None:
    job = run("dwca", GBIF)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("There is no natural-history collection")


def test_the_core_is_streamed_with_flat_memory(tmp_path: Path) -> None:
    """12,000 rows: Python memory at the last row is what it was at row 1,000."""
    folder = unpacked(GBIF, tmp_path / "big")
    rows = (folder / "occurrence.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    with (folder / "occurrence.txt").open("w", encoding="utf-8") as out:
        for copy in range(76):
            for row in rows:
                first, rest = row.split("\t", 1)
                out.write(f"{first}-{copy}\t{rest}\n")
    options = JobOptions(source="dwca", collection="natural-history")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        with DwcaReader(folder, options) as reader:
            assert reader.total_estimate() == 76 * len(rows)
            sizes = {}
            for parsed in reader.records():
                if parsed.number in (1000, 12000):
                    sizes[parsed.number] = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # The rows as Python objects would take tens of MB: none of that is kept.
    assert (folder / "occurrence.txt").stat().st_size > 6_000_000
    assert sizes[12000] < 2_000_000 and sizes[12000] - sizes[1000] < 500_000, sizes


@pytest.mark.parametrize("name", ["dwca-simple-test-archive.zip", "gbif-results.zip"])
def test_resume_skips_rows(name: str) -> None:
    options = JobOptions(source="dwca", collection="natural-history")
    with DwcaReader(DWCA_DIR / name, options) as reader:
        numbers = [p.number for p in reader.records(skip=1)]
    assert numbers[0] == 2


MOSASAUR_META = """<archive xmlns="http://rs.tdwg.org/dwc/text/">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy=""
        ignoreHeaderLines="1" rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0"/>
    {fields}
  </core>
</archive>"""
MOSASAUR_TERMS = [
    "occurrenceID", "catalogNumber", "institutionCode", "basisOfRecord", "scientificName",
    "scientificNameAuthorship", "vernacularName", "typeStatus", "locality", "countryCode",
    "decimalLatitude", "decimalLongitude", "coordinateUncertaintyInMeters", "formation",
    "member", "earliestAgeOrLowestStage", "recordedBy", "eventDate", "individualCount",
    "preparations", "license",
]  # fmt: skip


def test_geological_context_and_the_other_specimen_terms(collections, tmp_path: Path) -> None:
    folder = tmp_path / "nhmm"
    folder.mkdir()
    fields = "".join(
        f'<field index="{i}" term="http://rs.tdwg.org/dwc/terms/{t}"/>'
        if t != "license"
        else f'<field index="{i}" term="http://purl.org/dc/terms/license"/>'
        for i, t in enumerate(MOSASAUR_TERMS)
    )
    (folder / "meta.xml").write_text(MOSASAUR_META.format(fields=fields), encoding="utf-8")
    row = [
        "urn:nhmm:1998-001",
        "1998-001",
        "NHMM",
        "FossilSpecimen",
        "Mosasaurus hoffmanni",
        "Mantell, 1829",
        "Maasreptiel",
        "neotype",
        "ENCI-groeve, Sint-Pietersberg",
        "nl",
        "50.8241",
        "5.6869",
        "100",
        "Maastricht Formation",
        "Nekum Member",
        "Maastrichtian",
        "ENCI",
        "1998-10",
        "1",
        "skull; jaw",
        "https://creativecommons.org/licenses/by/4.0/deed.nl",
    ]
    (folder / "occurrence.txt").write_text(
        "\t".join(MOSASAUR_TERMS) + "\n" + "\t".join(row) + "\n", encoding="utf-8"
    )
    job = run("dwca", folder)
    assert job.created_count == 1, report(job)
    specimen = Specimen.objects.select_related("object").get()
    assert specimen.object.inventory_number == "NHMM 1998-001"
    assert specimen.object.rights_uri == "http://creativecommons.org/licenses/by/4.0/"
    assert (specimen.formation, specimen.member, specimen.stage) == (
        "Maastricht Formation",
        "Nekum Member",
        "Maastrichtian",
    )
    assert (specimen.type_status, specimen.vernacular_name, specimen.preparations) == (
        "neotype",
        "Maasreptiel",
        "skull; jaw",
    )
    assert (
        specimen.country_code,
        specimen.coordinate_uncertainty_m,
        specimen.individual_count,
    ) == (
        "NL",
        100,
        1,
    )
    assert (specimen.event_date, specimen.basis_of_record) == ("1998-10", BasisOfRecord.FOSSIL)


def test_a_tar_member_cannot_be_written_outside_the_archive(collections, tmp_path: Path) -> None:
    import io
    import tarfile
    import tempfile
    import uuid

    name = f"escaped-{uuid.uuid4().hex}.txt"
    archive = tmp_path / "evil.tgz"
    header = b"occurrenceID,scientificName,basisOfRecord\nocc-1,Belemnitella,FossilSpecimen\n"
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in (("occurrence.csv", header), (f"../{name}", b"pwned")):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    escaped = Path(tempfile.gettempdir()) / name
    try:
        job = run("dwca", archive)
        assert not escaped.exists()
        assert job.status == JobStatus.FAILED
        assert "holds a file outside the archive" in job.error
    finally:
        escaped.unlink(missing_ok=True)
    # A plain .tgz archive (unpacked by us, then read as a folder) imports.
    good = tmp_path / "good.tgz"
    with tarfile.open(good, "w:gz") as tar:
        info = tarfile.TarInfo("occurrence.csv")
        info.size = len(header)
        tar.addfile(info, io.BytesIO(header))
    assert run("dwca", good).created_count == 1


def test_an_archive_that_unpacks_beyond_the_limit_is_refused(
    collections, tmp_path: Path, settings
) -> None:
    settings.HERITAGE_IMPORT = {**settings.HERITAGE_IMPORT, "UNPACKED_MAX_BYTES": 10_000}
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("occurrence.csv", "occurrenceID,scientificName\n" + "x," * 20_000)
    assert archive.stat().st_size < 10_000
    job = run("dwca", archive)
    assert job.status == JobStatus.FAILED and "would unpack to" in job.error


SIMPLE_HEADER = "occurrenceID,scientificName,basisOfRecord,eventDate,year,month,day,locality\n"


def simple_archive(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "simple.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("occurrence.csv", text.encode("utf-8"))
    return path


def test_a_byte_order_mark_does_not_cost_the_occurrence_id(collections, tmp_path: Path) -> None:
    row = "occ-1,Belemnitella mucronata,FossilSpecimen,,,,,\n"
    job = run("dwca", simple_archive(tmp_path, "\ufeff" + SIMPLE_HEADER + row))
    assert HeritageObject.objects.get().source_id == "occ-1", report(job)
    assert Specimen.objects.get().occurrence_id == "occ-1"


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        (",2021-02-30,,,,", ""),
        (",1930-13-01,,,,", ""),
        (",,1930,,5,", "1930"),  # a day without its month is no May
        (",,1930,2,30,", ""),
        (",1930-04-01/1930-04-15,,,,", "1930-04-01/1930-04-15"),
    ],
)
def test_only_dates_that_exist_are_stored(
    collections, tmp_path: Path, cells: str, kept: str
) -> None:
    row = "occ-1,Belemnitella mucronata,FossilSpecimen" + cells + ",\n"
    job = run("dwca", simple_archive(tmp_path, SIMPLE_HEADER + row))
    assert job.created_count == 1
    assert Specimen.objects.get().event_date == kept, report(job)
    if not kept:
        assert any("not a date that exists" in line for line in report(job))


def test_a_problem_names_the_darwin_core_term(collections, tmp_path: Path) -> None:
    row = "occ-1,Belemnitella mucronata,FossilSpecimen,,,,," + "x" * 301 + "\n"
    job = run("dwca", simple_archive(tmp_path, SIMPLE_HEADER + row))
    assert any("field locality: " in line for line in report(job)), report(job)
