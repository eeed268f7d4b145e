"""File-based partner feeds for the demo: a small iCalendar file per feed, stored as
the feed's file (the feed importer reads it; no network needed)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from icalendar import Calendar
from icalendar import Event as VEvent

from reisgezel.accounts.models import Organisation
from reisgezel.agenda.demo.spec import AMS
from reisgezel.agenda.models import ImportFeed
from reisgezel.core.models import Term

# organiser key, feed name, default venue, default discipline, (summary, day offset, hour)
FEEDS = [
    (
        "lumiere",
        "Lumière filmagenda (iCal)",
        "lumiere",
        "film",
        [("Nachtvoorstelling: Europese cinema", 8, 22), ("Filmklassieker met inleiding", 19, 20)],
    ),
    (
        "muziekgieterij",
        "Muziekgieterij concerten (iCal)",
        "muziekgieterij",
        "music",
        [("Clubavond: nieuwe bands", 12, 21), ("Zondagmiddag-akoestisch", 27, 15)],
    ),
]


def _ics(org_key: str, items: list[tuple[str, int, int]], today: date) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Reisgezel demo//NL")
    cal.add("version", "2.0")
    for n, (summary, days, hour) in enumerate(items, start=1):
        start = datetime.combine(today + timedelta(days=days), time(hour), tzinfo=AMS)
        vevent = VEvent()
        vevent.add("uid", f"demo-{org_key}-{n}@reisgezel.invalid")
        vevent.add("summary", summary)
        vevent.add("dtstart", start)
        vevent.add("dtend", start + timedelta(hours=2))
        vevent.add("dtstamp", start)
        cal.add_component(vevent)
    return cal.to_ical()


def feeds_create(*, orgs: dict[str, Organisation], places: dict[str, int], today: date) -> int:
    created = 0
    for org_key, name, venue, discipline, items in FEEDS:
        organiser = orgs[org_key]
        if ImportFeed.objects.filter(organiser=organiser, name=name).exists():
            continue
        feed = ImportFeed(
            organiser=organiser,
            name=name,
            default_place_id=places[venue],
            default_discipline=Term.objects.get(kind="discipline", code=discipline),
        )
        feed.file.save(f"demo-{org_key}.ics", ContentFile(_ics(org_key, items, today)), save=False)
        feed.full_clean()
        feed.save()
        created += 1
    return created
