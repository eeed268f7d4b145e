"""Forms of the provider pages: they parse what a provider typed into the services' typed
inputs (CourseInput, EditionInput, TariffInput) and show the services' refusals next to
the fields they concern. The rules themselves live in learning/services/offer.py and
learning/services/sessions.py; these forms only check types."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation, User
from reisgezel.agenda.calendar import city_timezone
from reisgezel.core.date_range import DateField, DateTimeField
from reisgezel.core.fields import TranslatedFormField
from reisgezel.core.models import Term, TermKind
from reisgezel.learning.models import Course, CourseKind, Edition, Level, Session
from reisgezel.learning.selectors import teachers_for
from reisgezel.learning.services.offer import (
    GRADES,
    MAX_GROUP,
    MAX_OFFER_HOURS,
    CourseInput,
    EditionInput,
    TariffInput,
)
from reisgezel.places.models import Place, Room, Weekday

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# Service error keys that name a field differently from the form.
_FIELD_FOR_KEY = {
    "place_id": "place",
    "room_id": "room",
    "teacher_id": "teacher",
    "slug": "slug",
    "room": "room",
}


def add_service_errors(
    form: forms.Form, exc: ValidationError, formset: BaseFormSet | None = None
) -> None:
    """Show a service's ValidationError next to the fields it names; errors about the
    prices go above the price rows, anything else above the form."""
    by_key: dict[str, list[str]] = getattr(exc, "message_dict", {"__all__": exc.messages})
    for key, messages in by_key.items():
        if key == "tariffs" and formset is not None:
            formset.non_form_errors().extend(messages)
            continue
        name = _FIELD_FOR_KEY.get(key, key)
        form.add_error(name if name in form.fields else None, messages)


# --- Courses ----------------------------------------------------------------------------
class TermCodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label) if hasattr(obj, "label") else str(obj)


class CourseForm(forms.Form):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    summary = TranslatedFormField(label=_("Short description"), max_length=400, required=False)
    description = TranslatedFormField(label=_("Description"), multiline=True, required=False)
    kind = forms.ChoiceField(label=_("Kind of course"), choices=CourseKind.choices)
    disciplines = TermCodeChoiceField(
        label=_("Disciplines"),
        queryset=Term.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    facilities = TermCodeChoiceField(
        label=_("Accessibility facilities"),
        queryset=Term.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accessibility = TranslatedFormField(
        label=_("Accessibility information"), multiline=True, required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.ALL)
    age_min = forms.IntegerField(label=_("Minimum age"), initial=0, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Maximum age"), initial=120, min_value=0, max_value=120)
    language = forms.CharField(
        label=_("Language of the lessons"),
        initial="nl",
        max_length=3,
        help_text=_("A code such as nl, en or li (Maastrichtiens)."),
    )
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Prerequisite courses"),
        queryset=Course.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=_("A participant must have completed one of these first."),
    )
    grade_min = forms.IntegerField(
        label=_("Lowest school grade"),
        required=False,
        min_value=GRADES[0],
        max_value=GRADES[1],
        help_text=_("School programmes: primary groep 1-8, then secondary years as 9-14."),
    )
    grade_max = forms.IntegerField(
        label=_("Highest school grade"),
        required=False,
        min_value=GRADES[0],
        max_value=GRADES[1],
    )
    slug = forms.SlugField(
        label=_("Web address (slug)"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to make one from the Dutch title."),
    )

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = Term.objects.filter(  # type: ignore[attr-defined]
            kind=TermKind.DISCIPLINE
        ).order_by("code")
        self.fields["facilities"].queryset = Term.objects.filter(  # type: ignore[attr-defined]
            kind=TermKind.FACILITY
        ).order_by("code")
        others = Course.objects.order_by("slug")
        if course is not None:
            others = others.exclude(pk=course.pk)
        self.fields["prerequisites"].queryset = others  # type: ignore[attr-defined]

    def to_input(self) -> CourseInput:
        data = self.cleaned_data
        return CourseInput(
            title=data["title"],
            kind=data["kind"],
            disciplines=[t.code for t in data["disciplines"]],
            slug=data["slug"] or "",
            summary=data["summary"],
            description=data["description"],
            accessibility=data["accessibility"],
            facilities=[t.code for t in data["facilities"]],
            level=data["level"],
            age_min=data["age_min"],
            age_max=data["age_max"],
            language=data["language"].strip(),
            prerequisites=[c.slug for c in data["prerequisites"]],
            grade_min=data["grade_min"],
            grade_max=data["grade_max"],
        )


def initial_course(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "summary": course.summary,
        "description": course.description,
        "kind": course.kind,
        "disciplines": list(course.disciplines.values_list("code", flat=True)),
        "facilities": list(course.facilities.values_list("code", flat=True)),
        "accessibility": course.accessibility,
        "level": course.level,
        "age_min": course.age_min,
        "age_max": course.age_max,
        "language": course.language,
        "prerequisites": list(course.prerequisites.values_list("slug", flat=True)),
        "grade_min": course.grade_min,
        "grade_max": course.grade_max,
        "slug": course.slug,
    }


# --- Editions ---------------------------------------------------------------------------
class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.place.name}: {obj.name}"


class EditionForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Short and unique within the course, e.g. autumn-2027-tue."),
    )
    term = TranslatedFormField(label=_("Term"), max_length=120, required=False)
    starts_on = DateField(label=_("First day"), widget=DATE)
    ends_on = DateField(label=_("Last day"), widget=DATE)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.order_by("name"))
    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    teacher = PersonChoiceField(label=_("Teacher"), queryset=User.objects.none(), required=False)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=[("", _("No weekly pattern")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TIME, required=False)
    end_time = forms.TimeField(label=_("End time"), widget=TIME, required=False)
    skip_school_holidays = forms.BooleanField(
        label=_("No sessions in school holidays"), required=False, initial=True
    )
    min_participants = forms.IntegerField(
        label=_("Minimum group size"), min_value=0, max_value=MAX_GROUP, initial=1
    )
    max_participants = forms.IntegerField(
        label=_("Maximum group size"), min_value=0, max_value=MAX_GROUP
    )
    reduced_places_max = forms.IntegerField(
        label=_("Maximum reduced-price places"),
        required=False,
        min_value=0,
        max_value=MAX_GROUP,
        help_text=_("Empty: no limit on places at a reduced price through a discount scheme."),
    )
    enrol_opens_at = DateTimeField(label=_("Enrolment opens"), widget=DATETIME, required=False)
    enrol_closes_at = DateTimeField(label=_("Enrolment deadline"), widget=DATETIME, required=False)
    cancel_until = DateTimeField(
        label=_("Cancellation deadline"),
        widget=DATETIME,
        required=False,
        help_text=_("Participants may cancel free of charge until then."),
    )
    waiting_offer_hours = forms.IntegerField(
        label=_("Hours to accept a waiting-list offer"),
        min_value=1,
        max_value=MAX_OFFER_HOURS,
        initial=48,
    )
    trial_lessons = forms.BooleanField(
        label=_("Newcomers may try one lesson first"),
        required=False,
        initial=True,
        help_text=_("For courses and lesson cards; a workshop or camp has no trial lesson."),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, edition: Edition | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.select_related(  # type: ignore[attr-defined]
            "place"
        ).order_by("place__name", "name")
        self.fields["teacher"].queryset = teachers_for(  # type: ignore[attr-defined]
            organisation, edition.teacher_id if edition else None
        )

    def to_input(self, tariffs: list[TariffInput]) -> EditionInput:
        data = self.cleaned_data
        room, teacher = data.get("room"), data.get("teacher")
        return EditionInput(
            code=data["code"],
            term=data["term"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            place_id=data["place"].pk,
            room_id=room.pk if room else None,
            teacher_id=teacher.pk if teacher else None,
            weekday=data["weekday"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            skip_school_holidays=data["skip_school_holidays"],
            min_participants=data["min_participants"],
            max_participants=data["max_participants"],
            reduced_places_max=data["reduced_places_max"],
            enrol_opens_at=data["enrol_opens_at"],
            enrol_closes_at=data["enrol_closes_at"],
            cancel_until=data["cancel_until"],
            waiting_offer_hours=data["waiting_offer_hours"],
            trial_lessons=data["trial_lessons"],
            tariffs=tariffs,
        )


def initial_edition(edition: Edition) -> dict[str, Any]:
    names = [
        "code",
        "term",
        "starts_on",
        "ends_on",
        "weekday",
        "start_time",
        "end_time",
        "skip_school_holidays",
        "min_participants",
        "max_participants",
        "reduced_places_max",
        "enrol_opens_at",
        "enrol_closes_at",
        "cancel_until",
        "waiting_offer_hours",
        "trial_lessons",
    ]
    initial = {name: getattr(edition, name) for name in names}
    initial.update(place=edition.place_id, room=edition.room_id, teacher=edition.teacher_id)
    return initial


class TariffForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    label = TranslatedFormField(label=_("Name of the price"), max_length=120, required=False)
    amount = forms.DecimalField(
        label=_("Price (EUR)"), max_digits=7, decimal_places=2, min_value=None
    )
    is_default = forms.BooleanField(label=_("Default price"), required=False)
    age_min = forms.IntegerField(label=_("From age"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Up to age"), required=False, min_value=0, max_value=120)


TariffFormSet = formset_factory(TariffForm, extra=1, can_delete=True)


def tariff_formset(data: Any, edition: Edition | None) -> BaseFormSet:
    initial = (
        [
            {
                "code": t.code,
                "label": t.label,
                "amount": t.amount,
                "is_default": t.is_default,
                "age_min": t.age_min,
                "age_max": t.age_max,
            }
            for t in edition.tariffs.order_by("-is_default", "amount", "code")
        ]
        if edition
        else [{"code": "standard", "is_default": True}]
    )
    return TariffFormSet(data, prefix="tariffs", initial=initial)


def tariff_inputs(formset: BaseFormSet) -> list[TariffInput]:
    """The rows that were filled in and not marked for removal (call after is_valid())."""
    return [
        TariffInput(
            code=row["code"],
            label=row["label"],
            amount=row["amount"],
            is_default=row["is_default"],
            age_min=row["age_min"],
            age_max=row["age_max"],
        )
        for row in (f.cleaned_data for f in formset.forms)
        if row and not row.get("DELETE")
    ]


# --- Sessions and cancelling ------------------------------------------------------------
class SessionForm(forms.Form):
    """A session's date and times (wall-clock time in Maastricht), room and note."""

    day = DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    end_time = forms.TimeField(label=_("End time"), widget=TIME)
    room = RoomChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        help_text=_("Empty: a new session gets the edition's room, a moved one keeps its room."),
    )
    note = TranslatedFormField(label=_("Note for the participants"), max_length=400, required=False)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(  # type: ignore[attr-defined]
            place_id=edition.place_id
        ).select_related("place")

    def moment(self, name: str) -> datetime:
        day: date = self.cleaned_data["day"]
        clock: time = self.cleaned_data[name]
        return datetime.combine(day, clock, tzinfo=city_timezone())

    def session_fields(self) -> dict[str, Any]:
        """The keyword arguments of session_add / session_move, from the cleaned form."""
        room = self.cleaned_data["room"]
        return {
            "starts_at": self.moment("start_time"),
            "ends_at": self.moment("end_time"),
            "room_id": room.pk if room else None,
            "note": self.cleaned_data["note"],
        }


def initial_session(session: Session) -> dict[str, Any]:
    tz = city_timezone()
    start, end = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
    return {
        "day": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_time": end.time().replace(tzinfo=None),
        "room": session.room_id,
        "note": session.note,
    }


class NoteForm(forms.Form):
    """Why a session is cancelled; the service requires the Dutch text."""

    note = TranslatedFormField(
        label=_("Reason, for the participants"), max_length=400, required=False
    )


class CancelEditionForm(forms.Form):
    """Why an edition is cancelled; the service requires the Dutch text."""

    reason = TranslatedFormField(
        label=_("Reason, for the participants"),
        max_length=400,
        required=False,
        help_text=_("Required in Dutch; the other languages are optional."),
    )
