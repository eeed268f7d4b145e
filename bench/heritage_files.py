"""Large import files for the heritage benchmarks, made from the real samples.

- LIDO: the real MKG Hamburg record in ../shared/data/lido/ is the template; each copy
  gets its own record id, inventory number, Dutch and English title, maker, dates and
  material, as a museum export of a ceramics collection would have them.
- Darwin Core Archive: meta.xml and eml.xml as GBIF's IPT writes them, and an
  occurrence core of fossils from the Maastricht Formation.

Both are written streaming (a million records in a few hundred MB, memory flat).
"""

from __future__ import annotations

import copy
import csv
import random
import zipfile
from pathlib import Path

from lxml import etree

LIDO_NS = "http://www.lido-schema.org"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
L = f"{{{LIDO_NS}}}"

_OBJECTS = [
    ("Bord", "Plate"),
    ("Kom", "Bowl"),
    ("Schotel", "Dish"),
    ("Kan", "Jug"),
    ("Terrine", "Tureen"),
    ("Theepot", "Teapot"),
    ("Kop en schotel", "Cup and saucer"),
    ("Vaas", "Vase"),
]
_DECORS = [
    ("met blauw transferdecor", "with blue transfer print"),
    ("met bloemdecor", "with floral decoration"),
    ("met Chinees landschap", "with Chinese landscape"),
    ("met gouden rand", "with gilt rim"),
    ("wit", "white"),
]
_MAKERS = [
    "Petrus Regout & Co",
    "Société Céramique",
    "N.V. Mosa",
    "De Sphinx",
    "Regout, Petrus",
]
_MATERIALS = [
    ("http://vocab.getty.edu/aat/300010662", "aardewerk"),
    ("http://vocab.getty.edu/aat/300010662", "earthenware"),
    ("http://vocab.getty.edu/aat/300010679", "porselein"),
]


def _template() -> etree._Element:
    from django.conf import settings

    path = Path(settings.SHARED_DATA_DIR) / "lido" / "mkg-hamburg-kabinettschrank-1977.20.lido.xml"
    return etree.parse(str(path)).getroot()


def _set_texts(record: etree._Element, path: str, value: str) -> None:
    for element in record.iterfind(path, {"lido": LIDO_NS}):
        element.text = value


def write_lido(path: Path, count: int, *, seed: int = 1) -> Path:
    """A lido:lidoWrap with `count` records (each a varied copy of the real record)."""
    rng = random.Random(seed)
    template = _template()
    # Keep one of the record's three images and a shorter note: about 6 kB a record.
    for extra in template.findall(".//lido:resourceSet", {"lido": LIDO_NS})[1:]:
        extra.getparent().remove(extra)
    for note in template.iterfind(".//lido:descriptiveNoteValue", {"lido": LIDO_NS}):
        note.text = (note.text or "")[:300]
    # The template's images point at the museum's server: our imports never download.
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{L}lidoWrap", nsmap={"lido": LIDO_NS}):
            for number in range(1, count + 1):
                record = copy.deepcopy(template)
                inventory = f"BENCH-{number:07d}"
                _set_texts(record, "lido:lidoRecID", f"NL-MtCC/{inventory}")
                _set_texts(record, ".//lido:workID", inventory)
                _set_texts(record, ".//lido:recordID", inventory)
                (nl, en), (decor_nl, decor_en) = rng.choice(_OBJECTS), rng.choice(_DECORS)
                title_set = record.find(".//lido:titleSet", {"lido": LIDO_NS})
                assert title_set is not None
                for child in list(title_set):
                    title_set.remove(child)
                for lang, text in (("nl", f"{nl} {decor_nl}"), ("en", f"{en} {decor_en}")):
                    value = etree.SubElement(title_set, f"{L}appellationValue")
                    value.set(XML_LANG, lang)
                    value.text = f"{text}, {inventory}"
                start = rng.randint(1836, 1960)
                _set_texts(record, ".//lido:displayDate", f"c. {start}-{start + 10}")
                _set_texts(record, ".//lido:earliestDate", str(start - 5))
                _set_texts(record, ".//lido:latestDate", str(start + 15))
                _set_texts(
                    record,
                    ".//lido:actor/lido:nameActorSet/lido:appellationValue",
                    rng.choice(_MAKERS),
                )
                xf.write(record)
    return path


OCCURRENCE_TERMS = [
    ("occurrenceID", "http://rs.tdwg.org/dwc/terms/occurrenceID"),
    ("catalogNumber", "http://rs.tdwg.org/dwc/terms/catalogNumber"),
    ("basisOfRecord", "http://rs.tdwg.org/dwc/terms/basisOfRecord"),
    ("scientificName", "http://rs.tdwg.org/dwc/terms/scientificName"),
    ("scientificNameAuthorship", "http://rs.tdwg.org/dwc/terms/scientificNameAuthorship"),
    ("kingdom", "http://rs.tdwg.org/dwc/terms/kingdom"),
    ("phylum", "http://rs.tdwg.org/dwc/terms/phylum"),
    ("class", "http://rs.tdwg.org/dwc/terms/class"),
    ("order", "http://rs.tdwg.org/dwc/terms/order"),
    ("family", "http://rs.tdwg.org/dwc/terms/family"),
    ("genus", "http://rs.tdwg.org/dwc/terms/genus"),
    ("locality", "http://rs.tdwg.org/dwc/terms/locality"),
    ("countryCode", "http://rs.tdwg.org/dwc/terms/countryCode"),
    ("decimalLatitude", "http://rs.tdwg.org/dwc/terms/decimalLatitude"),
    ("decimalLongitude", "http://rs.tdwg.org/dwc/terms/decimalLongitude"),
    ("formation", "http://rs.tdwg.org/dwc/terms/formation"),
    ("member", "http://rs.tdwg.org/dwc/terms/member"),
    ("earliestAgeOrLowestStage", "http://rs.tdwg.org/dwc/terms/earliestAgeOrLowestStage"),
    ("recordedBy", "http://rs.tdwg.org/dwc/terms/recordedBy"),
    ("eventDate", "http://rs.tdwg.org/dwc/terms/eventDate"),
    ("license", "http://purl.org/dc/terms/license"),
]

_TAXA = [
    (
        "Mosasaurus hoffmanni",
        "Mantell, 1829",
        "Chordata",
        "Reptilia",
        "Squamata",
        "Mosasauridae",
        "Mosasaurus",
    ),
    (
        "Prognathodon saturator",
        "Dortangs et al., 2002",
        "Chordata",
        "Reptilia",
        "Squamata",
        "Mosasauridae",
        "Prognathodon",
    ),
    (
        "Allopleuron hoffmanni",
        "(Gray, 1831)",
        "Chordata",
        "Reptilia",
        "Testudines",
        "Cheloniidae",
        "Allopleuron",
    ),
    (
        "Belemnitella junior",
        "Nowak, 1913",
        "Mollusca",
        "Cephalopoda",
        "Belemnitida",
        "Belemnitellidae",
        "Belemnitella",
    ),
    (
        "Hemipneustes striatoradiatus",
        "(Leske, 1778)",
        "Echinodermata",
        "Echinoidea",
        "Holasteroida",
        "Holasteridae",
        "Hemipneustes",
    ),
    (
        "Pycnodonte vesicularis",
        "(Lamarck, 1806)",
        "Mollusca",
        "Bivalvia",
        "Ostreida",
        "Gryphaeidae",
        "Pycnodonte",
    ),
]
_MEMBERS = [
    "Nekum Member",
    "Meerssen Member",
    "Emael Member",
    "Gronsveld Member",
    "Valkenburg Member",
]


def write_dwca(path: Path, count: int, *, seed: int = 2) -> Path:
    """A Darwin Core Archive (zip) with `count` fossil occurrences."""
    rng = random.Random(seed)
    fields = "\n".join(
        f'    <field index="{i}" term="{uri}"/>' for i, (_name, uri) in enumerate(OCCURRENCE_TERMS)
    )
    meta = f"""<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy=""
        ignoreHeaderLines="1" rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0"/>
{fields}
  </core>
</archive>
"""
    eml = """<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" packageId="bench" system="bench"
  scope="system" xml:lang="en">
  <dataset><title>Benchmark fossils of the Maastricht Formation</title>
  <creator><organizationName>Natuurhistorisch Museum Maastricht</organizationName></creator>
  <contact><organizationName>Natuurhistorisch Museum Maastricht</organizationName></contact>
  </dataset>
</eml:eml>
"""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.xml", meta)
        archive.writestr("eml.xml", eml)
        with archive.open("occurrence.txt", "w", force_zip64=True) as raw:
            import io

            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = csv.writer(text, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
            writer.writerow([name for name, _uri in OCCURRENCE_TERMS])
            for number in range(1, count + 1):
                name, author, phylum, klass, order, family, genus = rng.choice(_TAXA)
                writer.writerow(
                    [
                        f"https://nhmmaastricht.example/id/specimen/NHMM-B{number:07d}",
                        f"NHMM-B{number:07d}",
                        "FossilSpecimen",
                        name,
                        author,
                        "Animalia",
                        phylum,
                        klass,
                        order,
                        family,
                        genus,
                        "ENCI-groeve, Sint-Pietersberg, Maastricht",
                        "NL",
                        f"{50.815 + rng.random() * 0.02:.5f}",
                        f"{5.68 + rng.random() * 0.02:.5f}",
                        "Maastricht Formation",
                        rng.choice(_MEMBERS),
                        "Maastrichtian",
                        "ENCI",
                        f"{rng.randint(1960, 2020)}-{rng.randint(1, 12):02d}",
                        "http://creativecommons.org/publicdomain/zero/1.0/",
                    ]
                )
            text.flush()
            text.detach()
    return path
