"""Reads composed for the public pages: home sections, the directory, a place's events.

Built on the agenda's selectors and the same occurrence table; nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.agenda.models import Event, Occurrence
from reisgezel.agenda.selectors import AgendaItem
from reisgezel.places.models import Place
from reisgezel.places.selectors import PlaceSection


def houses() -> list[Organisation]:
    """The three houses (organisations of kind "house"), by name."""
    return list(
        Organisation.objects.filter(kind=OrganisationKind.HOUSE, is_active=True).order_by("name")
    )


def _events(ids: list[int]) -> dict[int, Event]:
    return (
        Event.objects.select_related("organiser", "place", "place__neighbourhood")
        .prefetch_related("disciplines", "images")
        .in_bulk(ids)
    )


def _items(rows: list[Any], events: dict[int, Event] | None = None) -> list[AgendaItem]:
    if events is None:
        events = _events([r["event_id"] for r in rows])
    return [
        AgendaItem(events[r["event_id"]], r["first_start"], r["n"])
        for r in rows
        if r["event_id"] in events
    ]


def _upcoming(after: datetime) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(is_public=True, end__gt=after)


def highlights(*, after: datetime, limit: int = 6) -> list[AgendaItem]:
    """Highlighted events first, then events of the houses, each at its next date."""
    rows = list(
        _upcoming(after)
        .filter(Q(event__is_highlight=True) | Q(event__organiser__kind=OrganisationKind.HOUSE))
        .values("event_id", "event__is_highlight")
        .annotate(first_start=Min("start"), n=Count("id"))
        .order_by("-event__is_highlight", "first_start", "event_id")[:limit]
    )
    return _items(rows)


def events_at_place(*, place: Place, after: datetime, limit: int = 12) -> list[AgendaItem]:
    rows = list(
        _upcoming(after)
        .filter(place=place)
        .values("event_id")
        .annotate(first_start=Min("start"), n=Count("id"))
        .order_by("first_start", "event_id")[:limit]
    )
    return _items(rows)


def place_events_section(place: Place) -> PlaceSection | None:
    """The place page's "what is on here" section (registered with places.selectors)."""
    from django.utils import timezone

    items = events_at_place(place=place, after=timezone.now())
    return PlaceSection("agenda/place_events.html", {"items": items}, order=10)


@dataclass
class DirectoryEntry:
    organisation: Organisation
    upcoming_count: int = 0
    next_items: list[AgendaItem] = field(default_factory=list)

    @property
    def is_house(self) -> bool:
        return self.organisation.kind == OrganisationKind.HOUSE


def directory_entries(
    *,
    after: datetime,
    kind: str = "",
    discipline: str = "",
    neighbourhood: str = "",
    open_for_members: bool = False,
    wants_volunteers: bool = False,
    next_limit: int = 3,
) -> list[DirectoryEntry]:
    """Active organisations, houses first, each with its number of upcoming events and
    its next few. Two queries for the counts and next dates, one for the events.

    `neighbourhood` (a buurt's slug) matches organisations active there or at home there.
    """
    organisations = Organisation.objects.filter(is_active=True).prefetch_related(
        "disciplines", "active_in"
    )
    if open_for_members:
        organisations = organisations.filter(open_for_members=True)
    if wants_volunteers:
        organisations = organisations.filter(wants_volunteers=True)
    if neighbourhood:
        organisations = organisations.filter(
            Q(active_in__slug=neighbourhood) | Q(home_place__neighbourhood__slug=neighbourhood)
        )
    if kind:
        organisations = organisations.filter(kind=kind)
    if discipline:
        organisations = organisations.filter(
            disciplines__code=discipline, disciplines__kind="discipline"
        )
    entries = {o.pk: DirectoryEntry(o) for o in organisations.distinct()}
    rows = (
        _upcoming(after)
        .filter(event__organiser_id__in=list(entries))
        .values("event_id", "event__organiser_id")
        .annotate(first_start=Min("start"), n=Count("id"))
        .order_by("first_start", "event_id")
    )
    chosen: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        entry = entries[row["event__organiser_id"]]
        entry.upcoming_count += 1
        if len(chosen[entry.organisation.pk]) < next_limit:
            chosen[entry.organisation.pk].append(row)
    events = _events([r["event_id"] for org_rows in chosen.values() for r in org_rows])
    for pk, org_rows in chosen.items():
        entries[pk].next_items = _items(org_rows, events)
    return sorted(entries.values(), key=lambda e: (not e.is_house, e.organisation.name.casefold()))
