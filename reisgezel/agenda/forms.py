"""Partner forms: the event form with its calendar/tariff formsets, status, moderation.

Forms parse and convert (to `EventInput`); the rules stay in `reisgezel.agenda.services`,
whose ValidationError dicts are mapped back onto these fields by `add_service_errors`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from reisgezel.agenda.inputs import EventInput, OpeningInput, SlotInput, TariffInput
from reisgezel.agenda.models import Audience, CalendarType, Event, EventStatus
from reisgezel.core.date_range import DateField, DateTimeField, validate_in_range
from reisgezel.core.fields import TranslatedFormField
from reisgezel.core.models import Term, TermKind
from reisgezel.places.models import Place, Weekday

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _term_choices(kind: str) -> list[tuple[str, str]]:
    return [(t.code, str(t.label)) for t in Term.objects.filter(kind=kind)]


class SlotForm(forms.Form):
    start = DateTimeField(label=_("Start"), widget=DATETIME_WIDGET)
    end = DateTimeField(label=_("End"), widget=DATETIME_WIDGET)
    all_day = forms.BooleanField(label=_("All day"), required=False)


class OpeningForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    opens = forms.TimeField(label=_("Opens"), widget=TIME_WIDGET)
    closes = forms.TimeField(label=_("Closes"), widget=TIME_WIDGET)


class TariffForm(forms.Form):
    name = TranslatedFormField(label=_("Tariff name"), max_length=100)
    price = forms.DecimalField(label=_("Price (EUR)"), min_value=0, max_digits=7, decimal_places=2)


SlotFormSet = formset_factory(SlotForm, extra=2, can_delete=True)
OpeningFormSet = formset_factory(OpeningForm, extra=2, can_delete=True)
TariffFormSet = formset_factory(TariffForm, extra=1, can_delete=True)


class ExceptionDatesField(forms.CharField):
    """Dates on which a periodic event does not take place: one YYYY-MM-DD per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> list[date]:
        text = super().clean(value) or ""
        dates, bad = [], []
        for line in text.split():
            try:
                dates.append(date.fromisoformat(line.strip()))
            except ValueError:
                bad.append(line)
        if bad:
            raise ValidationError(
                _("Not a date (use YYYY-MM-DD): %(values)s") % {"values": ", ".join(bad)}
            )
        for day in dates:
            validate_in_range(day)
        return dates


class EventForm(forms.Form):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    summary = TranslatedFormField(label=_("Short description"), max_length=400, required=False)
    description = TranslatedFormField(label=_("Description"), multiline=True, required=False)
    disciplines = forms.MultipleChoiceField(
        label=_("Disciplines"), widget=forms.CheckboxSelectMultiple
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    facilities = forms.MultipleChoiceField(
        label=_("Accessibility facilities"), required=False, widget=forms.CheckboxSelectMultiple
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.all(),
        required=False,
        help_text=_("Not in the list? Add a new place first."),
    )
    online_url = forms.URLField(label=_("Online address"), required=False, assume_scheme="https")
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Audience.choices, initial=Audience.EVERYONE
    )
    age_min = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        initial="nl",
        help_text=_("Language codes, separated by commas, e.g. nl, en, li."),
    )
    is_free = forms.BooleanField(label=_("Free"), required=False)
    base_price = forms.DecimalField(
        label=_("Price (EUR)"), required=False, min_value=0, max_digits=7, decimal_places=2
    )
    booking_url = forms.URLField(label=_("Booking address"), required=False, assume_scheme="https")
    booking_phone = forms.CharField(label=_("Booking phone"), required=False, max_length=40)
    booking_email = forms.EmailField(label=_("Booking e-mail"), required=False)
    booking_opens_at = DateTimeField(
        label=_("Booking opens"), required=False, widget=DATETIME_WIDGET
    )
    booking_closes_at = DateTimeField(
        label=_("Booking closes"), required=False, widget=DATETIME_WIDGET
    )
    calendar_type = forms.ChoiceField(
        label=_("Calendar"),
        choices=CalendarType.choices,
        widget=forms.RadioSelect,
        initial=CalendarType.SINGLE,
    )
    period_start = DateField(label=_("First day"), required=False, widget=DATE_WIDGET)
    period_end = DateField(label=_("Last day"), required=False, widget=DATE_WIDGET)
    rrule = forms.CharField(
        label=_("Recurrence rule"),
        required=False,
        max_length=500,
        help_text=_("RFC 5545, e.g. FREQ=WEEKLY;BYDAY=TU (starts at the first date)."),
    )
    exception_dates = ExceptionDatesField(
        label=_("Not on these days"), required=False, help_text=_("One date per line, YYYY-MM-DD.")
    )
    closed_on_public_holidays = forms.BooleanField(
        label=_("Closed on public holidays"), required=False
    )

    def __init__(self, *args: Any, facilities_allowed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].choices = _term_choices(TermKind.DISCIPLINE)  # type: ignore[attr-defined]
        self.fields["themes"].choices = _term_choices(TermKind.THEME)  # type: ignore[attr-defined]
        if facilities_allowed:
            self.fields["facilities"].choices = _term_choices(TermKind.FACILITY)  # type: ignore[attr-defined]
        else:
            # Untrusted partners never see (nor send) facilities: moderators set them.
            del self.fields["facilities"]

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [code.strip().lower() for code in raw.replace(";", ",").split(",") if code.strip()]


# Service error keys that are not a field of EventForm, and where they are shown.
_ERROR_FIELDS = {"place_id": "place", "status_reason": None, "moderation": None}
_FORMSET_ERRORS = {"time_slots": "slots", "weekly": "weekly", "tariffs": "tariffs"}


def add_service_errors(
    form: forms.Form, formsets: dict[str, BaseFormSet], exc: ValidationError
) -> None:
    """Show a service's ValidationError next to the fields (or formsets) it names."""
    for key, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        if key in _FORMSET_ERRORS and _FORMSET_ERRORS[key] in formsets:
            formset = formsets[_FORMSET_ERRORS[key]]
            formset.non_form_errors().extend(messages)
            continue
        field = _ERROR_FIELDS.get(key, key)
        form.add_error(field if field in form.fields else None, messages)


def event_formsets(data: Any = None, event: Event | None = None) -> dict[str, BaseFormSet]:
    initial = initial_formsets(event) if event else {}
    return {
        "slots": SlotFormSet(data, prefix="slots", initial=initial.get("slots")),
        "weekly": OpeningFormSet(data, prefix="weekly", initial=initial.get("weekly")),
        "tariffs": TariffFormSet(data, prefix="tariffs", initial=initial.get("tariffs")),
    }


def _rows(formset: BaseFormSet) -> list[dict[str, Any]]:
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def to_event_input(form: EventForm, formsets: dict[str, BaseFormSet]) -> EventInput:
    """The typed input of valid forms (call after is_valid() on all of them)."""
    data = form.cleaned_data
    place = data.get("place")
    return EventInput(
        title=data["title"],
        summary=data["summary"],
        description=data["description"],
        calendar_type=data["calendar_type"],
        disciplines=data["disciplines"],
        themes=data["themes"],
        facilities=data.get("facilities"),  # absent for untrusted: unchanged
        place_id=place.pk if place else None,
        online_url=data["online_url"],
        audience=data["audience"],
        age_min=data["age_min"],
        age_max=data["age_max"],
        languages=data["languages"],
        is_free=data["is_free"],
        base_price=data["base_price"],
        tariffs=[TariffInput(name=r["name"], price=r["price"]) for r in _rows(formsets["tariffs"])],
        booking_url=data["booking_url"],
        booking_phone=data["booking_phone"],
        booking_email=data["booking_email"],
        booking_opens_at=data["booking_opens_at"],
        booking_closes_at=data["booking_closes_at"],
        time_slots=[
            SlotInput(r["start"], r["end"], r["all_day"]) for r in _rows(formsets["slots"])
        ],
        weekly=[
            OpeningInput(r["weekday"], r["opens"], r["closes"]) for r in _rows(formsets["weekly"])
        ],
        period_start=data["period_start"],
        period_end=data["period_end"],
        rrule=data["rrule"],
        exception_dates=data["exception_dates"],
        closed_on_public_holidays=data["closed_on_public_holidays"],
    )


def initial_event(event: Event) -> dict[str, Any]:
    return {
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "disciplines": [t.code for t in event.disciplines.all()],
        "themes": [t.code for t in event.themes.all()],
        "facilities": [t.code for t in event.facilities.all()],
        "place": event.place_id,
        "online_url": event.online_url,
        "audience": event.audience,
        "age_min": event.age_min,
        "age_max": event.age_max,
        "languages": ", ".join(x.code for x in event.languages.all()),
        "is_free": event.is_free,
        "base_price": event.base_price,
        "booking_url": event.booking_url,
        "booking_phone": event.booking_phone,
        "booking_email": event.booking_email,
        "booking_opens_at": event.booking_opens_at,
        "booking_closes_at": event.booking_closes_at,
        "calendar_type": event.calendar_type,
        "period_start": event.period_start,
        "period_end": event.period_end,
        "rrule": event.rrule,
        "closed_on_public_holidays": event.closed_on_public_holidays,
        "exception_dates": "\n".join(str(d.date) for d in event.exception_dates.all()),
    }


def initial_formsets(event: Event) -> dict[str, list[dict[str, Any]]]:
    return {
        "slots": [
            {"start": s.start, "end": s.end, "all_day": s.all_day} for s in event.time_slots.all()
        ],
        "weekly": [
            {"weekday": w.weekday, "opens": w.opens, "closes": w.closes}
            for w in event.weekly_openings.all()
        ],
        "tariffs": [{"name": t.name, "price": t.price} for t in event.tariffs.all()],
    }


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=EventStatus.choices, widget=forms.RadioSelect
    )
    reason = TranslatedFormField(
        label=_("Reason"),
        max_length=400,
        required=False,
        help_text=_("Required (in Dutch at least) unless the event is scheduled."),
    )


class RejectForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organiser"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: tell the organiser what to change."),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("Where it is used, e.g. “website sync”."),
    )


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=8, help_text=_("For example 6211 KJ.")
    )
    city = forms.CharField(label=_("City"), max_length=100, initial="Maastricht")
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    none_of_these = forms.BooleanField(
        label=_("None of these places is mine: create a new place"), required=False
    )
