"""Reads of the agenda: the filtered, faceted list of what is on, and event lookups.

One query shape serves the pages, the API and the iCalendar feeds. Occurrences carry
the filter columns, so a date range plus neighbourhood/free/age is one index scan;
disciplines, languages and facilities join their small link tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from reisgezel.accounts.models import Organisation
from reisgezel.agenda.cache import cached
from reisgezel.agenda.filters import AgendaFilters
from reisgezel.agenda.models import (
    MAX_OCCURRENCE_SPAN,
    Event,
    EventLanguage,
    ModerationState,
    Occurrence,
)
from reisgezel.core.models import Term
from reisgezel.places.models import Neighbourhood
from reisgezel.search.query import matching_object_ids

FACETS = ("discipline", "neighbourhood", "language", "facility", "organiser", "free")


@dataclass
class AgendaItem:
    event: Event
    first_start: datetime
    occurrence_count: int
    occurrence: Occurrence | None = None


@dataclass
class FacetValue:
    value: str
    label: Any
    count: int
    selected: bool


@dataclass
class AgendaResult:
    """One page of the agenda. The events and the facet counts are read on first use:
    a page whose rendered results and filters are in the cache never needs them."""

    total: int
    page: int
    num_pages: int
    load_items: Callable[[], list[AgendaItem]] = field(repr=False, default=list)
    load_facets: Callable[[], dict[str, list[FacetValue]]] = field(repr=False, default=dict)

    @cached_property
    def items(self) -> list[AgendaItem]:
        return self.load_items()

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        return self.load_facets()


def _ids(model: type[Any], column: str, values: tuple[str, ...], **extra: Any) -> list[int]:
    return list(
        model.objects.filter(**{f"{column}__in": values}, **extra).values_list("pk", flat=True)
    )


def _in_period(filters: AgendaFilters) -> Q:
    return Q(
        is_public=True,
        start__lt=filters.end,
        end__gt=filters.start,
        # Occurrences are never longer than MAX_OCCURRENCE_SPAN: bounds the index scan.
        start__gte=filters.start - MAX_OCCURRENCE_SPAN,
    )


def _neighbourhood_ids(filters: AgendaFilters) -> list[int] | None:
    if not (filters.neighbourhoods or filters.districts):
        return None
    buurt_q = Q(slug__in=filters.neighbourhoods) | Q(district__slug__in=filters.districts)
    return list(Neighbourhood.objects.filter(buurt_q).values_list("pk", flat=True))


def occurrences_matching(filters: AgendaFilters, *, skip: str = "") -> QuerySet[Occurrence]:
    """Public occurrences overlapping the filters' period, with every filter but `skip`."""
    qs = Occurrence.objects.filter(_in_period(filters))
    if filters.free and skip != "free":
        qs = qs.filter(is_free=True)
    if filters.age is not None:
        qs = qs.filter(Q(age_min__isnull=True) | Q(age_min__lte=filters.age)).filter(
            Q(age_max__isnull=True) | Q(age_max__gte=filters.age)
        )
    buurt_ids = _neighbourhood_ids(filters)
    if buurt_ids is not None and skip != "neighbourhood":
        qs = qs.filter(neighbourhood_id__in=buurt_ids)
    # Term filters are semi-joins on the link tables, not joins through the event: the
    # planner then probes the small link table per occurrence (10x faster at 1M rows).
    for name, codes, link in (
        ("discipline", filters.disciplines, Event.disciplines.through),
        ("theme", filters.themes, Event.themes.through),
        ("facility", filters.facilities, Event.facilities.through),
    ):
        if codes and skip != name:
            term_ids = _ids(Term, "code", codes, kind=name)
            linked: QuerySet[Any, Any] = link.objects.filter(term_id__in=term_ids)
            qs = qs.filter(event_id__in=linked.values("event_id"))
    if filters.languages and skip != "language":
        qs = qs.filter(
            event_id__in=EventLanguage.objects.filter(code__in=filters.languages).values("event_id")
        )
    if filters.organisers and skip != "organiser":
        qs = qs.filter(event__organiser_id__in=_ids(Organisation, "slug", filters.organisers))
    if filters.audience:
        qs = qs.filter(event__audience=filters.audience)
    if filters.text:
        qs = qs.filter(event_id__in=matching_object_ids(doc_type="event", text=filters.text))
    return qs


# Boundaries are large GeoJSON documents: lists never load them.
_NO_GEOMETRY = ("place__neighbourhood__geometry",)


def _event_queryset() -> QuerySet[Event]:
    return (
        Event.objects.select_related("organiser", "place", "place__neighbourhood")
        .defer(*_NO_GEOMETRY)
        .prefetch_related("disciplines", "languages", "facilities", Prefetch("images"))
    )


def agenda_page(filters: AgendaFilters, *, with_facets: bool = True) -> AgendaResult:
    """The agenda: one row per event, at its first occurrence within the period."""
    total = cached(
        filters,
        "total",
        lambda: occurrences_matching(filters).values("event_id").distinct().count(),
    )
    num_pages = max(1, -(-total // filters.per_page))
    page = min(max(1, filters.page), num_pages)
    return AgendaResult(
        total=total,
        page=page,
        num_pages=num_pages,
        load_items=lambda: _agenda_items(_first_occurrence_rows(filters, page)),
        load_facets=(lambda: cached(filters, "facets", lambda: agenda_facets(filters)))
        if with_facets
        else dict,
    )


def _first_occurrence_rows(filters: AgendaFilters, page: int) -> list[tuple[int, datetime, int]]:
    """(event id, first start, number of dates) of one page; ids and dates only, so they
    can be cached: events are always read fresh (see _agenda_items)."""
    offset = (page - 1) * filters.per_page

    def compute() -> list[tuple[int, datetime, int]]:
        grouped = (
            occurrences_matching(filters)
            .values_list("event_id")
            .annotate(first_start=Min("start"), n=Count("id"))
            .order_by("first_start", "event_id")
        )
        return list(grouped[offset : offset + filters.per_page])

    return cached(filters, f"rows:{page}:{filters.per_page}", compute)


def agenda_prepare(filters: AgendaFilters) -> int:
    """Compute and cache what a first page of these filters needs (total, rows, facets)
    without rendering it. Returns the total."""
    result = agenda_page(filters)
    _first_occurrence_rows(filters, result.page)
    _ = result.facets
    return result.total


def _agenda_items(rows: list[tuple[int, datetime, int]]) -> list[AgendaItem]:
    events = _event_queryset().in_bulk([event_id for event_id, _start, _n in rows])
    firsts = {
        (o.event_id, o.start): o
        for o in Occurrence.objects.filter(
            event_id__in=[r[0] for r in rows], start__in=[r[1] for r in rows]
        )
        .select_related("place", "place__neighbourhood")
        .defer(*_NO_GEOMETRY)
    }
    return [
        AgendaItem(events[event_id], start, n, firsts.get((event_id, start)))
        for event_id, start, n in rows
        if event_id in events
    ]


def _count_by(qs: QuerySet[Any], column: str) -> dict[Any, int]:
    return {
        row[column]: row["n"]
        for row in qs.values(column).annotate(n=Count("event_id", distinct=True)).order_by()
        if row[column] is not None
    }


def agenda_facets(filters: AgendaFilters) -> dict[str, list[FacetValue]]:
    """Counts of events per facet value. A facet ignores its own filter (disjunctive),
    so choosing "dance" still shows how many music events there are."""
    facets: dict[str, list[FacetValue]] = {}
    event_ids = occurrences_matching(filters, skip="discipline").values("event_id")
    counts = _count_by(Event.disciplines.through.objects.filter(event_id__in=event_ids), "term_id")
    terms = Term.objects.filter(pk__in=counts)
    facets["discipline"] = sorted(
        (FacetValue(t.code, t.label, counts[t.pk], t.code in filters.disciplines) for t in terms),
        key=lambda f: (-f.count, str(f.label)),
    )
    event_ids = occurrences_matching(filters, skip="facility").values("event_id")
    counts = _count_by(Event.facilities.through.objects.filter(event_id__in=event_ids), "term_id")
    facets["facility"] = sorted(
        (
            FacetValue(t.code, t.label, counts[t.pk], t.code in filters.facilities)
            for t in Term.objects.filter(pk__in=counts)
        ),
        key=lambda f: (-f.count, str(f.label)),
    )
    counts = _count_by(occurrences_matching(filters, skip="neighbourhood"), "neighbourhood_id")
    facets["neighbourhood"] = sorted(
        (
            FacetValue(n.slug, n.name, counts[n.pk], n.slug in filters.neighbourhoods)
            for n in Neighbourhood.objects.filter(pk__in=counts).defer("geometry")
        ),
        key=lambda f: (-f.count, str(f.label)),
    )
    event_ids = occurrences_matching(filters, skip="language").values("event_id")
    counts = _count_by(EventLanguage.objects.filter(event_id__in=event_ids), "code")
    facets["language"] = sorted(
        (FacetValue(code, code, n, code in filters.languages) for code, n in counts.items()),
        key=lambda f: (-f.count, f.value),
    )
    counts = _count_by(occurrences_matching(filters, skip="organiser"), "event__organiser_id")
    facets["organiser"] = sorted(
        (
            FacetValue(o.slug, o.name, counts[o.pk], o.slug in filters.organisers)
            for o in Organisation.objects.filter(pk__in=counts)
        ),
        key=lambda f: (-f.count, str(f.label)),
    )[:30]
    free = occurrences_matching(filters, skip="free").filter(is_free=True)
    facets["free"] = [
        FacetValue("1", "free", free.values("event_id").distinct().count(), filters.free)
    ]
    return facets


def event_get_public(*, pk: int) -> Event | None:
    """A published event (any status: cancelled ones stay visible with their status)."""
    return (
        _event_queryset()
        .prefetch_related("tariffs", "themes")
        .filter(pk=pk, moderation=ModerationState.APPROVED)
        .first()
    )


def event_get_for(*, user: Any, pk: int) -> Event | None:
    """An event the user may see: published, or one of their organisation's (any state)."""
    from reisgezel.agenda.permissions import can_edit, can_moderate

    event = _event_queryset().prefetch_related("tariffs", "themes").filter(pk=pk).first()
    if event is None:
        return None
    if event.moderation == ModerationState.APPROVED or can_moderate(user) or can_edit(user, event):
        return event
    return None


def upcoming_occurrences(event: Event, *, after: datetime, limit: int = 50) -> list[Occurrence]:
    return list(
        event.occurrences.filter(end__gt=after).select_related("place").order_by("start")[:limit]
    )


def events_of_organiser(
    *, organisation: Organisation, after: datetime, limit: int = 20
) -> list[AgendaItem]:
    rows = (
        Occurrence.objects.filter(is_public=True, event__organiser=organisation, end__gt=after)
        .values("event_id")
        .annotate(first_start=Min("start"), n=Count("id"))
        .order_by("first_start")[:limit]
    )
    events = _event_queryset().in_bulk([r["event_id"] for r in rows])
    return [
        AgendaItem(events[r["event_id"]], r["first_start"], r["n"])
        for r in rows
        if r["event_id"] in events
    ]


def moderation_queue() -> QuerySet[Event]:
    return _event_queryset().filter(moderation=ModerationState.READY).order_by("updated_at")
