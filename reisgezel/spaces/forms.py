"""Forms of the booking pages (the services check the rules; these only parse input)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation
from reisgezel.core.date_range import DateField
from reisgezel.core.fields import ModelMultipleIdField
from reisgezel.places.models import Weekday
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, GroupKind
from reisgezel.spaces.rules import MAX_ATTENDEES
from reisgezel.spaces.services_room_cancel import MAX_REASON


class BookingRequestForm(forms.Form):
    group = forms.ModelChoiceField(queryset=BookingGroup.objects.none(), label=_("Group"))
    title = forms.CharField(label=_("What for"), max_length=200)
    attendees = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=MAX_ATTENDEES, initial=1
    )
    day = DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a weekly booking: the first date."),
    )
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    repeat_until = DateField(
        label=_("Every week until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for one date. We show which dates are not free first."),
    )

    def __init__(self, *args: Any, groups: QuerySet[BookingGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = groups
        if groups.count() == 1:
            group_field.initial = groups.first()


class GroupRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=200,
        required=False,
        help_text=_("An association books under its own name."),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("Association")
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organisations


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ClosureForm(forms.Form):
    """Close one of the rooms the user answers for some days."""

    bookable = forms.ModelChoiceField(queryset=BookableRoom.objects.none(), label=_("Room"))
    starts_on = DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        help_text=_("Shown to groups that ask for these days, e.g. “summer holiday”."),
    )

    def __init__(self, *args: Any, rooms: QuerySet[BookableRoom], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bookable"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = rooms


class DeskBookingsFilter(forms.Form):
    """Which confirmed bookings the desk lists: one room or all, from one day to another."""

    bookable = forms.ModelChoiceField(
        queryset=BookableRoom.objects.none(),
        label=_("Room"),
        required=False,
        empty_label=_("All rooms"),
    )
    first_day = DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, rooms: QuerySet[BookableRoom], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bookable"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = rooms

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            raise ValidationError(_("The period ends before it starts."))
        return data


class RoomCancelForm(forms.Form):
    """Cancel some of the listed bookings, with one reason for the groups."""

    bookings = ModelMultipleIdField(
        queryset=Booking.objects.none(),
        label=_("Bookings"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the bookings to cancel.")},
    )
    reason = forms.CharField(
        label=_("Reason for the groups"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The groups get it by e-mail, e.g. “water damage, the hall is closed”."),
    )

    def __init__(self, *args: Any, bookings: QuerySet[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bookings"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = bookings


class InvoiceForm(forms.Form):
    group = forms.ModelChoiceField(queryset=BookingGroup.objects.none(), label=_("Group"))
    first_day = DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[BookingGroup],
        issuers: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = groups
        if issuers is not None and issuers.count() > 1:
            # One invoice has one sender: a member of two partners chooses which.
            self.fields["issuer"] = forms.ModelChoiceField(
                queryset=issuers, label=_("On behalf of")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            raise ValidationError(_("The period ends before it starts."))
        return data


def weekday_label(weekday: int) -> str:
    return str(Weekday(weekday).label)


# Service argument -> form field of the booking form.
FIELD_OF = {
    "starts_at": "day",
    "first_date": "day",
    "ends_at": "end_time",
    "last_date": "repeat_until",
}


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has it."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            field = FIELD_OF.get(key, key)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
