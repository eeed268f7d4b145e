"""Agenda filters: parsed once at the boundary (pages, API, iCal feeds share this form).

Malformed input never reaches the query: the form answers with readable errors that
the views turn into a 400 (pages show the messages next to the filters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reisgezel.agenda.calendar import city_timezone
from reisgezel.core.date_range import DateField


class DatePreset:
    TODAY = "today"
    TOMORROW = "tomorrow"
    WEEKEND = "weekend"
    WEEK = "week"
    MONTH = "month"
    CHOICES = [
        (TODAY, _("Today")),
        (TOMORROW, _("Tomorrow")),
        (WEEKEND, _("This weekend")),
        (WEEK, _("Next 7 days")),
        (MONTH, _("Next 30 days")),
    ]


MAX_RANGE_DAYS = 400
PAGE_SIZES = (10, 20, 50, 100)


@dataclass(frozen=True)
class AgendaFilters:
    start: datetime
    end: datetime
    when: str = ""
    disciplines: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    facilities: tuple[str, ...] = ()
    organisers: tuple[str, ...] = ()
    age: int | None = None
    free: bool = False
    audience: str = ""
    text: str = ""
    page: int = 1
    per_page: int = 20
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """[first day, day after the last) of a date preset, in the city's calendar."""
    if preset == DatePreset.TODAY:
        return today, today + timedelta(days=1)
    if preset == DatePreset.TOMORROW:
        return today + timedelta(days=1), today + timedelta(days=2)
    if preset == DatePreset.WEEKEND:
        # Saturday and Sunday; on a Sunday, "this weekend" is today.
        saturday = (
            today + timedelta(days=(5 - today.weekday()) % 7) if today.weekday() != 6 else today
        )
        return saturday, (
            saturday + timedelta(days=2)
        ) if today.weekday() != 6 else today + timedelta(days=1)
    if preset == DatePreset.WEEK:
        return today, today + timedelta(days=7)
    if preset == DatePreset.MONTH:
        return today, today + timedelta(days=30)
    raise ValueError(preset)


class _MultiCode(forms.MultipleChoiceField):
    """Accepts any slug-like codes; unknown codes simply match nothing."""

    def valid_value(self, value: str) -> bool:
        return bool(value) and len(value) <= 80 and all(c.isalnum() or c in "-_" for c in value)


class AgendaFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"), required=False, choices=[("", _("Any date")), *DatePreset.CHOICES]
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)
    discipline = _MultiCode(label=_("Discipline"), required=False)
    theme = _MultiCode(label=_("Theme"), required=False)
    neighbourhood = _MultiCode(label=_("Neighbourhood"), required=False)
    district = _MultiCode(label=_("District"), required=False)
    language = _MultiCode(label=_("Language"), required=False)
    facility = _MultiCode(label=_("Accessibility"), required=False)
    organiser = _MultiCode(label=_("Organiser"), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    free = forms.BooleanField(label=_("Free only"), required=False)
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[
            ("", _("Any")),
            ("everyone", _("Everyone")),
            ("members", _("Members only")),
            ("schools", _("Schools")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=10000)
    per_page = forms.TypedChoiceField(
        required=False, coerce=int, choices=[(str(n), str(n)) for n in PAGE_SIZES], empty_value=None
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        if start and end and (end - start).days > MAX_RANGE_DAYS:
            self.add_error(
                "date_to", _("Choose a period of at most %(days)d days.") % {"days": MAX_RANGE_DAYS}
            )
        return data

    def filters(self, *, now: datetime | None = None) -> AgendaFilters:
        """The typed filters of a valid form."""
        assert self.is_valid(), "filters() needs a valid form"
        data = self.cleaned_data
        tz = city_timezone()
        now = (now or timezone.now()).astimezone(tz)
        today = now.date()
        if data.get("when"):
            first, after = preset_range(data["when"], today)
        elif data.get("date_from") or data.get("date_to"):
            first = data.get("date_from") or today
            after = (data.get("date_to") or first + timedelta(days=MAX_RANGE_DAYS)) + timedelta(
                days=1
            )
        else:
            first, after = today, today + timedelta(days=MAX_RANGE_DAYS)
        start = datetime.combine(first, time.min, tzinfo=tz)
        if first == today and not data.get("date_from"):
            start = now.replace(second=0, microsecond=0)  # what is still on, from now
        return AgendaFilters(
            start=start,
            end=datetime.combine(after, time.min, tzinfo=tz),
            when=data.get("when") or "",
            disciplines=tuple(data.get("discipline") or ()),
            themes=tuple(data.get("theme") or ()),
            neighbourhoods=tuple(data.get("neighbourhood") or ()),
            districts=tuple(data.get("district") or ()),
            languages=tuple(data.get("language") or ()),
            facilities=tuple(data.get("facility") or ()),
            organisers=tuple(data.get("organiser") or ()),
            age=data.get("age"),
            free=bool(data.get("free")),
            audience=data.get("audience") or "",
            text=data.get("q") or "",
            page=data.get("page") or 1,
            per_page=data.get("per_page") or 20,
        )


def error_messages(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}
