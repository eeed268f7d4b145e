"""Writes and rules for events: create, update, moderation, status. One service layer for
pages, the API, imports and the admin; every rule is enforced here or in the database."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.accounts.models import Organisation
from reisgezel.agenda import permissions
from reisgezel.agenda.calendar import CalendarError
from reisgezel.agenda.inputs import EventInput, SlotInput
from reisgezel.agenda.models import (
    CalendarType,
    Event,
    EventLanguage,
    EventStatus,
    ExceptionDate,
    ModerationDecision,
    ModerationState,
    PriceTariff,
    TimeSlot,
    WeeklyOpening,
)
from reisgezel.agenda.occurrences import occurrences_rebuild
from reisgezel.core.audit import acting_user, audit_record
from reisgezel.core.date_range import in_range, range_message
from reisgezel.core.i18n import SOURCE_LANGUAGE, language_map
from reisgezel.core.models import Term, TermKind
from reisgezel.places.models import Place
from reisgezel.search.registry import index_later

EXTRA_LANGUAGE_CODES = {"li"}  # Limburgish: Maastrichtiens is spoken on stage too.


@lru_cache(maxsize=1)
def _known_language_codes() -> frozenset[str]:
    codes = {str(code) for code in Locale("en").languages if code and "_" not in str(code)}
    return frozenset(codes) | EXTRA_LANGUAGE_CODES


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _terms(codes: list[str], kind: str, field: str, errors: _Errors) -> list[Term]:
    wanted = list(dict.fromkeys(codes))
    found = {t.code: t for t in Term.objects.filter(kind=kind, code__in=wanted)}
    for code in wanted:
        if code not in found:
            errors.add(
                field, _("“%(code)s” is not a known %(kind)s.") % {"code": code, "kind": kind}
            )
    return [found[c] for c in wanted if c in found]


def _check_texts(
    field: str, value: dict[str, str] | None, model: type[models.Model], errors: _Errors
) -> None:
    """A language map as the model field holds it: content languages only, each text
    within the field's length (the API sends anything; forms check it themselves)."""
    limit = getattr(model._meta.get_field(field), "text_max_length", None)
    languages = {code for code, _name in settings.LANGUAGES}
    for lang, text in language_map(value).items():
        if lang not in languages:
            errors.add(
                field, _("“%(lang)s” is not a content language of this site.") % {"lang": lang}
            )
        elif limit and len(text) > limit:
            errors.add(
                field,
                _("The %(lang)s text is longer than %(max)d characters.")
                % {"lang": lang, "max": limit},
            )


def _validate(data: EventInput, errors: _Errors) -> None:
    title = language_map(data.title)
    if not title.get(SOURCE_LANGUAGE):
        errors.add("title", _("The Dutch title is required."))
    for field in ("title", "summary", "description"):
        _check_texts(field, getattr(data, field), Event, errors)
    if data.calendar_type not in CalendarType.values:
        errors.add("calendar_type", _("Choose single, multiple, periodic or permanent."))
    if not data.disciplines:
        errors.add("disciplines", _("Choose at least one discipline."))
    if data.age_min is not None and not 0 <= data.age_min <= 120:
        errors.add("age_min", _("The minimum age must be between 0 and 120."))
    if data.age_max is not None and not 0 <= data.age_max <= 120:
        errors.add("age_max", _("The maximum age must be between 0 and 120."))
    if data.age_min is not None and data.age_max is not None and data.age_min > data.age_max:
        errors.add("age_max", _("The maximum age must not be below the minimum age."))
    if data.is_free and data.base_price not in (None, 0):
        errors.add("base_price", _("A free event has no price."))
    if data.base_price is not None and data.base_price < 0:
        errors.add("base_price", _("A price cannot be negative."))
    if data.is_free and data.tariffs:
        errors.add("tariffs", _("A free event has no tariffs."))
    for tariff in data.tariffs:
        if tariff.price < 0:
            errors.add("tariffs", _("A price cannot be negative."))
        if not language_map(tariff.name).get(SOURCE_LANGUAGE):
            errors.add("tariffs", _("Every tariff needs a Dutch name."))
        tariff_errors = _Errors()
        _check_texts("name", tariff.name, PriceTariff, tariff_errors)
        for message in tariff_errors.by_field.get("name", []):
            errors.add("tariffs", message)
    for code in data.languages:
        if code not in _known_language_codes():
            errors.add(
                "languages",
                _("“%(code)s” is not a language code (use e.g. nl, en, de).") % {"code": code},
            )
    if data.booking_url or data.online_url:
        validate_url = URLValidator(schemes=["http", "https"])
        for field in ("booking_url", "online_url"):
            value = getattr(data, field)
            if value:
                try:
                    validate_url(value)
                except ValidationError:
                    errors.add(field, _("Enter a full web address starting with https://."))
    if data.booking_email:
        try:
            EmailValidator()(data.booking_email)
        except ValidationError:
            errors.add("booking_email", _("Enter a valid e-mail address."))
    if (
        data.booking_opens_at
        and data.booking_closes_at
        and data.booking_opens_at >= data.booking_closes_at
    ):
        errors.add("booking_closes_at", _("Booking must close after it opens."))
    _validate_dates(data, errors)
    if data.period_start and data.period_end and data.period_start > data.period_end:
        errors.add("period_end", _("The last day must not be before the first day."))
    if (
        data.calendar_type == CalendarType.PERIODIC
        and not data.period_start
        and not data.time_slots
    ):
        errors.add("period_start", _("A periodic event needs a first day."))
    for slot in data.time_slots:
        if timezone.is_naive(slot.start) or timezone.is_naive(slot.end):
            errors.add("time_slots", _("Dates need a time zone."))
        elif slot.end <= slot.start:
            errors.add("time_slots", _("An end time must come after its start time."))
    for opening in data.weekly:
        if not 0 <= opening.weekday <= 6:
            errors.add("weekly", _("A weekday is a number from 0 (Monday) to 6 (Sunday)."))
        if opening.closes <= opening.opens:
            errors.add("weekly", _("Closing time must come after opening time."))
    if (
        data.place_id is None
        and not data.online_url
        and not any(s.place_id for s in data.time_slots)
    ):
        errors.add("place_id", _("Choose a place, or give the online address."))
    place_ids = {pid for pid in (data.place_id, *(s.place_id for s in data.time_slots)) if pid}
    if place_ids and Place.objects.filter(pk__in=place_ids).count() != len(place_ids):
        errors.add("place_id", _("That place does not exist."))


def _validate_dates(data: EventInput, errors: _Errors) -> None:
    """Every date within the platform's years (core.date_range): the API sends any."""
    fields: list[tuple[str, date | datetime | None]] = [
        ("period_start", data.period_start),
        ("period_end", data.period_end),
        ("booking_opens_at", data.booking_opens_at),
        ("booking_closes_at", data.booking_closes_at),
        *(("time_slots", value) for slot in data.time_slots for value in (slot.start, slot.end)),
        *(("exception_dates", day) for day in data.exception_dates),
    ]
    wrong = (field for field, value in fields if value is not None and not in_range(value))
    for field in dict.fromkeys(wrong):  # one message per field
        errors.add(field, range_message())


def _fingerprint(event: Event) -> str:
    """What calendar clients see of an event; a change raises the iCalendar SEQUENCE."""
    payload = {
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "place": event.place_id,
        "online": event.online_url,
        "status": event.status,
        "slots": [(str(s.start), str(s.end)) for s in event.time_slots.all()],
        "weekly": [(w.weekday, str(w.opens), str(w.closes)) for w in event.weekly_openings.all()],
        "period": [
            str(event.period_start),
            str(event.period_end),
            event.rrule,
            event.closed_on_public_holidays,
        ],
        "exceptions": [str(d) for d in event.exception_dates.values_list("date", flat=True)],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _content_digest(event: Event) -> str:
    """Everything a partner can change about an event (what calendars see and more: the
    booking address, prices, ages, terms). An untrusted partner's change of any of it on a
    published event goes back to validation; a new payment link must be checked too."""
    payload = {
        "calendar": _fingerprint(event),
        "booking": [
            event.booking_url,
            event.booking_email,
            event.booking_phone,
            str(event.booking_opens_at),
            str(event.booking_closes_at),
        ],
        "price": [event.is_free, str(event.base_price)],
        "tariffs": [(t.name, str(t.price)) for t in event.tariffs.order_by("position", "pk")],
        "audience": [event.audience, event.age_min, event.age_max],
        "terms": sorted(
            f"{name}:{code}"
            for name in ("disciplines", "themes", "facilities")
            for code in getattr(event, name).values_list("code", flat=True)
        ),
        "languages": sorted(event.languages.values_list("code", flat=True)),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _apply(event: Event, data: EventInput, *, errors: _Errors) -> dict[str, list[Term]]:
    _validate(data, errors)
    terms = {
        "disciplines": _terms(data.disciplines, TermKind.DISCIPLINE, "disciplines", errors),
        "themes": _terms(data.themes, TermKind.THEME, "themes", errors),
    }
    if data.facilities is not None:
        terms["facilities"] = _terms(data.facilities, TermKind.FACILITY, "facilities", errors)
    errors.raise_if_any()
    event.title = language_map(data.title)
    event.summary = language_map(data.summary)
    event.description = language_map(data.description)
    event.slug = slugify(event.title.get(SOURCE_LANGUAGE, ""))[:120] or "event"
    event.place_id = data.place_id
    event.online_url = data.online_url
    event.audience = data.audience
    event.age_min, event.age_max = data.age_min, data.age_max
    event.is_free = data.is_free
    event.base_price = None if data.is_free else data.base_price
    event.booking_url, event.booking_phone, event.booking_email = (
        data.booking_url,
        data.booking_phone,
        data.booking_email,
    )
    event.booking_opens_at, event.booking_closes_at = data.booking_opens_at, data.booking_closes_at
    event.calendar_type = data.calendar_type
    event.period_start, event.period_end = data.period_start, data.period_end
    event.rrule = data.rrule.strip().removeprefix("RRULE:")
    if (
        event.calendar_type == CalendarType.PERIODIC
        and event.period_start is None
        and data.time_slots
    ):
        event.period_start = (
            min(s.start for s in data.time_slots).astimezone(timezone.get_current_timezone()).date()
        )
    event.closed_on_public_holidays = data.closed_on_public_holidays
    return terms


def _save_children(event: Event, data: EventInput, terms: dict[str, list[Term]]) -> None:
    for name, values in terms.items():
        getattr(event, name).set(values)
    event.languages.all().delete()
    EventLanguage.objects.bulk_create(
        [EventLanguage(event=event, code=c) for c in dict.fromkeys(data.languages)]
    )
    event.tariffs.all().delete()
    PriceTariff.objects.bulk_create(
        [
            PriceTariff(event=event, name=language_map(t.name), price=t.price, position=i)
            for i, t in enumerate(data.tariffs)
        ]
    )
    event.time_slots.all().delete()
    TimeSlot.objects.bulk_create(
        [
            TimeSlot(event=event, start=s.start, end=s.end, all_day=s.all_day, place_id=s.place_id)
            for s in data.time_slots
        ]
    )
    event.weekly_openings.all().delete()
    WeeklyOpening.objects.bulk_create(
        [
            WeeklyOpening(event=event, weekday=o.weekday, opens=o.opens, closes=o.closes)
            for o in data.weekly
        ]
    )
    event.exception_dates.all().delete()
    ExceptionDate.objects.bulk_create(
        [ExceptionDate(event=event, date=d) for d in sorted(set(data.exception_dates))]
    )


def _rebuild(event: Event) -> None:
    try:
        occurrences_rebuild(event=event)
    except CalendarError as exc:
        raise ValidationError({"calendar_type": [str(exc)]}) from exc
    index_later("event", [event.pk])


def _facilities_check(
    actor: Any, organisation: Organisation, data: EventInput, current: set[str] | None = None
) -> None:
    """Only trusted roles change accessibility facilities; others may resend them unchanged."""
    if data.facilities is None or set(data.facilities) == (current or set()):
        return
    if not permissions.is_trusted_for(actor, organisation):
        raise PermissionDenied(
            _(
                "Only trusted partners and moderators may set accessibility facilities; "
                "describe them in the text and a moderator will add them."
            )
        )


def _locked(event: Event) -> Event:
    """The event read afresh with its row locked until the transaction ends. Every write
    that depends on its state takes this first: what the caller loaded may have been
    submitted, moderated or deleted since, and two writes must not both act on it."""
    locked = Event.objects.select_for_update().filter(pk=event.pk).first()
    if locked is None:
        raise ValidationError(_("This event was deleted in the meantime."))
    return locked


@transaction.atomic
def event_create(
    *,
    actor: Any,
    organisation: Organisation,
    data: EventInput,
    submit: bool = False,
    source_feed_id: int | None = None,
    source_uid: str = "",
) -> Event:
    """Create an event for `organisation` as a draft (or submitted, with `submit`).

    Raises PermissionDenied if `actor` may not act for the organisation, ValidationError
    (a dict of field -> messages) for bad input. Occurrences and the search index follow.
    """
    if not permissions.can_edit_for(actor, organisation):
        raise PermissionDenied(_("You cannot add events for %(org)s.") % {"org": organisation.name})
    _facilities_check(actor, organisation, data)
    event = Event(organiser=organisation, source_feed_id=source_feed_id, source_uid=source_uid)
    terms = _apply(event, data, errors=_Errors())
    event.ical_uid = f"{event.uuid}@{settings.SITE_URL.split('://')[-1].split('/')[0]}"
    event.save()
    _save_children(event, data, terms)
    audit_record(actor=actor, action="event.create", target=event)
    if submit:
        _submit(event, actor)
    _rebuild(event)
    return event


@transaction.atomic
def event_update(*, actor: Any, event: Event, data: EventInput) -> Event:
    """Replace the event's content. Untrusted partners' edits of a published event go
    back to validation; every change visible in calendars raises SEQUENCE."""
    event = _locked(event)
    if not permissions.can_edit(actor, event):
        raise PermissionDenied(
            _("You cannot change events of %(org)s.") % {"org": event.organiser.name}
        )
    current = set(event.facilities.values_list("code", flat=True))
    _facilities_check(actor, event.organiser, data, current)
    before, content_before = _fingerprint(event), _content_digest(event)
    terms = _apply(event, data, errors=_Errors())
    event.save()
    _save_children(event, data, terms)
    changed = False
    if _fingerprint(event) != before:
        event.sequence += 1  # what calendar clients see changed
        changed = True
    if (
        event.moderation == ModerationState.APPROVED
        and not permissions.is_trusted_for(actor, event.organiser)
        and _content_digest(event) != content_before
    ):
        _transition(
            event,
            actor,
            ModerationState.READY,
            _("Changed by the organiser; needs validation again."),
        )
        changed = True
    if changed:
        event.save(update_fields=["sequence", "moderation", "updated_at"])
    audit_record(actor=actor, action="event.update", target=event)
    _rebuild(event)
    return event


@transaction.atomic
def event_dates_add(*, actor: Any, event: Event, slots: list[SlotInput]) -> Event:
    """Add dates to an event of dates (single or multiple): the later dates of an
    imported series, as the horizon moves (`feeds.feed_series_roll_forward`).

    Not a change of content: the series is the one that was validated, so a published
    event stays published (as a rule's occurrences roll forward without a moderator).
    SEQUENCE rises, since the dates calendars see (RDATEs) grow. Dates the event already
    has (the same start) are skipped, so adding twice changes nothing.
    """
    event = _locked(event)
    if not permissions.can_edit(actor, event):
        raise PermissionDenied(
            _("You cannot change events of %(org)s.") % {"org": event.organiser.name}
        )
    if event.calendar_type not in (CalendarType.SINGLE, CalendarType.MULTIPLE):
        raise ValidationError(
            {"calendar_type": [_("Dates can only be added to an event of single dates.")]}
        )
    have = set(event.time_slots.values_list("start", flat=True))
    new = {slot.start: slot for slot in slots if slot.start not in have}
    if not new:
        return event
    errors = _Errors()
    _validate_dates(EventInput(title={}, time_slots=list(new.values())), errors)
    errors.raise_if_any()
    TimeSlot.objects.bulk_create(
        TimeSlot(event=event, start=s.start, end=s.end, all_day=s.all_day, place_id=s.place_id)
        for s in new.values()
    )
    event.calendar_type = CalendarType.MULTIPLE
    event.sequence += 1
    event.save(update_fields=["calendar_type", "sequence", "updated_at"])
    audit_record(actor=actor, action="event.dates_add", target=event, data={"dates": len(new)})
    _rebuild(event)
    return event


@transaction.atomic
def event_revalidate_after_change(*, actor: Any, event: Event) -> Event:
    """An untrusted partner changed a published event outside event_update (an image
    added): it goes back to validation, as after every other change of its content.
    The state is read under the row lock: a moderator may have just decided."""
    if permissions.is_trusted_for(actor, event.organiser):
        return event
    event = _locked(event)
    if event.moderation != ModerationState.APPROVED:
        return event
    _transition(
        event, actor, ModerationState.READY, _("Changed by the organiser; needs validation again.")
    )
    event.save(update_fields=["moderation", "updated_at"])
    _rebuild(event)
    return event


def _transition(event: Event, actor: Any, to_state: str, message: str = "") -> None:
    ModerationDecision.objects.create(
        event=event,
        actor=acting_user(actor),
        from_state=event.moderation,
        to_state=to_state,
        message=message,
    )
    event.moderation = to_state
    if to_state == ModerationState.APPROVED and event.published_at is None:
        event.published_at = timezone.now()


def _submit(event: Event, actor: Any) -> None:
    if event.moderation not in (ModerationState.DRAFT, ModerationState.REJECTED):
        raise ValidationError(
            {"moderation": [_("Only drafts and rejected events can be submitted.")]}
        )
    trusted = permissions.is_trusted_for(actor, event.organiser)
    _transition(event, actor, ModerationState.APPROVED if trusted else ModerationState.READY)
    event.save(update_fields=["moderation", "published_at", "updated_at"])


@transaction.atomic
def event_submit(*, actor: Any, event: Event) -> Event:
    """Draft -> ready for validation; trusted partners publish directly."""
    event = _locked(event)
    if not permissions.can_edit(actor, event):
        raise PermissionDenied(
            _("You cannot submit events of %(org)s.") % {"org": event.organiser.name}
        )
    _submit(event, actor)
    audit_record(actor=actor, action="event.submit", target=event)
    _rebuild(event)
    return event


@transaction.atomic
def event_approve(*, actor: Any, event: Event, message: str = "") -> Event:
    event = _locked(event)
    if not permissions.can_moderate(actor):
        raise PermissionDenied(_("Only moderators can approve events."))
    if event.moderation != ModerationState.READY:
        raise ValidationError(
            {"moderation": [_("Only events that are ready for validation can be approved.")]}
        )
    _transition(event, actor, ModerationState.APPROVED, message)
    event.save(update_fields=["moderation", "published_at", "updated_at"])
    audit_record(actor=actor, action="event.approve", target=event, message=message)
    _rebuild(event)
    _notify_organiser_later(event.pk)
    return event


@transaction.atomic
def event_reject(*, actor: Any, event: Event, message: str) -> Event:
    event = _locked(event)
    if not permissions.can_moderate(actor):
        raise PermissionDenied(_("Only moderators can reject events."))
    if not message.strip():
        raise ValidationError({"message": [_("Tell the organiser why the event is rejected.")]})
    if event.moderation not in (ModerationState.READY, ModerationState.APPROVED):
        raise ValidationError(
            {"moderation": [_("Only submitted or published events can be rejected.")]}
        )
    _transition(event, actor, ModerationState.REJECTED, message.strip())
    event.save(update_fields=["moderation", "updated_at"])
    audit_record(actor=actor, action="event.reject", target=event, message=message)
    _rebuild(event)
    _notify_organiser_later(event.pk)
    return event


@transaction.atomic
def event_set_status(
    *, actor: Any, event: Event, status: str, reason: dict[str, str] | None = None
) -> Event:
    """Scheduled / postponed / cancelled / moved online. Separate from moderation."""
    event = _locked(event)
    if not (permissions.can_edit(actor, event) or permissions.can_moderate(actor)):
        raise PermissionDenied(
            _("You cannot change events of %(org)s.") % {"org": event.organiser.name}
        )
    if status not in EventStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    reason_map = language_map(reason or {})
    errors = _Errors()
    _check_texts("status_reason", reason_map, Event, errors)
    errors.raise_if_any()
    if status != EventStatus.SCHEDULED and not reason_map.get(SOURCE_LANGUAGE):
        raise ValidationError(
            {"status_reason": [_("Give a reason (in Dutch at least) for this status.")]}
        )
    if status == EventStatus.MOVED_ONLINE and not event.online_url:
        raise ValidationError({"online_url": [_("Give the online address first.")]})
    if status != event.status:
        event.status = status
        event.status_reason = reason_map
        event.sequence += 1
        event.save(update_fields=["status", "status_reason", "sequence", "updated_at"])
        audit_record(actor=actor, action="event.status", target=event, data={"status": status})
        _rebuild(event)
    return event


@transaction.atomic
def event_set_highlight(*, actor: Any, event: Event, highlight: bool) -> Event:
    """Highlights appear on the home page; moderators and staff choose them."""
    if not permissions.can_moderate(actor):
        raise PermissionDenied(_("Only moderators can choose highlights."))
    event = _locked(event)  # a message, not a silent no-op, for an event deleted meanwhile
    if event.is_highlight != highlight:
        Event.objects.filter(pk=event.pk).update(is_highlight=highlight, updated_at=timezone.now())
        event.is_highlight = highlight
        audit_record(actor=actor, action="event.highlight", target=event, data={"on": highlight})
        index_later("event", [event.pk])  # highlights rank higher in search
    return event


@transaction.atomic
def event_delete(*, actor: Any, event: Event) -> None:
    """Drafts and rejected events can be deleted; published ones are cancelled instead.
    Holds the event's row lock, as submission and moderation do, so a delete that comes
    while the event is submitted waits and then sees that it was."""
    event = _locked(event)
    if not permissions.can_edit(actor, event):
        raise PermissionDenied(
            _("You cannot delete events of %(org)s.") % {"org": event.organiser.name}
        )
    if event.moderation in (ModerationState.APPROVED, ModerationState.READY):
        raise ValidationError(
            {"moderation": [_("A submitted or published event cannot be deleted; cancel it.")]}
        )
    event_remove(actor=actor, event=event)


def event_remove(*, actor: Any, event: Event) -> None:
    """Delete the event with its audit entry and search document. The rules of who may
    delete what are the caller's: event_delete's for partners, the admin's for staff."""
    from reisgezel.search.registry import remove_later

    audit_record(actor=actor, action="event.delete", target=event)
    remove_later("event", [event.pk])
    event.delete()


def _notify_organiser_later(event_id: int) -> None:
    from reisgezel.agenda.tasks import notify_moderation_decision

    transaction.on_commit(lambda: notify_moderation_decision.enqueue(event_id=event_id))


def event_is_upcoming(event: Event, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return event.occurrences.filter(end__date__gte=today).exists()
