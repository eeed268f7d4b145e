"""CSV import with a mapping file: the ceramics example of docs/heritage-import.md, and
the real GBIF "simple CSV" download from shared/data/dwca read as a plain CSV."""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from reisgezel.heritage.models import Agent, HeritageObject, Specimen
from reisgezel.interop.importers.base import ImportFileError, JobOptions
from reisgezel.interop.importers.csv_mapping import load_mapping_text, parse_mapping
from reisgezel.interop.importers.csv_rows import CsvReader
from reisgezel.interop.models import JobStatus
from reisgezel.interop.tests.test_import_fixtures import (
    DWCA_DIR,
    collections,
    object_state,
    report,
    run,
)

__all__ = ["collections"]

# The example of docs/heritage-import.md (keep the two the same).
CERAMICS_MAPPING = """\
source = "centre-ceramique"
collection = "ceramics"
separator = ";"

[fields]
source_id = "objectnummer"
inventory_number = "objectnummer"
"title.nl" = "titel"
"title.en" = "titel_en"
"description.nl" = "beschrijving"
object_type = "objectnaam"
"object_type.uri" = "objectnaam_aat"
materials = "materiaal"
techniques = "techniek"
"maker.1.name" = "fabriek"
"maker.1.wikidata" = "fabriek_wikidata"
"maker.2.name" = "decorateur"
date = "datering"
production_place = "plaats"
"dimensions.height.cm" = "hoogte_cm"
"dimensions.diameter.cm" = "diameter_cm"
"inscriptions.mark" = "merk"
"inscriptions.mark.position" = "merk_plaats"
rights = "rechten"
"credit_line.nl" = "creditline"

[defaults]
"maker.1.kind" = "organisation"
"maker.1.role" = "manufacturer"
"maker.2.role" = "decorator"
rights = "cc-by"
"date.language" = "nl"
"""
CERAMICS_COLUMNS = [
    "objectnummer", "titel", "titel_en", "beschrijving", "objectnaam", "objectnaam_aat",
    "materiaal", "techniek", "fabriek", "fabriek_wikidata", "decorateur", "datering", "plaats",
    "hoogte_cm", "diameter_cm", "merk", "merk_plaats", "rechten", "creditline",
]  # fmt: skip
CERAMICS_ROWS = [
    [
        "CC-1883-001", "Bord met blauw decor", "Plate with blue decoration",
        "Bord, ondiep; blauw transferdecor", "bord", "http://vocab.getty.edu/aat/300042881",
        "aardewerk", "transferdruk", "Petrus Regout & Co", "Q2289446", "", "c. 1850-1870",
        "Maastricht", "", "24.5", "P. REGOUT MAESTRICHT", "onderzijde", "cc0",
        "Schenking familie Regout",
    ],
    [
        "CC-1925-014", "Vaas Sphinx", "Sphinx vase", "", "vaas",
        "http://vocab.getty.edu/aat/300132254", "porselein;goud", "handgeschilderd;vergulden",
        "N.V. De Sphinx", "", "Jan Jansen", "1920s", "Maastricht", "31", "12,5",
        "Sphinx Maastricht Made in Holland", "onderzijde", "", "",
    ],
    [
        "CC-1960-101", "Schaal Mosa", "", "", "schaal", "", "porselein", "", "Mosa", "", "",
        "1960", "Maastricht", "6", "28", "", "", "foo", "",
    ],
]  # fmt: skip


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([CERAMICS_COLUMNS, *rows])
    return out.getvalue()


CERAMICS_CSV = csv_text(CERAMICS_ROWS)


def write(
    tmp_path: Path, csv_text: str = CERAMICS_CSV, mapping: str = CERAMICS_MAPPING
) -> tuple[Path, dict]:
    path = tmp_path / "ceramics.csv"
    path.write_text(csv_text, encoding="utf-8")
    return path, load_mapping_text(mapping, name="ceramics.toml")


def test_the_ceramics_example_imports(collections, tmp_path: Path) -> None:
    path, mapping = write(tmp_path)
    job = run("csv", path, mapping=mapping, source="centre-ceramique")
    assert (job.status, job.created_count, job.failed_count) == (JobStatus.FINISHED, 2, 1)
    assert report(job) == [
        "record 3 (objectnummer CC-1960-101, line 4): field rechten: unknown rights statement 'foo'"
    ]
    plate = HeritageObject.objects.get(source_id="CC-1883-001")
    assert plate.title == {"nl": "Bord met blauw decor", "en": "Plate with blue decoration"}
    assert plate.description["nl"] == "Bord, ondiep; blauw transferdecor"
    assert (plate.date_display, plate.date_earliest, plate.date_latest) == (
        "c. 1850-1870",
        1845,
        1875,
    )
    assert plate.date_display_language == "nl"
    assert plate.rights_uri == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert plate.object_type is not None
    assert plate.object_type.uri == "http://vocab.getty.edu/aat/300042881"
    maker = plate.makers.select_related("agent").get()
    assert (maker.agent.name, maker.agent.kind, maker.agent.wikidata_id, maker.role) == (
        "Petrus Regout & Co",
        "organisation",
        "Q2289446",
        "manufacturer",
    )
    mark = plate.inscriptions.get()
    assert (mark.kind, mark.transcription, mark.position) == (
        "mark",
        "P. REGOUT MAESTRICHT",
        "onderzijde",
    )
    vase = HeritageObject.objects.get(source_id="CC-1925-014")
    assert sorted(c.code for c in vase.materials.all()) == ["goud", "porselein"]
    assert sorted((d.kind, d.value) for d in vase.dimensions.all()) == [
        ("diameter", Decimal("12.50")),
        ("height", Decimal("31.00")),
    ]
    assert vase.rights_uri == "http://creativecommons.org/licenses/by/4.0/"  # the default
    assert (vase.date_earliest, vase.date_latest) == (1920, 1929)
    assert sorted(vase.makers.values_list("role", flat=True)) == ["decorator", "manufacturer"]
    assert Agent.objects.count() == 3


@pytest.mark.parametrize(
    ("setting", "language", "warnings"),
    [
        ("", "", []),
        ('"date.language" = "nl-BE"', "nl", []),
        (
            '"date.language" = "Dutch"',
            "",
            [
                "field date.language: 'Dutch' is not a language code: "
                "the date's language is left unknown"
            ],
        ),
    ],
)
def test_the_dates_language_is_the_imports_or_unknown(
    collections, tmp_path: Path, setting: str, language: str, warnings: list[str]
) -> None:
    mapping = CERAMICS_MAPPING.replace('"date.language" = "nl"', setting)
    path, parsed = write(tmp_path, csv_text=csv_text(CERAMICS_ROWS[:1]), mapping=mapping)

    job = run("csv", path, mapping=parsed, source="centre-ceramique")

    assert HeritageObject.objects.get().date_display_language == language
    assert [line.split(": ", 1)[1] for line in report(job)] == warnings


def test_a_reimport_changes_nothing(collections, tmp_path: Path) -> None:
    path, mapping = write(tmp_path)
    run("csv", path, mapping=mapping, source="centre-ceramique")
    state = object_state()
    again = run("csv", path, mapping=mapping, source="centre-ceramique")
    assert (again.unchanged_count, again.failed_count) == (2, 1)
    assert object_state() == state


def test_the_gbif_simple_csv_imports_as_specimens(collections, tmp_path: Path) -> None:
    with zipfile.ZipFile(DWCA_DIR / "dwca-simple-csv.zip") as archive:
        name = archive.namelist()[0]
        archive.extract(name, tmp_path)
    mapping = {
        "source": "gbif-simple",
        "collection": "natural-history",
        "delimiter": "\t",
        "fields": {
            "source_id": "gbifid",
            "inventory_number": "catalognumber",
            "title.nl": "scientificname",
            "specimen.scientific_name": "scientificname",
            "specimen.basis_of_record": "basisofrecord",
            "specimen.family": "family",
            "specimen.country_code": "countrycode",
            "specimen.latitude": "decimallatitude",
            "specimen.longitude": "decimallongitude",
            "specimen.recorded_by": "recordedby",
            "specimen.occurrence_id": "occurrenceid",
        },
        "defaults": {"rights": "cne"},
    }
    job = run("csv", tmp_path / name, mapping=mapping, source="gbif-simple")
    assert (job.read_count, job.created_count, job.failed_count) == (3, 2, 1)
    assert "field basisofrecord: unknown basis of record 'UNKNOWN'" in report(job)[0]
    specimen = Specimen.objects.get(object__source_id="797373046")
    assert (specimen.basis_of_record, specimen.country_code, specimen.latitude) == (
        "PreservedSpecimen",
        "AU",
        Decimal("-31.983330"),
    )


def test_a_dry_run_writes_nothing(collections, tmp_path: Path) -> None:
    path, mapping = write(tmp_path)
    job = run("csv", path, mapping=mapping, source="centre-ceramique", dry_run=True)
    assert (job.created_count, job.failed_count) == (2, 1)
    assert not HeritageObject.objects.exists() and not Agent.objects.exists()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            '[fields]\nsource_id = "id"\n"title.nl" = "t"\ncolour = "kleur"',
            "'colour' is not a record field",
        ),
        ('[fields]\n"title.nl" = "t"', "source_id is required"),
        ('source_id = "id"', "a [fields] table"),
        ("[fields\n", "is not valid"),
        ('delimiter = ";;"\n[fields]\nsource_id = "a"\n"title.nl" = "b"', "one character"),
    ],
)
def test_a_bad_mapping_is_refused_before_any_row(mapping: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message.replace("[", r"\[")):
        parse_mapping(load_mapping_text(mapping, name="m.toml"))


def test_missing_columns_stop_the_job(collections, tmp_path: Path) -> None:
    path, mapping = write(tmp_path, csv_text="objectnummer,titel\nX,Y\n")
    job = run("csv", path, mapping=mapping, source="centre-ceramique")
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("ceramics.csv lacks the mapped columns: beschrijving, creditline")


def test_a_short_row_and_bad_numbers_are_field_problems(collections, tmp_path: Path) -> None:
    header = CERAMICS_CSV.splitlines()[0]
    rows = [
        "CC-1,Bord",
        "CC-2,Bord,,,,,,,,,,,,veel,,,,cc0,",
        "CC-3,Bord,,,,,,,,,,,,,,,,cc0,",
    ]
    path, mapping = write(tmp_path, csv_text="\n".join([header, *rows]) + "\n")
    job = run("csv", path, mapping=mapping, source="centre-ceramique")
    assert job.created_count == 1
    assert report(job) == [
        "record 1 (objectnummer CC-1, line 2): field objectnummer: "
        "line 2 has 2 cells, the header 19",
        "record 2 (objectnummer CC-2, line 3): field hoogte_cm: 'veel' is not a number",
    ]


def test_problems_name_the_line_where_the_record_starts(collections, tmp_path: Path) -> None:
    """A quoted cell may hold line breaks, so a record can span lines: the report names
    the line where the record starts, as a spreadsheet or an editor shows it."""
    description = "Bord, ondiep.\nBlauw transferdecor.\nRand beschadigd."
    long_first = [*CERAMICS_ROWS[0][:3], description, *CERAMICS_ROWS[0][4:]]
    bad_number = [*CERAMICS_ROWS[1][:13], "veel", *CERAMICS_ROWS[1][14:]]
    bad_rights = [*CERAMICS_ROWS[2][:3], "Schaal.\nMet barst.", *CERAMICS_ROWS[2][4:]]
    text = csv_text([long_first, bad_number, bad_rights])
    # header: line 1; record 1: lines 2-4; a blank line: 5; record 2: 6; record 3: 7-8
    lines = text.split("\n")
    text = "\n".join([*lines[:4], "", *lines[4:]])
    path, mapping = write(tmp_path, csv_text=text)
    job = run("csv", path, mapping=mapping, source="centre-ceramique")
    assert (job.created_count, job.failed_count) == (1, 2)
    assert report(job) == [
        "record 2 (objectnummer CC-1925-014, line 6): field hoogte_cm: 'veel' is not a number",
        "record 3 (objectnummer CC-1960-101, line 7): field rechten: "
        "unknown rights statement 'foo'",
    ]


def test_a_nul_character_in_a_cell_is_dropped(collections, tmp_path: Path) -> None:
    # Junk from an export; PostgreSQL stores no NUL and would refuse the record.
    text = CERAMICS_CSV.replace("Bord met blauw decor", "Bord met blauw\x00 decor")
    path, mapping = write(tmp_path, csv_text=text)
    job = run("csv", path, mapping=mapping, source="centre-ceramique")
    assert job.created_count == 2  # the third row has an unknown rights statement
    title = HeritageObject.objects.get(inventory_number="CC-1883-001").title
    assert title["nl"] == "Bord met blauw decor"


def test_rows_stream_with_flat_memory(tmp_path: Path) -> None:
    header, first = CERAMICS_CSV.splitlines()[:2]
    with (tmp_path / "many.csv").open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        for number in range(20_000):
            out.write(first.replace("CC-1883-001", f"CC-{number}") + "\n")
    options = JobOptions(
        source="c",
        collection="ceramics",
        mapping=load_mapping_text(CERAMICS_MAPPING, name="m.toml"),
    )
    tracemalloc.start()
    try:
        with CsvReader(tmp_path / "many.csv", options) as reader:
            sizes = {}
            for parsed in reader.records():
                if parsed.number in (1000, 20_000):
                    sizes[parsed.number] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert sizes[20_000] - sizes[1000] < 200_000, sizes


@pytest.mark.parametrize("batch_size", [None, 1])
def test_a_repeated_identifier_is_refused_and_a_reimport_writes_nothing(
    collections, tmp_path: Path, batch_size: int | None
) -> None:
    other = list(CERAMICS_ROWS[0])
    other[1] = "Een ander bord"
    rows = [CERAMICS_ROWS[0], *CERAMICS_ROWS[1:], other]
    path, mapping = write(tmp_path, csv_text=csv_text(rows))
    first = run("csv", path, mapping=mapping, source="centre-ceramique", batch_size=batch_size)
    # The example's third record fails on its rights; the repeated one fails too.
    assert (first.created_count, first.failed_count) == (2, 2)
    repeated = len(rows)
    assert any(
        line.startswith(f"record {repeated} ")
        and "CC-1883-001 is the identifier of record 1 too" in line
        for line in report(first)
    ), report(first)
    plate = HeritageObject.objects.get(inventory_number="CC-1883-001")
    assert plate.title["nl"] == "Bord met blauw decor"  # the first keeps it
    state = object_state()
    again = run("csv", path, mapping=mapping, source="centre-ceramique", batch_size=batch_size)
    assert object_state() == state
    assert (again.updated_count, again.failed_count) == (0, 2)


def test_seen_identifiers_remember_many_batches() -> None:
    from reisgezel.interop.importers.seen import SeenIdentifiers

    seen = SeenIdentifiers()
    number = 0
    for batch in range(300):
        pairs = [(number + i, f"id-{batch}-{i}") for i in range(7)]
        number += 7
        assert seen.check_and_add(pairs) == {}
    assert seen.check_and_add([(5000, "id-0-3"), (5001, "new"), (5002, "new")]) == {
        5000: 3,
        5002: 5001,
    }
    assert seen.check_and_add([(5003, "id-299-6")]) == {5003: 299 * 7 + 6}


@pytest.mark.parametrize("delimiter", ['"', "\n", "\r", ";"])
def test_an_unusable_delimiter_is_a_mapping_error(
    collections, tmp_path: Path, delimiter: str
) -> None:
    path, mapping = write(tmp_path)
    mapping["delimiter"] = delimiter
    with pytest.raises(ImportFileError, match="delimiter"):
        parse_mapping(mapping)
    job = run("csv", path, mapping=mapping, source="centre-ceramique")
    assert job.status == JobStatus.FAILED and "delimiter" in job.error


def test_cells_are_cleaned_like_every_other_text(collections, tmp_path: Path) -> None:
    row = list(CERAMICS_ROWS[0])
    row[1] = "  Bord  met\nblauw   decor "
    path, mapping = write(tmp_path, csv_text=csv_text([row]))
    run("csv", path, mapping=mapping, source="centre-ceramique")
    plate = HeritageObject.objects.get(inventory_number="CC-1883-001")
    assert plate.title["nl"] == "Bord met blauw decor"
