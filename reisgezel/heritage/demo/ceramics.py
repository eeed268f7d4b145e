"""A few hundred Maastricht ceramics: makers, factory marks, fuzzy dates, materials,
techniques and dimensions. Invented records in the style of a real catalogue (the
factories, their periods and their kind of marks are real; the pieces are not)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from reisgezel.heritage.dates import parse_fuzzy_date
from reisgezel.heritage.demo.vocabulary import (
    AGENTS,
    MAASTRICHT_WIKIDATA,
    MATERIALS,
    OBJECT_TYPES,
    SUBJECTS,
    TECHNIQUES,
)
from reisgezel.heritage.records import (
    DimensionRecord,
    InscriptionRecord,
    MakerRecord,
    ObjectRecord,
)

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"
CNE = "http://rightsstatements.org/vocab/CNE/1.0/"
CREDIT = {
    "nl": "Collectie Centre Céramique, Maastricht",
    "en": "Centre Céramique collection, Maastricht",
}


@dataclass(frozen=True)
class Factory:
    agent: str
    years: tuple[int, int]
    marks: tuple[str, ...]
    materials: tuple[str, ...]


FACTORIES = (
    Factory(
        "sphinx",
        (1840, 1965),
        (
            "P. REGOUT MAESTRICHT",
            "PETRUS REGOUT & Co MAASTRICHT",
            "SPHINX MAASTRICHT MADE IN HOLLAND",
        ),
        ("earthenware", "earthenware", "stoneware"),
    ),
    Factory(
        "ceramique",
        (1855, 1957),
        ("SOCIÉTÉ CÉRAMIQUE MAESTRICHT", "S.C. MAESTRICHT", "SOCIÉTÉ CÉRAMIQUE MADE IN HOLLAND"),
        ("earthenware", "earthenware", "stoneware"),
    ),
    Factory("mosa", (1885, 1975), ("MOSA MAASTRICHT", "MOSA MADE IN HOLLAND"), ("porcelain",)),
)

# (Dutch, English, subject, technique)
DECORS = (
    ("wilgenpatroon", "willow pattern", "chinoiserie", "transfer-printing"),
    ("Chinese tuin", "Chinese garden", "chinoiserie", "transfer-printing"),
    ("rivierlandschap", "river landscape", "landscape", "transfer-printing"),
    ("stadsgezicht van Maastricht", "view of Maastricht", "maastricht", "transfer-printing"),
    ("bloemenrand", "floral border", "flowers", "transfer-printing"),
    ("handgeschilderde bloemen", "hand-painted flowers", "flowers", "hand-painting"),
    ("sponsdecor", "sponge-printed pattern", "tableware", "sponge-decoration"),
)
COLOURS = (
    ("blauw", "blue"),
    ("rood", "red"),
    ("groen", "green"),
    ("bruin", "brown"),
    ("zwart", "black"),
)
# object type: (kinds of dimension, (min, max) cm each)
SHAPES = {
    "plate": (("diameter", 19, 27), ("height", 2, 3.5)),
    "soup-plate": (("diameter", 21, 25), ("height", 3.5, 5)),
    "dish": (("length", 25, 45), ("width", 18, 34)),
    "cup-and-saucer": (("height", 5, 8), ("diameter", 12, 15)),
    "jug": (("height", 15, 28), ("width", 10, 18)),
    "tureen": (("height", 18, 28), ("width", 25, 38)),
    "vase": (("height", 15, 45), ("diameter", 8, 20)),
    "tile": (("height", 13, 15.2), ("width", 13, 15.2)),
}
ABBREVIATIONS = {"diameter": "diam.", "height": "h.", "width": "br.", "length": "l."}


def _date_display(rng: random.Random, start: int, end: int) -> str:
    year = rng.randint(start, end)
    style = rng.random()
    if style < 0.2:
        return str(year)
    if style < 0.5:
        first = year - year % 5
        return f"ca. {first}-{first + rng.choice((5, 10, 20))}"
    if style < 0.65:
        return f"jaren {year - year % 10}"
    if style < 0.8:
        return f"omstreeks {year}"
    if style < 0.9:
        return "tweede helft 19e eeuw" if year < 1900 else "eerste helft 20e eeuw"
    return f"na {year - year % 10}" if style < 0.95 else f"vóór {year - year % 10 + 10}"


def _dimensions(rng: random.Random, shape: str) -> tuple[tuple[DimensionRecord, ...], str]:
    records, parts = [], []
    for kind, low, high in SHAPES[shape]:
        value = Decimal(str(round(rng.uniform(low, high), 1)))
        records.append(DimensionRecord(kind=kind, value=value, unit="cm"))
        parts.append(f"{ABBREVIATIONS[kind]} {str(value).replace('.', ',')} cm")
    return tuple(records), "; ".join(parts)


def _rights(rng: random.Random) -> str:
    roll = rng.random()
    return CC0 if roll < 0.85 else CC_BY if roll < 0.95 else CNE


def ceramic_record(rng: random.Random, number: int) -> ObjectRecord:
    factory = rng.choice(FACTORIES)
    shape = rng.choice(tuple(SHAPES))
    decor_nl, decor_en, subject, technique = rng.choice(DECORS)
    colour_nl, colour_en = rng.choice(COLOURS)
    if technique != "transfer-printing":
        colour_nl, colour_en = "veelkleurig", "polychrome"
    material = rng.choice(factory.materials)
    kind = OBJECT_TYPES[shape]
    maker = AGENTS[factory.agent]
    display = _date_display(rng, *factory.years)
    earliest, latest = parse_fuzzy_date(display)
    dimensions, dimensions_text = _dimensions(rng, shape)
    mark = rng.choice(factory.marks)
    material_term = MATERIALS[material]
    return ObjectRecord(
        source_id=f"ceramics-{number:05d}",
        pid=f"cc-{number:05d}",
        collection="ceramics",
        inventory_number=f"CC-{number:05d}",
        title={
            "nl": f"{kind.nl.capitalize()} met {colour_nl} {decor_nl}",
            "en": f"{kind.en.capitalize()} with {colour_en} {decor_en}",
        },
        description={
            "nl": f"{kind.nl.capitalize()} van {material_term.nl} met een {decor_nl} in "
            f"{colour_nl}, gemaakt door {maker.name} in Maastricht. Fabrieksmerk op de onderzijde.",
            "en": f"{material_term.en.capitalize()} {kind.en} with a {colour_en} {decor_en}, "
            f"made by {maker.name} in Maastricht. Factory mark on the underside.",
        },
        object_type=kind.record,
        materials=(material_term.record,),
        techniques=(TECHNIQUES[technique].record,),
        subjects=(SUBJECTS[subject].record,),
        makers=(MakerRecord(agent=maker.record, role="manufacturer"),),
        date_display=display,
        date_display_language="nl",  # "omstreeks 1890", "tweede helft 19e eeuw"
        date_earliest=earliest,
        date_latest=latest,
        production_place="Maastricht",
        production_place_uri=MAASTRICHT_WIKIDATA,
        dimensions=dimensions,
        dimensions_display=dimensions_text,
        inscriptions=(
            InscriptionRecord(
                kind="mark",
                transcription=mark,
                position="onderzijde",
                description={"nl": "Gedrukt fabrieksmerk.", "en": "Printed factory mark."},
            ),
        ),
        provenance=(
            {"nl": "Schenking uit particulier bezit.", "en": "Gift from a private collection."}
            if rng.random() < 0.3
            else {}
        ),
        credit_line=CREDIT,
        rights_uri=_rights(rng),
        publish=rng.random() < 0.95,
    )


def ceramic_records(count: int, seed: int) -> list[ObjectRecord]:
    rng = random.Random(seed)  # noqa: S311 - demo data, deterministic on purpose
    return [ceramic_record(rng, number) for number in range(1, count + 1)]
