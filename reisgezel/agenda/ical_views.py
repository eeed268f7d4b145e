"""iCalendar endpoints: a subscription feed for any agenda filter, and one event's file.

Thin: the filter form parses the query string, ical_export builds the calendar.
Mounted without a language prefix (calendar clients keep the URL for years); the
language of the texts is the `lang` parameter instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime, time, timedelta
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from reisgezel.agenda.cache import data_version
from reisgezel.agenda.calendar import city_timezone
from reisgezel.agenda.filters import AgendaFilterForm, AgendaFilters
from reisgezel.agenda.ical_export import (
    MAX_FEED_EVENTS,
    ExportOptions,
    calendar_of,
    export_queryset,
    feed_events,
    horizon_days,
)
from reisgezel.agenda.models import ModerationState
from reisgezel.core.i18n import content_languages

# A feed with no date filter starts this far back, so that what a subscriber saw last
# week does not vanish from their calendar the moment it is over.
FEED_LOOKBACK = timedelta(days=30)
FEED_CACHE_SECONDS = 15 * 60
DATE_PARAMETERS = ("when", "date_from", "date_to")


def _calendar_response(body: bytes, *, max_age: int) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _bad_request(lines: list[str]) -> HttpResponse:
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _feed_filters(form: AgendaFilterForm, request: HttpRequest) -> AgendaFilters:
    filters = form.filters()
    if any(request.GET.get(name) for name in DATE_PARAMETERS):
        return filters
    today = timezone.localdate()
    horizon = today + timedelta(days=horizon_days() + 1)
    tz = city_timezone()
    return dataclasses.replace(
        filters,
        start=datetime.combine(today - FEED_LOOKBACK, time.min, tzinfo=tz),
        end=datetime.combine(horizon, time.min, tzinfo=tz),
    )


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """The agenda as a subscription feed: the agenda page's filters, plus ?lang=."""
    language = request.GET.get("lang", "nl")
    form = AgendaFilterForm(request.GET)
    errors: list[str] = []
    if language not in content_languages():
        errors.append(
            _("lang: choose one of %(codes)s.") % {"codes": ", ".join(content_languages())}
        )
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.extend(f"{name}: {message}" for message in messages)
    if errors:
        return _bad_request([_("This feed address has invalid parameters:"), *errors])
    # Building thousands of VEVENTs costs seconds; calendar clients poll the same
    # addresses over and over. The data version in the key drops the body on any change.
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    key = f"agenda:ical:{data_version()}:{timezone.localdate().isoformat()}:{query}"
    body = cache.get(key)
    if body is None:
        body = _feed_body(form, request, language)
        cache.set(key, body, FEED_CACHE_SECONDS)
    return _calendar_response(body, max_age=FEED_CACHE_SECONDS)


def _feed_body(form: AgendaFilterForm, request: HttpRequest, language: str) -> bytes:
    with override(language):
        name = _("Agenda %(city)s") % {"city": settings.REISGEZEL["CITY"]}
        description = _("Cultural events in %(city)s (at most %(max)d events, soonest first).") % {
            "city": settings.REISGEZEL["CITY"],
            "max": MAX_FEED_EVENTS,
        }
        cal = calendar_of(
            feed_events(_feed_filters(form, request)),
            name=name,
            description=description,
            options=ExportOptions(language=language),
        )
    return bytes(cal.to_ical())


@require_GET
def event_file(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One published event as a file to add to a calendar."""
    language = request.GET.get("lang", "nl")
    if language not in content_languages():
        language = "nl"
    event = export_queryset().filter(uuid=uuid, moderation=ModerationState.APPROVED).first()
    if event is None:
        raise Http404(_("No published event with this address."))
    with override(language):
        cal = calendar_of(
            [event], name=event.title.get_for(language), options=ExportOptions(language)
        )
    response = _calendar_response(cal.to_ical(), max_age=5 * 60)
    filename = (slugify(event.title.get_for(language)) or "event")[:80]
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response
