"""Generated demo events of all partners: ~300 dated events over the coming three months,
every discipline, from a fixed random seed (same events on every run; dates move with
today). Plus the partners' special cases: waiting for moderation, rejected, a draft,
cancelled, postponed and moved online."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from reisgezel.agenda.demo.content import DISCIPLINES, TARIFFS, Discipline, Subject
from reisgezel.agenda.demo.organisations import ORGANISATIONS, Org
from reisgezel.agenda.demo.spec import HORIZON_DAYS, Context, DemoEvent
from reisgezel.agenda.demo.venues import VENUES
from reisgezel.agenda.inputs import EventInput, OpeningInput, TariffInput

GENERATED_COUNT = 300
_PRICES = ("5.00", "7.50", "10.00", "12.50", "15.00", "19.50", "24.00", "29.50")
_FACILITIES_OF = {venue.key: venue.facilities for venue in VENUES}


def _text(subject: Subject, lang: int) -> str:
    return subject if isinstance(subject, str) else subject[min(lang, 1)]


def _title(ctx: Context, disc: Discipline) -> dict[str, str]:
    template = ctx.rng.choice(disc.templates)
    subject = ctx.rng.choice(disc.subjects)
    title = {
        "nl": template[0].format(x=_text(subject, 0)),
        "en": template[1].format(x=_text(subject, 1)),
    }
    if len(template) == 4 and isinstance(subject, str):  # proper names read the same in de/fr
        title["de"] = template[2].format(x=subject)
        title["fr"] = template[3].format(x=subject)
    return title


def _organiser(ctx: Context, disc: Discipline) -> Org:
    candidates = [org for org in ORGANISATIONS if disc.code in org.disciplines]
    return ctx.rng.choice(candidates)


def _ages(ctx: Context) -> tuple[int | None, int | None, list[str]]:
    roll = ctx.rng.random()
    if roll < 0.2:
        low = ctx.rng.choice((4, 6, 8))
        return low, ctx.rng.choice((10, 12)), ["family"]
    if roll < 0.3:
        return 12, 18, ["youth"]
    if roll < 0.4:
        return 18, None, []
    if roll < 0.45:
        return 55, None, ["seniors"]
    return None, None, []


def _price(ctx: Context) -> tuple[bool, Decimal | None, list[TariffInput]]:
    if ctx.rng.random() < 0.3:
        return True, None, []
    base = Decimal(ctx.rng.choice(_PRICES))
    chosen = [t for t in TARIFFS if ctx.rng.random() < 0.4]
    cut = {
        "cjp": Decimal("0.75"),
        "youth": Decimal("0.5"),
        "student": Decimal("0.75"),
        "senior": Decimal("0.9"),
    }
    return (
        False,
        base,
        [
            TariffInput(name=name, price=(base * cut[code]).quantize(Decimal("0.50")))
            for name, code in chosen
        ],
    )


def _languages(ctx: Context, disc: Discipline, org: Org, title: dict[str, str]) -> list[str]:
    langs = ["nl"]
    if disc.code == "dialect" or org.key in ("staar", "koormalberg") or ctx.rng.random() < 0.05:
        langs.append("li")
    if ctx.rng.random() < 0.3 or ("en" in title and org.key == "studiumgenerale"):
        langs.append("en")
    langs.extend(lang for lang in ("de", "fr") if lang in title)
    return langs


def _calendar(ctx: Context, disc: Discipline, venue: int) -> dict[str, object]:
    day = ctx.rng.randrange(0, HORIZON_DAYS - 5)
    hour = ctx.rng.choice(disc.hours)
    roll = ctx.rng.random()
    if disc.code in ("visual-arts", "photography", "design", "ceramics") and roll < 0.15:
        first = ctx.today + timedelta(days=day)
        return {
            "calendar_type": "periodic",
            "period_start": first,
            "period_end": first + timedelta(days=ctx.rng.choice((14, 21, 28))),
            "weekly": [OpeningInput(d, *_hours(13, 17)) for d in (3, 4, 5, 6)],
            "closed_on_public_holidays": True,
        }
    if roll < 0.25:
        days = sorted(
            {day, *(day + ctx.rng.randrange(1, 5) * 7 for _ in range(ctx.rng.randrange(1, 4)))}
        )
        slots = [ctx.slot(d, hour, disc.minutes) for d in days if d < HORIZON_DAYS]
        return {"calendar_type": "multiple" if len(slots) > 1 else "single", "time_slots": slots}
    minute = ctx.rng.choice((0, 0, 30))
    return {
        "calendar_type": "single",
        "time_slots": [ctx.slot(day, hour, disc.minutes, minute=minute)],
    }


def _hours(opens: int, closes: int) -> tuple[time, time]:
    return time(opens), time(closes)


def generated_events(ctx: Context) -> list[DemoEvent]:
    events = []
    for index in range(GENERATED_COUNT):
        disc = DISCIPLINES[index % len(DISCIPLINES)]
        org = _organiser(ctx, disc)
        venue_key = org.home if ctx.rng.random() < 0.85 else ctx.rng.choice(VENUES).key
        title = _title(ctx, disc)
        age_min, age_max, age_themes = _ages(ctx)
        is_free, base, tariff_list = _price(ctx)
        themes = list(dict.fromkeys([*disc.themes, *age_themes]))
        if org.kind == "association":
            themes.append("amateur-arts")
        facilities = []
        if org.trusted and _FACILITIES_OF.get(venue_key):
            facilities = ctx.rng.sample(
                list(_FACILITIES_OF[venue_key]),
                k=ctx.rng.randint(1, len(_FACILITIES_OF[venue_key])),
            )
        venue_name = next(v.name for v in VENUES if v.key == venue_key)
        data = EventInput(
            title=title,
            summary={"nl": disc.blurb[0], "en": disc.blurb[1]},
            description={
                "nl": f"{title['nl']} in {venue_name}. {disc.blurb[0]} "
                f"Georganiseerd door {org.name}.",
                "en": f"{title['en']} at {venue_name}. {disc.blurb[1]} Organised by {org.name}.",
            },
            disciplines=[disc.code],
            themes=themes,
            facilities=facilities,
            place_id=ctx.places[venue_key],
            age_min=age_min,
            age_max=age_max,
            languages=_languages(ctx, disc, org, title),
            is_free=is_free,
            base_price=base,
            tariffs=tariff_list,
            audience="schools" if ctx.rng.random() < 0.03 else "everyone",
            booking_url=f"{org.website}/agenda" if org.website and not is_free else "",
            **_calendar(ctx, disc, ctx.places[venue_key]),  # type: ignore[arg-type]
        )
        events.append(DemoEvent(f"gen-{index:03d}", org.key, data))
    return events


def special_events(ctx: Context) -> list[DemoEvent]:
    """Moderation and status cases of partners (the houses have their own)."""

    def single(
        title: dict[str, str], discipline: str, venue: str, days: int, **extra: object
    ) -> EventInput:
        values: dict[str, object] = {
            "title": title,
            "disciplines": [discipline],
            "place_id": ctx.places[venue],
            "time_slots": [ctx.slot(days, 20, 120)],
            "languages": ["nl"],
            "is_free": True,
            "description": {
                "nl": f"{title['nl']}. Demo-evenement.",
                "en": f"{title['en']}. Demo event.",
            },
        }
        values.update(extra)
        return EventInput(**values)  # type: ignore[arg-type]

    return [
        DemoEvent(
            "special-waiting-1",
            "landbouwbelang",
            single(
                {"nl": "Zeefdrukken in de silo", "en": "Screen printing in the silo"},
                "visual-arts",
                "landbouwbelang",
                20,
            ),
            moderation="ready",
        ),
        DemoEvent(
            "special-waiting-2",
            "koormalberg",
            single(
                {"nl": "Samen zingen in Malberg", "en": "Singing together in Malberg"},
                "music",
                "malberg",
                25,
                languages=["nl", "li"],
            ),
            moderation="ready",
        ),
        DemoEvent(
            "special-waiting-3",
            "atelierwvv",
            single(
                {"nl": "Keramiek voor buren", "en": "Ceramics for neighbours"},
                "ceramics",
                "wittevrouwenveld",
                30,
            ),
            moderation="ready",
        ),
        DemoEvent(
            "special-rejected",
            "lumiere",
            single(
                {"nl": "Filmmarathon (dubbel)", "en": "Film marathon (duplicate)"},
                "film",
                "lumiere",
                15,
            ),
            moderation="rejected",
            reject_message="Dit evenement staat al in de agenda; pas het bestaande evenement aan.",
        ),
        DemoEvent(
            "special-draft",
            "bureaueuropa",
            single(
                {"nl": "Expositie over hergebruik (concept)", "en": "Exhibition on reuse (draft)"},
                "design",
                "timmerfabriek",
                45,
            ),
            moderation="draft",
        ),
        DemoEvent(
            "special-cancelled",
            "toneelgroep",
            single(
                {
                    "nl": "Voorstelling: De Maas stroomt door",
                    "en": "Performance: The Maas flows on",
                },
                "theatre",
                "tavv",
                18,
                is_free=False,
                base_price=Decimal("27.50"),
            ),
            status="cancelled",
            status_reason={
                "nl": "Geannuleerd: de tournee is stopgezet.",
                "en": "Cancelled: the tour has been stopped.",
            },
        ),
        DemoEvent(
            "special-postponed",
            "muziekgieterij",
            single(
                {"nl": "Concert: Maastrichtse bands", "en": "Concert: bands from Maastricht"},
                "music",
                "muziekgieterij",
                22,
                is_free=False,
                base_price=Decimal("15.00"),
            ),
            status="postponed",
            status_reason={"nl": "Uitgesteld naar het voorjaar.", "en": "Postponed to the spring."},
        ),
        DemoEvent(
            "special-online",
            "studiumgenerale",
            single(
                {"nl": "Lezing: Europa en Maastricht", "en": "Lecture: Europe and Maastricht"},
                "science",
                "minderbroedersberg",
                11,
                online_url="https://www.maastrichtuniversity.nl/studium-generale",
                languages=["en"],
            ),
            status="moved_online",
            status_reason={
                "nl": "De lezing gaat online door.",
                "en": "The lecture goes ahead online.",
            },
        ),
    ]
