"""LIDO 1.1 import, on the two real records in shared/data/lido (and files made from them)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from lxml import etree

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import Agent, Concept, ConceptScheme, HeritageObject
from reisgezel.interop.importers.base import JobOptions
from reisgezel.interop.importers.lido import SCHEMAS, LidoReader, lido_schema_paths
from reisgezel.interop.importers.xsd import CatalogResolver, load_schema
from reisgezel.interop.models import JobStatus
from reisgezel.interop.tests.test_import_fixtures import (
    CIMEC,
    LIDO_DIR,
    MKG,
    N,
    collections,
    mkg_record,
    object_state,
    report,
    run,
    write_lido_wrap,
    write_many_lido,
)

__all__ = ["collections"]
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


def test_both_real_files_validate_against_the_lido_schema_with_xmlschema() -> None:
    schema_path, catalog = lido_schema_paths()
    resolver = CatalogResolver(catalog)
    schema = xmlschema.XMLSchema(
        str(schema_path),
        uri_mapper=lambda url: str(resolver.local_path(url) or url),
        allow="local",
        validation="lax",
    )
    for path in (MKG, CIMEC):
        assert list(schema.iter_errors(str(path))) == [], path.name


def test_the_schema_ships_with_the_platform_as_published(settings: Any, tmp_path: Path) -> None:
    # A production machine has no shared sample data: the schema and its imports are
    # the platform's own, unchanged copies of the published files.
    data = Path(settings.SHARED_DATA_DIR)
    settings.SHARED_DATA_DIR = tmp_path / "no-shared-data"
    schema_path, catalog = lido_schema_paths()
    assert SCHEMAS in schema_path.parents and SCHEMAS in catalog.parents
    pairs = [
        (schema_path, data / "lido" / "lido-v1.1.xsd"),
        (SCHEMAS / "w3c" / "xml.xsd", data / "schemas" / "xml" / "xml.xsd"),
        (
            SCHEMAS / "gml" / "3.1.1" / "base" / "gml.xsd",
            data / "schemas/xml/gml/3.1.1/base/gml.xsd",
        ),
    ]
    for ours, published in pairs:
        assert ours.read_bytes() == published.read_bytes(), ours.name
    resolver = CatalogResolver(catalog)
    for url in (
        "http://www.w3.org/2001/03/xml.xsd",
        "http://www.w3.org/1999/xlink.xsd",
        "http://schemas.opengis.net/gml/3.1.1/smil/smil20.xsd",
    ):
        local = resolver.local_path(url)
        assert local is not None and local.is_file() and SCHEMAS in local.parents, url


def test_lxml_loads_the_schema_offline_through_the_catalog() -> None:
    schema = load_schema(*lido_schema_paths())
    for path in (MKG, CIMEC):
        assert schema.validate(etree.parse(str(path))), schema.error_log
    broken = etree.parse(str(MKG))
    broken.getroot().remove(broken.getroot().find("lido:lidoRecID", N))
    assert not schema.validate(broken)


def test_the_mkg_record_maps_to_an_object(collections) -> None:
    job = run("lido", MKG, collection_code="other")
    assert (job.status, job.created_count, job.failed_count) == (JobStatus.FINISHED, 1, 0)
    obj = HeritageObject.objects.get()
    assert (obj.source, obj.source_id, obj.inventory_number, obj.pid) == (
        "lido",
        "DE-MUS-059918/dc00018494",
        "1977.20",
        "other-1977-20",
    )
    # No Dutch title in the record: the German one stands in, and the report says so.
    assert obj.title == {
        "de": "Kabinettschrank, Inv. Nr.: 1977.20",
        "nl": "Kabinettschrank, Inv. Nr.: 1977.20",
    }
    assert obj.description["de"].startswith("Die große Welt im kleinen Schrank")
    assert obj.object_type is not None
    assert obj.object_type.uri == "http://vocab.getty.edu/aat/300379868"
    assert obj.object_type.label["en"] == "display cabinets"
    assert {c.uri for c in obj.materials.all()} == {
        "http://vocab.getty.edu/aat/300375333",
        "http://www.wikidata.org/entity/Q156005",
        "http://vocab.getty.edu/aat/300011857",
    }
    assert [c.label["de"] for c in obj.techniques.all()] == ["Gravierung"]
    assert {c.uri for c in obj.subjects.all()} == {
        "https://iconclass.org/94L",
        "https://d-nb.info/gnd/4175821-3",
    }
    makers = [
        (m.agent.name, m.agent.sort_name, m.agent.uri, m.role)
        for m in obj.makers.select_related("agent")
    ]
    assert makers == [
        ("Giacomo Fiammingo", "Fiammingo, Giacomo", "https://d-nb.info/gnd/1229708928", "maker"),
        (
            "Giovanni Battista de Curtis",
            "Curtis, Giovanni Battista de",
            "https://d-nb.info/gnd/161108342",
            "decorator",
        ),
        ("Januarius Picicaro", "Picicaro, Januarius", "http://viaf.org/viaf/89840489", "decorator"),
    ]
    assert (obj.date_display, obj.date_earliest, obj.date_latest) == ("um 1600", 1596, 1605)
    assert (obj.production_place, obj.production_place_uri) == (
        "Neapel",
        "https://sws.geonames.org/3172394/",
    )
    assert [(d.kind, d.value, d.unit) for d in obj.dimensions.all()] == [
        ("height", Decimal("106.00"), "cm"),
        ("width", Decimal("101.10"), "cm"),
        ("depth", Decimal("60.90"), "cm"),
    ]
    assert obj.dimensions_display.endswith("Breite (geöffnet) 190 cm")
    assert obj.rights_uri == CC0
    assert obj.credit_line == {"de": "Museum für Kunst und Gewerbe Hamburg"}
    lines = report(job)
    assert (
        "record 1 (lido:lidoRecID DE-MUS-059918/dc00018494): field titleWrap: "
        "no Dutch title: the de title stands in for it" in lines
    )
    assert sum("not downloaded" in line for line in lines) == 3


def test_the_cimec_wrap_maps_display_values_and_provenance(collections) -> None:
    job = run("lido", CIMEC, collection_code="other")
    assert (job.created_count, job.failed_count) == (1, 0)
    obj = HeritageObject.objects.get()
    assert (obj.inventory_number, obj.title["nl"], obj.title["ro"]) == (
        "30505",
        "Denar republican",
        "Denar republican",
    )
    assert obj.rights_uri == CC0  # "CC0" as a term
    assert obj.dimensions_display == "diameter 17,5x18; weight 3,84"  # no units: text only
    assert not obj.dimensions.exists()
    assert [c.label["ro"] for c in obj.materials.all()] == ["Ag"]
    assert obj.provenance["ro"].startswith("Finding: 1981-01-01")
    assert any(
        "its rights statement 'http://www.europeana.eu/rights/rr-f/' is not one we accept" in line
        for line in report(job)
    )


def test_an_unknown_rights_statement_names_record_and_field(collections, tmp_path: Path) -> None:
    record = mkg_record(1)
    record.find(".//lido:recordRights/lido:rightsType/lido:conceptID", N).text = "foo"
    record.find(".//lido:recordRights/lido:rightsType/lido:term", N).text = "foo"
    good = mkg_record(2)
    job = run(
        "lido", write_lido_wrap(tmp_path / "rights.xml", [record, good]), collection_code="other"
    )
    assert (job.created_count, job.failed_count) == (1, 1)
    assert (
        "record 1 (lido:lidoRecID TEST/1): field rights: unknown rights statement 'foo'"
        in report(job)
    )
    assert list(HeritageObject.objects.values_list("source_id", flat=True)) == ["TEST/2"]


def test_a_reimport_changes_nothing_and_a_changed_record_updates(
    collections, tmp_path: Path
) -> None:
    path = write_lido_wrap(tmp_path / "two.xml", [mkg_record(1), mkg_record(2)])
    run("lido", path, collection_code="other")
    state, audits = object_state(), AuditEntry.objects.count()
    counts = (Concept.objects.count(), Agent.objects.count())
    again = run("lido", path, collection_code="other")
    assert (again.unchanged_count, again.created_count, again.updated_count) == (2, 0, 0)
    assert object_state() == state and AuditEntry.objects.count() == audits
    assert (Concept.objects.count(), Agent.objects.count()) == counts

    changed = mkg_record(2)
    changed.find(".//lido:titleSet/lido:appellationValue", N).text = "Kabinettschrank (verändert)"
    write_lido_wrap(path, [mkg_record(1), changed])
    third = run("lido", path, collection_code="other")
    assert (third.unchanged_count, third.updated_count) == (1, 1)
    assert (
        HeritageObject.objects.get(source_id="TEST/2").title["de"] == "Kabinettschrank (verändert)"
    )


def test_a_dry_run_reports_the_same_and_writes_nothing(collections, tmp_path: Path) -> None:
    record = mkg_record(1)
    record.find(".//lido:recordRights/lido:rightsType/lido:conceptID", N).text = "foo"
    record.find(".//lido:recordRights/lido:rightsType/lido:term", N).text = "foo"
    path = write_lido_wrap(tmp_path / "dry.xml", [record, mkg_record(2)])
    dry = run("lido", path, collection_code="other", dry_run=True)
    assert (dry.created_count, dry.failed_count) == (1, 1)
    assert not HeritageObject.objects.exists() and not Concept.objects.exists()
    real = run("lido", path, collection_code="other")
    assert report(dry) == report(real)


def test_schema_validation_per_record_is_optional(collections, tmp_path: Path) -> None:
    invalid = mkg_record(1)
    invalid.insert(1, etree.Element(f"{{{N['lido']}}}bogus"))
    path = write_lido_wrap(tmp_path / "schema.xml", [invalid, mkg_record(2)])
    checked = run("lido", path, collection_code="other", validate_schema=True, dry_run=True)
    assert (checked.created_count, checked.failed_count) == (1, 1)
    assert any("field schema" in line and "bogus" in line for line in report(checked))
    unchecked = run("lido", path, collection_code="other", dry_run=True)
    assert (unchecked.created_count, unchecked.failed_count) == (2, 0)


def test_a_broken_file_keeps_the_good_records_before_the_break(collections, tmp_path: Path) -> None:
    whole = write_lido_wrap(tmp_path / "whole.xml", [mkg_record(n) for n in range(1, 4)])
    data = whole.read_bytes()
    cut = data.index(b"TEST/3")
    (tmp_path / "broken.xml").write_bytes(data[:cut])
    job = run("lido", tmp_path / "broken.xml", collection_code="other", batch_size=10)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("broken.xml is not well-formed XML after record 2")
    assert (job.created_count, job.checkpoint) == (2, 2)
    assert HeritageObject.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not xml at all", "is not well-formed XML"),
        (b"<?xml version='1.0'?><museum><object/></museum>", "holds no lido:lido records"),
        (
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "uses the entity 'e' after record 0 without declaring its text",
        ),
    ],
)
def test_files_that_are_not_lido_get_a_clear_message(
    collections, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    job = run("lido", path, collection_code="other")
    assert job.status == JobStatus.FAILED and message in job.error


def _with_doctype(path: Path, doctype: str, replacements: dict[str, str]) -> Path:
    """The MKG record in a lidoWrap with `doctype`, some of its texts replaced."""
    text = write_lido_wrap(path, [mkg_record(1)]).read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    declaration, rest = text.split("?>", 1)
    path.write_text(f"{declaration}?>\n{doctype}{rest}", encoding="utf-8")
    return path


def test_internal_entities_are_expanded_in_every_field(collections, tmp_path: Path) -> None:
    path = _with_doctype(
        tmp_path / "entities.xml",
        '<!DOCTYPE lido:lidoWrap [<!ENTITY maker "Petrus Regout"><!ENTITY when "um 1850">]>',
        {
            "Kabinettschrank, Inv. Nr.: 1977.20": "Kabinettschrank von &maker;",
            "Fiammingo, Giacomo": "&maker;",
            "<lido:displayDate>um 1600": "<lido:displayDate>&when;",
        },
    )

    job = run("lido", path, collection_code="other")

    assert job.created_count == 1, report(job)
    obj = HeritageObject.objects.get()
    assert obj.title["de"] == "Kabinettschrank von Petrus Regout"
    assert "Petrus Regout" in [link.agent.name for link in obj.makers.all()]
    assert obj.date_display == "um 1850"
    assert not any("actor without a name" in line for line in report(job))


def test_external_entities_are_refused_by_name(collections, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the catalogue")
    path = _with_doctype(
        tmp_path / "external.xml",
        f'<!DOCTYPE lido:lidoWrap [<!ENTITY maker SYSTEM "{secret.as_uri()}">]>',
        {"Fiammingo, Giacomo": "&maker;"},
    )

    job = run("lido", path, collection_code="other")

    assert job.status == JobStatus.FAILED
    assert "uses the entity 'maker' after record 0 without declaring its text" in job.error
    assert not HeritageObject.objects.exists()
    assert not Agent.objects.filter(name__contains="catalogue").exists()


def test_exponential_entity_expansion_stays_refused(collections, tmp_path: Path) -> None:
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    path = _with_doctype(
        tmp_path / "laughs.xml",
        f"<!DOCTYPE lido:lidoWrap [{laughs}]>",
        {"Fiammingo, Giacomo": "&lol9;"},
    )

    job = run("lido", path, collection_code="other")

    assert job.status == JobStatus.FAILED
    assert "amplification" in job.error
    assert not HeritageObject.objects.exists()


def test_the_display_dates_language_comes_from_its_xml_lang(collections, tmp_path: Path) -> None:
    inherited = mkg_record(1)  # "um 1600" without its own xml:lang, in German metadata
    own = mkg_record(2)
    display = own.find(".//lido:eventDate/lido:displayDate", N)
    display.text = "c. 1600"
    display.set("{http://www.w3.org/XML/1998/namespace}lang", "en-GB")
    undetermined = mkg_record(3)
    undetermined.find("lido:descriptiveMetadata", N).set(
        "{http://www.w3.org/XML/1998/namespace}lang", "und"
    )
    path = write_lido_wrap(tmp_path / "dates.xml", [inherited, own, undetermined])

    job = run("lido", path, collection_code="other")

    assert job.created_count == 3, report(job)
    found = HeritageObject.objects.order_by("source_id").values_list(
        "date_display", "date_display_language"
    )
    assert list(found) == [("um 1600", "de"), ("c. 1600", "en"), ("um 1600", "")]


def test_lido_needs_a_collection(collections) -> None:
    job = run("lido", MKG)
    assert job.status == JobStatus.FAILED and "Choose the collection" in job.error


def _rss_kib() -> int:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_reading_streams_with_flat_memory(tmp_path: Path) -> None:
    """3,000 records (about 40 MB): the parsed tree never holds more than one record,
    and the process does not grow with the file."""
    path = write_many_lido(tmp_path / "many.xml", 3000)
    assert path.stat().st_size > 30_000_000
    options = JobOptions(source="lido", collection="other")
    with LidoReader(path, options) as reader:
        assert reader.total_estimate() == 3000
        samples = {}
        for parsed in reader.records():
            assert parsed.record is not None
            if parsed.number in (300, 3000):
                samples[parsed.number] = _rss_kib()
    # An unfreed tree of this file would take several hundred MB.
    assert samples[3000] - samples[300] < 20_000, samples


def test_resume_skips_without_mapping(tmp_path: Path) -> None:
    path = write_lido_wrap(tmp_path / "three.xml", [mkg_record(n) for n in range(1, 4)])
    with LidoReader(path, JobOptions(source="lido", collection="other")) as reader:
        assert [(p.number, p.identifier) for p in reader.records(skip=2)] == [
            (3, "lido:lidoRecID TEST/3")
        ]


def test_the_real_files_stay_where_tests_expect_them() -> None:
    assert {MKG.name, CIMEC.name} <= {p.name for p in LIDO_DIR.iterdir()}
    assert ConceptScheme.MATERIAL == "material"


def test_inscriptions_published_ids_and_credit_lines(collections, tmp_path: Path) -> None:
    record = mkg_record(1)
    lido = f"{{{N['lido']}}}"
    identification = record.find(".//lido:objectIdentificationWrap", N)
    wrap = etree.Element(f"{lido}inscriptionsWrap")
    mark = etree.SubElement(wrap, f"{lido}inscriptions", {f"{lido}type": "maker's mark"})
    etree.SubElement(mark, f"{lido}inscriptionTranscription").text = "SPHINX MAASTRICHT"
    note = etree.SubElement(
        etree.SubElement(mark, f"{lido}inscriptionDescription"), f"{lido}descriptiveNoteValue"
    )
    note.set("{http://www.w3.org/XML/1998/namespace}lang", "nl")
    note.text = "Gestempeld merk onder de voet"
    # inscriptionsWrap comes after titleWrap in LIDO's sequence
    identification.insert(1, wrap)
    published = etree.Element(
        f"{lido}objectPublishedID", {f"{lido}type": "http://terminology.lido-schema.org/lido00100"}
    )
    published.text = "https://museum.example/id/object/MKG.1977.20"
    record.insert(1, published)
    rights_work = etree.SubElement(
        record.find("lido:administrativeMetadata", N), f"{lido}rightsWorkWrap"
    )
    record.find("lido:administrativeMetadata", N).insert(0, rights_work)
    credit = etree.SubElement(
        etree.SubElement(rights_work, f"{lido}rightsWorkSet"), f"{lido}creditLine"
    )
    credit.text = "Schenking van de familie Regout"
    credit.set("{http://www.w3.org/XML/1998/namespace}lang", "nl")
    path = write_lido_wrap(tmp_path / "inscribed.xml", [record])
    job = run("lido", path, collection_code="other", validate_schema=True)
    assert job.created_count == 1, report(job)
    obj = HeritageObject.objects.get()
    inscription = obj.inscriptions.get()
    assert (inscription.kind, inscription.transcription, inscription.description) == (
        "mark",
        "SPHINX MAASTRICHT",
        {"nl": "Gestempeld merk onder de voet"},
    )
    assert obj.pid == "mkg-1977-20"
    assert obj.credit_line == {"nl": "Schenking van de familie Regout"}
