"""Places (venues, buildings with rooms) and the city's neighbourhoods (wijken, buurten)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reisgezel.core.fields import TranslatedField
from reisgezel.core.models import Term, TimeStampedModel

# Dutch postcode as stored: four digits (no leading zero), a space, two capitals.
POSTCODE_REGEX = r"^[1-9][0-9]{3} [A-Z]{2}$"


class District(models.Model):
    """A CBS wijk (e.g. WK093500 Centrum)."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    geometry = models.JSONField(help_text=_("GeoJSON geometry (WGS84)."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("district (wijk)")
        verbose_name_plural = _("districts (wijken)")

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A CBS buurt (e.g. BU09350000 Binnenstad), part of a district."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="neighbourhoods")
    geometry = models.JSONField(help_text=_("GeoJSON geometry (WGS84)."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood (buurt)")
        verbose_name_plural = _("neighbourhoods (buurten)")

    def __str__(self) -> str:
        return self.name


class Place(TimeStampedModel):
    """A venue or building where culture happens: a house, a theatre, a park, a café."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("city"), max_length=100, default="Maastricht")
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places",
        help_text=_("Assigned from the coordinates."),
    )
    facilities = models.ManyToManyField(
        Term,
        blank=True,
        related_name="places",
        limit_choices_to={"kind": "facility"},
        verbose_name=_("accessibility facilities"),
    )
    accessibility_notes = TranslatedField(_("accessibility notes"), blank=True, multiline=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_private = models.BooleanField(
        _("private address"),
        default=False,
        help_text=_("A home or private address: shown at neighbourhood level only."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode__regex=POSTCODE_REGEX), name="places_place_postcode_format"
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="places_place_coordinates_valid",
            ),
        ]
        indexes = [models.Index(fields=["postcode"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """Regular opening hours of a place: one row per opening period on a weekday."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="places_hours_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="places_hours_weekday_range"
            ),
        ]
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Room(TimeStampedModel):
    """A room or studio inside a place: where a course meets or a group rehearses.

    The learning app schedules course sessions in rooms; the spaces app makes rooms
    bookable. Both refer to this one row, so that one room has one calendar.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=140)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("How many people the room holds.")
    )
    description = TranslatedField(_("description"), blank=True, multiline=True)
    accessibility_notes = TranslatedField(_("accessibility notes"), blank=True, multiline=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["place__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "slug"], name="places_room_unique_slug"),
            models.UniqueConstraint(fields=["place", "name"], name="places_room_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.place.name}: {self.name}"


class RoomClaim(models.Model):
    """A time range during which one room is taken, by whatever holds it.

    One room has one calendar, shared by room bookings (spaces) and course sessions
    (learning), two apps that may not import each other. Both take a claim here, and the
    database refuses two claims of one room that overlap: an exclusion constraint on
    PostgreSQL, BEFORE INSERT/UPDATE triggers on SQLite (migration 0003). Ranges are
    half-open, [starts_at, ends_at), so 19:30-21:30 and 21:30-22:30 do not overlap.
    Claims are taken and released through reisgezel.places.services_rooms.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="claims")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    holder_type = models.CharField(
        max_length=40, help_text=_('What holds the room, e.g. "spaces.booking".')
    )
    holder_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["room", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="places_roomclaim_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["holder_type", "holder_id"], name="places_roomclaim_one_per_holder"
            ),
        ]
        indexes = [models.Index(fields=["room", "starts_at"], name="places_roomclaim_room_start")]
        verbose_name = _("room claim")
        verbose_name_plural = _("room claims")

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"
