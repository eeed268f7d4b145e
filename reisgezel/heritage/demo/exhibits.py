"""Three exhibits (nl and en) that lead a reader through demo objects and words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    heading: tuple[str, str]
    body: tuple[str, str]
    objects: dict[str, Any] = field(default_factory=dict)
    """Filter on the demo's public objects; the first `count` by pid are shown."""
    count: int = 3


@dataclass(frozen=True)
class DemoExhibit:
    slug: str
    title: tuple[str, str]
    summary: tuple[str, str]
    introduction: tuple[str, str]
    curator: str
    sections: tuple[Section, ...]
    cover: str
    """Which generated picture is the cover (see images.py)."""


EXHIBITS = (
    DemoExhibit(
        slug="sphinx-plaats-van-herinnering",
        title=("Sphinx, een plaats van herinnering", "Sphinx, a place of memory"),
        summary=(
            "Hoe een Maastrichtse fabriek de borden van half Europa vulde.",
            "How a Maastricht factory filled the plates of half of Europe.",
        ),
        introduction=(
            "Aan de Maas maakten de fabrieken van Petrus Regout en zijn opvolgers meer dan "
            "een eeuw lang serviesgoed voor gewone huishoudens. Wat bleef er over van "
            "fabriek, werk en merk?",
            "On the Maas, the works of Petrus Regout and his successors made tableware for "
            "ordinary households for more than a century. What remains of the factory, the "
            "work and the brand?",
        ),
        curator="Centre Céramique",
        cover="plate",
        sections=(
            Section(
                ("Drukdecor voor iedereen", "Printed decoration for everyone"),
                (
                    "Met drukdecor kon één gegraveerde koperplaat duizenden borden van "
                    "hetzelfde patroon voorzien. Zo werd versierd servies betaalbaar.",
                    "With transfer printing one engraved copper plate could decorate "
                    "thousands of plates with the same pattern, which made decorated "
                    "tableware affordable.",
                ),
                {"makers__agent__slug": "de-sphinx", "techniques__code": "transfer-printing"},
                4,
            ),
            Section(
                ("Het merk als geheugen", "The mark as memory"),
                (
                    "Het fabrieksmerk op de onderzijde vertelt wie een stuk maakte en, "
                    "ongeveer, wanneer: merken veranderden met de naam van het bedrijf.",
                    "The factory mark on the underside tells who made a piece and, roughly, "
                    "when: marks changed with the name of the firm.",
                ),
                {"makers__agent__slug": "de-sphinx", "object_type__code": "plate"},
                3,
            ),
            Section(
                ("Buren in Wyck", "Neighbours in Wyck"),
                (
                    "Aan de overkant van de Maas werkte Société Céramique; in 1958 gingen de "
                    "twee bedrijven samen.",
                    "Across the Maas, Société Céramique made its wares; in 1958 the two "
                    "firms merged.",
                ),
                {"makers__agent__slug": "societe-ceramique"},
                3,
            ),
        ),
    ),
    DemoExhibit(
        slug="mosasaurus-sint-pietersberg",
        title=("De mosasaurus van de Sint-Pietersberg", "The mosasaur of the Sint-Pietersberg"),
        summary=(
            "Een zeereptiel uit het Krijt, genoemd naar de Maas.",
            "A sea reptile from the Cretaceous, named after the Maas.",
        ),
        introduction=(
            "In de kalksteen van de Sint-Pietersberg vonden groevearbeiders in de achttiende "
            "eeuw een enorme schedel. Het dier kreeg later de naam Mosasaurus: "
            "hagedis van de Maas.",
            "In the limestone of the Sint-Pietersberg, quarrymen found an enormous skull in "
            "the eighteenth century. The animal was later named Mosasaurus: lizard of the "
            "Maas.",
        ),
        curator="Natuurhistorisch Museum Maastricht",
        cover="ammonite",
        sections=(
            Section(
                ("Hagedis van de Maas", "Lizard of the Maas"),
                (
                    "Mosasaurussen waren grote zeereptielen. Hun tanden en wervels zijn de "
                    "meest gevonden resten.",
                    "Mosasaurs were large marine reptiles. Their teeth and vertebrae are the "
                    "remains found most often.",
                ),
                {"specimen__family": "Mosasauridae"},
                4,
            ),
            Section(
                ("De reuzenschildpad", "The giant turtle"),
                (
                    "Allopleuron hoffmanni is een van de grootste bekende zeeschildpadden.",
                    "Allopleuron hoffmanni is one of the largest sea turtles known.",
                ),
                {"specimen__genus": "Allopleuron"},
                2,
            ),
            Section(
                ("Een warme, ondiepe zee", "A warm, shallow sea"),
                (
                    "Ammonieten, belemnieten en zee-egels leefden in dezelfde zee, 66 tot 70 "
                    "miljoen jaar geleden.",
                    "Ammonites, belemnites and sea urchins lived in the same sea, 66 to 70 "
                    "million years ago.",
                ),
                {"specimen__class_name__in": ["Cephalopoda", "Echinoidea"]},
                4,
            ),
        ),
    ),
    DemoExhibit(
        slug="mestreechs-in-alledaagse-voorwerpen",
        title=("Mestreechs in alledaagse voorwerpen", "Mestreechs in everyday objects"),
        summary=(
            "Een tas kaffee en vlaai: woorden bij het servies.",
            "A cup of coffee and vlaai: words for the tableware.",
        ),
        introduction=(
            "Het Maastrichtse dialect heeft eigen woorden voor wat op tafel staat, vaak "
            "met Franse wortels.",
            "The Maastricht dialect has its own words for what is on the table, often with "
            "French roots.",
        ),
        curator="Centre Céramique",
        cover="cup",
        sections=(
            Section(
                ("'n Tas kaffee", "A cup of coffee"),
                (
                    "Een kopje heet in Maastricht een tas, naar het Franse tasse.",
                    "In Maastricht a cup is a tas, after the French tasse.",
                ),
                {"object_type__code": "cup-and-saucer"},
                3,
            ),
            Section(
                ("Vlaai op tafel", "Vlaai on the table"),
                (
                    "Op zondag komt de vlaai op een groot bord of een schaal.",
                    "On Sundays the vlaai comes on a large plate or a dish.",
                ),
                {"object_type__code__in": ["plate", "dish"], "makers__agent__slug": "mosa"},
                3,
            ),
        ),
    ),
)
