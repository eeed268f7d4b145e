"""The iCalendar feed of one buurt or wijk: the agenda's own export, filtered.

The events and their VEVENTs are the agenda's (`feed_events`, `calendar_of`), so a
subscriber sees exactly what the city-wide feed at /ical/agenda.ics?neighbourhood=...
would give, with the area's name as the calendar's name.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from reisgezel.agenda.cache import data_version
from reisgezel.agenda.calendar import city_timezone
from reisgezel.agenda.filters import AgendaFilters
from reisgezel.agenda.ical_export import (
    MAX_FEED_EVENTS,
    ExportOptions,
    calendar_of,
    feed_events,
    horizon_days,
)
from reisgezel.agenda.ical_views import FEED_CACHE_SECONDS, FEED_LOOKBACK
from reisgezel.neighbourhoods.selectors import Area


def area_filters(area: Area) -> AgendaFilters:
    """From FEED_LOOKBACK ago (what a subscriber saw stays a while) to the horizon."""
    today = timezone.localdate()
    tz = city_timezone()
    filters = AgendaFilters(
        start=datetime.combine(today - FEED_LOOKBACK, time.min, tzinfo=tz),
        end=datetime.combine(today + timedelta(days=horizon_days() + 1), time.min, tzinfo=tz),
    )
    if area.kind == "district":
        return dataclasses.replace(filters, districts=(area.slug,))
    return dataclasses.replace(filters, neighbourhoods=(area.slug,))


def area_calendar(area: Area, *, language: str) -> bytes:
    """The feed's body, cached until the agenda changes (its data version) or a day turns."""
    key = (
        f"neighbourhoods:ical:{data_version()}:{timezone.localdate().isoformat()}"
        f":{area.kind}:{area.slug}:{language}"
    )
    body = cache.get(key)
    if body is None:
        with override(language):
            cal = calendar_of(
                feed_events(area_filters(area)),
                name=_("What's on in %(name)s") % {"name": area.name},
                description=_(
                    "Cultural events in %(name)s (at most %(max)d events, soonest first)."
                )
                % {"name": area.name, "max": MAX_FEED_EVENTS},
                options=ExportOptions(language=language),
            )
        body = bytes(cal.to_ical())
        cache.set(key, body, FEED_CACHE_SECONDS)
    return body
