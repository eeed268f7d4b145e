# ruff: noqa: E501  (the demo texts are data: one story per line reads best)
"""Demo stories: 60+ residents' stories across Maastricht's real neighbourhoods (the CBS
buurten in the database), some about collection objects (Sphinx ceramics, the
mosasaurus), some about places, a few in English, and the themed collection
"Sphinx, een plek van herinnering". Idempotent: each demo story has a fixed UUID.

The stories are invented; the neighbourhoods, places and objects are the database's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from reisgezel.heritage.models import HeritageObject
from reisgezel.places.models import Neighbourhood, Place
from reisgezel.search.registry import index_later
from reisgezel.stories.locations import locate
from reisgezel.stories.models import (
    About,
    CollectionStory,
    Licence,
    Story,
    StoryState,
    ThemedCollection,
)
from reisgezel.stories.services import STORY_DOC_TYPE

NAMESPACE = uuid.UUID("6f1c0d3e-8d0b-4c8e-9b59-2f0d7c5a1e01")
SPHINX_SLUG = "sphinx-een-plek-van-herinnering"
NAMES = (
    "Mia", "Jo", "Sjef", "Truus", "Fatima", "Lei", "Bas", "Annie", "Youssef", "Mariet",
    "Ger", "Lotte", "Harie", "Noor", "Pierre", "", "Els", "Twan", "Ilse", "Daan",
)  # fmt: skip

# (title, text) per kind. {buurt}: the neighbourhood's name; {place}: the place's name.
OWN_LIFE = (
    (
        "Mijn eerste fiets in {buurt}",
        "Ik leerde fietsen op het pleintje in {buurt}. Mijn vader hield het zadel vast en liet stiekem los. Ik reed alleen door tot aan de bakker. Daar viel ik, maar ik was zo trots.",
    ),
    (
        "Carnaval bij ons in de straat",
        "Met carnaval was heel {buurt} één grote familie. De buurvrouw maakte elk jaar nieuwe pakken voor alle kinderen. Wij liepen mee in de optocht, met een trommel van een oude verfpot.",
    ),
    (
        "Zondag naar oma",
        "Elke zondag liepen we naar oma in {buurt}. Zij had altijd vlaai, en in de zomer zaten we met de hele familie op de stoep. De buren schoven gewoon aan.",
    ),
    (
        "Het Maastrichts van mijn vader",
        "Mijn vader sprak alleen Mestreechs. Op school leerde ik Nederlands, maar thuis in {buurt} praatten we plat. Nu leer ik mijn kinderen de woorden die hij gebruikte.",
    ),
    (
        "Aangekomen in {buurt}",
        "Ik kwam in 1992 naar Maastricht. Ik kende niemand. Een buurvrouw in {buurt} bracht soep en leerde me de weg naar de markt. Zo begon mijn leven hier.",
    ),
    (
        "De winter van het ijs",
        "Die winter vroor de Maas bijna dicht. In {buurt} schaatsten we op de ondergelopen wei. Mijn broer zakte door het ijs, maar gelukkig alleen tot zijn knieën.",
    ),
    (
        "Werken in de fabriek",
        "Mijn moeder werkte dertig jaar in de fabriek. Ze fietste elke ochtend om zes uur vanuit {buurt} naar haar werk. Ze vertelde nooit veel, maar ze was trots op wat ze maakte.",
    ),
    (
        "Spelen op straat",
        "Er reden bijna geen auto's in {buurt}. Wij speelden de hele dag buiten: knikkeren, touwtjespringen, verstoppertje. Als de klok van de kerk zes uur sloeg, moesten we naar huis.",
    ),
)
NEIGHBOURHOOD = (
    (
        "Het plein van {buurt}",
        "Het plein in {buurt} is veranderd, maar de oude kastanjeboom staat er nog. Onder die boom zaten de oude mannen op zondag te kaarten. Nu spelen er kinderen.",
    ),
    (
        "De bakker op de hoek",
        "In {buurt} rook je 's ochtends al van ver het brood van de bakker. Hij kende iedereen bij naam en gaf kinderen altijd een krentenbol mee.",
    ),
    (
        "Buurtfeest in {buurt}",
        "Elk jaar in juni was er een buurtfeest. Er kwam een draaiorgel en iedereen nam eten mee. Zo leerde ik mijn buren pas echt kennen.",
    ),
    (
        "Nieuwe huizen, oude straten",
        "Veel oude huizen in {buurt} zijn gesloopt. Er staan nu nieuwe woningen. Ik mis de oude straten soms, maar er wonen nu weer veel jonge gezinnen.",
    ),
)
PLACE = (
    (
        "Mijn eerste keer in {place}",
        "Ik was tien toen ik voor het eerst in {place} kwam. Het was groot en een beetje spannend. Ik weet nog precies waar ik zat en wat ik zag.",
    ),
    (
        "Optreden in {place}",
        "Met ons koor zongen we in {place}. Ik was zo zenuwachtig dat ik de eerste regel vergat. Het publiek klapte toch heel hard.",
    ),
    (
        "Een middag in {place}",
        "Op regenachtige middagen gingen we naar {place}. Daar was het warm en er was altijd iets te zien. Mijn kinderen praten er nu nog over.",
    ),
)
SPHINX = (
    (
        "De fluit van de Sphinx",
        "Elke ochtend om half zeven klonk de fluit van de Sphinx over de stad. Dan wist iedereen in {buurt}: het werk begint. Mijn opa stond dertig jaar aan de oven.",
    ),
    (
        "Het servies van mijn moeder",
        "Bij ons thuis stond het servies van de Sphinx in de kast. Het mocht alleen op zondag op tafel. Toen mijn moeder overleed, kreeg ik het blauwe bord met de molen.",
    ),
    (
        "Schilderen aan de lopende band",
        "Mijn tante schilderde bloemen op borden. Honderd per dag, zei ze. Ze kon het met haar ogen dicht. In het museum herkende ik haar bloemetjes meteen.",
    ),
    (
        "Het Sphinxkwartier nu",
        "Waar vroeger de fabriek stond, is nu het Sphinxkwartier. Ik loop er graag. Als ik de oude gebouwen zie, hoor ik de verhalen van mijn vader weer.",
    ),
    (
        "Scherven in de tuin",
        "In onze tuin in {buurt} vinden we nog steeds scherven met blauwe motiefjes. Mijn dochter bewaart ze in een koektrommel. Het zijn kleine stukjes geschiedenis.",
    ),
    (
        "Staken bij Regout",
        "Mijn overgrootvader staakte mee in de fabriek van Regout. Het werk was zwaar en het loon laag. In de familie vertellen we dat verhaal nog steeds.",
    ),
    (
        "A plate from the Sphinx",
        "My grandmother brought a Sphinx plate with her when she moved from Maastricht to Canada. It hung in her kitchen for fifty years. Now it is back in the city, in my house in {buurt}.",
    ),
    (
        "Kerst met het kerstbord",
        "Ieder jaar hing mijn oma het kerstbord van de Sphinx aan de muur. Als het bord hing, was het echt kerst. Ik heb de hele reeks verzameld.",
    ),
)
MOSASAURUS = (
    (
        "Op zoek naar de mosasaurus",
        "Als kind zocht ik met mijn vader fossielen in de groeve. We vonden nooit een mosasaurus, wel heel veel zee-egels. In het museum sta ik nog altijd stil bij die enorme kaak.",
    ),
    (
        "Mijn kleinzoon en de mosasaurus",
        "Mijn kleinzoon wil alles weten over de mosasaurus. Samen gingen we naar het Natuurhistorisch Museum. Hij keek een half uur naar de tanden en zei: die is nog groter dan een bus!",
    ),
    (
        "The monster of the Meuse",
        "I first read about the mosasaurus in a school book in Belgium. Moving to Maastricht, I was amazed that it was found just outside the city. Now I take every visitor to see it.",
    ),
)
ENGLISH_OWN = (
    (
        "Studying in Maastricht",
        "I came to Maastricht as a student and never left. My first room was in {buurt}, above a bakery. The smell of fresh bread woke me every morning.",
    ),
    (
        "Learning Dutch at the market",
        "I learnt my first Dutch words at the Friday market. The cheese seller in {buurt} was patient and laughed at my mistakes. Now we talk about football every week.",
    ),
)


@dataclass
class StoriesDemoReport:
    created: int = 0
    updated: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"Stories: {self.created} created, {self.updated} updated.", *self.notes]


@dataclass(frozen=True)
class _Spec:
    key: str
    title: str
    text: str
    about: str
    language: str = "nl"
    neighbourhood: Neighbourhood | None = None
    place: Place | None = None
    heritage_object: HeritageObject | None = None
    home_point: tuple[Decimal, Decimal] | None = None
    sphinx: bool = False


def _home_point(neighbourhood: Neighbourhood, n: int) -> tuple[Decimal, Decimal] | None:
    """A point inside the buurt, a little away from its representative point (an
    invented home address, to show that the map never reveals it)."""
    if not neighbourhood.geometry:
        return None
    polygon = shape(neighbourhood.geometry)
    inside = polygon.representative_point()
    for step in (0.0008, 0.0004, 0.0002):
        candidate = Point(inside.x + step * (1 + n % 3), inside.y + step)
        if polygon.covers(candidate):
            return Decimal(f"{candidate.y:.6f}"), Decimal(f"{candidate.x:.6f}")
    return None


def _specs() -> list[_Spec]:
    buurten = list(Neighbourhood.objects.order_by("code"))
    places = list(Place.objects.filter(is_private=False).order_by("pk")[:12])
    sphinx_objects = list(
        HeritageObject.objects.filter(is_public=True, makers__agent__slug="de-sphinx")
        .order_by("pk")
        .distinct()[:8]
    )
    mosasaurs = list(
        HeritageObject.objects.filter(is_public=True, specimen__genus="Mosasaurus").order_by("pk")[
            :3
        ]
    )

    def buurt(n: int) -> Neighbourhood | None:
        return buurten[(n * 7) % len(buurten)] if buurten else None

    def name_of(b: Neighbourhood | None) -> str:
        return b.name if b else "Maastricht"

    specs: list[_Spec] = []
    for n in range(24):  # own life, some with a home location
        title, text = OWN_LIFE[n % len(OWN_LIFE)]
        b = buurt(n)
        home = _home_point(b, n) if b is not None and n % 3 == 0 else None
        specs.append(
            _Spec(f"own-{n}", title.format(buurt=name_of(b)), text.format(buurt=name_of(b)),
                  About.OWN_LIFE, neighbourhood=b, home_point=home)
        )  # fmt: skip
    for n in range(16):
        title, text = NEIGHBOURHOOD[n % len(NEIGHBOURHOOD)]
        b = buurt(n + 30)
        specs.append(
            _Spec(f"buurt-{n}", title.format(buurt=name_of(b)), text.format(buurt=name_of(b)),
                  About.NEIGHBOURHOOD, neighbourhood=b)
        )  # fmt: skip
    for n, place in enumerate(places):
        title, text = PLACE[n % len(PLACE)]
        specs.append(
            _Spec(f"place-{n}", title.format(place=place.name), text.format(place=place.name),
                  About.PLACE, place=place)
        )  # fmt: skip
    for n, (title, text) in enumerate(SPHINX):
        obj = sphinx_objects[n % len(sphinx_objects)] if sphinx_objects else None
        b = buurt(n + 60)
        specs.append(
            _Spec(f"sphinx-{n}", title, text.format(buurt=name_of(b)),
                  About.OBJECT if obj else About.OWN_LIFE, language="en" if "plate" in title else "nl",
                  neighbourhood=b, heritage_object=obj, sphinx=True)
        )  # fmt: skip
    for n, (title, text) in enumerate(MOSASAURUS):
        obj = mosasaurs[n % len(mosasaurs)] if mosasaurs else None
        specs.append(
            _Spec(f"mosasaurus-{n}", title, text, About.OBJECT if obj else About.OWN_LIFE,
                  language="en" if title.startswith("The") else "nl", heritage_object=obj,
                  neighbourhood=buurt(n + 80))
        )  # fmt: skip
    for n, (title, text) in enumerate(ENGLISH_OWN):
        b = buurt(n + 90)
        specs.append(
            _Spec(f"en-{n}", title, text.format(buurt=name_of(b)), About.OWN_LIFE, language="en",
                  neighbourhood=b)
        )  # fmt: skip
    # Top up to at least 60 with more stories of everyday life.
    n = 0
    while len(specs) < 62:
        title, text = OWN_LIFE[(n + 3) % len(OWN_LIFE)]
        b = buurt(n + 100)
        specs.append(
            _Spec(f"extra-{n}", title.format(buurt=name_of(b)), text.format(buurt=name_of(b)),
                  About.OWN_LIFE, neighbourhood=b)
        )  # fmt: skip
        n += 1
    return specs


def _values(spec: _Spec, n: int) -> dict[str, Any]:
    published_at = timezone.now() - timedelta(days=3 * n + 1, hours=n)
    return {
        "title": spec.title,
        "text": spec.text,
        "language": spec.language,
        "display_name": NAMES[n % len(NAMES)],
        "contributor_email": "",
        "email_confirmed_at": published_at,
        "licence": (Licence.CC_BY, Licence.CC_BY_SA, Licence.SITE_ONLY)[n % 3],
        "people_consent": True,
        "about": spec.about,
        "place": spec.place,
        "neighbourhood": spec.neighbourhood,
        "heritage_object": spec.heritage_object,
        "latitude": spec.home_point[0] if spec.home_point else None,
        "longitude": spec.home_point[1] if spec.home_point else None,
        "is_home_location": spec.home_point is not None,
        "state": StoryState.PUBLISHED,
        "submitted_at": published_at,
        "published_at": published_at,
    }


@transaction.atomic
def load_stories_demo() -> StoriesDemoReport:
    report = StoriesDemoReport()
    if not Neighbourhood.objects.exists():
        report.notes.append("No neighbourhoods in the database: run load_demo_data first.")
    sphinx_ids: list[int] = []
    ids: list[int] = []
    for n, spec in enumerate(_specs()):
        story = Story.objects.filter(uuid=uuid.uuid5(NAMESPACE, spec.key)).first()
        if story is None:
            story = Story(uuid=uuid.uuid5(NAMESPACE, spec.key))
            report.created += 1
        else:
            report.updated += 1
        for name, value in _values(spec, n).items():
            setattr(story, name, value)
        locate(story)
        story.save()
        ids.append(story.pk)
        if spec.sphinx:
            sphinx_ids.append(story.pk)
    collection, _created = ThemedCollection.objects.update_or_create(
        slug=SPHINX_SLUG,
        defaults={
            "title": {"nl": "Sphinx, een plek van herinnering", "en": "Sphinx, a place of memory"},
            "introduction": {
                "nl": "Meer dan honderd jaar maakte de Sphinx aardewerk in Maastricht. "
                "Bewoners vertellen over het werk in de fabriek, over het servies thuis en "
                "over het Sphinxkwartier van nu.",
                "en": "For more than a century the Sphinx made pottery in Maastricht. Residents "
                "tell about the work in the factory, the tableware at home and today's "
                "Sphinx quarter.",
            },
            "is_public": True,
        },
    )
    for position, story_id in enumerate(sphinx_ids):
        CollectionStory.objects.update_or_create(
            collection=collection, story_id=story_id, defaults={"position": position}
        )
    index_later(STORY_DOC_TYPE, ids)
    report.notes.append(f'Themed collection "{collection.slug}": {len(sphinx_ids)} stories.')
    return report
