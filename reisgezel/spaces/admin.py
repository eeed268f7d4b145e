"""Admin of room booking. No substring search (see search/tests/test_admin_search_rule.py):
exact lookups and list filters only. Decisions on groups and bookings go through the
services (actions), so claims are released and the audit log written as on the pages."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reisgezel.places.admin import OverRoomCapacityFilter
from reisgezel.spaces import services
from reisgezel.spaces.models import (
    LIVE_STATUSES,
    BookableRoom,
    Booking,
    BookingGroup,
    BookingSeries,
    Closure,
    Equipment,
    RoomPhoto,
    RoomRate,
)
from reisgezel.spaces.photos import cleaned_photo


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("=code",)


class RoomPhotoForm(forms.ModelForm):
    class Meta:
        model = RoomPhoto
        fields = ("image", "alt_text", "position")

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        if upload is None or not hasattr(upload, "read") or "image" not in self.changed_data:
            return upload
        upload.seek(0)
        try:
            return cleaned_photo(upload.read())
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


def _delete_files_after_commit(photos: Iterable[RoomPhoto]) -> None:
    for photo in photos:
        if photo.image.name:
            transaction.on_commit(partial(photo.image.storage.delete, photo.image.name))


class RoomPhotoFormSet(BaseInlineFormSet):
    """A photo removed or replaced here takes its stored file along, once the change is
    committed (as on the desk's room page, services_rooms.room_photo_remove)."""

    def delete_existing(self, obj: Model, commit: bool = True) -> None:
        assert isinstance(obj, RoomPhoto)
        super().delete_existing(obj, commit=commit)
        if commit:
            _delete_files_after_commit([obj])

    def save_existing(self, form: Any, obj: Model, commit: bool = True) -> Model:
        assert isinstance(obj, RoomPhoto)
        before = (
            RoomPhoto.objects.filter(pk=obj.pk).first() if "image" in form.changed_data else None
        )
        saved = super().save_existing(form, obj, commit=commit)
        if commit and before is not None and before.image.name != obj.image.name:
            _delete_files_after_commit([before])
        return saved


class RoomPhotoInline(admin.TabularInline):
    model = RoomPhoto
    form = RoomPhotoForm
    formset = RoomPhotoFormSet
    extra = 0
    fields = ("image", "alt_text", "position")


class RoomRateInline(admin.TabularInline):
    model = RoomRate
    extra = 0


class BookableRoomAdminForm(forms.ModelForm):
    class Meta:
        model = BookableRoom
        fields = (
            "room",
            "slug",
            "equipment",
            "step_free",
            "hearing_loop",
            "free_cancellation_days",
            "is_bookable",
            "managed_by",
        )


@admin.register(BookableRoom)
class BookableRoomAdmin(admin.ModelAdmin):
    form = BookableRoomAdminForm
    list_display = ("__str__", "slug", "is_bookable", "managed_by", "free_cancellation_days")
    list_filter = ("is_bookable", "room__place", "equipment", "managed_by")
    search_fields = ("=slug",)
    filter_horizontal = ("equipment",)
    inlines = (RoomRateInline, RoomPhotoInline)
    raw_id_fields = ("room",)

    def delete_model(self, request: HttpRequest, obj: BookableRoom) -> None:
        photos = list(obj.photos.all())
        super().delete_model(request, obj)
        _delete_files_after_commit(photos)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BookableRoom]) -> None:
        photos = list(RoomPhoto.objects.filter(bookable__in=queryset))
        super().delete_queryset(request, queryset)
        _delete_files_after_commit(photos)


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    # A room's closure under another house is refused by Closure.clean().
    list_display = ("place", "bookable", "starts_on", "ends_on")
    list_filter = ("place",)
    date_hierarchy = "starts_on"


@admin.register(BookingGroup)
class BookingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "status", "organisation", "contact")
    list_filter = ("status", "kind")
    search_fields = ("=name",)
    raw_id_fields = ("organisation", "contact")
    readonly_fields = ("status", "decided_at", "decision_note")
    actions = ("approve",)

    @admin.action(description=_("Approve the selected groups"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[BookingGroup]) -> None:
        for group in queryset.filter(status="pending"):
            services.group_approve(actor=request.user, group=group)
        self.message_user(request, _("Approved."), messages.SUCCESS)


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = (
        "group",
        "title",
        "bookable",
        "weekday",
        "start_time",
        "first_date",
        "last_date",
    )
    list_filter = ("bookable",)
    raw_id_fields = ("group", "bookable")


class FitsTheRoomFilter(OverRoomCapacityFilter):
    def over_capacity(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(
            status__in=LIVE_STATUSES, attendees__gt=F("bookable__room__capacity")
        )


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are made on the site (the claim is taken there); the admin reads them and
    confirms or cancels through the services."""

    list_display = ("starts_at", "ends_at", "bookable", "group", "status", "price")
    list_filter = ("status", "bookable", "group__kind", FitsTheRoomFilter)
    search_fields = ("=group__name",)
    date_hierarchy = "starts_at"
    readonly_fields = [f.name for f in Booking._meta.fields]
    actions = ("confirm", "cancel")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Confirm the selected requests"), permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        for booking in queryset.filter(status="pending"):
            services.booking_confirm(actor=request.user, booking=booking)

    @admin.action(
        description=_("Cancel the selected bookings (free of charge)"), permissions=["change"]
    )
    def cancel(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        for booking in queryset.filter(status__in=["pending", "confirmed"]):
            try:
                services.booking_cancel(actor=request.user, booking=booking)
            except ValidationError as exc:
                self.message_user(request, f"{booking}: {' '.join(exc.messages)}", messages.ERROR)
