"""The learning API (django-ninja), read-only and open: the catalogue of published
courses and their public editions, under /api/learning/.

Filters follow the catalogue: discipline, life stage, age, level, kind, provider
(repeat a parameter for several values). Bad filter values answer 400 with the one
error shape of the API ({"detail", "errors"}); an unknown or unpublished course or
edition answers 404, so drafts are never revealed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from reisgezel.core.api_errors import ErrorOut
from reisgezel.core.i18n import SOURCE_LANGUAGE, content_languages, language_map
from reisgezel.learning.models import (
    LIFE_STAGE_AGES,
    Course,
    CourseKind,
    CourseState,
    Edition,
    Level,
    LifeStage,
    Session,
)
from reisgezel.learning.public_names import person_name
from reisgezel.learning.services.offer import PUBLIC_EDITION_STATES, course_url, public_editions

router = Router(tags=["learning"])

PER_PAGE_CHOICES = (10, 20, 50, 100)


class TermOut(Schema):
    code: str
    label: str


class NamedOut(Schema):
    slug: str
    name: str


class TariffOut(Schema):
    code: str
    label: dict[str, str]
    label_text: str
    amount: Decimal
    is_default: bool
    age_min: int | None
    age_max: int | None


class SessionOut(Schema):
    starts_at: datetime
    ends_at: datetime
    is_cancelled: bool
    note: dict[str, str]
    room: str | None


class EditionOut(Schema):
    id: int
    code: str
    term: dict[str, str]
    state: str
    starts_on: date
    ends_on: date
    weekday: int | None
    start_time: time | None
    end_time: time | None
    place: NamedOut
    room: str | None
    teacher: str | None
    min_participants: int
    max_participants: int
    places_left: int
    participants_needed: int
    enrol_opens_at: datetime | None
    enrol_closes_at: datetime | None
    cancel_until: datetime | None
    price: Decimal | None
    tariffs: list[TariffOut]


class EditionDetailOut(EditionOut):
    course: CourseSummaryOut
    sessions: list[SessionOut]


class CourseSummaryOut(Schema):
    slug: str
    url: str
    kind: str
    title: dict[str, str]
    title_text: str
    summary: dict[str, str]
    provider: NamedOut
    disciplines: list[TermOut]
    level: str
    life_stages: list[str]
    age_min: int
    age_max: int
    language: str


class CourseListItemOut(CourseSummaryOut):
    editions: list[EditionOut]


class CourseDetailOut(CourseListItemOut):
    description: dict[str, str]
    accessibility: dict[str, str]
    facilities: list[TermOut]
    prerequisites: list[str]
    grade_min: int | None
    grade_max: int | None


EditionDetailOut.model_rebuild()


class CoursePageOut(Schema):
    items: list[CourseListItemOut]
    total: int
    page: int
    num_pages: int


class CourseQuery(Schema):
    discipline: list[str] = Field(default_factory=list, description="Discipline term codes")
    life_stage: list[str] = Field(
        default_factory=list, description="toddler, child, youth, adult or senior"
    )
    age: str | None = Field(None, description="An age in years: courses open to it")
    level: list[str] = Field(default_factory=list, description="beginner ... advanced, or all")
    kind: list[str] = Field(default_factory=list, description="year_course, workshop, ...")
    provider: list[str] = Field(default_factory=list, description="Organisation slugs")
    page: str | None = None
    per_page: str | None = Field(None, description="10, 20, 50 or 100")
    lang: str = Field(SOURCE_LANGUAGE, description="Language of the *_text fields and labels")


def _lang(lang: str) -> str:
    return lang if lang in content_languages() else SOURCE_LANGUAGE


def _choice_errors(values: list[str], allowed: list[str], message: str) -> list[str]:
    return [message % {"value": v} for v in values if v not in allowed]


def _filtered(query: CourseQuery) -> tuple[QuerySet[Course], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    courses = Course.objects.filter(state=CourseState.PUBLISHED)
    for name, allowed in (
        ("life_stage", LifeStage.values),
        ("level", Level.values),
        ("kind", CourseKind.values),
    ):
        bad = _choice_errors(
            getattr(query, name), allowed, gettext("“%(value)s” is not a known value.")
        )
        if bad:
            errors[name] = bad
    if query.discipline:
        courses = courses.filter(disciplines__code__in=query.discipline)
    if query.life_stage and "life_stage" not in errors:
        overlap = Q()
        for stage in query.life_stage:
            low, high = LIFE_STAGE_AGES[stage]
            overlap |= Q(age_min__lte=high, age_max__gte=low)
        courses = courses.filter(overlap)
    if query.age not in (None, ""):
        try:
            age = int(query.age)
            if not 0 <= age <= 120:
                raise ValueError
        except ValueError:
            errors["age"] = [gettext("Give an age as a whole number from 0 to 120.")]
        else:
            courses = courses.filter(age_min__lte=age, age_max__gte=age)
    if query.level:
        courses = courses.filter(level__in=query.level)
    if query.kind:
        courses = courses.filter(kind__in=query.kind)
    if query.provider:
        courses = courses.filter(provider__slug__in=query.provider)
    return courses.distinct(), errors


def _page_numbers(query: CourseQuery, errors: dict[str, list[str]]) -> tuple[int, int]:
    page, per_page = 1, 20
    try:
        page = int(query.page or 1)
        if page < 1:
            raise ValueError
    except ValueError:
        errors["page"] = [gettext("Give a page number from 1.")]
    try:
        per_page = int(query.per_page or 20)
        if per_page not in PER_PAGE_CHOICES:
            raise ValueError
    except ValueError:
        errors["per_page"] = [gettext("Choose 10, 20, 50 or 100 per page.")]
    return page, per_page


def _editions_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "editions",
        queryset=Edition.objects.filter(state__in=PUBLIC_EDITION_STATES)
        .select_related("place", "room", "teacher")
        .prefetch_related("tariffs"),
        to_attr="public_editions",
    )


def _tariffs(edition: Edition, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "code": t.code,
            "label": dict(t.label),
            "label_text": language_map(t.label).get_for(lang),
            "amount": t.amount,
            "is_default": t.is_default,
            "age_min": t.age_min,
            "age_max": t.age_max,
        }
        for t in edition.tariffs.all()
    ]


def _edition(edition: Edition, lang: str) -> dict[str, Any]:
    tariffs = _tariffs(edition, lang)
    default = next((t["amount"] for t in tariffs if t["is_default"]), None)
    return {
        "id": edition.pk,
        "code": edition.code,
        "term": dict(edition.term),
        "state": edition.state,
        "starts_on": edition.starts_on,
        "ends_on": edition.ends_on,
        "weekday": edition.weekday,
        "start_time": edition.start_time,
        "end_time": edition.end_time,
        "place": {"slug": edition.place.slug, "name": edition.place.name},
        "room": edition.room.name if edition.room else None,
        # The teacher's public name only: never their account or contact details.
        "teacher": person_name(edition.teacher) or None,
        "min_participants": edition.min_participants,
        "max_participants": edition.max_participants,
        "places_left": edition.places_left,
        "participants_needed": edition.participants_needed,
        "enrol_opens_at": edition.enrol_opens_at,
        "enrol_closes_at": edition.enrol_closes_at,
        "cancel_until": edition.cancel_until,
        "price": default,
        "tariffs": tariffs,
    }


def _course(request: HttpRequest, course: Course, lang: str) -> dict[str, Any]:
    with translation.override(lang):
        url = request.build_absolute_uri(course_url(course))
    return {
        "slug": course.slug,
        "url": url,
        "kind": course.kind,
        "title": dict(course.title),
        "title_text": language_map(course.title).get_for(lang),
        "summary": dict(course.summary),
        "provider": {"slug": course.provider.slug, "name": course.provider.name},
        "disciplines": [
            {"code": t.code, "label": t.label.get_for(lang)} for t in course.disciplines.all()
        ],
        "level": course.level,
        "life_stages": course.life_stages,
        "age_min": course.age_min,
        "age_max": course.age_max,
        "language": course.language,
    }


def _course_with_editions(request: HttpRequest, course: Course, lang: str) -> dict[str, Any]:
    editions = getattr(course, "public_editions", None)
    if editions is None:
        editions = list(
            course.editions.filter(state__in=PUBLIC_EDITION_STATES)
            .select_related("place", "room", "teacher")
            .prefetch_related("tariffs")
        )
    return {**_course(request, course, lang), "editions": [_edition(e, lang) for e in editions]}


@router.get(
    "/courses",
    response={200: CoursePageOut, 400: ErrorOut},
    summary="Published courses with their public editions (filtered, paginated)",
)
def course_list(request: HttpRequest, query: Query[CourseQuery]) -> Any:
    courses, errors = _filtered(query)
    page, per_page = _page_numbers(query, errors)
    if errors:
        return Status(400, {"detail": gettext("The filters are not valid."), "errors": errors})
    lang = _lang(query.lang)
    paginator = Paginator(
        courses.select_related("provider")
        .prefetch_related("disciplines", _editions_prefetch())
        .order_by("slug"),
        per_page,
    )
    current = paginator.get_page(page)
    return {
        "items": [_course_with_editions(request, c, lang) for c in current.object_list],
        "total": paginator.count,
        "page": current.number,
        "num_pages": paginator.num_pages,
    }


@router.get(
    "/courses/{slug}",
    response={200: CourseDetailOut, 404: ErrorOut},
    summary="A published course with its public editions",
)
def course_detail(request: HttpRequest, slug: str, lang: str = SOURCE_LANGUAGE) -> Any:
    course = (
        Course.objects.filter(state=CourseState.PUBLISHED, slug=slug)
        .select_related("provider")
        .prefetch_related(
            "disciplines",
            "facilities",
            # A prerequisite still in draft (or archived) is not named to the public.
            Prefetch("prerequisites", queryset=Course.objects.filter(state=CourseState.PUBLISHED)),
            _editions_prefetch(),
        )
        .first()
    )
    if course is None:
        raise Http404(gettext("No published course with this address."))
    lang = _lang(lang)
    return {
        **_course_with_editions(request, course, lang),
        "description": dict(course.description),
        "accessibility": dict(course.accessibility),
        "facilities": [
            {"code": t.code, "label": t.label.get_for(lang)} for t in course.facilities.all()
        ],
        "prerequisites": [p.slug for p in course.prerequisites.all()],
        "grade_min": course.grade_min,
        "grade_max": course.grade_max,
    }


@router.get(
    "/editions/{edition_id}",
    response={200: EditionDetailOut, 404: ErrorOut},
    summary="A public edition with its sessions, places left and prices",
)
def edition_detail(request: HttpRequest, edition_id: int, lang: str = SOURCE_LANGUAGE) -> Any:
    edition = (
        public_editions()
        .filter(pk=edition_id)
        .select_related("course__provider", "place", "room", "teacher")
        .prefetch_related(
            "tariffs",
            "course__disciplines",
            Prefetch("sessions", queryset=Session.objects.select_related("room")),
        )
        .first()
    )
    if edition is None:
        raise Http404(gettext("No public edition with this id."))
    lang = _lang(lang)
    return {
        **_edition(edition, lang),
        "course": _course(request, edition.course, lang),
        "sessions": [
            {
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "is_cancelled": s.is_cancelled,
                "note": dict(s.note),
                "room": s.room.name if s.room else None,
            }
            for s in edition.sessions.all()
        ],
    }
