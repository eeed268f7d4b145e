"""schema.org JSON-LD for event and organiser pages (checked in tests with extruct).

Values follow schema.org and Google's event guidelines: the start/end of the first
upcoming date, eventStatus and eventAttendanceMode as schema.org URLs, a Schedule for
periodic events, one Offer per tariff.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from reisgezel.accounts.models import Organisation
from reisgezel.agenda.calendar import city_timezone
from reisgezel.agenda.models import CalendarType, Event, EventStatus, Occurrence
from reisgezel.places.jsonld import SCHEMA_DAYS, absolute, place_schema

SCHEMA = "https://schema.org/"
STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.MOVED_ONLINE: "EventMovedOnline",
}


def _iso(value: datetime) -> str:
    return value.astimezone(city_timezone()).isoformat()


def _all_day_dates(occurrence: Occurrence) -> tuple[str, str]:
    """(startDate, endDate) of an all-day occurrence: Maastricht's days (its midnight is
    the evening before in UTC), endDate the last day, not the midnight after it."""
    tz = city_timezone()
    first = occurrence.start.astimezone(tz).date()
    last = (occurrence.end.astimezone(tz) - timedelta(microseconds=1)).date()
    return first.isoformat(), max(first, last).isoformat()


def typical_age_range(age_min: int | None, age_max: int | None) -> str:
    """schema.org typicalAgeRange: "4-12", "18-" (and up), "0-6" (up to)."""
    if age_min is None and age_max is None:
        return ""
    return f"{age_min or 0}-{age_max if age_max is not None else ''}"


def attendance_mode(event: Event) -> str:
    online = bool(event.online_url) or event.status == EventStatus.MOVED_ONLINE
    offline = event.place_id is not None and event.status != EventStatus.MOVED_ONLINE
    if online and offline:
        return SCHEMA + "MixedEventAttendanceMode"
    return SCHEMA + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode")


def organisation_schema(organisation: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute(reverse("agenda:organiser", kwargs={"slug": organisation.slug})),
    }
    if organisation.website:
        data["sameAs"] = organisation.website
    return data


def _offers(event: Event, page_url: str) -> list[dict[str, Any]]:
    if event.status == EventStatus.CANCELLED:
        availability = "Discontinued"
    elif event.booking_closes_at and event.booking_closes_at < timezone.now():
        availability = "SoldOut"
    else:
        availability = "InStock"
    base = {
        "@type": "Offer",
        "priceCurrency": "EUR",
        "availability": SCHEMA + availability,
        "url": event.booking_url or page_url,
    }
    if event.booking_opens_at:
        base["validFrom"] = _iso(event.booking_opens_at)
    offers = []
    if event.is_free:
        offers.append({**base, "price": "0"})
    elif event.base_price is not None:
        offers.append({**base, "price": f"{event.base_price:.2f}"})
    for tariff in event.tariffs.all():
        offers.append({**base, "name": str(tariff.name), "price": f"{tariff.price:.2f}"})
    return offers


def _schedules(event: Event) -> list[dict[str, Any]]:
    """One schema.org Schedule per opening period, with the weekdays it applies to."""
    days_by_period: dict[tuple[str, str], list[str]] = defaultdict(list)
    for opening in event.weekly_openings.all():
        key = (opening.opens.strftime("%H:%M:%S"), opening.closes.strftime("%H:%M:%S"))
        days_by_period[key].append(SCHEMA + SCHEMA_DAYS[opening.weekday])
    excepted = [d.isoformat() for d in event.exception_dates.values_list("date", flat=True)]
    schedules = []
    for (start_time, end_time), days in days_by_period.items():
        schedule: dict[str, Any] = {
            "@type": "Schedule",
            "byDay": days,
            "startTime": start_time,
            "endTime": end_time,
            "repeatFrequency": "P1W",
            "scheduleTimezone": "Europe/Amsterdam",
        }
        if event.period_start:
            schedule["startDate"] = event.period_start.isoformat()
        if event.period_end:
            schedule["endDate"] = event.period_end.isoformat()
        if excepted:
            schedule["exceptDate"] = excepted
        schedules.append(schedule)
    return schedules


def event_jsonld(event: Event, *, upcoming: list[Occurrence]) -> dict[str, Any]:
    """The page's schema.org Event. `upcoming` are its next occurrences (first one used)."""
    page_url = absolute(event.get_absolute_url())  # type: ignore[attr-defined]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page_url,
        "url": page_url,
        "name": str(event.title),
        "eventStatus": SCHEMA + STATUS.get(event.status, "EventScheduled"),  # type: ignore[call-overload]
        "eventAttendanceMode": attendance_mode(event),
        "organizer": organisation_schema(event.organiser),
        "isAccessibleForFree": bool(event.is_free),
    }
    description = str(event.description) or str(event.summary)
    if description:
        data["description"] = description
    first = upcoming[0] if upcoming else None
    if first is not None:
        if first.all_day:
            data["startDate"], data["endDate"] = _all_day_dates(first)
        else:
            data["startDate"], data["endDate"] = _iso(first.start), _iso(first.end)
    elif event.period_start:
        data["startDate"] = event.period_start.isoformat()
    if event.period_end and event.calendar_type in (CalendarType.PERIODIC, CalendarType.PERMANENT):
        data["endDate"] = event.period_end.isoformat()
    locations: list[dict[str, Any]] = []
    place = (first.place if first is not None and first.place is not None else None) or event.place
    if place is not None and event.status != EventStatus.MOVED_ONLINE:
        locations.append(
            place_schema(place, url=reverse("places:place", kwargs={"slug": place.slug}))
        )
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    offers = _offers(event, page_url)
    if offers:
        data["offers"] = offers[0] if len(offers) == 1 else offers
    age = typical_age_range(event.age_min, event.age_max)
    if age:
        data["typicalAgeRange"] = age
    languages = [lang.code for lang in event.languages.all()]
    if languages:
        data["inLanguage"] = languages[0] if len(languages) == 1 else languages
    images = [
        {
            "@type": "ImageObject",
            "url": absolute(image.image.url),
            "contentUrl": absolute(image.image.url),
            "caption": str(image.alt_text),
            "creditText": image.credit,
            "license": image.rights_uri,
        }
        for image in event.images.all()
    ]
    if images:
        data["image"] = images
    if event.calendar_type in (CalendarType.PERIODIC, CalendarType.PERMANENT):
        schedules = _schedules(event)
        if schedules:
            data["eventSchedule"] = schedules[0] if len(schedules) == 1 else schedules
    return data


def organisation_jsonld(organisation: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": "https://schema.org", **organisation_schema(organisation)}
    if organisation.description:
        data["description"] = str(organisation.description)
    if organisation.email:
        data["email"] = organisation.email
    if organisation.phone:
        data["telephone"] = organisation.phone
    if organisation.home_place is not None:
        place = organisation.home_place
        data["location"] = place_schema(
            place, url=reverse("places:place", kwargs={"slug": place.slug})
        )
    disciplines = [str(t.label) for t in organisation.disciplines.all()]
    if disciplines:
        data["knowsAbout"] = disciplines
    return data
