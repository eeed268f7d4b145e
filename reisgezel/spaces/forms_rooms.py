"""Forms of the desk's room page: they parse and bound what was typed; the rules are
services_rooms' (which also shows its refusals on these fields, see forms.add_service_errors)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import ModelMultipleIdField, TranslatedFormField
from reisgezel.spaces.models import BookableRoom, Equipment, GroupKind, RoomPhoto
from reisgezel.spaces.photos import ROOM_PHOTO_POLICY
from reisgezel.spaces.rules import MAX_ATTENDEES
from reisgezel.spaces.services_rooms import (
    ACCESSIBILITY_MAX,
    ALT_TEXT_MAX,
    DESCRIPTION_MAX,
    MAX_CANCELLATION_DAYS,
    MAX_HOURLY_RATE,
    MAX_PHOTO_POSITION,
    RoomInput,
)


def rate_field_name(kind: str) -> str:
    return f"rate_{kind}"


class EquipmentField(ModelMultipleIdField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class RoomEditForm(forms.Form):
    """The room's public text and capacity, its bookable settings and its rates."""

    description = TranslatedFormField(
        label=_("Description"), multiline=True, required=False, max_length=DESCRIPTION_MAX
    )
    accessibility_notes = TranslatedFormField(
        label=capfirst(_("accessibility notes")),
        multiline=True,
        required=False,
        max_length=ACCESSIBILITY_MAX,
        help_text=_("For visitors with a disability: the entrance, a lift, the toilets, seats."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=MAX_ATTENDEES,
        help_text=_("How many people the room holds."),
    )
    equipment = EquipmentField(
        label=_("Equipment"),
        queryset=Equipment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_loop = forms.BooleanField(label=capfirst(_("hearing loop")), required=False)
    free_cancellation_days = forms.IntegerField(
        label=capfirst(_("free cancellation until (days before)")),
        min_value=0,
        max_value=MAX_CANCELLATION_DAYS,
        help_text=_("Later cancellations by a group cost half the price."),
    )
    is_bookable = forms.BooleanField(
        label=capfirst(_("bookable")),
        required=False,
        help_text=_(
            "Without this tick the room is not shown on the site and takes no requests. "
            "Bookings already made stand."
        ),
    )

    def __init__(
        self, *args: Any, bookable: BookableRoom, access_facts: bool = True, **kwargs: Any
    ) -> None:
        rates = {rate.group_kind: rate.hourly_rate for rate in bookable.rates.all()}
        room = bookable.room
        kwargs.setdefault(
            "initial",
            {
                "description": room.description,
                "accessibility_notes": room.accessibility_notes,
                "capacity": room.capacity,
                "equipment": [item.pk for item in bookable.equipment.all()],
                "step_free": bookable.step_free,
                "hearing_loop": bookable.hearing_loop,
                "free_cancellation_days": bookable.free_cancellation_days,
                "is_bookable": bookable.is_bookable,
                **{rate_field_name(kind): rates.get(kind) for kind in GroupKind.values},
            },
        )
        super().__init__(*args, **kwargs)
        if not access_facts:
            # Shown, not changed: a disabled field keeps its stored value (the service
            # refuses a change too, services_rooms.may_set_access_facts).
            for name in ("step_free", "hearing_loop"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Set by staff or a trusted partner: describe access in the notes above."
                )
        for kind, label in GroupKind.choices:
            self.fields[rate_field_name(kind)] = forms.DecimalField(
                label=label,
                required=False,
                min_value=Decimal(0),
                max_value=MAX_HOURLY_RATE,
                max_digits=8,
                decimal_places=2,
            )

    def rate_fields(self) -> list[forms.BoundField]:
        return [self[rate_field_name(kind)] for kind in GroupKind.values]

    def to_input(self) -> RoomInput:
        data = self.cleaned_data
        return RoomInput(
            description=data["description"],
            accessibility_notes=data["accessibility_notes"],
            capacity=data["capacity"],
            equipment=list(data["equipment"]),
            step_free=data["step_free"],
            hearing_loop=data["hearing_loop"],
            free_cancellation_days=data["free_cancellation_days"],
            is_bookable=data["is_bookable"],
            rates={kind: data[rate_field_name(kind)] for kind in GroupKind.values},
        )


def _alt_text_field() -> TranslatedFormField:
    return TranslatedFormField(
        label=capfirst(RoomPhoto._meta.get_field("alt_text").verbose_name),
        max_length=ALT_TEXT_MAX,
        help_text=_("What the photo shows, for people who cannot see it. Dutch is required."),
    )


class RoomPhotoAddForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = _alt_text_field()

    def photo_bytes(self) -> bytes:
        """The upload's bytes, read no further than one byte past the size limit (the
        service refuses what is larger, without holding all of it in memory)."""
        upload: UploadedFile = self.cleaned_data["image"]
        upload.seek(0)
        return upload.read(ROOM_PHOTO_POLICY.max_bytes + 1)


class RoomPhotoChangeForm(forms.Form):
    alt_text = _alt_text_field()
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=MAX_PHOTO_POSITION,
        help_text=_("Photos are shown from the lowest number up."),
    )

    def __init__(self, *args: Any, photo: RoomPhoto, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"alt_text": photo.alt_text, "position": photo.position})
        kwargs.setdefault("prefix", f"photo-{photo.pk}")
        super().__init__(*args, **kwargs)
