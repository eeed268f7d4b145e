"""Bulk generator of a large agenda for the benchmarks (not for the demo).

Writes Event, EventLanguage, discipline/theme/facility links, TimeSlot, WeeklyOpening
and Occurrence rows DIRECTLY with bulk_create. This bypasses the agenda services on
purpose: 100,000 events through `event_create` would take hours, and the benchmark
measures reads, not writes. The rows follow the services' shapes (denormalised
occurrence columns, is_public = approved), so the read paths see what they normally see.
The search index is then built through the real `documents_reindex`.

Runs inside a configured Django (see bench/worker.py); never against a real database.
"""

from __future__ import annotations

import random
import time as clock
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from reisgezel.accounts.models import Organisation
from reisgezel.agenda.models import (
    Event,
    EventLanguage,
    Occurrence,
    TimeSlot,
    WeeklyOpening,
)
from reisgezel.core.models import Term
from reisgezel.places.management.commands.load_neighbourhoods import default_paths
from reisgezel.places.models import Neighbourhood, Place
from reisgezel.places.services import neighbourhoods_load

AMS = ZoneInfo("Europe/Amsterdam")
CHUNK = 5000
N_ORGANISATIONS = 400
N_PLACES = 800
WORDS_NL = (
    "concert",
    "voorstelling",
    "lezing",
    "workshop",
    "tentoonstelling",
    "rondleiding",
    "film",
    "dansavond",
    "voorlezen",
    "open atelier",
    "koor",
    "jazz",
    "orgel",
    "kamermuziek",
    "fossielen",
    "keramiek",
    "dialect",
    "fotografie",
    "architectuur",
    "festival",
)
WORDS_EN = (
    "concert",
    "performance",
    "lecture",
    "workshop",
    "exhibition",
    "guided tour",
    "film",
    "dance night",
    "story time",
    "open studio",
    "choir",
    "jazz",
    "organ",
    "chamber music",
    "fossils",
    "ceramics",
    "dialect",
    "photography",
    "architecture",
    "festival",
)
PLACES_OF_NAMES = (
    "Maas",
    "Jeker",
    "Vrijthof",
    "Markt",
    "Wyck",
    "Sint-Pieter",
    "Céramique",
    "Helpoort",
    "Stokstraat",
    "Boschstraat",
    "Frontenpark",
    "Sphinx",
)

Log = Callable[[str], None]
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _points_in(
    geometry: dict[str, object], rng: random.Random, n: int
) -> list[tuple[float, float]]:
    geom = shape(geometry)
    minx, miny, maxx, maxy = geom.bounds
    points: list[tuple[float, float]] = []
    while len(points) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(Point(x, y)):
            points.append((round(y, 6), round(x, 6)))
    return points


def _partners(rng: random.Random, log: Log) -> tuple[list[int], list[int], dict[int, int]]:
    """Organisations and places (with their buurt); returns ids and place -> buurt."""
    districts, buurten = default_paths()
    neighbourhoods_load(districts_path=districts, neighbourhoods_path=buurten)
    hoods = list(Neighbourhood.objects.all())
    # Skewed like a real city: the centre has far more venues than the outskirts.
    weights = [12 if h.code.startswith("BU093500") else 2 for h in hoods]
    places = []
    for i in range(N_PLACES):
        hood = rng.choices(hoods, weights)[0]
        lat, lon = _points_in(hood.geometry, rng, 1)[0]
        places.append(
            Place(
                name=f"{rng.choice(PLACES_OF_NAMES)}zaal {i}",
                slug=f"bench-place-{i}",
                street=f"Benchstraat {i}",
                postcode=f"62{rng.randint(10, 29)} {rng.choice('ABCDEFGHJK')}"
                f"{rng.choice('ABCDEFGHJK')}",
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
                neighbourhood=hood,
                description={},
                accessibility_notes={},
            )
        )
    Place.objects.bulk_create(places, batch_size=1000)
    orgs = [
        Organisation(
            name=f"Bench organisatie {i}",
            slug=f"bench-org-{i}",
            kind="association",
            is_trusted=rng.random() < 0.2,
            description={},
        )
        for i in range(N_ORGANISATIONS)
    ]
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    place_hood = dict(Place.objects.values_list("pk", "neighbourhood_id"))
    log(f"  {len(orgs)} organisations, {len(places)} places in {len(hoods)} buurten")
    return ([o.pk for o in Organisation.objects.order_by("pk")], sorted(place_hood), place_hood)


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMS)


def _dates(
    kind: str, rng: random.Random, today: date
) -> tuple[
    dict[str, object],
    list[tuple[datetime, datetime]],
    list[tuple[int, time, time]],
    list[tuple[datetime, datetime]],
]:
    """(event fields, time slots, weekly openings, occurrences) of one generated event."""
    first = today + timedelta(days=int(rng.triangular(-30, 335, 20)))
    hour = rng.choice((10, 11, 14, 15, 19, 20, 20, 20, 21))
    minutes = rng.choice((60, 90, 120, 120, 150))
    if kind == "single":
        # Weekends are busier: move half of the weekday events to the next Friday-Sunday.
        if first.weekday() < 4 and rng.random() < 0.5:
            first += timedelta(days=4 - first.weekday() + rng.randint(0, 2))
        start = _local(first, time(hour))
        slot = (start, start + timedelta(minutes=minutes))
        return {}, [slot], [], [slot]
    if kind == "multiple":
        days = sorted(
            {first + timedelta(days=7 * k + rng.randint(0, 2)) for k in range(rng.randint(2, 6))}
        )
        slots = [
            (_local(d, time(hour)), _local(d, time(hour)) + timedelta(minutes=minutes))
            for d in days
        ]
        return {}, slots, [], slots
    if kind == "series":  # periodic with an RRULE: weekly on one weekday
        weeks = rng.randint(4, 20)
        start = _local(first, time(hour))
        slot = (start, start + timedelta(minutes=minutes))
        occ = [
            (s, s + timedelta(minutes=minutes))
            for s in (_local(first + timedelta(weeks=w), time(hour)) for w in range(weeks))
        ]
        fields = {
            "period_start": first,
            "period_end": first + timedelta(weeks=weeks - 1),
            "rrule": f"FREQ=WEEKLY;BYDAY={WEEKDAYS[first.weekday()]}",
        }
        return fields, [slot], [], occ
    if kind == "exhibition":  # periodic with opening hours
        last = first + timedelta(weeks=rng.randint(2, 12))
        weekdays = (1, 2, 3, 4, 5, 6) if rng.random() < 0.6 else (3, 4, 5, 6)
        openings = [(d, time(11), time(17)) for d in weekdays]
        occ = []
        day = first
        while day <= last:
            if day.weekday() in weekdays:
                occ.append((_local(day, time(11)), _local(day, time(17))))
            day += timedelta(days=1)
        return (
            {"period_start": first, "period_end": last, "closed_on_public_holidays": True},
            [],
            openings,
            occ,
        )
    # permanent: Tue-Sun, from today to the materialisation horizon
    openings = [(d, time(10), time(17)) for d in range(1, 7)]
    occ = []
    for offset in range(0, 400):
        day = today + timedelta(days=offset)
        if day.weekday() != 0:
            occ.append((_local(day, time(10)), _local(day, time(17))))
    return {}, [], openings, occ


KINDS = (
    ("single", 0.55),
    ("multiple", 0.20),
    ("series", 0.10),
    ("exhibition", 0.147),
    ("permanent", 0.003),
)
CAL_TYPE = {
    "single": "single",
    "multiple": "multiple",
    "series": "periodic",
    "exhibition": "periodic",
    "permanent": "permanent",
}


def _ages(rng: random.Random) -> tuple[int | None, int | None]:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice((2, 4, 6, 8)), rng.choice((10, 12))
    if roll < 0.22:
        return 12, 18
    if roll < 0.30:
        return 18, None
    return None, None


def generate(n_events: int, *, seed: int = 1, log: Log = print) -> dict[str, int]:
    """Fill the (empty, migrated) database. Returns row counts."""
    rng = random.Random(seed)  # reproducible benchmark data
    today = timezone.localdate()
    started = clock.monotonic()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    orgs, places, place_hood = _partners(rng, log)
    disciplines = list(Term.objects.filter(kind="discipline").values_list("pk", flat=True))
    themes = list(Term.objects.filter(kind="theme").values_list("pk", flat=True))
    facilities = list(Term.objects.filter(kind="facility").values_list("pk", flat=True))
    # Popular disciplines (music, theatre, visual arts) are more frequent.
    disc_weights = [5, 3, 8, 6, 6, 4, 4, 2, 2, 1, 2, 1, 1, 2][: len(disciplines)]
    kinds = [kind for kind, _weight in KINDS]
    kind_weights = [weight for _kind, weight in KINDS]
    counts = {"events": 0, "occurrences": 0}
    now = timezone.now()
    for chunk_start in range(0, n_events, CHUNK):
        size = min(CHUNK, n_events - chunk_start)
        events, extras = [], []
        for i in range(chunk_start, chunk_start + size):
            kind = rng.choices(kinds, kind_weights)[0]
            fields, slots, openings, occ = _dates(kind, rng, today)
            roll = rng.random()
            moderation = (
                "approved"
                if roll < 0.94
                else "ready"
                if roll < 0.97
                else "draft"
                if roll < 0.99
                else "rejected"
            )
            status = rng.choices(("scheduled", "cancelled", "postponed"), (0.96, 0.03, 0.01))[0]
            is_free = rng.random() < 0.3
            age_min, age_max = _ages(rng)
            word = rng.randrange(len(WORDS_NL))
            uid = uuid.UUID(int=rng.getrandbits(128), version=4)
            place_id = rng.choice(places)
            events.append(
                Event(
                    uuid=uid,
                    slug=f"{WORDS_NL[word].replace(' ', '-')}-{i}",
                    organiser_id=rng.choice(orgs),
                    place_id=place_id,
                    title={
                        "nl": f"{WORDS_NL[word].capitalize()} in de {PLACES_OF_NAMES[i % 12]} {i}",
                        "en": f"{WORDS_EN[word].capitalize()} at the {PLACES_OF_NAMES[i % 12]} {i}",
                    },
                    summary={},
                    status_reason={"nl": "Helaas."} if status != "scheduled" else {},
                    description={
                        "nl": f"Een {WORDS_NL[word]} voor iedereen in Maastricht.",
                        "en": f"A {WORDS_EN[word]} for everyone in Maastricht.",
                    },
                    age_min=age_min,
                    age_max=age_max,
                    is_free=is_free,
                    base_price=None
                    if is_free
                    else Decimal(rng.choice(("7.50", "12.50", "19.50", "25.00"))),
                    status=status,
                    moderation=moderation,
                    calendar_type=CAL_TYPE[kind],
                    published_at=now if moderation == "approved" else None,
                    ical_uid=f"{uid}@bench",
                    **fields,
                )
            )
            extras.append(
                (slots, openings, occ, place_id, is_free, age_min, age_max, status, moderation)
            )
        with transaction.atomic():
            Event.objects.bulk_create(events, batch_size=2000)
            _children(
                events,
                extras,
                rng,
                disciplines,
                disc_weights,
                themes,
                facilities,
                place_hood,
                counts,
            )
        counts["events"] += size
        log(
            f"  {counts['events']:>7} events, {counts['occurrences']:>8} occurrences "
            f"({clock.monotonic() - started:.0f} s)"
        )
    # Fresh statistics, as autovacuum would give a real database after a while.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Raw multi-row insert: COPY on PostgreSQL, executemany on SQLite.

    For the ~1M child rows, Django's bulk_create spends most of its time building model
    instances and compiling values; the rows here are already plain tuples.
    """
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


OCC_COLUMNS = (
    "event_id",
    "start",
    "end",
    "all_day",
    "place_id",
    "neighbourhood_id",
    "is_public",
    "is_free",
    "age_min",
    "age_max",
    "status",
)


def _children(
    events: list[Event],
    extras: list[tuple[Any, ...]],
    rng: random.Random,
    disciplines: list[int],
    disc_weights: list[int],
    themes: list[int],
    facilities: list[int],
    place_hood: dict[int, int],
    counts: dict[str, int],
) -> None:
    dt = connection.ops.adapt_datetimefield_value
    tm = connection.ops.adapt_timefield_value
    langs: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    theme_links: list[tuple[Any, ...]] = []
    facility_links: list[tuple[Any, ...]] = []
    slot_rows: list[tuple[Any, ...]] = []
    open_rows: list[tuple[Any, ...]] = []
    occ_rows: list[tuple[Any, ...]] = []
    for event, extra in zip(events, extras, strict=True):
        slots, openings, occ, place_id, is_free, age_min, age_max, status, moderation = extra
        pk = event.pk
        langs.append((pk, "nl"))
        if rng.random() < 0.3:
            langs.append((pk, "en"))
        if rng.random() < 0.03:
            langs.append((pk, "li"))
        chosen = {
            rng.choices(disciplines, disc_weights)[0] for _ in range(rng.choice((1, 1, 1, 2)))
        }
        links += [(pk, term) for term in chosen]
        theme_links += [(pk, term) for term in rng.sample(themes, rng.choice((0, 1, 1, 2)))]
        if rng.random() < 0.2:
            facility_links += [(pk, term) for term in rng.sample(facilities, rng.randint(1, 3))]
        slot_rows += [(pk, dt(s), dt(e), False, None) for s, e in slots]
        open_rows += [(pk, d, tm(a), tm(b)) for d, a, b in openings]
        tail = (
            place_id,
            place_hood[place_id],
            moderation == "approved",
            is_free,
            age_min,
            age_max,
            status,
        )
        occ_rows += [(pk, dt(s), dt(e), False, *tail) for s, e in occ]
    _insert(EventLanguage._meta.db_table, ("event_id", "code"), langs)
    for through, rows in (
        (Event.disciplines.through, links),
        (Event.themes.through, theme_links),
        (Event.facilities.through, facility_links),
    ):
        _insert(through._meta.db_table, ("event_id", "term_id"), rows)
    _insert(TimeSlot._meta.db_table, ("event_id", "start", "end", "all_day", "place_id"), slot_rows)
    _insert(WeeklyOpening._meta.db_table, ("event_id", "weekday", "opens", "closes"), open_rows)
    _insert(Occurrence._meta.db_table, OCC_COLUMNS, occ_rows)
    counts["occurrences"] += len(occ_rows)


def _index_chunk(ids: list[int]) -> int:
    from reisgezel.search.services import documents_index

    return documents_index(doc_type="event", ids=ids)


def index(log: Log = print, *, workers: int = 2) -> int:
    """Build the search index for every generated event through the search services.

    On PostgreSQL the ids are shared over `workers` processes (indexing is CPU-bound in
    Python: stemming); SQLite has one writer, so it indexes in this process.
    """
    from django.db import connections

    from reisgezel.search.services import documents_reindex

    started = clock.monotonic()
    if connection.vendor == "postgresql" and workers > 1:
        import multiprocessing

        ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
        chunks = [ids[i : i + 2000] for i in range(0, len(ids), 2000)]
        connections.close_all()  # each forked worker opens its own connection
        done = 0
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for n, written in enumerate(pool.imap_unordered(_index_chunk, chunks), start=1):
                done += written
                if n % 5 == 0 or n == len(chunks):
                    log(f"  indexed {done}/{len(ids)} event ({clock.monotonic() - started:.0f} s)")
        return done
    last = [0.0]

    def progress(doc_type: str, done: int, total: int) -> None:
        if clock.monotonic() - last[0] > 15 or done == total:
            last[0] = clock.monotonic()
            log(f"  indexed {done}/{total} {doc_type} ({clock.monotonic() - started:.0f} s)")

    reports = documents_reindex(doc_type="event", progress=progress)
    return sum(report.indexed for report in reports)
