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
from reisgezel.agenda.facet_counts import counts_over
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

# The event page's name for sections other apps add (reisgezel/core/sections.py).
EVENT_PAGE = "agenda.event"
PARTNER_DASHBOARD = "partners.dashboard"  # sections of the partner pages' home, per user


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
    if with_facets:
        # The total comes with the facet counts, from the same scan.
        total, _counts = cached(filters, "counts", lambda: agenda_counts(filters))
    else:
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


def _active_facet_filters(filters: AgendaFilters) -> set[str]:
    active = {
        "discipline": bool(filters.disciplines),
        "facility": bool(filters.facilities),
        "language": bool(filters.languages),
        "organiser": bool(filters.organisers),
        "neighbourhood": bool(filters.neighbourhoods or filters.districts),
        "free": filters.free,
    }
    return {name for name, on in active.items() if on}


def _own_counts(filters: AgendaFilters, facet: str) -> dict[Any, int]:
    """Counts of one facet whose own filter is in use: over every other filter."""
    occurrences = occurrences_matching(filters, skip=facet)
    return counts_over(occurrences, [facet])[facet]


def agenda_counts(filters: AgendaFilters) -> tuple[int, dict[str, dict[Any, int]]]:
    """The total and the raw counts per facet value (ids or codes as text)."""
    active = _active_facet_filters(filters)
    shared = counts_over(occurrences_matching(filters), [f for f in FACETS if f not in active])
    counts = {f: shared[f] for f in FACETS if f not in active}
    for facet in active:
        counts[facet] = _own_counts(filters, facet)
    return shared["total"].get(None, 0), counts


def agenda_facets(filters: AgendaFilters) -> dict[str, list[FacetValue]]:
    """Counts of events per facet value. A facet ignores its own filter (disjunctive),
    so choosing "dance" still shows how many music events there are."""
    _total, counts = cached(filters, "counts", lambda: agenda_counts(filters))
    return facet_values(filters, counts)


def _by_id(counts: dict[Any, int]) -> dict[int, int]:
    return {int(value): n for value, n in counts.items() if value is not None}


def _sorted(values: Any) -> list[FacetValue]:
    return sorted(values, key=lambda f: (-f.count, str(f.label)))


def facet_values(
    filters: AgendaFilters, counts: dict[str, dict[Any, int]]
) -> dict[str, list[FacetValue]]:
    """Label the raw counts (terms, neighbourhoods, organisers) for display."""
    by_term = _by_id(counts["discipline"]) | _by_id(counts["facility"])
    terms = {t.pk: t for t in Term.objects.filter(pk__in=by_term)}
    chosen = {"discipline": filters.disciplines, "facility": filters.facilities}
    facets: dict[str, list[FacetValue]] = {}
    for name in ("discipline", "facility"):
        facets[name] = _sorted(
            FacetValue(terms[pk].code, terms[pk].label, n, terms[pk].code in chosen[name])
            for pk, n in _by_id(counts[name]).items()
            if pk in terms
        )
    buurten = _by_id(counts["neighbourhood"])
    facets["neighbourhood"] = _sorted(
        FacetValue(b.slug, b.name, buurten[b.pk], b.slug in filters.neighbourhoods)
        for b in Neighbourhood.objects.filter(pk__in=buurten).defer("geometry")
    )
    facets["language"] = sorted(
        (
            FacetValue(code, code, n, code in filters.languages)
            for code, n in counts["language"].items()
        ),
        key=lambda f: (-f.count, f.value),
    )
    organisers = _by_id(counts["organiser"])
    facets["organiser"] = _sorted(
        FacetValue(o.slug, o.name, organisers[o.pk], o.slug in filters.organisers)
        for o in Organisation.objects.filter(pk__in=organisers)
    )[:30]
    facets["free"] = [FacetValue("1", "free", counts["free"].get(None, 0), filters.free)]
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
