"""Partner organisations of the demo: the three houses and other real Maastricht players.

Neighbourhood amateur groups at the end are fictitious demo groups (their names say
where they are); everything else is a real, public institution.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    kind: str
    home: str  # venue key
    disciplines: tuple[str, ...]
    trusted: bool = False
    website: str = ""
    description_nl: str = ""
    description_en: str = ""

    @property
    def editor_username(self) -> str:
        return f"editor-{self.key}"


HOUSES = ("ceramique", "nhmm", "kumulus")

ORGANISATIONS: list[Org] = [
    Org(
        "ceramique",
        "Centre Céramique",
        "house",
        "ceramique",
        ("literature", "ceramics", "heritage", "dialect", "music", "photography"),
        True,
        "https://www.centreceramique.nl",
        "Bibliotheek en kenniscentrum van Maastricht, met de aardewerkcollectie van Sphinx, "
        "Société Céramique en Mosa.",
        "Maastricht's library and knowledge centre, with the earthenware collection of Sphinx, "
        "Société Céramique and Mosa.",
    ),
    Org(
        "nhmm",
        "Natuurhistorisch Museum Maastricht",
        "house",
        "nhmm",
        ("nature", "science", "heritage"),
        True,
        "https://www.nhmmaastricht.nl",
        "Ruim 550.000 objecten over de natuur van Limburg; onderzoek in de ENCI-groeve.",
        "Some 550,000 objects on Limburg's natural history; research in the ENCI quarry.",
    ),
    Org(
        "kumulus",
        "Kumulus",
        "house",
        "kumulus",
        ("music", "dance", "theatre", "visual-arts", "literature", "photography"),
        True,
        "https://www.kumulus.nl",
        "Kunsteducatie en steun voor amateurkunst: muziek, dans, theater, beeldend, schrijven.",
        "Arts education and support for amateur arts: music, dance, theatre, visual arts, writing.",
    ),
    Org(
        "tavv",
        "Theater aan het Vrijthof",
        "venue",
        "tavv",
        ("theatre", "music", "dance"),
        True,
        "https://www.theateraanhetvrijthof.nl",
    ),
    Org(
        "philzuid",
        "philharmonie zuidnederland",
        "institution",
        "tavv",
        ("music",),
        True,
        "https://www.philzuid.nl",
        "Symfonieorkest van Zuid-Nederland.",
        "The symphony orchestra of the southern Netherlands.",
    ),
    Org(
        "toneelgroep",
        "Toneelgroep Maastricht",
        "company",
        "tavv",
        ("theatre",),
        False,
        "https://www.toneelgroepmaastricht.nl",
    ),
    Org(
        "muziekgieterij",
        "Muziekgieterij",
        "venue",
        "muziekgieterij",
        ("music", "festival"),
        True,
        "https://www.muziekgieterij.nl",
    ),
    Org(
        "lumiere", "Lumière Cinema", "venue", "lumiere", ("film",), False, "https://www.lumiere.nl"
    ),
    Org(
        "bonnefanten",
        "Bonnefanten",
        "institution",
        "bonnefanten",
        ("visual-arts", "design", "photography"),
        True,
        "https://www.bonnefanten.nl",
    ),
    Org(
        "marres",
        "Marres, Huis voor Hedendaagse Cultuur",
        "institution",
        "marres",
        ("visual-arts", "design"),
        False,
        "https://www.marres.org",
    ),
    Org(
        "bureaueuropa",
        "Bureau Europa",
        "institution",
        "timmerfabriek",
        ("design", "photography"),
        False,
        "https://www.bureau-europa.nl",
    ),
    Org(
        "sintjan",
        "Sint-Janskerk",
        "venue",
        "sintjan",
        ("music", "heritage"),
        False,
        "https://www.sintjanskerk.nl",
    ),
    Org(
        "servaas",
        "Basiliek van Sint Servaas",
        "venue",
        "servaas",
        ("heritage", "music"),
        False,
        "https://www.sintservaas.nl",
    ),
    Org(
        "landbouwbelang",
        "Landbouwbelang",
        "association",
        "landbouwbelang",
        ("music", "visual-arts", "festival", "film"),
        False,
        "https://www.landbouwbelang.org",
    ),
    Org("bonbonniere", "De Bonbonnière", "venue", "bonbonniere", ("theatre", "music"), False),
    Org(
        "vrijthofmuseum",
        "Museum aan het Vrijthof",
        "institution",
        "vrijthofmuseum",
        ("visual-arts", "heritage"),
        False,
        "https://www.museumaanhetvrijthof.nl",
    ),
    Org(
        "rhcl",
        "Regionaal Historisch Centrum Limburg",
        "institution",
        "rhcl",
        ("heritage", "literature"),
        False,
        "https://www.rhcl.nl",
    ),
    Org(
        "studiumgenerale",
        "Studium Generale Maastricht University",
        "education",
        "minderbroedersberg",
        ("science", "literature"),
        False,
        "https://www.maastrichtuniversity.nl",
    ),
    Org(
        "conservatorium",
        "Conservatorium Maastricht",
        "education",
        "conservatorium",
        ("music",),
        False,
        "https://www.zuyd.nl",
    ),
    Org(
        "toneelacademie",
        "Toneelacademie Maastricht",
        "education",
        "toneelacademie",
        ("theatre", "dance"),
        False,
        "https://www.zuyd.nl",
    ),
    Org(
        "staar",
        "Mastreechter Staar",
        "association",
        "tavv",
        ("music", "dialect"),
        False,
        "https://www.mastreechterstaar.nl",
        "Het bekende Maastrichtse mannenkoor.",
        "Maastricht's well-known male voice choir.",
    ),
    Org(
        "underground",
        "Maastricht Underground",
        "company",
        "underground",
        ("heritage", "nature"),
        False,
        "https://www.maastrichtunderground.nl",
    ),
    # Fictitious neighbourhood groups (demo only), so that amateur arts reach the wijken.
    Org(
        "koormalberg",
        "Buurtkoor Malberg",
        "association",
        "malberg",
        ("music", "dialect"),
        description_nl="Demo: een zingend buurtkoor in Malberg.",
        description_en="Demo: a neighbourhood choir in Malberg.",
    ),
    Org(
        "harmonieheer",
        "Buurtharmonie Heer",
        "association",
        "heer",
        ("music", "festival"),
        description_nl="Demo: een harmonieorkest uit Heer.",
        description_en="Demo: a wind band from Heer.",
    ),
    Org(
        "atelierwvv",
        "Buurtatelier Wittevrouwenveld",
        "association",
        "wittevrouwenveld",
        ("visual-arts", "photography", "ceramics"),
        description_nl="Demo: een open atelier voor buurtbewoners.",
        description_en="Demo: an open studio for residents.",
    ),
]
