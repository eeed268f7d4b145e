"""The booking desk's list of confirmed bookings, where the room's side cancels them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from reisgezel.spaces import selectors
from reisgezel.spaces.desk import answered_rooms, desk_scope
from reisgezel.spaces.forms import DeskBookingsFilter, RoomCancelForm, add_service_errors
from reisgezel.spaces.models import Booking
from reisgezel.spaces.services_room_cancel import bookings_cancel_by_room

# Without a period chosen, the desk shows the next four weeks.
DEFAULT_DAYS = 28


def _filter(request: HttpRequest) -> DeskBookingsFilter:
    today = timezone.localdate()
    data: Any = request.GET.copy()
    data.setdefault("first_day", today.isoformat())
    data.setdefault("last_day", (today + timedelta(days=DEFAULT_DAYS - 1)).isoformat())
    return DeskBookingsFilter(data, rooms=answered_rooms(request))


@login_required
@require_http_methods(["GET", "POST"])
def desk_bookings(request: HttpRequest) -> HttpResponse:
    desk_scope(request)
    period = _filter(request)
    bookings = Booking.objects.none()
    if period.is_valid():
        bookings = selectors.confirmed_bookings_ahead(
            user=request.user,
            bookable=period.cleaned_data["bookable"],
            first_day=period.cleaned_data["first_day"],
            last_day=period.cleaned_data["last_day"],
        )
    form = RoomCancelForm(request.POST or None, bookings=bookings)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["bookings"])
        try:
            bookings_cancel_by_room(
                actor=request.user, bookings=chosen, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d booking is cancelled; the group hears why by e-mail.",
                    "%(n)d bookings are cancelled; the groups hear why by e-mail.",
                    len(chosen),
                )
                % {"n": len(chosen)},
            )
            return redirect(request.get_full_path())
    listed = list(bookings[: selectors.DESK_BOOKINGS_LIMIT + 1])
    return render(
        request,
        "spaces/desk_bookings.html",
        {
            "period": period,
            "form": form,
            "bookings": listed[: selectors.DESK_BOOKINGS_LIMIT],
            "more": len(listed) > selectors.DESK_BOOKINGS_LIMIT,
            "limit": selectors.DESK_BOOKINGS_LIMIT,
            # After a refused cancellation the same boxes stay ticked.
            "chosen": {b.pk for b in form.cleaned_data.get("bookings", [])}
            if form.is_bound and hasattr(form, "cleaned_data")
            else set(),
        },
    )
