"""Public pages of the talent developer: the course catalogue, a course, the discount
schemes.

Views are thin: the filters are parsed by forms_catalogue, the query is in catalogue.py.
The catalogue answers htmx requests (HX-Request header) with only its results region and
the filters (out of band), like the agenda list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel import Locale, UnknownLocaleError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from reisgezel.core.models import Term, TermKind
from reisgezel.learning.catalogue import CatalogueFilters, CatalogueResult, catalogue_page
from reisgezel.learning.forms_catalogue import CatalogueFilterForm, usable_filters
from reisgezel.learning.jsonld import course_jsonld
from reisgezel.learning.models import (
    Course,
    CourseKind,
    CourseState,
    DiscountScheme,
    Edition,
    EditionState,
    Level,
    LifeStage,
    SchemeKind,
    Session,
)
from reisgezel.learning.permissions import can_manage_course
from reisgezel.learning.public_names import person_name
from reisgezel.places.jsonld import script_json
from reisgezel.places.models import Neighbourhood, Weekday


@dataclass
class FacetValue:
    value: str
    label: Any
    count: int
    selected: bool


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def language_name(code: str) -> str:
    """The name of a language (ISO 639-1) in the interface language, via babel."""
    try:
        locale = Locale.parse(translation.get_language() or "nl")
    except (ValueError, UnknownLocaleError):
        return code
    name = locale.languages.get(code)
    if code == "li" and not name:
        return "Limburgs"
    return name[:1].upper() + name[1:] if name else code


def page_range(page: int, num_pages: int) -> list[int | None]:
    """Page numbers to show: first, last, and two around the current; None is a gap."""
    shown = sorted({1, num_pages, *range(max(1, page - 2), min(num_pages, page + 2) + 1)})
    result: list[int | None] = []
    for n in shown:
        if result and n - (result[-1] or 0) > 1:
            result.append(None)
        result.append(n)
    return result


# --- Catalogue --------------------------------------------------------------------------


def _choices(
    choices: list[tuple[Any, Any]], counts: dict[str, int], selected: tuple[Any, ...]
) -> list[FacetValue]:
    """Fixed choices in their own order: those with courses, and the chosen ones."""
    chosen = {str(value) for value in selected}
    return [
        FacetValue(str(value), label, counts.get(str(value), 0), str(value) in chosen)
        for value, label in choices
        if counts.get(str(value)) or str(value) in chosen
    ]


def _by_count(values: list[FacetValue]) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, str(v.label)))


def _terms(kind: str, counts: dict[str, int], selected: tuple[str, ...]) -> list[FacetValue]:
    codes = set(counts) | set(selected)
    return _by_count(
        [
            FacetValue(t.code, t.label, counts.get(t.code, 0), t.code in selected)
            for t in Term.objects.filter(kind=kind, code__in=codes)
        ]
    )


def facets_for_display(result: CatalogueResult, filters: CatalogueFilters) -> dict[str, Any]:
    counts = result.facets
    neighbourhoods = set(counts.get("neighbourhood", {})) | set(filters.neighbourhoods)
    names = dict(Neighbourhood.objects.filter(slug__in=neighbourhoods).values_list("slug", "name"))
    languages = set(counts.get("language", {})) | set(filters.languages)
    return {
        "discipline": _terms(
            TermKind.DISCIPLINE, counts.get("discipline", {}), filters.disciplines
        ),
        "life_stage": _choices(
            LifeStage.choices, counts.get("life_stage", {}), filters.life_stages
        ),
        "level": _choices(Level.choices, counts.get("level", {}), filters.levels),
        "kind": _choices(CourseKind.choices, counts.get("kind", {}), filters.kinds),
        "weekday": _choices(Weekday.choices, counts.get("weekday", {}), filters.weekdays),
        "neighbourhood": _by_count(
            [
                FacetValue(
                    slug,
                    names[slug],
                    counts["neighbourhood"].get(slug, 0),
                    slug in filters.neighbourhoods,
                )
                for slug in neighbourhoods
                if slug in names
            ]
        ),
        "language": _by_count(
            [
                FacetValue(
                    code,
                    language_name(code),
                    counts.get("language", {}).get(code, 0),
                    code in filters.languages,
                )
                for code in languages
            ]
        ),
        "facility": _terms(TermKind.FACILITY, counts.get("facility", {}), filters.facilities),
        "free_places": counts.get("free_places", {}).get("1", 0),
    }


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET)
    if form.is_valid():
        filters, status = form.filters(), 200
    else:
        filters, status = usable_filters(form), 400
    result = catalogue_page(filters)
    context = {
        "form": form,
        "filters": filters,
        "result": result,
        "facets": facets_for_display(result, filters),
        "page_range": page_range(result.page, result.num_pages),
        "has_filters": any(key not in ("page", "sort", "per_page") for key in request.GET),
    }
    template = (
        "learning/catalogue/list.html#htmx_response"
        if is_htmx(request)
        else "learning/catalogue/list.html"
    )
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response


# --- Course -----------------------------------------------------------------------------


@dataclass
class EditionView:
    edition: Edition
    teacher_name: str
    sessions: list[Session]
    enrol_state: str
    """"open", "waiting_list" (full), "not_yet", "closed" or "" (no enrolment here)."""
    enrol_url: str


def _enrol_state(edition: Edition, now: datetime) -> str:
    if edition.state == EditionState.CANCELLED:
        return ""
    if edition.state not in (EditionState.OPEN, EditionState.RUNNING, EditionState.PLANNED):
        return ""
    if edition.enrol_opens_at and now < edition.enrol_opens_at:
        return "not_yet"
    if edition.enrol_closes_at and now >= edition.enrol_closes_at:
        return "closed"
    if edition.state == EditionState.PLANNED:
        return "not_yet"
    return "waiting_list" if edition.places_left == 0 else "open"


def upcoming_editions(course: Course) -> list[Edition]:
    return list(
        course.editions.filter(ends_on__gte=timezone.localdate())
        .exclude(state=EditionState.COMPLETED)
        .select_related("place", "place__neighbourhood", "room", "teacher")
        .defer("place__neighbourhood__geometry")
        .prefetch_related(
            "tariffs", Prefetch("sessions", queryset=Session.objects.select_related("room"))
        )
        .order_by("starts_on", "pk")
    )


def schemes_for(course: Course) -> QuerySet[DiscountScheme]:
    """Active discount schemes whose age range overlaps the course's. School budgets
    apply only to school programmes, and school programmes only to them."""
    schemes = DiscountScheme.objects.filter(is_active=True).filter(
        Q(age_min__isnull=True) | Q(age_min__lte=course.age_max),
        Q(age_max__isnull=True) | Q(age_max__gte=course.age_min),
    )
    if course.kind == CourseKind.SCHOOL_PROGRAMME:
        return schemes.filter(kind=SchemeKind.SCHOOL_BUDGET)
    return schemes.exclude(kind=SchemeKind.SCHOOL_BUDGET)


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = (
        Course.objects.select_related("provider")
        .prefetch_related("disciplines", "facilities")
        .filter(slug=slug)
        .first()
    )
    if course is None:
        raise Http404(_("No such course."))
    is_public = course.state == CourseState.PUBLISHED
    # Providers (members of the course's organisation) and staff preview a draft.
    if not is_public and not can_manage_course(request.user, course):
        raise Http404(_("No such course."))
    now = timezone.now()
    editions = upcoming_editions(course)
    views = [
        EditionView(
            edition=edition,
            teacher_name=person_name(edition.teacher),
            sessions=list(edition.sessions.all()),
            enrol_state=_enrol_state(edition, now),
            enrol_url=reverse("learning:enrol", kwargs={"edition_id": edition.pk}),
        )
        for edition in editions
    ]
    stages = dict(LifeStage.choices)
    context = {
        "course": course,
        "is_public": is_public,
        "editions": views,
        "life_stages": [stages[stage] for stage in course.life_stages],
        "language": language_name(course.language),
        "schemes": list(schemes_for(course)),
        # Cancelled groups are on the page (with their reason) but not offered to robots.
        "jsonld": script_json(
            course_jsonld(
                course, editions=[e for e in editions if e.state != EditionState.CANCELLED]
            )
        )
        if is_public
        else "",
    }
    response = render(request, "learning/catalogue/course.html", context)
    if not is_public:
        response["Cache-Control"] = "private, no-store"
    return response


def schemes(request: HttpRequest) -> HttpResponse:
    """The discount schemes, explained (the course pages link here)."""
    context = {"schemes": DiscountScheme.objects.filter(is_active=True).order_by("code")}
    return render(request, "learning/catalogue/schemes.html", context)
