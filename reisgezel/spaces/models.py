"""Room and studio booking for amateur groups.

A `BookableRoom` makes a `places.Room` bookable (equipment, photos, rates, rules). A
`BookingGroup` is who books: an amateur association (an accounts.Organisation), a
resident, or a commercial party; staff approve a new group once. A `Booking` is one
date and time; a `BookingSeries` is a weekly request for a term, answered with one
Booking per free date. A partner's own room (`managed_by`) is answered by the partner's
members: its requests wait for them, whatever the group. Every live booking (pending or
confirmed) holds a `places.RoomClaim`, so the database refuses overlaps with other
bookings and with course sessions in the same room.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation
from reisgezel.core.date_range import validate_in_range
from reisgezel.core.fields import TranslatedField
from reisgezel.core.models import TimeStampedModel
from reisgezel.places.models import Place, Room

HOLDER_TYPE = "spaces.booking"


class GroupKind(models.TextChoices):
    ASSOCIATION = "association", _("Amateur association")
    RESIDENT = "resident", _("Resident")
    COMMERCIAL = "commercial", _("Commercial")


class Equipment(models.Model):
    """A small vocabulary: piano, mirror wall, dance floor, kiln, stage lights..."""

    code = models.SlugField(max_length=40, unique=True)
    name = TranslatedField(_("name"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")

    def __str__(self) -> str:
        return str(self.name) or self.code


class BookableRoom(TimeStampedModel):
    room = models.OneToOneField(Room, on_delete=models.CASCADE, related_name="bookable")
    slug = models.SlugField(max_length=160, unique=True)
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="rooms")
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    free_cancellation_days = models.PositiveSmallIntegerField(
        _("free cancellation until (days before)"),
        default=7,
        help_text=_("Later cancellations by a group cost half the price."),
    )
    is_bookable = models.BooleanField(_("bookable"), default=True)
    # A partner's own room: its members answer the requests, not the houses' desk.
    managed_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_rooms",
        verbose_name=_("requests answered by"),
        help_text=_(
            "A partner organisation that runs this room's bookings itself: its members "
            "confirm or reject every request. Empty: the booking desk of the houses."
        ),
    )

    class Meta:
        ordering = ["room__place__name", "room__name"]
        verbose_name = _("bookable room")
        verbose_name_plural = _("bookable rooms")

    def __str__(self) -> str:
        return str(self.room)

    @property
    def place(self) -> Place:
        return self.room.place

    def room_change_problem(self) -> str | None:
        """Why this bookable room cannot point to `self.room` instead of the room stored
        for it, or None.

        Its bookings hold the stored room's calendar (their RoomClaims) and name it on
        invoices: moved to another room they would be there on paper only, with the
        claims left behind. So the room is fixed once a booking exists (of any state:
        past ones are history); a room without bookings may still be corrected. The
        database refuses the change too (trigger `spaces_bookableroom_room_fixed`,
        migration 0007); this says why, for `clean()`."""
        if self.pk is None:
            return None
        stored = BookableRoom.objects.filter(pk=self.pk).values_list("room_id", flat=True).first()
        if stored is None or stored == self.room_id:
            return None
        if not Booking.objects.filter(bookable_id=self.pk).exists():
            return None
        return gettext(
            "There are bookings of %(room)s, so the room cannot be changed here. Make this one "
            "not bookable and the other room bookable on its own."
        ) % {"room": Room.objects.select_related("place").get(pk=stored)}

    def clean(self) -> None:
        super().clean()
        if problem := self.room_change_problem():
            raise ValidationError({"room": [problem]})


def _photo_path(instance: RoomPhoto, filename: str) -> str:
    return f"spaces/rooms/{instance.bookable_id}/{filename}"


class RoomPhoto(models.Model):
    bookable = models.ForeignKey(BookableRoom, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = TranslatedField(_("description for people who cannot see the photo"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bookable", "position", "pk"]
        verbose_name = _("room photo")

    def __str__(self) -> str:
        return str(self.alt_text)


class RoomRate(models.Model):
    bookable = models.ForeignKey(BookableRoom, on_delete=models.CASCADE, related_name="rates")
    group_kind = models.CharField(_("kind of group"), max_length=20, choices=GroupKind.choices)
    hourly_rate = models.DecimalField(_("rate per hour"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["bookable", "group_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["bookable", "group_kind"], name="spaces_rate_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0), name="spaces_rate_not_negative"
            ),
        ]
        verbose_name = _("rate")

    def __str__(self) -> str:
        return f"{self.bookable} {self.group_kind}: {self.hourly_rate}"


class Closure(models.Model):
    """Days a house (or one room of it) is closed: holidays, maintenance."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="closures")
    bookable = models.ForeignKey(
        BookableRoom,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("Empty: the whole house is closed."),
    )
    starts_on = models.DateField(_("first day"), validators=[validate_in_range])
    ends_on = models.DateField(_("last day"), validators=[validate_in_range])
    reason = TranslatedField(_("reason"), blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="spaces_closure_ordered"
            )
        ]
        verbose_name = _("closure")

    def __str__(self) -> str:
        return f"{self.place}: {self.starts_on} - {self.ends_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A room's closure always names the room's house, whatever the caller passed:
        # the house is derived, so no path (a script, a fixture, an import) stores
        # another one. Migration 0008 corrected the rows stored before.
        if self.bookable_id is not None:
            self.place_id = (
                Room.objects.filter(bookable__pk=self.bookable_id)
                .values_list("place_id", flat=True)
                .get()
            )
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "bookable" in update_fields:
                kwargs["update_fields"] = {*update_fields, "place"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """A room's closure names the house the room is in: entering another one is a
        mistake worth saying (the admin's form shows it on the room)."""
        super().clean()
        bookable = self.bookable
        if bookable is None or self.place_id is None or bookable.room.place_id == self.place_id:
            return
        raise ValidationError(
            {
                "bookable": [
                    gettext(
                        "%(room)s is in %(place)s: choose that house, or no room to close "
                        "the whole house."
                    )
                    % {"room": bookable, "place": bookable.room.place.name}
                ]
            }
        )


class GroupStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class BookingGroup(TimeStampedModel):
    """Who books. An association is an accounts.Organisation (its members act for it);
    a resident or commercial party is one user account."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of group"), max_length=20, choices=GroupKind.choices)
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booking_group",
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="booking_groups"
    )
    status = models.CharField(max_length=10, choices=GroupStatus.choices, default="pending")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="association", organisation__isnull=False)
                | ~Q(kind="association"),
                name="spaces_group_association_has_organisation",
            )
        ]
        verbose_name = _("group")

    def __str__(self) -> str:
        return self.name


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class BookingSeries(models.Model):
    """A weekly request for a term: every <weekday> from <start time> to <end time>."""

    bookable = models.ForeignKey(BookableRoom, on_delete=models.PROTECT, related_name="series")
    group = models.ForeignKey(BookingGroup, on_delete=models.PROTECT, related_name="series")
    title = models.CharField(_("what for"), max_length=200)
    weekday = models.PositiveSmallIntegerField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    first_date = models.DateField(validators=[validate_in_range])
    last_date = models.DateField(validators=[validate_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="spaces_series_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(last_date__gte=F("first_date")), name="spaces_series_dates_ordered"
            ),
        ]
        verbose_name = _("weekly booking")
        verbose_name_plural = _("weekly bookings")

    def __str__(self) -> str:
        return f"{self.group}: {self.title}"


class Booking(TimeStampedModel):
    bookable = models.ForeignKey(BookableRoom, on_delete=models.PROTECT, related_name="bookings")
    group = models.ForeignKey(BookingGroup, on_delete=models.PROTECT, related_name="bookings")
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="room_bookings"
    )
    title = models.CharField(_("what for"), max_length=200)
    attendees = models.PositiveSmallIntegerField(_("number of people"), default=1)
    starts_at = models.DateTimeField(validators=[validate_in_range])
    ends_at = models.DateTimeField(validators=[validate_in_range])
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    cancellation_fee = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Fixed at booking time (rules.free_cancellation_deadline); NULL for older bookings.
    free_cancellation_until = models.DateTimeField(null=True, blank=True)
    # Set when the room's side cancels (services_room_cancel): the group is told why.
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="spaces_booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0, cancellation_fee__gte=0, hourly_rate__gte=0),
                name="spaces_booking_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="spaces_booking_rejection_has_reason",
            ),
            # A cancellation by the room's side (with its reason) is free for the group.
            models.CheckConstraint(
                condition=Q(cancellation_reason="") | Q(cancellation_fee=0),
                name="spaces_booking_room_cancellation_free",
            ),
        ]
        indexes = [models.Index(fields=["group", "starts_at"], name="spaces_booking_group_start")]
        verbose_name = _("booking")

    def __str__(self) -> str:
        return f"{self.group}: {self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES
