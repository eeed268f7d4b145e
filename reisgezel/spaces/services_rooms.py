"""Editing a bookable room, by whoever answers its requests (staff, or the partner whose
own room it is): the public text and capacity of the room, the bookable settings, the
rates per kind of group and the photos.

Every function checks `permissions.require_answerer`, refuses bad values with a
ValidationError keyed by field, writes in one transaction and records the change in the
audit log. A kind of group without a rate cannot book the room (services.booking_request
refuses it); bookings already made keep the rate and price they were made at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.core.i18n import SOURCE_LANGUAGE, LanguageMap, language_map
from reisgezel.places.models import Room
from reisgezel.places.room_capacity import room_over_capacity
from reisgezel.spaces.models import (
    BookableRoom,
    Equipment,
    GroupKind,
    RoomPhoto,
    RoomRate,
)
from reisgezel.spaces.permissions import is_booking_staff, require_answerer
from reisgezel.spaces.photos import cleaned_photo
from reisgezel.spaces.rules import CENT, MAX_ATTENDEES

MAX_PHOTOS = 12
MAX_PHOTO_POSITION = 99
MAX_CANCELLATION_DAYS = 90
# Far above any room's price per hour, and within the column (8 digits, 2 decimals).
MAX_HOURLY_RATE = Decimal("10000.00")
DESCRIPTION_MAX = 4000
ACCESSIBILITY_MAX = 2000
ALT_TEXT_MAX = 300

_no_nul = ProhibitNullCharactersValidator()


@dataclass(frozen=True)
class RoomInput:
    """Everything the edit page sets at once. `rates` maps a GroupKind value to its
    hourly rate, or to None: that kind cannot book the room. Kinds left out keep theirs."""

    description: Mapping[str, str]
    accessibility_notes: Mapping[str, str]
    capacity: int | None
    equipment: Iterable[Equipment]
    step_free: bool
    hearing_loop: bool
    free_cancellation_days: int
    is_bookable: bool
    rates: Mapping[str, Decimal | None] = field(default_factory=dict)


def text_errors(value: Mapping[str, str], max_length: int) -> list[str]:
    """Why a language map cannot be stored (too long, a NUL character), or []."""
    for text in value.values():
        try:
            _no_nul(text)
        except ValidationError as exc:
            return list(exc.messages)
        if len(text) > max_length:
            return [_("At most %(max)d characters per language.") % {"max": max_length}]
    return []


def rate_error(rate: Decimal) -> str | None:
    """Why `rate` cannot be a price per hour, or None."""
    if not rate.is_finite():
        return _("Give the rate in euros and cents (at most two decimals).")
    if rate < 0:
        return _("A rate cannot be negative.")
    if rate > MAX_HOURLY_RATE:
        return _("A rate is at most € %(max)s per hour.") % {"max": int(MAX_HOURLY_RATE)}
    if rate != rate.quantize(CENT):
        return _("Give the rate in euros and cents (at most two decimals).")
    return None


def _room_errors(data: RoomInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value, max_length in (
        ("description", data.description, DESCRIPTION_MAX),
        ("accessibility_notes", data.accessibility_notes, ACCESSIBILITY_MAX),
    ):
        if problems := text_errors(value, max_length):
            errors[name] = problems
    if data.capacity is not None and not 1 <= data.capacity <= MAX_ATTENDEES:
        errors["capacity"] = [
            _("Give a number from 1 to %(max)d, or leave it empty.") % {"max": MAX_ATTENDEES}
        ]
    if not 0 <= data.free_cancellation_days <= MAX_CANCELLATION_DAYS:
        errors["free_cancellation_days"] = [
            _("Give a number of days from 0 to %(max)d.") % {"max": MAX_CANCELLATION_DAYS}
        ]
    for kind, rate in data.rates.items():
        if kind not in GroupKind.values:
            raise ValueError(f"unknown kind of group: {kind!r}")
        if rate is not None and (problem := rate_error(rate)):
            errors[f"rate_{kind}"] = [problem]
    return errors


def _set_rates(bookable: BookableRoom, rates: Mapping[str, Decimal | None]) -> bool:
    """Create, change or remove the rates; whether anything changed."""
    current = {rate.group_kind: rate for rate in bookable.rates.all()}
    changed = False
    for kind, wanted in rates.items():
        rate = current.get(kind)
        if wanted is None:
            if rate is not None:
                rate.delete()
                changed = True
        elif rate is None:
            RoomRate.objects.create(
                bookable=bookable, group_kind=kind, hourly_rate=wanted.quantize(CENT)
            )
            changed = True
        elif rate.hourly_rate != wanted:
            rate.hourly_rate = wanted.quantize(CENT)
            rate.save(update_fields=["hourly_rate"])
            changed = True
    return changed


def _save_changed(target: Room | BookableRoom, values: Mapping[str, Any]) -> list[str]:
    fields = [name for name, value in values.items() if getattr(target, name) != value]
    for name in fields:
        setattr(target, name, values[name])
    if fields:
        target.save(update_fields=[*fields, "updated_at"])
    return fields


def may_set_access_facts(actor: Any, bookable: BookableRoom) -> bool:
    """Step-free access and a hearing loop are promises people plan a visit on: staff set
    them, or a trusted partner (as for an event's accessibility facilities); others
    describe access in the accessibility notes."""
    if is_booking_staff(actor):
        return True
    return bookable.managed_by is not None and bookable.managed_by.is_trusted


def room_edit(*, actor: Any, bookable: BookableRoom, data: RoomInput) -> BookableRoom:
    """Save the room's text, capacity, settings, equipment and rates (the rows of the
    room and of its bookable settings are locked meanwhile). The audit entry lists the
    fields that changed."""
    require_answerer(actor, bookable)
    errors = _room_errors(data)
    if not may_set_access_facts(actor, bookable):
        for name in ("step_free", "hearing_loop"):
            if getattr(data, name) != getattr(bookable, name):
                errors[name] = [
                    _(
                        "Staff or a trusted partner set this; describe access in the "
                        "accessibility notes and the houses' staff will check it."
                    )
                ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        list(Room.objects.select_for_update().filter(pk=bookable.room_id).values_list("pk"))
        list(BookableRoom.objects.select_for_update().filter(pk=bookable.pk).values_list("pk"))
        # Compared with what is stored now, not with what the page loaded before the lock.
        bookable.refresh_from_db()
        room = Room.objects.get(pk=bookable.room_id)
        bookable.room = room
        changed = _save_changed(
            room,
            {
                "description": language_map(data.description),
                "accessibility_notes": language_map(data.accessibility_notes),
                "capacity": data.capacity,
            },
        )
        changed += _save_changed(
            bookable,
            {
                "step_free": data.step_free,
                "hearing_loop": data.hearing_loop,
                "free_cancellation_days": data.free_cancellation_days,
                "is_bookable": data.is_bookable,
            },
        )
        equipment = {item.pk for item in data.equipment}
        if equipment != set(bookable.equipment.values_list("pk", flat=True)):
            bookable.equipment.set(list(equipment))
            changed.append("equipment")
        if _set_rates(bookable, data.rates):
            changed.append("rates")
        if changed:
            audit: dict[str, Any] = {"changed": changed}
            if "capacity" in changed:
                # A smaller room is allowed (it really changed); what no longer fits is
                # recorded, and the desk's room page lists it for as long as it lasts.
                audit["over_capacity"] = [item.holder for item in room_over_capacity(room)]
            audit_record(actor=actor, action="spaces.room_edit", target=bookable, data=audit)
    return bookable


def _alt_text_errors(alt_text: LanguageMap) -> list[str]:
    if not alt_text.get(SOURCE_LANGUAGE):
        return [_("Describe the image in Dutch for people who cannot see it.")]
    return text_errors(alt_text, ALT_TEXT_MAX)


def _position_errors(position: int) -> list[str]:
    if not 0 <= position <= MAX_PHOTO_POSITION:
        return [_("Give a number from 0 to %(max)d.") % {"max": MAX_PHOTO_POSITION}]
    return []


def room_photo_add(
    *,
    actor: Any,
    bookable: BookableRoom,
    data: bytes,
    alt_text: Mapping[str, str],
    position: int | None = None,
) -> RoomPhoto:
    """Add a photo (validated by its content, upright, without metadata; see photos.py)
    with its description for people who cannot see it (Dutch required). At most
    MAX_PHOTOS per room: the room's row is locked while counting. Without a position the
    photo comes last."""
    require_answerer(actor, bookable)
    alt = language_map(alt_text)
    errors: dict[str, list[str]] = {}
    if problems := _alt_text_errors(alt):
        errors["alt_text"] = problems
    if position is not None and (problems := _position_errors(position)):
        errors["position"] = problems
    try:
        content = cleaned_photo(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the room's row: two uploads at once still count each other's photo.
        list(BookableRoom.objects.select_for_update().filter(pk=bookable.pk).values_list("pk"))
        photos = RoomPhoto.objects.filter(bookable=bookable)
        if photos.count() >= MAX_PHOTOS:
            raise ValidationError(
                {
                    "image": [
                        _("A room has at most %(n)s photos. Remove one before adding another.")
                        % {"n": MAX_PHOTOS}
                    ]
                }
            )
        if position is None:
            last = photos.order_by("-position").values_list("position", flat=True).first()
            position = 0 if last is None else min(last + 1, MAX_PHOTO_POSITION)
        photo = RoomPhoto(bookable=bookable, alt_text=alt, position=position)
        photo.image.save(content.name or "photo.jpg", content, save=False)
        try:
            photo.save()
            audit_record(actor=actor, action="spaces.room_photo_add", target=photo)
        except Exception:
            photo.image.delete(save=False)  # the file was stored before the row
            raise
    return photo


def room_photo_change(
    *, actor: Any, photo: RoomPhoto, alt_text: Mapping[str, str], position: int
) -> RoomPhoto:
    """Change a photo's description and its place in the order (lower comes first)."""
    require_answerer(actor, photo.bookable)
    alt = language_map(alt_text)
    errors: dict[str, list[str]] = {}
    if problems := _alt_text_errors(alt):
        errors["alt_text"] = problems
    if problems := _position_errors(position):
        errors["position"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Someone else may have removed it since the page was loaded.
        if not RoomPhoto.objects.select_for_update().filter(pk=photo.pk).exists():
            raise ValidationError(_("This photo was removed in the meantime."))
        photo.alt_text = alt
        photo.position = position
        photo.save(update_fields=["alt_text", "position"])
        audit_record(actor=actor, action="spaces.room_photo_change", target=photo)
    return photo


def room_photo_remove(*, actor: Any, photo: RoomPhoto) -> None:
    """Remove the photo; its stored file is deleted once the removal is committed."""
    require_answerer(actor, photo.bookable)
    name, storage = photo.image.name, photo.image.storage
    with transaction.atomic():
        audit_record(actor=actor, action="spaces.room_photo_remove", target=photo)
        photo.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
