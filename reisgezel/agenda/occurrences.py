"""Materialising occurrences: the only writer of the Occurrence table."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reisgezel.agenda.cache import agenda_changed
from reisgezel.agenda.calendar import CalendarError, CalendarSpec, Slot, WeeklyHours, expand
from reisgezel.agenda.models import CalendarType, Event, ModerationState, Occurrence
from reisgezel.places.models import Place

log = logging.getLogger(__name__)


def calendar_spec(event: Event) -> CalendarSpec:
    return CalendarSpec(
        calendar_type=event.calendar_type,
        time_slots=tuple(
            Slot(s.start, s.end, s.all_day, s.place_id)
            for s in event.time_slots.all().order_by("start")
        ),
        weekly=tuple(
            WeeklyHours(w.weekday, w.opens, w.closes) for w in event.weekly_openings.all()
        ),
        period_start=event.period_start,
        period_end=event.period_end,
        rrule=event.rrule,
        exception_dates=frozenset(event.exception_dates.values_list("date", flat=True)),
        closed_on_public_holidays=event.closed_on_public_holidays,
    )


def _neighbourhoods(place_ids: Iterable[int | None]) -> dict[int, int | None]:
    ids = {pid for pid in place_ids if pid}
    return dict(Place.objects.filter(pk__in=ids).values_list("pk", "neighbourhood_id"))


@transaction.atomic
def occurrences_rebuild(*, event: Event, today: date | None = None) -> int:
    """Make the event's occurrences match its calendar and its filter fields.

    Idempotent. Existing rows are kept where the start is unchanged (their ids stay
    stable), others are inserted or deleted. Returns the number of occurrences.
    Raises CalendarError when the calendar is incomplete.
    """
    today = today or timezone.localdate()
    slots = expand(
        calendar_spec(event),
        today=today,
        horizon_days=settings.REISGEZEL["OCCURRENCE_HORIZON_DAYS"],
    )
    place_of = {slot.start: slot.place_id or event.place_id for slot in slots}
    buurt_of = _neighbourhoods(place_of.values())
    common = {
        "is_public": event.moderation == ModerationState.APPROVED,
        "is_free": event.is_free,
        "age_min": event.age_min,
        "age_max": event.age_max,
        "status": event.status,
    }
    existing = {occ.start: occ for occ in Occurrence.objects.filter(event=event)}
    wanted = {slot.start: slot for slot in slots}
    stale = [occ.pk for start, occ in existing.items() if start not in wanted]
    if stale:
        Occurrence.objects.filter(pk__in=stale).delete()
    new, changed = [], []
    for start, slot in wanted.items():
        place_id = place_of[start]
        values = {
            "end": slot.end,
            "all_day": slot.all_day,
            "place_id": place_id,
            "neighbourhood_id": buurt_of.get(place_id) if place_id else None,
            **common,
        }
        occ = existing.get(start)
        if occ is None:
            new.append(Occurrence(event=event, start=start, **values))
        elif any(getattr(occ, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(occ, key, value)
            changed.append(occ)
    Occurrence.objects.bulk_create(new, batch_size=1000)
    if changed:
        Occurrence.objects.bulk_update(changed, [*values.keys()], batch_size=1000)
    # Every write path of an event ends here (services, admin, imports): counts cached
    # for the agenda may now be wrong, whether or not the dates changed.
    agenda_changed()
    return len(wanted)


def occurrences_extend_all(*, today: date | None = None) -> int:
    """Roll the horizon forward (run nightly) for the events that run beyond it: open
    ended, or ending after today (a two-year exhibition, a rule with UNTIL). Returns the
    events touched. One event whose calendar no longer expands (a rule that passes the
    cap as its window grows) is logged and left as it was; the others go on."""
    today = today or timezone.localdate()
    events = Event.objects.filter(
        calendar_type__in=[CalendarType.PERMANENT, CalendarType.PERIODIC]
    ).filter(Q(period_end__isnull=True) | Q(period_end__gt=today))
    count = 0
    for event in events.iterator(chunk_size=200):
        try:
            with transaction.atomic():
                occurrences_rebuild(event=event, today=today)
        except CalendarError:
            log.exception("event %s: its calendar could not be extended", event.pk)
            continue
        count += 1
    return count


def occurrences_follow_place(place: Place) -> None:
    """A place given another buurt (places.services.place_update): the occurrences held
    there are filed under it too, for the agenda's neighbourhood filter and the buurt
    pages."""
    held = Occurrence.objects.filter(place_id=place.pk)
    if place.neighbourhood_id is None:
        elsewhere = held.filter(neighbourhood_id__isnull=False)
    else:
        elsewhere = held.exclude(neighbourhood_id=place.neighbourhood_id)
    if elsewhere.update(neighbourhood_id=place.neighbourhood_id):
        agenda_changed()
