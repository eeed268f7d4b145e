"""Writes and rules for the offer: courses, editions and their tariffs.

Providers (members of a course's organisation) manage their own courses, staff manage
all of them (see learning/permissions.py). Publishing, unpublishing and opening are
audited. Every change that the public can see ends in `editions_changed`, which
re-indexes the editions for the site search and re-mirrors them into the city agenda
after the transaction commits. Sessions have their own module (services/sessions.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.accounts.models import Organisation, User
from reisgezel.accounts.selectors import is_member
from reisgezel.core.audit import audit_record
from reisgezel.core.date_range import in_range, range_message
from reisgezel.core.i18n import SOURCE_LANGUAGE, language_map
from reisgezel.core.models import Term, TermKind
from reisgezel.learning import permissions
from reisgezel.learning.models import (
    Course,
    CourseKind,
    CourseState,
    Edition,
    EditionState,
    Level,
    Tariff,
    group_exceeds_room,
)
from reisgezel.learning.selectors import teachers_for
from reisgezel.places.models import Place, Room

EDITION_DOC_TYPE = "course_edition"

PUBLIC_EDITION_STATES = (EditionState.PLANNED, EditionState.OPEN, EditionState.RUNNING)
"""Editions of a published course in these states are public: in the API, the search
and on the course page. Completed and cancelled editions are history."""

# Bounds of what a provider types, well inside the database's small integers: a larger
# number is a typing error, and the database would refuse it with a server error.
GRADES = (1, 14)  # primary groep 1-8, then secondary years as 9-14
MAX_GROUP = 9999
MAX_OFFER_HOURS = 720  # 30 days to accept a place from the waiting list


def public_editions() -> QuerySet[Edition]:
    return Edition.objects.filter(
        course__state=CourseState.PUBLISHED, state__in=PUBLIC_EDITION_STATES
    )


def course_url(course: Course) -> str:
    """The course page in the active language (/nl/learn/courses/<slug>/).

    The page is the catalogue's (learning:course); until that route exists the path it
    will have is used, so links and search documents are right either way."""
    try:
        return reverse("learning:course", kwargs={"slug": course.slug})
    except NoReverseMatch:
        language = translation.get_language() or SOURCE_LANGUAGE
        return f"/{language}/learn/courses/{course.slug}/"


# --- Input ------------------------------------------------------------------------------
@dataclass
class CourseInput:
    """What a provider enters for a course. Language maps are {"nl": ..., "en": ...}."""

    title: dict[str, str]
    kind: str
    disciplines: list[str]  # term codes
    slug: str = ""  # derived from the Dutch title when empty
    summary: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    accessibility: dict[str, str] = field(default_factory=dict)
    facilities: list[str] = field(default_factory=list)
    level: str = Level.ALL
    age_min: int = 0
    age_max: int = 120
    language: str = "nl"
    prerequisites: list[str] = field(default_factory=list)  # course slugs
    grade_min: int | None = None
    grade_max: int | None = None


@dataclass(frozen=True)
class TariffInput:
    code: str
    label: dict[str, str]
    amount: Decimal
    is_default: bool = False
    age_min: int | None = None
    age_max: int | None = None


@dataclass
class EditionInput:
    """An edition: when, where, who teaches, the weekly pattern, group size, prices."""

    code: str
    starts_on: date
    ends_on: date
    place_id: int
    max_participants: int
    tariffs: list[TariffInput]
    term: dict[str, str] = field(default_factory=dict)
    room_id: int | None = None
    teacher_id: int | None = None
    weekday: int | None = None
    start_time: time | None = None
    end_time: time | None = None
    skip_school_holidays: bool = True
    min_participants: int = 1
    reduced_places_max: int | None = None
    enrol_opens_at: datetime | None = None
    enrol_closes_at: datetime | None = None
    cancel_until: datetime | None = None
    waiting_offer_hours: int = 48
    trial_lessons: bool = True


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- Courses ----------------------------------------------------------------------------
def _check_manage(actor: Any, course: Course) -> None:
    if not permissions.can_manage_course(actor, course):
        raise PermissionDenied(
            _("You cannot manage the courses of %(org)s.") % {"org": course.provider.name}
        )


def _terms(codes: list[str], kind: str, name: str, errors: _Errors) -> list[Term]:
    wanted = list(dict.fromkeys(codes))
    found = {t.code: t for t in Term.objects.filter(kind=kind, code__in=wanted)}
    for code in wanted:
        if code not in found:
            errors.add(name, _("“%(code)s” is not a known term.") % {"code": code})
    return [found[c] for c in wanted if c in found]


def _validate_course(data: CourseInput, errors: _Errors, *, course: Course | None) -> str:
    title = language_map(data.title)
    if not title.get(SOURCE_LANGUAGE):
        errors.add("title", _("The Dutch title is required."))
    if any(len(text) > 200 for text in title.values()):
        errors.add("title", _("A title can be at most 200 characters long."))
    if data.kind not in CourseKind.values:
        errors.add("kind", _("Choose a kind of course."))
    if data.level not in Level.values:
        errors.add("level", _("Choose a level."))
    if not data.disciplines:
        errors.add("disciplines", _("Choose at least one discipline."))
    if not 0 <= data.age_min <= 120 or not 0 <= data.age_max <= 120:
        errors.add("age_min", _("Ages must be between 0 and 120."))
    elif data.age_min > data.age_max:
        errors.add("age_max", _("The maximum age must not be below the minimum age."))
    if (
        data.grade_min is not None
        and data.grade_max is not None
        and data.grade_min > data.grade_max
    ):
        errors.add("grade_max", _("The highest grade must not be below the lowest grade."))
    for name in ("grade_min", "grade_max"):
        grade = getattr(data, name)
        if grade is not None and not GRADES[0] <= grade <= GRADES[1]:
            errors.add(name, _("School grades run from 1 to 14."))
    if not (2 <= len(data.language) <= 3 and data.language.isalpha() and data.language.islower()):
        errors.add("language", _("Give the language as a code such as nl, en or li."))
    slug = slugify(data.slug or title.get(SOURCE_LANGUAGE, ""))[:120]
    if not slug:
        errors.add("slug", _("Give the course a web address (slug)."))
    elif Course.objects.filter(slug=slug).exclude(pk=course.pk if course else 0).exists():
        errors.add("slug", _("Another course already has this web address."))
    return slug


def _apply_course(course: Course, data: CourseInput, *, actor: Any) -> Course:
    errors = _Errors()
    slug = _validate_course(data, errors, course=course if course.pk else None)
    disciplines = _terms(data.disciplines, TermKind.DISCIPLINE, "disciplines", errors)
    facilities = _terms(data.facilities, TermKind.FACILITY, "facilities", errors)
    prerequisites = list(Course.objects.filter(slug__in=data.prerequisites))
    if len(prerequisites) != len(set(data.prerequisites)):
        errors.add("prerequisites", _("A prerequisite course does not exist."))
    if course.pk and any(p.pk == course.pk for p in prerequisites):
        errors.add("prerequisites", _("A course cannot be its own prerequisite."))
    errors.raise_if_any()
    course.slug = slug
    course.kind = data.kind
    course.title = language_map(data.title)
    course.summary = language_map(data.summary)
    course.description = language_map(data.description)
    course.accessibility = language_map(data.accessibility)
    course.level = data.level
    course.age_min, course.age_max = data.age_min, data.age_max
    course.language = data.language
    course.grade_min, course.grade_max = data.grade_min, data.grade_max
    course.save()
    course.disciplines.set(disciplines)
    course.facilities.set(facilities)
    course.prerequisites.set(prerequisites)
    return course


@transaction.atomic
def course_create(*, actor: Any, provider: Organisation, data: CourseInput) -> Course:
    """A new course of `provider`, as a draft. Members of the provider and staff only."""
    if not is_member(user=actor, organisation=provider):
        raise PermissionDenied(_("You cannot add courses for %(org)s.") % {"org": provider.name})
    course = _apply_course(Course(provider=provider), data, actor=actor)
    audit_record(actor=actor, action="learning.course.create", target=course)
    return course


@transaction.atomic
def course_update(*, actor: Any, course: Course, data: CourseInput) -> Course:
    course = Course.objects.select_for_update().select_related("provider").get(pk=course.pk)
    _check_manage(actor, course)
    course = _apply_course(course, data, actor=actor)
    audit_record(actor=actor, action="learning.course.update", target=course)
    editions_changed(course.editions.values_list("pk", flat=True))
    return course


def _set_course_state(*, actor: Any, course: Course, state: str, action: str) -> Course:
    course = Course.objects.select_for_update().select_related("provider").get(pk=course.pk)
    _check_manage(actor, course)
    if course.state != state:
        before = course.state
        course.state = state
        course.save(update_fields=["state", "updated_at"])
        audit_record(actor=actor, action=action, target=course, data={"from": before})
        editions_changed(course.editions.values_list("pk", flat=True))
    return course


@transaction.atomic
def course_publish(*, actor: Any, course: Course) -> Course:
    """Show the course: its editions appear in the catalogue, the search and the agenda."""
    course = Course.objects.select_related("provider").get(pk=course.pk)
    _check_manage(actor, course)
    if not course.disciplines.exists():
        raise ValidationError({"disciplines": [_("Choose at least one discipline first.")]})
    return _set_course_state(
        actor=actor, course=course, state=CourseState.PUBLISHED, action="learning.course.publish"
    )


@transaction.atomic
def course_unpublish(*, actor: Any, course: Course) -> Course:
    """Back to draft: the course and its editions leave the catalogue, search and agenda."""
    return _set_course_state(
        actor=actor, course=course, state=CourseState.DRAFT, action="learning.course.unpublish"
    )


@transaction.atomic
def course_archive(*, actor: Any, course: Course) -> Course:
    """No longer offered; kept for participants' learning journeys."""
    return _set_course_state(
        actor=actor, course=course, state=CourseState.ARCHIVED, action="learning.course.archive"
    )


# --- Editions ---------------------------------------------------------------------------
def _validate_edition(data: EditionInput, errors: _Errors) -> None:
    if not slugify(data.code) or slugify(data.code) != data.code:
        errors.add("code", _("Use lower-case letters, digits and hyphens for the code."))
    for name in ("starts_on", "ends_on", "enrol_opens_at", "enrol_closes_at", "cancel_until"):
        value = getattr(data, name)
        if value is not None and not in_range(value):
            errors.add(name, range_message())
    if data.starts_on > data.ends_on:
        errors.add("ends_on", _("The last day must not be before the first day."))
    pattern = (data.weekday, data.start_time, data.end_time)
    if any(v is not None for v in pattern) and any(v is None for v in pattern):
        errors.add("weekday", _("Give the weekday, start time and end time, or none of them."))
    if data.weekday is not None and not 0 <= data.weekday <= 6:
        errors.add("weekday", _("A weekday is a number from 0 (Monday) to 6 (Sunday)."))
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        errors.add("end_time", _("The end time must come after the start time."))
    if data.max_participants < 1:
        errors.add("max_participants", _("An edition has room for at least one participant."))
    for name in ("min_participants", "max_participants", "reduced_places_max"):
        if (getattr(data, name) or 0) > MAX_GROUP:
            errors.add(name, _("A group has at most %(max)d participants.") % {"max": MAX_GROUP})
    if not 1 <= data.waiting_offer_hours <= MAX_OFFER_HOURS:
        errors.add(
            "waiting_offer_hours",
            _("Give between 1 and %(max)d hours to accept an offer.") % {"max": MAX_OFFER_HOURS},
        )
    if data.min_participants > data.max_participants:
        errors.add(
            "min_participants",
            _("The minimum group size must not be above the maximum group size."),
        )
    if data.reduced_places_max is not None and data.reduced_places_max < 0:
        errors.add("reduced_places_max", _("The number of reduced places cannot be negative."))
    for name in ("enrol_opens_at", "enrol_closes_at", "cancel_until"):
        value = getattr(data, name)
        if value is not None and timezone.is_naive(value):
            errors.add(name, _("Dates need a time zone."))
    if data.enrol_opens_at and data.enrol_closes_at and data.enrol_opens_at >= data.enrol_closes_at:
        errors.add("enrol_closes_at", _("Enrolment must close after it opens."))
    if not Place.objects.filter(pk=data.place_id).exists():
        errors.add("place_id", _("That place does not exist."))
    if (
        data.room_id is not None
        and not Room.objects.filter(pk=data.room_id, place_id=data.place_id).exists()
    ):
        errors.add("room_id", _("Choose a room of the edition's place."))
    if (
        data.teacher_id is not None
        and not User.objects.filter(pk=data.teacher_id, is_active=True).exists()
    ):
        errors.add("teacher_id", _("That teacher has no active account."))
    _validate_tariffs(data.tariffs, errors)


def _check_teacher_and_places(
    data: EditionInput, course: Course, errors: _Errors, edition: Edition | None = None
) -> None:
    """The teacher sees the participants' names and the guardians' e-mail addresses: a
    member of the provider (or the edition's present teacher, who may have left). And a
    maximum of reduced places must not fall below those already taken. A room chosen, or
    a group size changed, must fit the room (an edition whose room was made smaller
    afterwards keeps its size until one of them changes: it is flagged instead)."""
    current = edition.teacher_id if edition is not None else None
    if (
        data.teacher_id is not None
        and not teachers_for(course.provider, current).filter(pk=data.teacher_id).exists()
    ):
        errors.add("teacher_id", _("Choose a teacher among your organisation's members."))
    before = (edition.room_id, edition.max_participants) if edition is not None else None
    if before != (data.room_id, data.max_participants) and (
        problem := group_exceeds_room(
            Room.objects.filter(pk=data.room_id).first() if data.room_id else None,
            data.max_participants,
        )
    ):
        errors.add("max_participants", problem)
    taken = edition.reduced_places_taken if edition is not None else 0
    if data.reduced_places_max is not None and data.reduced_places_max < taken:
        errors.add(
            "reduced_places_max",
            _("%(taken)d reduced places are taken already: the maximum cannot be lower.")
            % {"taken": taken},
        )


def _validate_tariffs(tariffs: list[TariffInput], errors: _Errors) -> None:
    if not tariffs:
        errors.add("tariffs", _("Give at least one price."))
        return
    if sum(1 for t in tariffs if t.is_default) != 1:
        errors.add("tariffs", _("Mark exactly one price as the default."))
    codes = [t.code for t in tariffs]
    if len(set(codes)) != len(codes):
        errors.add("tariffs", _("Every price needs its own code."))
    for tariff in tariffs:
        if not slugify(tariff.code):
            errors.add("tariffs", _("Every price needs a code."))
        if tariff.amount < 0:
            errors.add("tariffs", _("A price cannot be negative."))
        if any(age is not None and not 0 <= age <= 120 for age in (tariff.age_min, tariff.age_max)):
            errors.add("tariffs", _("Ages must be between 0 and 120."))
        if not language_map(tariff.label).get(SOURCE_LANGUAGE):
            errors.add("tariffs", _("Every price needs a Dutch name."))
        if (
            tariff.age_min is not None
            and tariff.age_max is not None
            and tariff.age_min > tariff.age_max
        ):
            errors.add("tariffs", _("A price's age range must not end before it starts."))


def _apply_edition(edition: Edition, data: EditionInput) -> None:
    edition.code = data.code
    edition.term = language_map(data.term)
    edition.starts_on, edition.ends_on = data.starts_on, data.ends_on
    edition.place_id, edition.room_id = data.place_id, data.room_id
    edition.teacher_id = data.teacher_id
    edition.weekday = data.weekday
    edition.start_time, edition.end_time = data.start_time, data.end_time
    edition.skip_school_holidays = data.skip_school_holidays
    edition.min_participants = data.min_participants
    edition.max_participants = data.max_participants
    edition.reduced_places_max = data.reduced_places_max
    edition.enrol_opens_at, edition.enrol_closes_at = data.enrol_opens_at, data.enrol_closes_at
    edition.cancel_until = data.cancel_until
    edition.waiting_offer_hours = data.waiting_offer_hours
    edition.trial_lessons = data.trial_lessons


def _save_tariffs(edition: Edition, tariffs: list[TariffInput]) -> None:
    """Upsert by code: enrolments keep pointing at a tariff whose price changed."""
    edition.tariffs.exclude(code__in=[t.code for t in tariffs]).delete()
    # The one-default constraint would trip halfway through a swap of the default.
    edition.tariffs.update(is_default=False)
    for data in sorted(tariffs, key=lambda t: t.is_default):
        Tariff.objects.update_or_create(
            edition=edition,
            code=data.code,
            defaults={
                "label": language_map(data.label),
                "amount": data.amount,
                "is_default": data.is_default,
                "age_min": data.age_min,
                "age_max": data.age_max,
            },
        )


def _save_edition(edition: Edition) -> None:
    try:
        with transaction.atomic():
            edition.save()
    except IntegrityError as exc:
        # The check constraints and the unique code repeat rules checked above; the one
        # a person can still run into is a lower maximum than the places already taken.
        if "capacity" in str(exc):
            raise ValidationError(
                {
                    "max_participants": [
                        _("More participants are enrolled than this maximum allows.")
                    ]
                }
            ) from exc
        raise ValidationError(
            {"code": [_("Another edition of this course has this code.")]}
        ) from exc


@transaction.atomic
def edition_create(*, actor: Any, course: Course, data: EditionInput) -> Edition:
    """A planned edition of `course`; its sessions are generated from the weekly pattern."""
    from reisgezel.learning.services.sessions import sessions_generate

    course = Course.objects.select_related("provider").get(pk=course.pk)
    _check_manage(actor, course)
    if course.state == CourseState.ARCHIVED:
        raise ValidationError(_("This course is archived: it gets no new editions."))
    errors = _Errors()
    _validate_edition(data, errors)
    _check_teacher_and_places(data, course, errors)
    if course.editions.filter(code=data.code).exists():
        errors.add("code", _("Another edition of this course has this code."))
    errors.raise_if_any()
    edition = Edition(course=course, state=EditionState.PLANNED)
    _apply_edition(edition, data)
    _save_edition(edition)
    _save_tariffs(edition, data.tariffs)
    audit_record(actor=actor, action="learning.edition.create", target=edition)
    sessions_generate(edition=edition)
    editions_changed([edition.pk])
    return edition


@transaction.atomic
def edition_update(*, actor: Any, edition: Edition, data: EditionInput) -> Edition:
    """Change an edition; when its dates or pattern change, the sessions follow (sessions
    changed by hand are kept, see services/sessions.py)."""
    from reisgezel.learning.services.sessions import sessions_generate

    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    course = Course.objects.select_related("provider").get(pk=edition.course_id)
    _check_manage(actor, course)
    if edition.state in (EditionState.CANCELLED, EditionState.COMPLETED):
        raise ValidationError(
            {"state": [_("A cancelled or completed edition can no longer be changed.")]}
        )
    errors = _Errors()
    _validate_edition(data, errors)
    _check_teacher_and_places(data, course, errors, edition)
    if course.editions.filter(code=data.code).exclude(pk=edition.pk).exists():
        errors.add("code", _("Another edition of this course has this code."))
    errors.raise_if_any()
    pattern_before = _pattern(edition)
    _apply_edition(edition, data)
    _save_edition(edition)
    _save_tariffs(edition, data.tariffs)
    audit_record(actor=actor, action="learning.edition.update", target=edition)
    if _pattern(edition) != pattern_before:
        sessions_generate(edition=edition)
    editions_changed([edition.pk])
    return edition


def _pattern(edition: Edition) -> tuple[Any, ...]:
    return (
        edition.starts_on,
        edition.ends_on,
        edition.weekday,
        edition.start_time,
        edition.end_time,
        edition.skip_school_holidays,
        edition.room_id,
    )


@transaction.atomic
def edition_open(*, actor: Any, edition: Edition) -> Edition:
    """Planned -> open for enrolment. The course must be published, the edition must have
    a price and at least one session."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    course = Course.objects.select_related("provider").get(pk=edition.course_id)
    _check_manage(actor, course)
    errors = _Errors()
    if edition.state != EditionState.PLANNED:
        errors.add("state", _("Only a planned edition can be opened for enrolment."))
    if course.state != CourseState.PUBLISHED:
        errors.add("state", _("Publish the course first."))
    if not edition.tariffs.filter(is_default=True).exists():
        errors.add("tariffs", _("Give the edition a default price first."))
    if not edition.sessions.filter(is_cancelled=False).exists():
        errors.add("sessions", _("The edition has no sessions yet."))
    errors.raise_if_any()
    edition.state = EditionState.OPEN
    edition.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="learning.edition.open", target=edition)
    editions_changed([edition.pk])
    return edition


@transaction.atomic
def edition_start(*, actor: Any, edition: Edition) -> Edition:
    """Open -> running (the first session took place; late enrolment may still be open)."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _check_manage(actor, Course.objects.select_related("provider").get(pk=edition.course_id))
    if edition.state != EditionState.OPEN:
        raise ValidationError({"state": [_("Only an open edition can start.")]})
    edition.state = EditionState.RUNNING
    edition.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="learning.edition.start", target=edition)
    editions_changed([edition.pk])
    return edition


# --- After commit: search and agenda ----------------------------------------------------
def editions_changed(edition_ids: Iterable[int]) -> None:
    """Call inside the transaction of any change the public can see of these editions
    (their course, state, sessions, prices, place): after commit they are re-indexed for
    the site search (or removed from it) and re-mirrored into the city agenda.

    Other parts of the app call this too, e.g. when an edition is cancelled.
    """
    from reisgezel.learning import agenda_sync
    from reisgezel.search.registry import index_later

    ids = list(edition_ids)
    if not ids:
        return
    # The edition type's build() leaves out editions that are not public, and
    # documents_index removes those from the index.
    index_later(EDITION_DOC_TYPE, ids)
    agenda_sync.sync_later(ids)
