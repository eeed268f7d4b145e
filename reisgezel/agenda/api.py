"""The agenda API: open reads (/api/events) and partner writes (/api/partner/events).

Thin: queries are parsed by the same AgendaFilterForm as the pages and answered by the
same selectors; writes call `reisgezel.agenda.services` and nothing else decides. A
partner token sees only its own organisation's events: another organisation's event
answers 404 on every partner endpoint, so the API never reveals that it exists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Min, OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from reisgezel.accounts.api import PartnerToken
from reisgezel.accounts.models import ApiToken
from reisgezel.accounts.selectors import is_member
from reisgezel.accounts.token_actor import TokenActor
from reisgezel.agenda import services
from reisgezel.agenda.api_schemas import (
    EventCreateIn,
    EventDetailOut,
    EventIn,
    EventPageOut,
    PartnerEventListOut,
    PartnerEventOut,
    StatusIn,
)
from reisgezel.agenda.filters import AgendaFilterForm, error_messages
from reisgezel.agenda.models import Event, ModerationDecision, ModerationState
from reisgezel.agenda.selectors import agenda_page, event_get_public, upcoming_occurrences
from reisgezel.core.api_errors import ErrorOut
from reisgezel.core.i18n import SOURCE_LANGUAGE, content_languages, language_map

router = Router(tags=["events"])
partner_router = Router(tags=["partner"], auth=PartnerToken())

AUTH_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**AUTH_ERRORS, 403: ErrorOut, 422: ErrorOut}


class EventQuery(Schema):
    """The agenda filters (the same as the agenda page's); repeat a parameter for several values."""

    when: str | None = Field(None, description="today, tomorrow, weekend, week or month")
    date_from: str | None = Field(None, description="YYYY-MM-DD")
    date_to: str | None = Field(None, description="YYYY-MM-DD")
    discipline: list[str] = Field(default_factory=list)
    theme: list[str] = Field(default_factory=list)
    neighbourhood: list[str] = Field(default_factory=list)
    district: list[str] = Field(default_factory=list)
    language: list[str] = Field(default_factory=list)
    facility: list[str] = Field(default_factory=list)
    organiser: list[str] = Field(default_factory=list)
    age: str | None = Field(None, description="An age in years: events suitable for it")
    free: str | None = Field(None, description="1 for free events only")
    audience: str | None = Field(None, description="everyone, members or schools")
    q: str | None = Field(None, description="Full-text search")
    page: str | None = None
    per_page: str | None = Field(None, description="10, 20, 50 or 100")
    lang: str = Field(
        SOURCE_LANGUAGE, description="Language of title_text and labels (nl, en, de, fr)"
    )


def _lang(lang: str) -> str:
    return lang if lang in content_languages() else SOURCE_LANGUAGE


def _text(value: Any, lang: str) -> str:
    return language_map(value).get_for(lang) if isinstance(value, dict) else str(value)


def _terms(terms: Any, lang: str) -> list[dict[str, str]]:
    return [{"code": t.code, "label": t.label.get_for(lang)} for t in terms.all()]


def _summary(
    request: HttpRequest, event: Event, lang: str, first: datetime | None, count: int
) -> dict[str, Any]:
    with translation.override(lang):
        url = request.build_absolute_uri(event.get_absolute_url())  # type: ignore[attr-defined]
    place = event.place
    return {
        "id": event.pk,
        "uuid": event.uuid,
        "title": dict(event.title),
        "title_text": event.title.get_for(lang),
        "url": url,
        "first_start": first,
        "occurrence_count": count,
        "status": event.status,
        "organiser": {"slug": event.organiser.slug, "name": event.organiser.name},
        "place": {"slug": place.slug, "name": place.name} if place else None,
        "disciplines": _terms(event.disciplines, lang),
        "is_free": event.is_free,
        "price": event.base_price,
        "age_min": event.age_min,
        "age_max": event.age_max,
        "languages": [x.code for x in event.languages.all()],
    }


def _detail(request: HttpRequest, event: Event, lang: str) -> dict[str, Any]:
    occurrences = upcoming_occurrences(event, after=timezone.now(), limit=50)
    first = occurrences[0].start if occurrences else None
    return {
        **_summary(request, event, lang, first, event.occurrences.count()),
        "summary": dict(event.summary),
        "description": dict(event.description),
        "online_url": event.online_url,
        "themes": _terms(event.themes, lang),
        "facilities": _terms(event.facilities, lang),
        "audience": event.audience,
        "status_reason": dict(event.status_reason),
        "calendar_type": event.calendar_type,
        "tariffs": [{"name": dict(t.name), "price": t.price} for t in event.tariffs.all()],
        "booking": {
            "url": event.booking_url,
            "phone": event.booking_phone,
            "email": event.booking_email,
            "opens_at": event.booking_opens_at,
            "closes_at": event.booking_closes_at,
        },
        "occurrences": [
            {
                "start": o.start,
                "end": o.end,
                "all_day": o.all_day,
                "status": o.status,
                "place": {"slug": o.place.slug, "name": o.place.name} if o.place else None,
            }
            for o in occurrences
        ],
        "images": [
            {
                "url": request.build_absolute_uri(i.image.url),
                "alt": dict(i.alt_text),
                "credit": i.credit,
                "rights": i.rights_uri,
            }
            for i in event.images.all()
        ],
    }


@router.get(
    "/events", response={200: EventPageOut, 400: ErrorOut}, summary="What is on (filtered, faceted)"
)
def event_list(request: HttpRequest, query: Query[EventQuery]) -> Any:
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        return Status(
            400, {"detail": gettext("The filters are not valid."), "errors": error_messages(form)}
        )
    lang = _lang(query.lang)
    result = agenda_page(form.filters())
    return {
        "items": [
            _summary(request, i.event, lang, i.first_start, i.occurrence_count)
            for i in result.items
        ],
        "total": result.total,
        "page": result.page,
        "num_pages": result.num_pages,
        "facets": {
            name: [
                {
                    "value": f.value,
                    "label": _text(f.label, lang),
                    "count": f.count,
                    "selected": f.selected,
                }
                for f in values
            ]
            for name, values in result.facets.items()
        },
    }


@router.get(
    "/events/{event_id}", response={200: EventDetailOut, 404: ErrorOut}, summary="A published event"
)
def event_detail(request: HttpRequest, event_id: int, lang: str = SOURCE_LANGUAGE) -> Any:
    event = event_get_public(pk=event_id)
    if event is None:
        raise Http404(gettext("No published event with this id."))
    return _detail(request, event, _lang(lang))


# --- Partner writes ----------------------------------------------------------------------
def _token(request: HttpRequest) -> ApiToken:
    """The request's token, while its creator may still act for its organisation: reads
    follow the rule the write services apply (403 once they have left it)."""
    token = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    if getattr(request, "_token_member_checked", False):
        return token  # asked once per request (several helpers of an endpoint call this)
    if not is_member(user=token.created_by, organisation=token.organisation):
        raise PermissionDenied(
            gettext(
                "The person who made this token is no longer a member of the organisation: "
                "ask a member to make a new token."
            )
        )
    request._token_member_checked = True  # type: ignore[attr-defined]
    return token


def _actor(request: HttpRequest) -> TokenActor:
    """Who the services see acting: an ordinary member of the token's organisation. Its
    maker only keeps the token alive (above); their staff or moderator rights stay theirs."""
    return TokenActor(_token(request))


def _own_event(request: HttpRequest, event_id: int) -> Event:
    """The token organisation's event; 404 for any other (existence is not revealed)."""
    event = (
        Event.objects.select_related("organiser", "place")
        .filter(pk=event_id, organiser_id=_token(request).organisation_id)
        .first()
    )
    if event is None:
        raise Http404(gettext("Your organisation has no event with this id."))
    return event


def _calendar(event: Event) -> dict[str, Any]:
    return {
        "type": event.calendar_type,
        "time_slots": [
            {"start": t.start, "end": t.end, "all_day": t.all_day, "place_id": t.place_id}
            for t in event.time_slots.all()
        ],
        "weekly": [
            {"weekday": w.weekday, "opens": w.opens, "closes": w.closes}
            for w in event.weekly_openings.all()
        ],
        "period_start": event.period_start,
        "period_end": event.period_end,
        "rrule": event.rrule,
        "exception_dates": [d.date for d in event.exception_dates.all()],
        "closed_on_public_holidays": event.closed_on_public_holidays,
    }


def _partner_detail(request: HttpRequest, event: Event) -> dict[str, Any]:
    event = Event.objects.select_related("organiser", "place").get(pk=event.pk)
    last = event.moderation_log.first()
    return {
        **_detail(request, event, SOURCE_LANGUAGE),
        "moderation": event.moderation,
        "moderation_message": last.message if last else "",
        "sequence": event.sequence,
        "place_id": event.place_id,
        "calendar": _calendar(event),
    }


@partner_router.get(
    "/events",
    response={200: PartnerEventListOut, **AUTH_ERRORS},
    summary="Your organisation's events, in any moderation state",
)
def partner_event_list(
    request: HttpRequest,
    moderation: ModerationState | None = None,
    page: int = Query(1, ge=1, le=10000),
) -> Any:
    events = Event.objects.filter(organiser_id=_token(request).organisation_id)
    if moderation:
        events = events.filter(moderation=moderation)
    events = (
        events.select_related("organiser", "place")
        .prefetch_related("disciplines", "languages")
        .annotate(
            first=Min("occurrences__start"),
            n=Count("occurrences"),
            # The latest decision's message, in the same query (not one per event).
            last_message=Subquery(
                ModerationDecision.objects.filter(event=OuterRef("pk"))
                .order_by("-at", "-pk")
                .values("message")[:1]
            ),
        )
        .order_by("-created_at", "-pk")
    )
    current = Paginator(events, 50).get_page(page)
    items = []
    for event in current.object_list:
        items.append(
            {
                **_summary(request, event, SOURCE_LANGUAGE, event.first, event.n),  # type: ignore[attr-defined]
                "moderation": event.moderation,
                "moderation_message": event.last_message or "",  # type: ignore[attr-defined]
            }
        )
    return {
        "items": items,
        "total": current.paginator.count,
        "page": current.number,
        "num_pages": current.paginator.num_pages,
    }


@partner_router.get(
    "/events/{event_id}",
    response={200: PartnerEventOut, **AUTH_ERRORS},
    summary="One of your organisation's events",
)
def partner_event_get(request: HttpRequest, event_id: int) -> Any:
    return _partner_detail(request, _own_event(request, event_id))


@partner_router.post(
    "/events", response={201: PartnerEventOut, **WRITE_ERRORS}, summary="Create an event"
)
def partner_event_create(request: HttpRequest, payload: EventCreateIn) -> Any:
    actor = _actor(request)
    event = services.event_create(
        actor=actor,
        organisation=actor.token.organisation,
        data=payload.to_input(),
        submit=payload.submit,
    )
    return Status(201, _partner_detail(request, event))


@partner_router.put(
    "/events/{event_id}",
    response={200: PartnerEventOut, **WRITE_ERRORS},
    summary="Replace an event's content",
)
def partner_event_update(request: HttpRequest, event_id: int, payload: EventIn) -> Any:
    event = _own_event(request, event_id)
    event = services.event_update(actor=_actor(request), event=event, data=payload.to_input())
    return _partner_detail(request, event)


@partner_router.post(
    "/events/{event_id}/submit",
    response={200: PartnerEventOut, **WRITE_ERRORS},
    summary="Submit a draft for validation",
)
def partner_event_submit(request: HttpRequest, event_id: int) -> Any:
    event = services.event_submit(actor=_actor(request), event=_own_event(request, event_id))
    return _partner_detail(request, event)


@partner_router.post(
    "/events/{event_id}/status",
    response={200: PartnerEventOut, **WRITE_ERRORS},
    summary="Set scheduled / postponed / cancelled / moved online",
)
def partner_event_status(request: HttpRequest, event_id: int, payload: StatusIn) -> Any:
    event = services.event_set_status(
        actor=_actor(request),
        event=_own_event(request, event_id),
        status=payload.status,
        reason=payload.reason,
    )
    return _partner_detail(request, event)


@partner_router.delete(
    "/events/{event_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a draft or rejected event",
)
def partner_event_delete(request: HttpRequest, event_id: int) -> Any:
    services.event_delete(actor=_actor(request), event=_own_event(request, event_id))
    return Status(204, None)
