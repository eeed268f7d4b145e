"""School programme pages: the list with free dates, the booking form, a school's bookings.

Thin views: the rules are in learning/services/schools.py; errors the service raises come
back as messages on the form (never a 500).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reisgezel.learning.models import (
    Course,
    ProgrammeSlot,
    School,
    SchoolBooking,
)
from reisgezel.learning.services.schools import (
    bookings_of,
    budget_left,
    free_slots,
    programmes_published,
    school_booking_cancel,
    school_booking_create,
    school_year_for,
    schools_of,
)
from reisgezel.learning.services.tariffs import format_money


def slot_label(slot: ProgrammeSlot) -> str:
    start = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    where = gettext("in the classroom") if slot.in_school else str(slot.place or "")
    return gettext("%(day)s, %(start)s-%(end)s, %(where)s, %(price)s per class") % {
        "day": formats.date_format(start, "l j F Y"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
        "where": where,
        "price": format_money(slot.price),
    }


class SlotChoiceField(forms.ModelChoiceField[ProgrammeSlot]):
    def label_from_instance(self, obj: ProgrammeSlot) -> str:
        return slot_label(obj)


class SchoolBookingForm(forms.Form):
    slot = SlotChoiceField(
        label=_("Date"),
        queryset=ProgrammeSlot.objects.none(),
        empty_label=_("Choose a date"),
        error_messages={
            "required": _("Choose a date."),
            "invalid_choice": _("This date is no longer free; choose another one."),
        },
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        error_messages={
            "required": _("Choose your school."),
            "invalid_choice": _("You cannot book for this school."),
        },
    )
    class_name = forms.CharField(
        label=_("Class"),
        max_length=40,
        help_text=_("E.g. group 6B."),
        error_messages={"required": _("Enter the name of the class.")},
    )
    grade = forms.IntegerField(
        label=_("Grade"),
        min_value=1,
        max_value=14,
        help_text=_("Primary groep 1-8; secondary years as 9-14."),
        error_messages={"required": _("Enter the grade."), "invalid": _("Enter a whole number.")},
    )
    pupils = forms.IntegerField(
        label=_("Number of pupils"),
        min_value=1,
        max_value=999,
        error_messages={
            "required": _("Enter the number of pupils."),
            "invalid": _("Enter a whole number."),
        },
    )
    contact_email = forms.EmailField(
        label=_("E-mail for the confirmation"),
        required=False,
        help_text=_("Empty: the school's own address."),
    )
    use_cjp = forms.BooleanField(
        label=_("Pay from the school's CJP Cultuurkaart budget"), required=False, initial=True
    )

    def __init__(self, *args: Any, course: Course, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slot_field = self.fields["slot"]
        assert isinstance(slot_field, forms.ModelChoiceField)
        slot_field.queryset = free_slots(course=course)
        school_field = self.fields["school"]
        assert isinstance(school_field, forms.ModelChoiceField)
        school_field.queryset = schools_of(user)
        if school_field.queryset.count() == 1:
            school_field.initial = school_field.queryset.first()
            school_field.empty_label = None
        if course.grade_min is not None or course.grade_max is not None:
            self.fields["grade"].help_text = gettext(
                "This programme is for grades %(low)s to %(high)s."
            ) % {
                "low": course.grade_min or 1,
                "high": course.grade_max or 14,
            }


def programmes(request: HttpRequest) -> HttpResponse:
    """Every published school programme with its free dates."""
    slots_by_course: dict[int, list[ProgrammeSlot]] = {}
    for slot in free_slots():
        slots_by_course.setdefault(slot.course_id, []).append(slot)
    entries = [
        {"course": course, "slots": slots_by_course.get(course.pk, [])}
        for course in programmes_published().order_by("slug")
    ]
    return render(
        request,
        "learning/schools/programmes.html",
        {"entries": entries, "can_book": schools_of(request.user).exists()},
    )


@login_required
def book(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(programmes_published(), slug=slug)
    if not schools_of(request.user).exists():
        return render(
            request, "learning/schools/not_a_school_contact.html", {"course": course}, status=403
        )
    initial: dict[str, Any] = {}
    if request.method == "GET" and request.GET.get("slot", "").isdigit():
        initial["slot"] = request.GET["slot"]
    form = SchoolBookingForm(
        request.POST if request.method == "POST" else None,
        course=course,
        user=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = school_booking_create(
                actor=request.user,
                slot=data["slot"],
                school=data["school"],
                class_name=data["class_name"],
                grade=data["grade"],
                pupils=data["pupils"],
                contact_email=data["contact_email"] or "",
                use_cjp=data["use_cjp"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as error:
            form.add_error("school", str(error))
        else:
            messages.success(
                request,
                gettext(
                    "Booked: %(course)s for class %(class)s. "
                    "The school receives a confirmation by e-mail."
                )
                % {"course": course.title, "class": booking.class_name},
            )
            return redirect("learning:schools_bookings")
    budgets = [
        {
            "school": school,
            "left": budget_left(school=school, school_year=year),
            "year": year,
        }
        for school in schools_of(request.user)
        for year in sorted({school_year_for(slot) for slot in free_slots(course=course)})
    ]
    return render(
        request,
        "learning/schools/book.html",
        {"course": course, "form": form, "budgets": budgets},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def bookings(request: HttpRequest) -> HttpResponse:
    """The bookings of the schools the teacher is a contact of."""
    now = timezone.now()
    return render(
        request,
        "learning/schools/bookings.html",
        {"bookings": bookings_of(request.user), "now": now},
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(SchoolBooking.objects.select_related("slot", "school"), pk=pk)
    try:
        school_booking_cancel(actor=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext(
                "The booking is cancelled; the date is free again and the CJP amount "
                "is back in the budget."
            ),
        )
    return redirect("learning:schools_bookings")
