"""Reads of the neighbourhood pages: what is on, courses, stories, places and partners
in a buurt or a wijk.

Every list is bounded (LIMIT) and reads a fixed number of queries, whatever the size of
the city's agenda: the events come from the occurrence table's (neighbourhood,
is_public, start) index, the newest rows first, and only then are the few events of a
page loaded with what their cards show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from reisgezel.accounts.models import Organisation, OrganisationKind
from reisgezel.agenda.models import MAX_OCCURRENCE_SPAN, Event, Occurrence
from reisgezel.learning.catalogue import editions_on_offer
from reisgezel.learning.models import Edition
from reisgezel.neighbourhoods.adjacency import adjacency
from reisgezel.places.models import District, Neighbourhood, Place

EVENTS_SHOWN = 6
# Occurrences read to find EVENTS_SHOWN different events: an exhibition open every day
# takes one row per day, so read a margin and keep the first date of each event.
OCCURRENCES_SCANNED = 60
COURSES_SHOWN = 6
STORIES_SHOWN = 6
PLACES_SHOWN = 12
PARTNERS_SHOWN = 12


@dataclass(frozen=True)
class Area:
    """A buurt or a wijk as the pages see it: a name and the buurten it covers."""

    kind: str  # "neighbourhood" or "district"
    name: str
    slug: str
    neighbourhood_ids: tuple[int, ...]
    neighbourhood_slugs: tuple[str, ...]
    neighbourhood: Neighbourhood | None = None
    district: District | None = None

    def agenda_query(self) -> str:
        """The agenda list's filter for this area (?neighbourhood= or ?district=)."""
        query = QueryDict(mutable=True)
        query[self.kind] = self.slug
        return query.urlencode()

    def catalogue_query(self) -> str:
        """The course catalogue filters on buurten only: a wijk lists all of its own."""
        query = QueryDict(mutable=True)
        query.setlist("neighbourhood", list(self.neighbourhood_slugs))
        return query.urlencode()


@dataclass
class EventItem:
    event: Event
    start: datetime
    place: Place | None


@dataclass
class Listing[T]:
    """A bounded list and whether there is more than it shows."""

    items: list[T] = field(default_factory=list)
    has_more: bool = False


def _bounded[T](rows: list[T], limit: int) -> Listing[T]:
    return Listing(rows[:limit], len(rows) > limit)


def districts_with_neighbourhoods() -> list[District]:
    """Every wijk with its buurten (names and slugs only: boundaries are large)."""
    return list(
        District.objects.defer("geometry").prefetch_related(_buurten_prefetch("neighbourhoods"))
    )


def _buurten_prefetch(lookup: str) -> Any:
    from django.db.models import Prefetch

    return Prefetch(lookup, queryset=Neighbourhood.objects.defer("geometry").order_by("name"))


def neighbourhood_area(*, slug: str) -> Area | None:
    buurt = (
        Neighbourhood.objects.select_related("district")
        .defer("geometry", "district__geometry")
        .filter(slug=slug)
        .first()
    )
    if buurt is None:
        return None
    return Area(
        kind="neighbourhood",
        name=buurt.name,
        slug=buurt.slug,
        neighbourhood_ids=(buurt.pk,),
        neighbourhood_slugs=(buurt.slug,),
        neighbourhood=buurt,
        district=buurt.district,
    )


def district_area(*, slug: str) -> Area | None:
    district = (
        District.objects.defer("geometry")
        .prefetch_related(_buurten_prefetch("neighbourhoods"))
        .filter(slug=slug)
        .first()
    )
    if district is None:
        return None
    buurten = list(district.neighbourhoods.all())
    return Area(
        kind="district",
        name=district.name,
        slug=district.slug,
        neighbourhood_ids=tuple(b.pk for b in buurten),
        neighbourhood_slugs=tuple(b.slug for b in buurten),
        district=district,
    )


def neighbouring_buurten(buurt: Neighbourhood) -> list[Neighbourhood]:
    """The buurten that border this one; the rest of its wijk if its boundary is unknown."""
    ids = adjacency().get(buurt.pk) or []
    qs = Neighbourhood.objects.defer("geometry").select_related("district")
    if ids:
        return list(qs.filter(pk__in=ids).defer("district__geometry").order_by("name"))
    return list(
        qs.filter(district_id=buurt.district_id)
        .exclude(pk=buurt.pk)
        .defer("district__geometry")
        .order_by("name")
    )


def _next_occurrences(buurt_ids: tuple[int, ...], now: datetime) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(
        neighbourhood_id__in=buurt_ids,
        is_public=True,
        # Occurrences never last longer than MAX_OCCURRENCE_SPAN: bounds the scan.
        start__gte=now - MAX_OCCURRENCE_SPAN,
        end__gt=now,
    ).order_by("start", "event_id")


def _first_dates(buurt_ids: tuple[int, ...], now: datetime) -> list[tuple[Any, ...]]:
    """(start, event id, place id) of the next OCCURRENCES_SCANNED dates in the buurten.

    For one buurt: one index range scan. For several (a wijk) a single
    "neighbourhood IN (...) ORDER BY start" would sort every upcoming date of the wijk,
    so each buurt gets its own bounded scan, all in one UNION ALL query of ids. Each
    part is wrapped in a subquery because SQLite refuses LIMIT in the parts of a compound
    statement (and Django's union() refuses it there too). Then one query by primary key
    reads the rows with their proper types.
    """
    columns = ("start", "event_id", "place_id")
    if len(buurt_ids) <= 1:
        return list(_next_occurrences(buurt_ids, now).values_list(*columns)[:OCCURRENCES_SCANNED])
    parts: list[str] = []
    params: list[Any] = []
    for pk in buurt_ids:
        scan = _next_occurrences((pk,), now).values_list("pk")[:OCCURRENCES_SCANNED]
        sql, part_params = scan.query.sql_with_params()
        # Only the ORM's own compiled SQL; every value stays a parameter.
        parts.append(f"SELECT * FROM ({sql}) AS part{len(parts)}")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        ids = [row[0] for row in cursor.fetchall()]
    return list(
        Occurrence.objects.filter(pk__in=ids)
        .order_by("start", "event_id")
        .values_list(*columns)[:OCCURRENCES_SCANNED]
    )


def upcoming_events(
    area: Area, *, now: datetime | None = None, limit: int = EVENTS_SHOWN
) -> list[EventItem]:
    """The next public events at places in the area, each at its next date.

    At most OCCURRENCES_SCANNED occurrence rows per buurt from the index, then the few
    events with their cards' data in three queries (events, disciplines, images).
    """
    now = now or timezone.now()
    occurrences = _first_dates(area.neighbourhood_ids, now)
    firsts: dict[int, tuple[datetime, int | None]] = {}
    for start, event_id, place_id in occurrences:
        if event_id not in firsts:
            firsts[event_id] = (start, place_id)
        if len(firsts) == limit:
            break
    if not firsts:
        return []
    events = (
        Event.objects.select_related("organiser", "place", "place__neighbourhood")
        .defer("place__neighbourhood__geometry")
        .prefetch_related("disciplines", "images")
        .in_bulk(list(firsts))
    )
    places = {e.place_id: e.place for e in events.values() if e.place_id}
    missing = {p for _s, p in firsts.values() if p and p not in places}
    if missing:  # a date at another place than the event's own (rare)
        places |= (
            Place.objects.select_related("neighbourhood")
            .defer("neighbourhood__geometry")
            .in_bulk(missing)
        )
    return [
        EventItem(events[pk], start, places.get(place_id) if place_id else None)
        for pk, (start, place_id) in firsts.items()
        if pk in events
    ]


def courses_nearby(area: Area, *, limit: int = COURSES_SHOWN) -> Listing[Edition]:
    """Editions on offer at places in the area, the soonest first."""
    editions = list(
        editions_on_offer()
        .filter(place__neighbourhood_id__in=area.neighbourhood_ids)
        .select_related("course", "place")
        .order_by("starts_on", "pk")[: limit + 1]
    )
    return _bounded(editions, limit)


def stories_nearby(area: Area, *, limit: int = STORIES_SHOWN) -> Listing[Any] | None:
    """Published stories of the area's buurten; None while the stories app cannot say.

    The stories app owns what "published" and "in this buurt" mean (consent,
    moderation, withdrawal, stories about a place there), so this asks it per buurt and
    ORs the answers into one query for a wijk.
    """
    try:
        from reisgezel.stories.selectors import published_stories
    except ImportError:
        return None
    buurten = (
        [area.neighbourhood]
        if area.neighbourhood is not None
        else list(area.district.neighbourhoods.all())
        if area.district is not None
        else []
    )
    if not buurten:
        return Listing()
    stories: QuerySet[Any] = published_stories(neighbourhood=buurten[0])
    for buurt in buurten[1:]:
        stories = stories | published_stories(neighbourhood=buurt)
    rows = list(stories.order_by("-published_at", "-pk")[: limit + 1])
    return _bounded(rows, limit)


def cultural_places(area: Area, *, limit: int = PLACES_SHOWN) -> Listing[Place]:
    """Public places in the area; private addresses are never listed."""
    places = list(
        Place.objects.filter(neighbourhood_id__in=area.neighbourhood_ids, is_private=False)
        .select_related("neighbourhood")
        .defer("neighbourhood__geometry")
        .order_by("name")[: limit + 1]
    )
    return _bounded(places, limit)


def _organisations(area: Area, kinds: Q, limit: int) -> Listing[Organisation]:
    organisations = list(
        Organisation.objects.filter(
            kinds, is_active=True, home_place__neighbourhood_id__in=area.neighbourhood_ids
        )
        .select_related("home_place")
        .order_by("name")[: limit + 1]
    )
    return _bounded(organisations, limit)


def partners(area: Area, *, limit: int = PARTNERS_SHOWN) -> Listing[Organisation]:
    """Active organisations based in the area, other than amateur groups."""
    return _organisations(area, ~Q(kind=OrganisationKind.ASSOCIATION), limit)


def amateur_groups(area: Area, *, limit: int = PARTNERS_SHOWN) -> Listing[Organisation]:
    """Active associations and amateur groups based in the area."""
    return _organisations(area, Q(kind=OrganisationKind.ASSOCIATION), limit)
