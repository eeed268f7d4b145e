"""schema.org JSON-LD for a course page: a Course with one CourseInstance per edition.

Checked in tests with extruct, as the agenda's is. Each CourseInstance has its
courseSchedule (a weekly Schedule in Europe/Amsterdam time, or the session dates as
subEvents when there is no weekly pattern), location, instructor, offers (one per
tariff, availability from the places left) and capacity. The course page (H4's view)
embeds `course_jsonld(...)` with `places.jsonld.script_json`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse

from reisgezel.agenda.calendar import city_timezone
from reisgezel.agenda.jsonld import SCHEMA, organisation_schema, typical_age_range
from reisgezel.learning.models import Course, CourseState, Edition, EditionState
from reisgezel.learning.public_names import person_name
from reisgezel.learning.services.offer import course_url, public_editions
from reisgezel.places.jsonld import SCHEMA_DAYS, absolute, place_schema

EDUCATIONAL_LEVEL = {
    "all": "",
    "beginner": "Beginner",
    "elementary": "Beginner",
    "intermediate": "Intermediate",
    "advanced": "Advanced",
}
STATUS = {
    EditionState.CANCELLED: "EventCancelled",
}


def _iso(value: datetime) -> str:
    return value.astimezone(city_timezone()).isoformat()


def _availability(edition: Edition) -> str:
    if edition.state in (EditionState.CANCELLED, EditionState.COMPLETED):
        return "Discontinued"
    if edition.state == EditionState.PLANNED:
        return "PreOrder"
    return "InStock" if edition.places_left > 0 else "SoldOut"


def _offers(edition: Edition, page_url: str) -> list[dict[str, Any]]:
    base: dict[str, Any] = {
        "@type": "Offer",
        "priceCurrency": "EUR",
        "availability": SCHEMA + _availability(edition),
        "url": page_url,
        "category": "Fees",
    }
    if edition.enrol_opens_at:
        base["validFrom"] = _iso(edition.enrol_opens_at)
    if edition.enrol_closes_at:
        base["validThrough"] = _iso(edition.enrol_closes_at)
    return [
        {**base, "name": str(tariff.label), "price": f"{tariff.amount:.2f}"}
        for tariff in sorted(edition.tariffs.all(), key=lambda t: (not t.is_default, t.amount))
    ]


def _schedule(edition: Edition) -> dict[str, Any] | None:
    if edition.weekday is None or edition.start_time is None or edition.end_time is None:
        return None
    # Weeks without a session (holidays, cancelled sessions) are the schedule's exceptions.
    starts = {
        s.starts_at.astimezone(city_timezone()).date()
        for s in edition.sessions.all()
        if not s.is_cancelled
    }
    weekly_days = []
    day = edition.starts_on
    while day <= edition.ends_on:
        if day.weekday() == edition.weekday and day not in starts:
            weekly_days.append(day.isoformat())
        day += timedelta(days=1)
    schedule: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "byDay": SCHEMA + SCHEMA_DAYS[edition.weekday],
        "startDate": edition.starts_on.isoformat(),
        "endDate": edition.ends_on.isoformat(),
        "startTime": edition.start_time.strftime("%H:%M:%S"),
        "endTime": edition.end_time.strftime("%H:%M:%S"),
        "scheduleTimezone": "Europe/Amsterdam",
    }
    if weekly_days:  # holidays and cancelled weeks
        schedule["exceptDate"] = weekly_days
    return schedule


def course_instance(edition: Edition, *, page_url: str) -> dict[str, Any]:
    sessions = [s for s in edition.sessions.all() if not s.is_cancelled]
    data: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": f"{edition.course.title} ({edition.term or edition.code})",
        "courseMode": "Onsite",
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "eventStatus": SCHEMA + STATUS.get(edition.state, "EventScheduled"),  # type: ignore[call-overload]
        "startDate": _iso(sessions[0].starts_at) if sessions else edition.starts_on.isoformat(),
        "endDate": _iso(sessions[-1].ends_at) if sessions else edition.ends_on.isoformat(),
        "location": place_schema(
            edition.place, url=reverse("places:place", kwargs={"slug": edition.place.slug})
        ),
        "maximumAttendeeCapacity": edition.max_participants,
        "remainingAttendeeCapacity": edition.places_left,
        "organizer": organisation_schema(edition.course.provider),
    }
    schedule = _schedule(edition)
    if schedule is not None:
        data["courseSchedule"] = schedule
    elif sessions:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": str(edition.course.title),
                "startDate": _iso(s.starts_at),
                "endDate": _iso(s.ends_at),
                "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
                "location": {"@type": "Place", "name": edition.place.name},
            }
            for s in sessions
        ]
    if teacher := person_name(edition.teacher):
        data["instructor"] = {"@type": "Person", "name": teacher}
    offers = _offers(edition, page_url)
    if offers:
        data["offers"] = offers
    return data


def course_jsonld(course: Course, *, editions: Iterable[Edition] | None = None) -> dict[str, Any]:
    """The page's schema.org Course; `editions` default to its public editions."""
    page_url = absolute(course_url(course))
    if editions is None:
        editions = (
            public_editions()
            .filter(course=course)
            .select_related("place", "place__neighbourhood", "teacher", "course__provider")
            .prefetch_related("tariffs", "sessions")
        )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": page_url,
        "url": page_url,
        "name": str(course.title),
        "provider": organisation_schema(course.provider),
        "inLanguage": course.language,
        "about": [str(t.label) for t in course.disciplines.all()],
    }
    description = str(course.description) or str(course.summary)
    if description:
        data["description"] = description
    level = EDUCATIONAL_LEVEL.get(course.level, "")
    if level:
        data["educationalLevel"] = level
    age = typical_age_range(course.age_min, course.age_max if course.age_max < 120 else None)
    if age:
        data["typicalAgeRange"] = age
    prerequisites = [str(p.title) for p in course.prerequisites.filter(state=CourseState.PUBLISHED)]
    if prerequisites:
        data["coursePrerequisites"] = prerequisites
    if course.accessibility:
        data["accessibilitySummary"] = str(course.accessibility)
    instances = [course_instance(e, page_url=page_url) for e in editions]
    if instances:
        data["hasCourseInstance"] = instances
        first_offer = next((i["offers"][0] for i in instances if i.get("offers")), None)
        if first_offer is not None:
            data["offers"] = first_offer
    return data
