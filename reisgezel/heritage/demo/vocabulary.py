"""Collections, vocabularies and agents of the demo, with external URIs only where we
are sure of them (the rest stays empty rather than guessed; see docs/heritage-admin.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    Collection,
    CollectionKind,
    Concept,
    ConceptScheme,
)
from reisgezel.heritage.records import AgentRecord, ConceptRecord

MAASTRICHT_WIKIDATA = "http://www.wikidata.org/entity/Q1309"
PORCELAIN_AAT = "http://vocab.getty.edu/aat/300010662"

COLLECTIONS = (
    {
        "code": "ceramics",
        "kind": CollectionKind.CERAMICS,
        "name": {"nl": "Maastrichts aardewerk en porselein", "en": "Maastricht ceramics"},
        "description": {
            "nl": "Serviesgoed en siervoorwerpen van de Maastrichtse fabrieken Petrus Regout "
            "(De Sphinx), Société Céramique en Mosa, van de negentiende eeuw tot nu.",
            "en": "Tableware and decorative pieces from the Maastricht factories Petrus "
            "Regout (De Sphinx), Société Céramique and Mosa, from the nineteenth century on.",
        },
        "institution": "Centre Céramique",
        "position": 1,
    },
    {
        "code": "natural-history",
        "kind": CollectionKind.NATURAL_HISTORY,
        "name": {"nl": "Fossielen uit het Maastrichtien", "en": "Fossils of the Maastrichtian"},
        "description": {
            "nl": "Fossielen uit de Formatie van Maastricht: mosasauriërs, de reuzenschildpad "
            "Allopleuron, ammonieten, belemnieten, zee-egels, schelpen en haaientanden.",
            "en": "Fossils from the Maastricht Formation: mosasaurs, the giant turtle "
            "Allopleuron, ammonites, belemnites, sea urchins, shells and shark teeth.",
        },
        "institution": "Natuurhistorisch Museum Maastricht",
        "position": 2,
    },
)


@dataclass(frozen=True)
class Term:
    scheme: str
    code: str
    nl: str
    en: str
    uri: str = ""

    @property
    def record(self) -> ConceptRecord:
        return ConceptRecord(
            scheme=self.scheme, label={"nl": self.nl, "en": self.en}, uri=self.uri, code=self.code
        )


def _terms(scheme: str, rows: list[tuple[str, str, str]]) -> dict[str, Term]:
    return {code: Term(scheme, code, nl, en) for code, nl, en in rows}


OBJECT_TYPES = _terms(
    ConceptScheme.OBJECT_TYPE,
    [
        ("plate", "bord", "plate"),
        ("soup-plate", "diep bord", "soup plate"),
        ("dish", "schaal", "dish"),
        ("cup-and-saucer", "kop en schotel", "cup and saucer"),
        ("jug", "kan", "jug"),
        ("tureen", "terrine", "tureen"),
        ("vase", "vaas", "vase"),
        ("tile", "tegel", "tile"),
        ("fossil", "fossiel", "fossil"),
    ],
)
MATERIALS = {
    "earthenware": Term(ConceptScheme.MATERIAL, "earthenware", "aardewerk", "earthenware"),
    "porcelain": Term(ConceptScheme.MATERIAL, "porcelain", "porselein", "porcelain", PORCELAIN_AAT),
    "stoneware": Term(ConceptScheme.MATERIAL, "stoneware", "steengoed", "stoneware"),
    "chalk": Term(ConceptScheme.MATERIAL, "chalk", "kalksteen (mergel)", "chalk (limestone)"),
}
TECHNIQUES = _terms(
    ConceptScheme.TECHNIQUE,
    [
        ("transfer-printing", "drukdecor", "transfer printing"),
        ("hand-painting", "handbeschildering", "hand-painting"),
        ("sponge-decoration", "sponsdecor", "sponge decoration"),
    ],
)
SUBJECTS = {
    "maastricht": Term(
        ConceptScheme.SUBJECT, "maastricht", "Maastricht", "Maastricht", MAASTRICHT_WIKIDATA
    ),
    **_terms(
        ConceptScheme.SUBJECT,
        [
            ("landscape", "landschap", "landscape"),
            ("flowers", "bloemen", "flowers"),
            ("chinoiserie", "chinoiserie", "chinoiserie"),
            ("tableware", "serviesgoed", "tableware"),
        ],
    ),
}


@dataclass(frozen=True)
class DemoAgent:
    slug: str
    name: str
    kind: str
    dates: str
    birth: int | None
    death: int | None
    biography_nl: str
    biography_en: str
    sort_name: str = ""

    @property
    def record(self) -> AgentRecord:
        return AgentRecord(
            name=self.name,
            kind=self.kind,
            sort_name=self.sort_name,
            dates_display=self.dates,
            birth_year=self.birth,
            death_year=self.death,
        )


ORG, PERSON = AgentKind.ORGANISATION, AgentKind.PERSON
AGENTS = {
    "regout": DemoAgent(
        "petrus-regout",
        "Petrus Regout",
        PERSON,
        "1801-1878",
        1801,
        1878,
        "Maastrichtse ondernemer; zijn fabrieken aan de Maas maakten vanaf de jaren 1830 "
        "glas en aardewerk.",
        "Maastricht industrialist whose works on the Maas made glass and pottery from the "
        "1830s on.",
        sort_name="Regout, Petrus",
    ),
    "sphinx": DemoAgent(
        "de-sphinx",
        "De Sphinx (Petrus Regout & Co)",
        ORG,
        "1834-1969",
        1834,
        1969,
        "Aardewerkfabriek van Petrus Regout en zijn opvolgers, later bekend als De Sphinx.",
        "Pottery works of Petrus Regout and his successors, later known as De Sphinx.",
    ),
    "ceramique": DemoAgent(
        "societe-ceramique",
        "Société Céramique",
        ORG,
        "1851-1958",
        1851,
        1958,
        "Aardewerkfabriek in Wyck, Maastricht; ging in 1958 samen met De Sphinx.",
        "Pottery works in Wyck, Maastricht; merged with De Sphinx in 1958.",
    ),
    "mosa": DemoAgent(
        "mosa",
        "Mosa",
        ORG,
        "1883-",
        1883,
        None,
        "Porseleinfabriek, in 1883 in Maastricht opgericht door Louis Regout.",
        "Porcelain works founded in Maastricht in 1883 by Louis Regout.",
    ),
    "louis": DemoAgent(
        "louis-regout",
        "Louis Regout",
        PERSON,
        "1861-1915",
        1861,
        1915,
        "Oprichter van de porseleinfabriek Mosa (1883).",
        "Founder of the Mosa porcelain works (1883).",
        sort_name="Regout, Louis",
    ),
}
INSTITUTIONS = ("Centre Céramique", "Natuurhistorisch Museum Maastricht")


def ensure_collections() -> int:
    created = 0
    for values in COLLECTIONS:
        _obj, was_created = Collection.objects.get_or_create(
            code=values["code"], defaults={k: v for k, v in values.items() if k != "code"}
        )
        created += was_created
    return created


def ensure_vocabulary() -> int:
    created = 0
    for term in (
        *OBJECT_TYPES.values(),
        *MATERIALS.values(),
        *TECHNIQUES.values(),
        *SUBJECTS.values(),
    ):
        _obj, was_created = Concept.objects.get_or_create(
            scheme=term.scheme,
            code=term.code,
            defaults={"label": {"nl": term.nl, "en": term.en}, "uri": term.uri},
        )
        created += was_created
    return created


def ensure_agents() -> int:
    """Makers with biographies, and the two institutions (the collections' owners)."""
    created = 0
    for agent in AGENTS.values():
        _obj, was_created = Agent.objects.get_or_create(
            slug=agent.slug,
            defaults={
                "name": agent.name,
                "kind": agent.kind,
                "sort_name": agent.sort_name,
                "dates_display": agent.dates,
                "birth_year": agent.birth,
                "death_year": agent.death,
                "biography": {"nl": agent.biography_nl, "en": agent.biography_en},
            },
        )
        created += was_created
    for name in INSTITUTIONS:
        _obj, was_created = Agent.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "kind": ORG}
        )
        created += was_created
    return created
