"""The booking desk's closures: who answers a room's requests closes it for some days."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reisgezel.spaces.desk import answered_rooms, desk_scope
from reisgezel.spaces.forms import ClosureForm
from reisgezel.spaces.models import Closure
from reisgezel.spaces.services_closures import room_closure_add, room_closure_remove


@login_required
@require_POST
def desk_closure_add(request: HttpRequest) -> HttpResponse:
    desk_scope(request)
    form = ClosureForm(request.POST, rooms=answered_rooms(request))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("spaces:staff_queue")
    data = form.cleaned_data
    try:
        _closure, affected = room_closure_add(
            actor=request.user,
            bookable=data["bookable"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason={translation.get_language() or "nl": data["reason"]} if data["reason"] else {},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("spaces:staff_queue")
    messages.success(request, _("%(room)s is closed on those days.") % {"room": data["bookable"]})
    if affected:
        messages.warning(
            request,
            ngettext(
                "%(n)d booking falls on those days and still stands: %(list)s. "
                "Cancel it under “Bookings on these days” if the group cannot come; "
                "it hears why by e-mail.",
                "%(n)d bookings fall on those days and still stand: %(list)s. "
                "Cancel them under “Bookings on these days” if the groups cannot come; "
                "they hear why by e-mail.",
                len(affected),
            )
            % {
                "n": len(affected),
                "list": "; ".join(f"{b.group.name}, {_when(b.starts_at)}" for b in affected),
            },
        )
    return redirect("spaces:staff_queue")


@login_required
@require_POST
def desk_closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    desk_scope(request)
    closure = get_object_or_404(Closure.objects.filter(bookable__in=answered_rooms(request)), pk=pk)
    room_closure_remove(actor=request.user, closure=closure)
    messages.success(request, _("The room is open again on those days."))
    return redirect("spaces:staff_queue")


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F H:i")
