"""Pages of room booking: rooms, a room's week, requests, my bookings, the staff desk."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reisgezel.accounts.selectors import organisations_of
from reisgezel.core.date_range import in_range
from reisgezel.spaces import rules, selectors, services
from reisgezel.spaces.desk import answered_rooms, desk_scope
from reisgezel.spaces.exports import invoice_csv, invoice_xlsx
from reisgezel.spaces.forms import (
    BookingRequestForm,
    ClosureForm,
    GroupRegisterForm,
    InvoiceForm,
    ReasonForm,
    add_service_errors,
)
from reisgezel.spaces.ical import room_calendar
from reisgezel.spaces.models import BookableRoom, Booking, BookingGroup, GroupStatus
from reisgezel.spaces.permissions import can_act_for, is_booking_staff


def _bookable(slug: str) -> BookableRoom:
    return get_object_or_404(selectors.bookable_rooms(), slug=slug)


def room_list(request: HttpRequest) -> HttpResponse:
    return render(request, "spaces/room_list.html", {"rooms": selectors.bookable_rooms()})


def _monday(request: HttpRequest) -> date:
    today = timezone.localdate()
    try:
        chosen = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        chosen = today
    if not in_range(chosen):  # the previous and next week must stay within Python's dates
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


def room_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bookable = _bookable(slug)
    monday = _monday(request)
    return render(
        request,
        "spaces/room_detail.html",
        {
            "bookable": bookable,
            "room": bookable.room,
            "week": selectors.room_week(bookable, monday),
            "monday": monday,
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "rates": bookable.rates.all(),
        },
    )


def room_ical(request: HttpRequest, slug: str) -> HttpResponse:
    bookable = _bookable(slug)
    response = HttpResponse(room_calendar(bookable), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{bookable.slug}.ics"'
    return response


@login_required
def booking_new(request: HttpRequest, slug: str) -> HttpResponse:
    bookable = _bookable(slug)
    groups = selectors.groups_of(request.user)
    if not groups.exists():
        messages.info(request, _("Register your group first; then you can book."))
        return redirect(reverse("spaces:group_new") + f"?next={request.path}")
    form = BookingRequestForm(request.POST or None, groups=groups)
    plan: list[services.PlannedDate] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["repeat_until"]:
                series_args: dict[str, Any] = {
                    "bookable": bookable,
                    "weekday": data["day"].weekday(),
                    "start_time": data["start_time"],
                    "end_time": data["end_time"],
                    "first_date": data["day"],
                    "last_date": data["repeat_until"],
                }
                if "confirm" not in request.POST:
                    plan = services.series_plan(**series_args)
                else:
                    outcome = services.series_request(
                        actor=request.user,
                        group=data["group"],
                        title=data["title"],
                        attendees=data["attendees"],
                        **series_args,
                    )
                    messages.success(
                        request,
                        _("%(booked)d dates booked, %(refused)d not.")
                        % {"booked": len(outcome.booked), "refused": len(outcome.refused)},
                    )
                    return redirect("spaces:my_bookings")
            else:
                services.booking_request(
                    actor=request.user,
                    bookable=bookable,
                    group=data["group"],
                    starts_at=rules.local_datetime(data["day"], data["start_time"]),
                    ends_at=rules.local_datetime(data["day"], data["end_time"]),
                    title=data["title"],
                    attendees=data["attendees"],
                )
                messages.success(request, _("Your request is saved."))
                return redirect("spaces:my_bookings")
        except ValidationError as exc:
            add_service_errors(form, exc)
    free = [p for p in plan or [] if p.is_free]
    return render(
        request,
        "spaces/booking_form.html",
        {"bookable": bookable, "room": bookable.room, "form": form, "plan": plan, "free": free},
        status=422 if form.errors else 200,
    )


@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    form = GroupRegisterForm(
        request.POST or None, organisations=organisations_of(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_register(
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your group is registered. Staff will check it soon."))
            next_url = request.GET.get("next", "")
            if next_url.startswith("/") and not next_url.startswith("//"):
                return HttpResponseRedirect(next_url)
            return redirect("spaces:my_bookings")
    return render(
        request, "spaces/group_form.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    bookings = list(selectors.bookings_for(request.user))
    return render(
        request,
        "spaces/my_bookings.html",
        {
            "groups": selectors.groups_of(request.user),
            "upcoming": [b for b in bookings if b.ends_at >= now],
            "past": [b for b in bookings if b.ends_at < now][-20:],
        },
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("group", "bookable"), pk=pk)
    if not can_act_for(request.user, booking.group):
        raise PermissionDenied
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if booking.cancellation_fee:
            messages.warning(
                request,
                _("Cancelled. Because it is late, %(fee)s is charged.")
                % {"fee": booking.cancellation_fee},
            )
        else:
            messages.success(request, _("Cancelled, free of charge."))
    return redirect("spaces:my_bookings")


def _staff(request: HttpRequest) -> None:
    if not is_booking_staff(request.user):
        raise PermissionDenied


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    """The booking desk: new groups and requests for staff, a partner's own rooms' requests
    for its members."""
    is_staff = desk_scope(request)
    return render(
        request,
        "spaces/staff_queue.html",
        {
            "is_staff": is_staff,
            "groups": selectors.pending_groups() if is_staff else [],
            "bookings": selectors.pending_bookings(user=request.user),
            "rooms": None
            if is_staff
            else selectors.rooms_answered_by(request.user).select_related("room"),
            "reason_form": ReasonForm(),
            "closures": selectors.room_closures_ahead(user=request.user),
            "closure_form": ClosureForm(rooms=answered_rooms(request)),
        },
    )


@login_required
@require_POST
def staff_group_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    group = get_object_or_404(BookingGroup, pk=pk, status=GroupStatus.PENDING)
    try:
        if "approve" in request.POST:
            services.group_approve(actor=request.user, group=group)
            messages.success(request, _("%(name)s is approved.") % {"name": group.name})
        else:
            services.group_reject(
                actor=request.user, group=group, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("%(name)s is not approved.") % {"name": group.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("spaces:staff_queue")


@login_required
@require_POST
def staff_booking_decide(request: HttpRequest, pk: int) -> HttpResponse:
    desk_scope(request)
    booking = get_object_or_404(
        Booking.objects.filter(bookable__in=selectors.rooms_answered_by(request.user)), pk=pk
    )
    try:
        if "confirm" in request.POST:
            services.booking_confirm(actor=request.user, booking=booking)
            messages.success(request, _("The booking is confirmed."))
        else:
            services.booking_reject(
                actor=request.user, booking=booking, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The request is rejected."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("spaces:staff_queue")


@login_required
def staff_invoices(request: HttpRequest) -> HttpResponse:
    """Staff invoice the houses' rooms; a partner's members the partner's own rooms."""
    is_staff = desk_scope(request)
    form = InvoiceForm(
        request.GET or None,
        groups=selectors.groups_invoiced_by(request.user),
        issuers=selectors.invoice_issuers(request.user),
    )
    invoice = None
    if form.is_valid():
        invoice = selectors.invoice_for(
            group=form.cleaned_data["group"],
            first_day=form.cleaned_data["first_day"],
            last_day=form.cleaned_data["last_day"],
            rooms=selectors.rooms_invoiced_by(request.user, issuer=form.cleaned_data.get("issuer")),
        )
        export = request.GET.get("export")
        if export == "csv":
            return invoice_csv(invoice)
        if export == "xlsx":
            return invoice_xlsx(invoice)
    return render(
        request,
        "spaces/staff_invoices.html",
        {
            "form": form,
            "invoice": invoice,
            "query": request.GET.urlencode(),
            "is_staff": is_staff,
        },
    )
