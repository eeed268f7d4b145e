"""A few hundred fossils from the Maastricht Formation (Late Cretaceous, Maastrichtian).

The taxa, the formation's members and the localities are real; the specimens, their
numbers, collectors' names and dates are invented for the demo. Some localities are
flagged sensitive and are published only generalised (see Specimen.public_coordinates).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from reisgezel.heritage.demo.vocabulary import MATERIALS, OBJECT_TYPES
from reisgezel.heritage.records import DimensionRecord, ObjectRecord, SpecimenRecord

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CREDIT = {
    "nl": "Collectie Natuurhistorisch Museum Maastricht",
    "en": "Natuurhistorisch Museum Maastricht collection",
}


@dataclass(frozen=True)
class Taxon:
    name: str
    authorship: str
    rank: str
    classification: tuple[str, str, str, str, str, str]  # kingdom .. genus
    vernacular_nl: str
    vernacular_en: str
    parts: tuple[tuple[str, str, str, float, float], ...]
    """(Dutch, English, dimension kind, min, max in cm) of the kinds of remains found."""
    weight: int
    plural_nl: str = ""
    plural_en: str = ""
    """For a group without a species name: what the title calls it ("mosdiertjes")."""

    def title_name(self, language: str) -> str:
        plural = self.plural_nl if language == "nl" else self.plural_en
        return plural or self.name


REPTILE = ("Animalia", "Chordata", "Reptilia", "Squamata", "Mosasauridae")
TAXA = (
    Taxon(
        "Mosasaurus hoffmanni",
        "Mantell, 1829",
        "species",
        (*REPTILE, "Mosasaurus"),
        "mosasaurus",
        "mosasaur",
        (
            ("tand", "tooth", "length", 3, 9),
            ("wervel", "vertebra", "length", 6, 14),
            ("kaakfragment", "jaw fragment", "length", 15, 60),
        ),
        10,
    ),
    Taxon(
        "Prognathodon saturator",
        "Dortangs et al., 2002",
        "species",
        (*REPTILE, "Prognathodon"),
        "mosasauriër Prognathodon",
        "mosasaur Prognathodon",
        (("tand", "tooth", "length", 3, 7), ("wervel", "vertebra", "length", 6, 12)),
        4,
    ),
    Taxon(
        "Allopleuron hoffmanni",
        "(Gray, 1831)",
        "species",
        ("Animalia", "Chordata", "Reptilia", "Testudines", "Cheloniidae", "Allopleuron"),
        "reuzenzeeschildpad",
        "giant sea turtle",
        (
            ("schildplaat", "carapace plate", "length", 8, 30),
            ("ledemaatbot", "limb bone", "length", 10, 35),
        ),
        5,
    ),
    Taxon(
        "Hoploscaphites constrictus",
        "(J. Sowerby, 1817)",
        "species",
        ("Animalia", "Mollusca", "Cephalopoda", "Ammonitida", "Scaphitidae", "Hoploscaphites"),
        "ammoniet",
        "ammonite",
        (("schelp", "shell", "length", 2, 7),),
        12,
    ),
    Taxon(
        "Baculites vertebralis",
        "Lamarck, 1801",
        "species",
        ("Animalia", "Mollusca", "Cephalopoda", "Ammonitida", "Baculitidae", "Baculites"),
        "rechte ammoniet",
        "straight-shelled ammonite",
        (("schelpfragment", "shell fragment", "length", 4, 20),),
        6,
    ),
    Taxon(
        "Belemnitella junior",
        "Nowak, 1913",
        "species",
        ("Animalia", "Mollusca", "Cephalopoda", "Belemnitida", "Belemnitellidae", "Belemnitella"),
        "belemniet",
        "belemnite",
        (("rostrum", "rostrum", "length", 4, 11),),
        14,
    ),
    Taxon(
        "Hemipneustes striatoradiatus",
        "(Leske, 1778)",
        "species",
        (
            "Animalia",
            "Echinodermata",
            "Echinoidea",
            "Holasteroida",
            "Hemipneustidae",
            "Hemipneustes",
        ),
        "zee-egel",
        "sea urchin",
        (("skelet", "test", "length", 6, 12),),
        12,
    ),
    Taxon(
        "Pycnodonte vesicularis",
        "(Lamarck, 1806)",
        "species",
        ("Animalia", "Mollusca", "Bivalvia", "Ostreida", "Gryphaeidae", "Pycnodonte"),
        "oester",
        "oyster",
        (("klep", "valve", "length", 3, 10),),
        10,
    ),
    Taxon(
        "Bryozoa",
        "",
        "phylum",
        ("Animalia", "Bryozoa", "", "", "", ""),
        "mosdiertjes",
        "bryozoans",
        (("kolonie", "colony", "length", 1, 6),),
        8,
    ),
    Taxon(
        "Squalicorax pristodontus",
        "(Agassiz, 1843)",
        "species",
        ("Animalia", "Chordata", "Chondrichthyes", "Lamniformes", "Anacoracidae", "Squalicorax"),
        "haai",
        "shark",
        (("tand", "tooth", "length", 1.5, 4),),
        10,
    ),
)


@dataclass(frozen=True)
class Locality:
    name: str
    country: str
    latitude: str
    longitude: str
    sensitive: bool


LOCALITIES = (
    Locality("ENCI-groeve, Sint-Pietersberg, Maastricht", "NL", "50.8233", "5.6900", False),
    Locality("Sint-Pietersberg (Fort Sint-Pieter), Maastricht", "NL", "50.8345", "5.6860", False),
    Locality("Groeve 't Rooth, Bemelen", "NL", "50.8452", "5.7695", False),
    Locality("Groeve Curfs, Geulhem", "NL", "50.8647", "5.7906", True),
    Locality("Groeve Romontbos, Eben-Emael", "BE", "50.7957", "5.6733", True),
)
MEMBERS = ("Valkenburg", "Gronsveld", "Schiepersberg", "Emael", "Nekum", "Meerssen")
COLLECTORS = (  # invented names (demo), and the museum's own fieldwork
    "Natuurhistorisch Museum Maastricht",
    "Natuurhistorisch Museum Maastricht",
    "J. Hermans",
    "M. Vroomen",
    "A. Lemmens",
    "P. Schoonbrood",
)


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _event_date(rng: random.Random) -> str:
    year = rng.randint(1955, 2019)
    roll = rng.random()
    if roll < 0.4:
        return str(year)
    if roll < 0.7:
        return f"{year}-{rng.randint(1, 12):02d}"
    if roll < 0.9:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"{year}/{year + rng.randint(1, 3)}"


def specimen_record(rng: random.Random, number: int) -> ObjectRecord:
    taxon = rng.choices(TAXA, weights=[t.weight for t in TAXA])[0]
    part_nl, part_en, kind, low, high = rng.choice(taxon.parts)
    place = rng.choice(LOCALITIES)
    member = rng.choice(MEMBERS)
    size = Decimal(str(round(rng.uniform(low, high), 1)))
    kingdom, phylum, class_name, order, family, genus = taxon.classification
    # about 100 m around the recorded point, with a little scatter within the quarry
    lat = Decimal(place.latitude) + Decimal(rng.randint(-20, 20)) / Decimal(10000)
    lon = Decimal(place.longitude) + Decimal(rng.randint(-20, 20)) / Decimal(10000)
    specimen = SpecimenRecord(
        basis_of_record="FossilSpecimen",
        scientific_name=taxon.name,
        scientific_name_authorship=taxon.authorship,
        taxon_rank=taxon.rank,
        kingdom=kingdom,
        phylum=phylum,
        class_name=class_name,
        order=order,
        family=family,
        genus=genus,
        vernacular_name=taxon.vernacular_nl,
        locality=place.name,
        country_code=place.country,
        latitude=lat,
        longitude=lon,
        coordinate_uncertainty_m=100,
        locality_is_sensitive=place.sensitive,
        geological_group="Chalk Group",
        formation="Maastricht Formation",
        member=f"{member} Member",
        stage="Maastrichtian",
        recorded_by=rng.choice(COLLECTORS),
        event_date=_event_date(rng),
        individual_count=1,
        preparations="fossil, dry",
        occurrence_id=f"urn:catalog:NHMM:fossils:NHMM-{number:06d}",
    )
    return ObjectRecord(
        source_id=f"fossils-{number:05d}",
        pid=f"nhmm-{number:06d}",
        collection="natural-history",
        inventory_number=f"NHMM-{number:06d}",
        title={
            "nl": f"{part_nl.capitalize()} van {taxon.title_name('nl')}",
            "en": f"{part_en.capitalize()} of {taxon.title_name('en')}",
        },
        description={
            "nl": f"Fossiel ({part_nl}) van een {taxon.vernacular_nl} uit het {member} Lid van de "
            f"Formatie van Maastricht (Maastrichtien, Laat-Krijt, ca. 66-70 miljoen jaar oud).",
            "en": f"Fossil {part_en} of {_a(taxon.vernacular_en)} from the {member} Member of the "
            "Maastricht Formation (Maastrichtian, Late Cretaceous, about 66-70 million years "
            "old).",
        },
        object_type=OBJECT_TYPES["fossil"].record,
        materials=(MATERIALS["chalk"].record,),
        dimensions=(DimensionRecord(kind=kind, value=size, unit="cm"),),
        dimensions_display=f"l. {str(size).replace('.', ',')} cm",
        credit_line=CREDIT,
        rights_uri=CC0,
        specimen=specimen,
        publish=rng.random() < 0.96,
    )


def specimen_records(count: int, seed: int) -> list[ObjectRecord]:
    rng = random.Random(seed)  # noqa: S311 - demo data, deterministic on purpose
    return [specimen_record(rng, number) for number in range(1, count + 1)]
