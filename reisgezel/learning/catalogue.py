"""The public course catalogue: which courses are on offer, filtered, counted and paged.

A course is on offer when it is published and has at least one edition that is planned,
open or running and has not ended. Filters on the course (discipline, ages, level, kind,
language, facility) and on the edition (weekday, neighbourhood, free places, price) are
applied to the editions on offer; a course matches when at least one of its editions
matches every filter. Everything is counted in courses, not editions.

Facet counts are disjunctive, as in the agenda: each facet is counted with every filter
except its own, so choosing "dance" still shows how many music courses there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from reisgezel.core.models import Term, TermKind
from reisgezel.learning.models import (
    LIFE_STAGE_AGES,
    Course,
    CourseState,
    Edition,
    EditionState,
    Tariff,
)
from reisgezel.learning.services.offer import EDITION_DOC_TYPE
from reisgezel.places.models import Neighbourhood
from reisgezel.search.query import matching_object_ids

ON_OFFER_STATES = (EditionState.PLANNED, EditionState.OPEN, EditionState.RUNNING)
FACETS = (
    "discipline",
    "life_stage",
    "level",
    "kind",
    "weekday",
    "neighbourhood",
    "language",
    "facility",
    "free_places",
)


class Sort:
    START = "start"
    TITLE = "title"


@dataclass(frozen=True)
class CatalogueFilters:
    disciplines: tuple[str, ...] = ()
    life_stages: tuple[str, ...] = ()
    age: int | None = None
    levels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()
    neighbourhoods: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    facilities: tuple[str, ...] = ()
    free_places: bool = False
    price_max: Decimal | None = None
    text: str = ""
    sort: str = Sort.START
    page: int = 1
    per_page: int = 20

    @property
    def active_facets(self) -> set[str]:
        chosen = {
            "discipline": self.disciplines,
            "life_stage": self.life_stages,
            "level": self.levels,
            "kind": self.kinds,
            "weekday": self.weekdays,
            "neighbourhood": self.neighbourhoods,
            "language": self.languages,
            "facility": self.facilities,
            "free_places": self.free_places,
        }
        return {name for name, value in chosen.items() if value}


@dataclass
class CatalogueEntry:
    course: Course
    editions: list[Edition]
    """The course's editions on offer that match the filters, first start first."""


@dataclass
class CatalogueResult:
    entries: list[CatalogueEntry]
    total: int
    page: int
    num_pages: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per facet: value (as text) -> number of courses."""


def editions_on_offer(*, today: date | None = None) -> QuerySet[Edition]:
    today = today or timezone.localdate()
    return Edition.objects.filter(
        course__state=CourseState.PUBLISHED, state__in=ON_OFFER_STATES, ends_on__gte=today
    )


def _age_overlaps(low: int, high: int) -> Q:
    return Q(course__age_min__lte=high, course__age_max__gte=low)


def matching_editions(
    filters: CatalogueFilters, *, skip: str = "", today: date | None = None
) -> QuerySet[Edition]:
    """Editions on offer with every filter but `skip` (a facet name) applied."""
    qs = editions_on_offer(today=today)
    if filters.disciplines and skip != "discipline":
        qs = qs.filter(
            course__in=Course.disciplines.through.objects.filter(
                term__kind=TermKind.DISCIPLINE, term__code__in=filters.disciplines
            ).values("course_id")
        )
    if filters.facilities and skip != "facility":
        qs = qs.filter(
            course__in=Course.facilities.through.objects.filter(
                term__kind=TermKind.FACILITY, term__code__in=filters.facilities
            ).values("course_id")
        )
    if filters.life_stages and skip != "life_stage":
        bands = Q()
        for stage in filters.life_stages:
            if stage in LIFE_STAGE_AGES:
                bands |= _age_overlaps(*LIFE_STAGE_AGES[stage])
        qs = qs.filter(bands) if bands else qs.none()
    if filters.age is not None:
        qs = qs.filter(course__age_min__lte=filters.age, course__age_max__gte=filters.age)
    if filters.levels and skip != "level":
        qs = qs.filter(course__level__in=filters.levels)
    if filters.kinds and skip != "kind":
        qs = qs.filter(course__kind__in=filters.kinds)
    if filters.languages and skip != "language":
        qs = qs.filter(course__language__in=filters.languages)
    if filters.weekdays and skip != "weekday":
        qs = qs.filter(weekday__in=filters.weekdays)
    if filters.neighbourhoods and skip != "neighbourhood":
        qs = qs.filter(place__neighbourhood__slug__in=filters.neighbourhoods)
    if filters.free_places and skip != "free_places":
        qs = qs.filter(places_taken__lt=F("max_participants"))
    if filters.price_max is not None:
        # A tariff at or under the maximum (e.g. the under-18 price) is enough: the
        # course page and the tariff service say which one applies to whom.
        qs = qs.filter(
            Exists(Tariff.objects.filter(edition=OuterRef("pk"), amount__lte=filters.price_max))
        )
    if filters.text:
        qs = qs.filter(course_id__in=course_ids_matching(filters.text))
    return qs


def course_ids_matching(text: str) -> QuerySet[Edition, int]:
    """Ids of courses whose editions' search documents match `text` (every word,
    accent-folded, as a stem in nl/en/de/fr, the last one also as a prefix), as a
    subquery: the catalogue's filters and the full-text match are one SQL query."""
    return Edition.objects.filter(
        pk__in=matching_object_ids(doc_type=EDITION_DOC_TYPE, text=text)
    ).values_list("course_id", flat=True)


def _title_in(language: str) -> Any:
    return Coalesce(KT(f"title__{language}"), KT("title__nl"))


def _page_course_ids(
    editions: QuerySet[Edition], filters: CatalogueFilters, page: int
) -> list[int]:
    offset = (page - 1) * filters.per_page
    if filters.sort == Sort.TITLE:
        language = translation.get_language() or "nl"
        courses = (
            Course.objects.filter(pk__in=editions.values("course_id"))
            .annotate(sort_title=_title_in(language))
            .order_by("sort_title", "pk")
            .values_list("pk", flat=True)
        )
        return list(courses[offset : offset + filters.per_page])
    rows = (
        editions.order_by()
        .values("course_id")
        .annotate(first_start=Min("starts_on"))
        .order_by("first_start", "course_id")
        .values_list("course_id", flat=True)
    )
    return list(rows[offset : offset + filters.per_page])


def _count_courses(editions: QuerySet[Edition]) -> int:
    return editions.order_by().values("course_id").distinct().count()


def _grouped(editions: QuerySet[Edition], column: str) -> dict[str, int]:
    rows = (
        editions.exclude(**{f"{column}__isnull": True})
        .order_by()
        .values(column)
        .annotate(n=Count("course_id", distinct=True))
    )
    return {str(row[column]): row["n"] for row in rows}


def facet_counts(
    filters: CatalogueFilters, *, today: date | None = None
) -> dict[str, dict[str, int]]:
    """Courses per facet value, each facet counted without its own filter."""
    counts: dict[str, dict[str, int]] = {}

    def scope(name: str) -> QuerySet[Edition]:
        return matching_editions(filters, skip=name, today=today)

    counts["discipline"] = _term_counts(scope("discipline"), "disciplines")
    counts["facility"] = _term_counts(scope("facility"), "facilities")
    counts["level"] = _grouped(scope("level"), "course__level")
    counts["kind"] = _grouped(scope("kind"), "course__kind")
    counts["language"] = _grouped(scope("language"), "course__language")
    counts["weekday"] = _grouped(scope("weekday"), "weekday")
    counts["neighbourhood"] = _grouped(scope("neighbourhood"), "place__neighbourhood__slug")
    stages = scope("life_stage").aggregate(
        **{
            stage: Count("course_id", distinct=True, filter=_age_overlaps(low, high))
            for stage, (low, high) in LIFE_STAGE_AGES.items()
        }
    )
    counts["life_stage"] = {stage: n for stage, n in stages.items() if n}
    free = scope("free_places").filter(places_taken__lt=F("max_participants"))
    counts["free_places"] = {"1": _count_courses(free)}
    return counts


def _term_counts(editions: QuerySet[Edition], relation: str) -> dict[str, int]:
    rows = (
        editions.order_by()
        .values(f"course__{relation}__code")
        .exclude(**{f"course__{relation}__isnull": True})
        .annotate(n=Count("course_id", distinct=True))
    )
    return {row[f"course__{relation}__code"]: row["n"] for row in rows}


def catalogue_page(
    filters: CatalogueFilters, *, with_facets: bool = True, today: date | None = None
) -> CatalogueResult:
    editions = matching_editions(filters, today=today)
    total = _count_courses(editions)
    num_pages = max(1, -(-total // filters.per_page))
    page = min(max(1, filters.page), num_pages)
    ids = _page_course_ids(editions, filters, page)
    courses = Course.objects.select_related("provider").prefetch_related("disciplines").in_bulk(ids)
    by_course: dict[int, list[Edition]] = {pk: [] for pk in ids}
    for edition in (
        editions.filter(course_id__in=ids)
        .select_related("place", "place__neighbourhood")
        .defer("place__neighbourhood__geometry")
        .order_by("starts_on", "pk")
    ):
        by_course[edition.course_id].append(edition)
    entries = [CatalogueEntry(courses[pk], by_course[pk]) for pk in ids if pk in courses]
    return CatalogueResult(
        entries=entries,
        total=total,
        page=page,
        num_pages=num_pages,
        facets=facet_counts(filters, today=today) if with_facets else {},
    )


def discipline_terms(codes: Iterable[str]) -> dict[str, Term]:
    return {t.code: t for t in Term.objects.filter(kind=TermKind.DISCIPLINE, code__in=codes)}


def neighbourhood_names(slugs: Iterable[str]) -> dict[str, str]:
    return dict(Neighbourhood.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))
