"""Hand-written demo events of the three houses: permanent collections, exhibitions,
weekly series, highlights, and a cancelled and a postponed one."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from reisgezel.agenda.demo.spec import Context, DemoEvent, tariffs
from reisgezel.agenda.inputs import EventInput, OpeningInput

_TUE_SUN = [OpeningInput(day, time(11), time(17)) for day in range(1, 7)]
_YOUTH = ({"nl": "Tot 18 jaar", "en": "Under 18"}, "0.00")
_CJP = ({"nl": "CJP", "en": "CJP"}, "5.50")
_STUDENT = ({"nl": "Studenten", "en": "Students"}, "5.50")
_FACILITIES = ["wheelchair-accessible", "accessible-toilet", "assistance-dogs"]


def _exhibition(ctx: Context, **values: object) -> EventInput:
    first = ctx.today - timedelta(days=20)
    defaults: dict[str, object] = {
        "calendar_type": "periodic",
        "weekly": _TUE_SUN,
        "period_start": first,
        "period_end": ctx.today + timedelta(days=80),
        "closed_on_public_holidays": True,
        # Closed for a day to change the displays: an exception in the opening hours.
        "exception_dates": [ctx.today + timedelta(days=ctx.next_weekday(2) + 14)],
        "themes": ["exhibition"],
        "languages": ["nl", "en"],
    }
    defaults.update(values)
    return EventInput(**defaults)  # type: ignore[arg-type]


def _series(
    ctx: Context, weekday: int, hour: int, minutes: int, rrule: str, **values: object
) -> EventInput:
    defaults: dict[str, object] = {
        "calendar_type": "periodic",
        "rrule": rrule,
        "period_start": ctx.today,
        "period_end": ctx.today + timedelta(days=90),
        "time_slots": [ctx.slot(ctx.next_weekday(weekday), hour, minutes)],
        "languages": ["nl"],
    }
    defaults.update(values)
    return EventInput(**defaults)  # type: ignore[arg-type]


def nhmm_events(ctx: Context) -> list[DemoEvent]:
    place = ctx.places["nhmm"]
    return [
        DemoEvent(
            "nhmm-mosasaurs",
            "nhmm",
            EventInput(
                title={
                    "nl": "Bèr en Lars: de mosasaurussen van Maastricht",
                    "en": "Bèr and Lars: the mosasaurs of Maastricht",
                    "de": "Bèr und Lars: die Mosasaurier von Maastricht",
                    "fr": "Bèr et Lars : les mosasaures de Maastricht",
                },
                summary={
                    "nl": "De vaste collectie: de mosasaurussen Bèr en Lars en de reuzenschildpad.",
                    "en": "The permanent collection: mosasaurs Bèr and Lars, and the giant turtle.",
                },
                description={
                    "nl": "Ontmoet Bèr (Prognathodon saturator) en Lars (Mosasaurus hoffmanni), "
                    "twee "
                    "mosasaurussen uit de Maastrichtse mergel, en de reuzenschildpad Allopleuron "
                    "hofmanni. Ontdek hoe de zee hier 66 miljoen jaar geleden leefde.",
                    "en": "Meet Bèr (Prognathodon saturator) and Lars (Mosasaurus hoffmanni), two "
                    "mosasaurs from the marl of Maastricht, and the giant turtle Allopleuron "
                    "hofmanni. Discover the sea that lived here 66 million years ago.",
                    "de": "Die Dauerausstellung mit den Mosasauriern Bèr und Lars.",
                    "fr": "L'exposition permanente avec les mosasaures Bèr et Lars.",
                },
                calendar_type="permanent",
                weekly=_TUE_SUN,
                closed_on_public_holidays=True,
                disciplines=["nature", "science", "heritage"],
                themes=["family", "exhibition"],
                facilities=[*_FACILITIES, "audio-description"],
                languages=["nl", "en", "de", "fr"],
                place_id=place,
                base_price=Decimal("11.00"),
                tariffs=tariffs(_YOUTH, _CJP, _STUDENT),
                booking_url="https://www.nhmmaastricht.nl",
            ),
            highlight=True,
        ),
        DemoEvent(
            "nhmm-enci-veldlab",
            "nhmm",
            _exhibition(
                ctx,
                title={
                    "nl": "Veldlab ENCI-groeve: onderzoek in de mergel",
                    "en": "ENCI quarry field lab: research in the marl",
                },
                description={
                    "nl": "Wat vinden onderzoekers en vrijwilligers in de voormalige ENCI-groeve? "
                    "Fossielen, vleermuizen en zeldzame planten.",
                    "en": "What do researchers and volunteers find in the former ENCI quarry? "
                    "Fossils, bats and rare plants.",
                },
                disciplines=["science", "nature"],
                facilities=_FACILITIES,
                place_id=place,
                base_price=Decimal("11.00"),
                tariffs=tariffs(_YOUTH, _CJP),
            ),
            highlight=True,
        ),
        DemoEvent(
            "nhmm-fossil-sunday",
            "nhmm",
            _series(
                ctx,
                6,
                14,
                90,
                "FREQ=WEEKLY;BYDAY=SU",
                title={"nl": "Fossielen zoeken voor kinderen", "en": "Fossil hunting for children"},
                description={
                    "nl": "Elke zondag: zoek en determineer echte fossielen uit de mergel.",
                    "en": "Every Sunday: find and identify real fossils from the marl.",
                },
                disciplines=["nature", "science"],
                themes=["family", "workshop"],
                age_min=6,
                age_max=12,
                place_id=place,
                base_price=Decimal("4.00"),
                languages=["nl", "en"],
            ),
        ),
        DemoEvent(
            "nhmm-turtle-lecture",
            "nhmm",
            EventInput(
                title={
                    "nl": "Lezing: Allopleuron hofmanni, de reuzenschildpad",
                    "en": "Lecture: Allopleuron hofmanni, the giant turtle",
                },
                description={
                    "nl": "Een paleontoloog over de reuzenschildpad uit de Sint-Pietersberg.",
                    "en": "A palaeontologist on the giant turtle from the Sint-Pietersberg.",
                },
                disciplines=["science", "heritage"],
                themes=["talk"],
                place_id=place,
                time_slots=[ctx.slot(12, 20, 90)],
                is_free=True,
                languages=["nl"],
                age_min=12,
                facilities=["hearing-loop"],
            ),
        ),
        DemoEvent(
            "nhmm-enci-excursion",
            "nhmm",
            EventInput(
                title={"nl": "Excursie naar de ENCI-groeve", "en": "Excursion to the ENCI quarry"},
                description={
                    "nl": "Met een gids van het museum de groeve in.",
                    "en": "Into the quarry with a museum guide.",
                },
                disciplines=["nature"],
                themes=["guided-tour"],
                place_id=ctx.places["underground"],
                time_slots=[ctx.slot(9, 10, 180)],
                base_price=Decimal("8.50"),
                languages=["nl"],
            ),
            status="postponed",
            status_reason={
                "nl": "Uitgesteld wegens slecht weer; een nieuwe datum volgt.",
                "en": "Postponed because of bad weather; a new date will follow.",
            },
        ),
    ]


def ceramique_events(ctx: Context) -> list[DemoEvent]:
    place = ctx.places["ceramique"]
    return [
        DemoEvent(
            "ceramique-earthenware",
            "ceramique",
            EventInput(
                title={
                    "nl": "Maastrichts aardewerk: Sphinx, Société Céramique en Mosa",
                    "en": "Maastricht earthenware: Sphinx, Société Céramique and Mosa",
                    "de": "Maastrichter Steingut: Sphinx, Société Céramique und Mosa",
                    "fr": "Faïence de Maastricht : Sphinx, Société Céramique et Mosa",
                },
                description={
                    "nl": "De vaste presentatie van borden, tegels en serviezen uit twee eeuwen "
                    "Maastrichtse fabrieken, met de verhalen van de mensen die ze maakten.",
                    "en": "The permanent display of plates, tiles and tableware from two "
                    "centuries of Maastricht factories, with the stories of their makers.",
                },
                calendar_type="permanent",
                weekly=_TUE_SUN,
                closed_on_public_holidays=True,
                disciplines=["ceramics", "heritage"],
                themes=["exhibition", "history-of-maastricht"],
                facilities=[*_FACILITIES, "hearing-loop"],
                languages=["nl", "en", "de", "fr"],
                place_id=place,
                is_free=True,
            ),
            highlight=True,
        ),
        DemoEvent(
            "ceramique-dialect",
            "ceramique",
            _exhibition(
                ctx,
                title={
                    "nl": "Mestreechs: het dialect in beeld",
                    "en": "Mestreechs: the dialect on show",
                },
                description={
                    "nl": "Woorden, liedjes en verhalen in het Maastrichts, uit de collectie.",
                    "en": "Words, songs and stories in the Maastricht dialect, from the library.",
                },
                disciplines=["dialect", "heritage"],
                languages=["nl", "li"],
                place_id=place,
                is_free=True,
                facilities=_FACILITIES,
            ),
            highlight=True,
        ),
        DemoEvent(
            "ceramique-lens",
            "ceramique",
            _exhibition(
                ctx,
                title={"nl": "Maastricht door de lens", "en": "Maastricht through the lens"},
                period_start=ctx.today + timedelta(days=10),
                period_end=ctx.today + timedelta(days=75),
                description={
                    "nl": "Foto's van inwoners uit alle wijken van de stad.",
                    "en": "Photographs by residents from every district of the city.",
                },
                disciplines=["photography"],
                themes=["exhibition", "amateur-arts"],
                place_id=place,
                is_free=True,
            ),
        ),
        DemoEvent(
            "ceramique-toddlers",
            "ceramique",
            _series(
                ctx,
                2,
                10,
                45,
                "FREQ=WEEKLY;BYDAY=WE",
                title={"nl": "Voorlezen voor peuters", "en": "Story time for toddlers"},
                description={
                    "nl": "Elke woensdag prentenboeken in de bibliotheek.",
                    "en": "Picture books in the library every Wednesday.",
                },
                disciplines=["literature"],
                themes=["family"],
                age_min=2,
                age_max=4,
                place_id=place,
                is_free=True,
            ),
        ),
        DemoEvent(
            "ceramique-taalcafe",
            "ceramique",
            _series(
                ctx,
                1,
                19,
                90,
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
                title={"nl": "Taalcafé Mestreechs", "en": "Language café: the Maastricht dialect"},
                description={
                    "nl": "Om de week oefenen met Maastrichtenaren in het dialect.",
                    "en": "Every other week, practise the dialect with people from Maastricht.",
                },
                disciplines=["dialect"],
                themes=["talk"],
                languages=["li", "nl"],
                place_id=place,
                is_free=True,
            ),
        ),
        DemoEvent(
            "ceramique-writing",
            "ceramique",
            EventInput(
                title={
                    "nl": "Schrijfatelier: verhalen van Maastricht",
                    "en": "Writing studio: stories of Maastricht",
                },
                description={
                    "nl": "Vier avonden schrijven over je eigen stad, met een schrijfdocent.",
                    "en": "Four evenings of writing about your own city, with a teacher.",
                },
                calendar_type="multiple",
                disciplines=["literature"],
                themes=["workshop"],
                place_id=place,
                time_slots=[ctx.slot(ctx.next_weekday(0) + 7 * n + 7, 19, 120) for n in range(4)],
                base_price=Decimal("45.00"),
                tariffs=tariffs(_CJP),
                languages=["nl"],
                age_min=16,
            ),
        ),
    ]


def kumulus_events(ctx: Context) -> list[DemoEvent]:
    place = ctx.places["kumulus"]
    return [
        DemoEvent(
            "kumulus-saturday-atelier",
            "kumulus",
            _series(
                ctx,
                5,
                10,
                120,
                "FREQ=WEEKLY;BYDAY=SA",
                title={"nl": "Zaterdagatelier voor kinderen", "en": "Saturday studio for children"},
                description={
                    "nl": "Tekenen, schilderen en boetseren in het atelier van Kumulus.",
                    "en": "Drawing, painting and modelling in the Kumulus studio.",
                },
                disciplines=["visual-arts"],
                themes=["workshop", "family"],
                age_min=6,
                age_max=12,
                place_id=place,
                base_price=Decimal("7.50"),
                tariffs=tariffs(_YOUTH),
                facilities=_FACILITIES,
            ),
            highlight=True,
        ),
        DemoEvent(
            "kumulus-thursday-jazz",
            "kumulus",
            _series(
                ctx,
                3,
                20,
                150,
                "FREQ=WEEKLY;BYDAY=TH",
                title={"nl": "Jazz op donderdag: open sessie", "en": "Thursday jazz: open session"},
                description={
                    "nl": "Docenten en leerlingen van de muziekschool jammen met iedereen die "
                    "een instrument meeneemt.",
                    "en": "Teachers and students of the music school jam with anyone who brings "
                    "an instrument.",
                },
                disciplines=["music"],
                themes=["concert", "amateur-arts"],
                place_id=ctx.places["ceramique"],
                is_free=True,
                languages=["nl", "en"],
            ),
        ),
        DemoEvent(
            "kumulus-open-podium",
            "kumulus",
            _series(
                ctx,
                4,
                20,
                120,
                "FREQ=MONTHLY;BYDAY=1FR",
                title={"nl": "Open podium", "en": "Open stage"},
                description={
                    "nl": "Elke eerste vrijdag van de maand: muziek, poëzie en theater van "
                    "amateurs uit de stad.",
                    "en": "Every first Friday: music, poetry and theatre by the city's amateurs.",
                },
                disciplines=["music", "theatre", "literature"],
                themes=["amateur-arts"],
                place_id=place,
                is_free=True,
                languages=["nl", "en", "li"],
            ),
        ),
        DemoEvent(
            "kumulus-dance-show",
            "kumulus",
            EventInput(
                title={
                    "nl": "Dansvoorstelling van de leerlingen",
                    "en": "Dance show by our students",
                },
                description={
                    "nl": "Leerlingen van alle leeftijden dansen op het grote podium.",
                    "en": "Students of every age dance on the big stage.",
                },
                calendar_type="multiple",
                disciplines=["dance"],
                themes=["amateur-arts", "family"],
                place_id=ctx.places["tavv"],
                languages=["nl"],
                time_slots=[ctx.slot(40, 14, 120), ctx.slot(40, 19, 120), ctx.slot(41, 14, 120)],
                base_price=Decimal("12.50"),
                tariffs=tariffs(_YOUTH, _CJP),
                facilities=_FACILITIES,
            ),
            highlight=True,
        ),
        DemoEvent(
            "kumulus-recital",
            "kumulus",
            EventInput(
                title={
                    "nl": "Docentenconcert: piano en cello",
                    "en": "Teachers' recital: piano and cello",
                },
                description={
                    "nl": "Docenten van de muziekschool spelen Franck en Ysaÿe.",
                    "en": "Music school teachers play Franck and Ysaÿe.",
                },
                disciplines=["music"],
                themes=["concert"],
                place_id=place,
                languages=["nl"],
                time_slots=[ctx.slot(16, 20, 90)],
                base_price=Decimal("10.00"),
            ),
            status="cancelled",
            status_reason={
                "nl": "Geannuleerd wegens ziekte van de cellist.",
                "en": "Cancelled because the cellist is ill.",
            },
        ),
    ]


HOUSE_BUILDERS = (nhmm_events, ceramique_events, kumulus_events)
