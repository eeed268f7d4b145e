"""Texts for the generated demo events, per discipline (Dutch and English; some German
and French). A title is a template filled with a subject; subjects that are proper
names are the same in every language (a str), others are (nl, en) pairs."""

from __future__ import annotations

from dataclasses import dataclass

Subject = str | tuple[str, str]


@dataclass(frozen=True)
class Discipline:
    code: str
    templates: tuple[tuple[str, ...], ...]  # (nl, en) or (nl, en, de, fr)
    subjects: tuple[Subject, ...]
    blurb: tuple[str, str]
    themes: tuple[str, ...]
    hours: tuple[int, ...] = (20,)
    minutes: int = 120


DISCIPLINES: tuple[Discipline, ...] = (
    Discipline(
        "music",
        (
            (
                "Kamermuziek: {x}",
                "Chamber music: {x}",
                "Kammermusik: {x}",
                "Musique de chambre : {x}",
            ),
            ("Lunchconcert: {x}", "Lunchtime concert: {x}"),
            ("Concert: {x}", "Concert: {x}"),
        ),
        (
            "Brahms en Schumann",
            "Bach in de kerk",
            "Franck en Ysaÿe",
            "Debussy en Ravel",
            ("liederen uit Limburg", "songs from Limburg"),
            ("nieuwe Maastrichtse componisten", "new composers from Maastricht"),
            ("strijkkwartetten van Haydn", "Haydn's string quartets"),
            ("jazz uit de Euregio", "jazz from the Euregio"),
            ("singer-songwriters", "singer-songwriters"),
            ("het orgel van de Sint-Jan", "the organ of St John's"),
        ),
        (
            "Live muziek dichtbij, met musici uit de stad en de Euregio.",
            "Live music up close, with musicians from the city and the Euregio.",
        ),
        ("concert",),
        (12, 15, 20),
        90,
    ),
    Discipline(
        "dance",
        (
            ("Dansvoorstelling: {x}", "Dance performance: {x}"),
            ("Dansles voor iedereen: {x}", "Dance class for everyone: {x}"),
        ),
        (
            ("hedendaagse dans", "contemporary dance"),
            "hiphop",
            "tango",
            "flamenco",
            ("ballet voor beginners", "ballet for beginners"),
            ("dansen met 60-plussers", "dancing over 60"),
            "breakdance",
            ("volksdansen uit Limburg", "folk dances of Limburg"),
        ),
        (
            "Bewegen, kijken en meedoen: dans voor elk niveau.",
            "Watch, move and join in: dance for every level.",
        ),
        ("workshop",),
        (14, 19, 20),
        90,
    ),
    Discipline(
        "theatre",
        (
            ("Voorstelling: {x}", "Performance: {x}"),
            ("Theater in de buurt: {x}", "Theatre in the neighbourhood: {x}"),
        ),
        (
            ("Het huis aan de Maas", "The house on the Maas"),
            ("De laatste pottenbakker", "The last potter"),
            ("Vastelaovend achter de schermen", "Carnival backstage"),
            ("Een stad onder de grond", "A city underground"),
            ("Mijn moeder de mijnwerker", "My mother the miner"),
            ("Kleine Zeemeermin", "The Little Mermaid"),
            ("Improvisatietheater", "Improv theatre"),
            ("Monologen uit Wyck", "Monologues from Wyck"),
        ),
        (
            "Theater van makers uit Maastricht, over de stad en haar mensen.",
            "Theatre by Maastricht makers, about the city and its people.",
        ),
        (),
        (15, 20),
        100,
    ),
    Discipline(
        "literature",
        (
            ("Lezing en signeersessie: {x}", "Reading and book signing: {x}"),
            ("Leesclub: {x}", "Book club: {x}"),
            ("Schrijfworkshop: {x}", "Writing workshop: {x}"),
        ),
        (
            ("poëzie uit Limburg", "poetry from Limburg"),
            ("de roman van de Maas", "the novel of the Maas"),
            ("jeugdboeken", "children's books"),
            ("Europese literatuur", "European literature"),
            ("korte verhalen", "short stories"),
            ("schrijven over je buurt", "writing about your neighbourhood"),
            ("Maastricht in de literatuur", "Maastricht in literature"),
        ),
        (
            "Over boeken en schrijven, met auteurs en lezers uit de stad.",
            "On books and writing, with authors and readers from the city.",
        ),
        ("talk",),
        (14, 19, 20),
        90,
    ),
    Discipline(
        "visual-arts",
        (
            ("Workshop schilderen: {x}", "Painting workshop: {x}"),
            ("Kunstenaarsgesprek: {x}", "Artist talk: {x}"),
            ("Open atelier: {x}", "Open studio: {x}"),
        ),
        (
            ("aquarel", "watercolour"),
            ("portret", "portraiture"),
            ("de Maas in kleur", "the Maas in colour"),
            ("abstract werk", "abstract work"),
            ("grafiek", "printmaking"),
            ("beeldhouwen in mergel", "carving marlstone"),
            ("tekenen in het museum", "drawing in the museum"),
        ),
        (
            "Kijken naar kunst en zelf aan de slag, voor beginners en gevorderden.",
            "Look at art and make your own, for beginners and the experienced.",
        ),
        ("workshop",),
        (10, 14, 19),
        150,
    ),
    Discipline(
        "film",
        (
            ("Film: {x}", "Film: {x}", "Film: {x}", "Film : {x}"),
            ("Filmavond: {x}", "Film night: {x}"),
        ),
        (
            ("Limburgse korte films", "short films from Limburg"),
            ("Europese klassiekers", "European classics"),
            ("documentaire over de ENCI-groeve", "documentary on the ENCI quarry"),
            ("jeugdfilm", "children's film"),
            ("stomme film met live piano", "silent film with live piano"),
            ("debuutfilms", "debut films"),
        ),
        (
            "Films in de zaal, met een inleiding of nagesprek.",
            "Films on the big screen, with an introduction or a talk afterwards.",
        ),
        (),
        (14, 19, 21),
        120,
    ),
    Discipline(
        "heritage",
        (
            ("Rondleiding: {x}", "Guided tour: {x}", "Führung: {x}", "Visite guidée : {x}"),
            ("Verhalen van Maastricht: {x}", "Stories of Maastricht: {x}"),
        ),
        (
            "Helpoort",
            "Sint-Servaasbrug",
            "Kazematten",
            "Onze Lieve Vrouwebasiliek",
            "Stokstraatkwartier",
            "Jekerkwartier",
            "Sint-Pietersberg",
            "Sphinxkwartier",
        ),
        (
            "Over de geschiedenis van de stad, de stenen en de mensen.",
            "On the history of the city, its stones and its people.",
        ),
        ("history-of-maastricht", "guided-tour"),
        (11, 14),
        90,
    ),
    Discipline(
        "nature",
        (
            (
                "Natuurwandeling: {x}",
                "Nature walk: {x}",
                "Naturwanderung: {x}",
                "Balade nature : {x}",
            ),
            ("Natuur in de stad: {x}", "Nature in the city: {x}"),
        ),
        (
            "Sint-Pietersberg",
            "Jekerdal",
            "Hoge Fronten",
            "Maasoevers",
            "Frontenpark",
            "Lage Fronten",
        ),
        (
            "Met een gids de natuur van Maastricht ontdekken.",
            "Discover Maastricht's nature with a guide.",
        ),
        ("guided-tour",),
        (10, 14),
        120,
    ),
    Discipline(
        "science",
        (("Lezing: {x}", "Lecture: {x}"), ("Wetenschapscafé: {x}", "Science café: {x}")),
        (
            ("de mosasaurus en zijn tijd", "the mosasaur and its time"),
            ("klimaat en de Maas", "climate and the Maas"),
            ("het brein", "the brain"),
            ("fossielen uit het Krijt", "fossils from the Cretaceous"),
            ("kunstmatige intelligentie", "artificial intelligence"),
            ("vleermuizen in de groeven", "bats in the quarries"),
        ),
        (
            "Wetenschap voor iedereen: onderzoekers vertellen over hun werk.",
            "Science for everyone: researchers talk about their work.",
        ),
        ("talk",),
        (19, 20),
        90,
    ),
    Discipline(
        "ceramics",
        (
            ("Keramiekworkshop: {x}", "Ceramics workshop: {x}"),
            ("Verhalen achter het aardewerk: {x}", "Stories behind the earthenware: {x}"),
        ),
        (
            "Sphinx",
            "Société Céramique",
            "Mosa",
            ("draaien op de schijf", "throwing on the wheel"),
            ("glazuren", "glazing"),
            ("tegels beschilderen", "painting tiles"),
        ),
        (
            "Klei, glazuur en de geschiedenis van het Maastrichtse aardewerk.",
            "Clay, glaze and the history of Maastricht earthenware.",
        ),
        ("workshop",),
        (10, 14),
        150,
    ),
    Discipline(
        "photography",
        (("Fotowandeling: {x}", "Photo walk: {x}"), ("Fotografie: {x}", "Photography: {x}")),
        (
            ("licht op de Maas", "light on the Maas"),
            ("straatfotografie", "street photography"),
            ("portretten van buren", "portraits of neighbours"),
            ("de stad bij nacht", "the city by night"),
            ("analoog fotograferen", "analogue photography"),
        ),
        (
            "Kijken, fotograferen en bespreken, met een fotograaf als gids.",
            "Look, shoot and discuss, guided by a photographer.",
        ),
        ("workshop",),
        (10, 15, 19),
        120,
    ),
    Discipline(
        "design",
        (
            ("Designlezing: {x}", "Design talk: {x}"),
            ("Architectuurwandeling: {x}", "Architecture walk: {x}"),
        ),
        (
            ("de stad van morgen", "the city of tomorrow"),
            ("hergebruik van materialen", "reusing materials"),
            ("Céramique-wijk", "the Céramique district"),
            ("grafisch ontwerp", "graphic design"),
            ("wonen in Wyck", "living in Wyck"),
        ),
        ("Over ontwerp, architectuur en de stad.", "On design, architecture and the city."),
        ("talk",),
        (15, 19),
        90,
    ),
    Discipline(
        "dialect",
        (
            ("Mestreechs veur beginners: {x}", "Maastricht dialect for beginners: {x}"),
            ("Dialectavond: {x}", "Dialect evening: {x}"),
        ),
        (
            ("verhalen en versjes", "stories and rhymes"),
            ("liedjes van de stad", "songs of the city"),
            ("het woordenboek", "the dictionary"),
            ("Vastelaovend-leedsjes", "carnival songs"),
            ("ut Mestreechs vanaaf", "from scratch"),
        ),
        (
            "Het Maastrichts (Mestreechs): spreken, zingen en lezen.",
            "The Maastricht dialect (Mestreechs): speaking, singing and reading.",
        ),
        ("history-of-maastricht",),
        (14, 19),
        90,
    ),
    Discipline(
        "festival",
        (("Festival: {x}", "Festival: {x}"), ("Buurtfeest: {x}", "Neighbourhood festival: {x}")),
        (
            ("muziek op het plein", "music on the square"),
            ("cultuur in de wijk", "culture in the neighbourhood"),
            ("jong talent", "young talent"),
            ("koren en harmonieën", "choirs and wind bands"),
            ("kunstroute", "art route"),
        ),
        (
            "Een dag vol cultuur voor jong en oud, buiten en binnen.",
            "A day full of culture for young and old, outdoors and in.",
        ),
        ("amateur-arts",),
        (12, 14),
        300,
    ),
)

TARIFFS = (
    ({"nl": "CJP", "en": "CJP"}, "cjp"),
    ({"nl": "Tot 18 jaar", "en": "Under 18"}, "youth"),
    ({"nl": "Studenten", "en": "Students"}, "student"),
    ({"nl": "65-plus", "en": "Over 65"}, "senior"),
)
