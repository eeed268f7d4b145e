"""The booking desk's room page: whoever answers a room's requests (staff for every room,
a partner's members for its own rooms) edits its text, settings, rates and photos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from reisgezel.places.room_capacity import room_over_capacity
from reisgezel.spaces.desk import answered_rooms, desk_scope
from reisgezel.spaces.forms import add_service_errors
from reisgezel.spaces.forms_rooms import RoomEditForm, RoomPhotoAddForm, RoomPhotoChangeForm
from reisgezel.spaces.models import BookableRoom, RoomPhoto
from reisgezel.spaces.services_rooms import (
    MAX_PHOTOS,
    may_set_access_facts,
    room_edit,
    room_photo_add,
    room_photo_change,
    room_photo_remove,
)


def _room(request: HttpRequest, slug: str) -> BookableRoom:
    """One of the rooms the user answers; any other room is 404."""
    desk_scope(request)
    return get_object_or_404(answered_rooms(request), slug=slug)


def _room_form(request: HttpRequest, bookable: BookableRoom, data: Any = None) -> RoomEditForm:
    access_facts = may_set_access_facts(request.user, bookable)
    return RoomEditForm(data, bookable=bookable, access_facts=access_facts)


def _photo(bookable: BookableRoom, pk: int) -> RoomPhoto:
    return get_object_or_404(RoomPhoto.objects.filter(bookable=bookable), pk=pk)


def _page(
    request: HttpRequest,
    bookable: BookableRoom,
    *,
    room_form: RoomEditForm | None = None,
    photo_form: RoomPhotoAddForm | None = None,
    changed: RoomPhotoChangeForm | None = None,
) -> HttpResponse:
    """The page with blank forms, but for the one that was posted with errors."""
    photos = list(bookable.photos.all())
    photo_forms = [
        changed
        if changed is not None and changed.prefix == f"photo-{photo.pk}"
        # A fresh instance: a photo's earlier values, not what another form posted.
        else RoomPhotoChangeForm(photo=photo)
        for photo in photos
    ]
    return render(
        request,
        "spaces/room_edit.html",
        {
            "bookable": bookable,
            "room": bookable.room,
            "room_form": room_form or _room_form(request, bookable),
            "photo_form": photo_form or RoomPhotoAddForm(),
            "photos": list(zip(photos, photo_forms, strict=True)),
            "max_photos": MAX_PHOTOS,
            "photos_full": len(photos) >= MAX_PHOTOS,
            "over_capacity": room_over_capacity(bookable.room),
            "links_to_admin": request.user.is_staff,
        },
    )


def _warn_over_capacity(request: HttpRequest, bookable: BookableRoom) -> None:
    """After the capacity changed: name what is now planned for more people than the
    room holds (the page lists them with links, for as long as it lasts)."""
    over = room_over_capacity(bookable.room)
    if not over:
        return
    messages.warning(
        request,
        ngettext(
            "%(room)s now holds %(capacity)d people, fewer than planned for %(n)d "
            "upcoming use of it: %(list)s. See “Planned for more people than the room "
            "holds” below.",
            "%(room)s now holds %(capacity)d people, fewer than planned for %(n)d "
            "upcoming uses of it: %(list)s. See “Planned for more people than the room "
            "holds” below.",
            len(over),
        )
        % {
            "room": bookable.room,
            "capacity": bookable.room.capacity,
            "n": len(over),
            "list": "; ".join(
                f"{item.name}, {formats.date_format(timezone.localtime(item.starts_at), 'j F H:i')}"
                for item in over
            ),
        },
    )


def _back(bookable: BookableRoom, anchor: str = "") -> HttpResponse:
    return redirect(reverse("spaces:desk_room_edit", kwargs={"slug": bookable.slug}) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def desk_room_edit(request: HttpRequest, slug: str) -> HttpResponse:
    bookable = _room(request, slug)
    if request.method != "POST":
        return _page(request, bookable)
    form = _room_form(request, bookable, request.POST)
    if form.is_valid():
        capacity_before = bookable.room.capacity
        try:
            room_edit(actor=request.user, bookable=bookable, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(room)s is saved.") % {"room": bookable.room})
            if bookable.room.capacity != capacity_before:
                _warn_over_capacity(request, bookable)
            return _back(bookable)
    return _page(request, bookable, room_form=form)


@login_required
@require_POST
def desk_room_photo_add(request: HttpRequest, slug: str) -> HttpResponse:
    bookable = _room(request, slug)
    form = RoomPhotoAddForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            room_photo_add(
                actor=request.user,
                bookable=bookable,
                data=form.photo_bytes(),
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The photo is added."))
            return _back(bookable, "#photos")
    return _page(request, bookable, photo_form=form)


@login_required
@require_POST
def desk_room_photo_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bookable = _room(request, slug)
    photo = _photo(bookable, pk)
    form = RoomPhotoChangeForm(request.POST, photo=photo)
    if form.is_valid():
        try:
            room_photo_change(
                actor=request.user,
                photo=photo,
                alt_text=form.cleaned_data["alt_text"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The photo is changed."))
            return _back(bookable, "#photos")
    return _page(request, bookable, changed=form)


@login_required
@require_POST
def desk_room_photo_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bookable = _room(request, slug)
    room_photo_remove(actor=request.user, photo=_photo(bookable, pk))
    messages.success(request, _("The photo is removed."))
    return _back(bookable, "#photos")
