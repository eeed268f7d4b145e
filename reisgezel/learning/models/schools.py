"""Schools book school programmes for a class: a slot, a group, the CJP budget."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reisgezel.core.date_range import validate_in_range
from reisgezel.places.models import Place, Room

from .offer import Course, group_exceeds_room


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(
        _("BRIN code"), max_length=6, unique=True, help_text=_("The school's DUO code, e.g. 12AB.")
    )
    email = models.EmailField(_("e-mail"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL)
    is_secondary = models.BooleanField(_("secondary school"), default=False)
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="schools", verbose_name=_("teachers")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolBudget(models.Model):
    """A school's CJP Cultuurkaart budget for a school year (e.g. "2026-2027")."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="budgets")
    school_year = models.CharField(max_length=9)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    spent = models.DecimalField(max_digits=8, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="learning_budget_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0) & Q(spent__lte=F("amount")),
                name="learning_budget_never_overspent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"


class ProgrammeSlot(models.Model):
    """A date and time a school programme can be given, to one class."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("start"), validators=[validate_in_range])
    ends_at = models.DateTimeField(_("end"), validators=[validate_in_range])
    in_school = models.BooleanField(
        _("in the classroom"), default=False, help_text=_("Otherwise at the place below.")
    )
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT)
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT)
    max_pupils = models.PositiveSmallIntegerField(_("maximum group size"), default=32)
    price = models.DecimalField(_("price per class (EUR)"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="learning_slot_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(in_school=True) | Q(place__isnull=False),
                name="learning_slot_has_a_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course}: {self.starts_at:%Y-%m-%d %H:%M}"

    def room_problems(self) -> dict[str, str]:
        """Why the slot's room does not suit it, by field ({} when it does): the room must
        be in the slot's place (schools are told the place, and the room's claim would
        block another house), and a slot held there takes no larger group than the room
        holds (in the classroom it uses no room; a room without a capacity entered has
        no limit). Only the slot's own row is read here, and its room's; a database
        check cannot compare two tables, so every write goes through `clean()` (the
        admin's form, `services.schools.programme_slot_save`)."""
        room = self.room
        if room is None:
            return {}
        problems: dict[str, str] = {}
        if self.place_id is not None and room.place_id != self.place_id:
            problems["room"] = gettext(
                "%(room)s is in %(place)s: choose that place or another room."
            ) % {"room": room.name, "place": room.place}
        if not self.in_school and (problem := group_exceeds_room(room, self.max_pupils)):
            problems["max_pupils"] = problem
        return problems

    def clean(self) -> None:
        super().clean()
        if problems := self.room_problems():
            raise ValidationError({field: [message] for field, message in problems.items()})

    @property
    def pupils_max(self) -> int:
        """The largest class the slot takes: its own maximum, and no more than the room it
        uses holds (a room's capacity may be lowered after the slot was added)."""
        capacity = None if self.in_school or self.room is None else self.room.capacity
        return self.max_pupils if capacity is None else min(self.max_pupils, capacity)


class BookingState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class SchoolBooking(models.Model):
    slot = models.ForeignKey(ProgrammeSlot, on_delete=models.PROTECT, related_name="bookings")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    class_name = models.CharField(_("class"), max_length=40)
    grade = models.PositiveSmallIntegerField(_("grade"))
    pupils = models.PositiveSmallIntegerField(_("number of pupils"))
    contact_email = models.EmailField(_("contact e-mail"))
    price = models.DecimalField(max_digits=7, decimal_places=2)
    # The school year whose budget paid `cjp_amount` (fixed at booking: a slot moved to
    # another year later returns the money to the budget it came from).
    budget_year = models.CharField(_("budget year"), max_length=9, blank=True, editable=False)
    cjp_amount = models.DecimalField(
        _("paid from the CJP budget"), max_digits=7, decimal_places=2, default=0
    )
    state = models.CharField(
        max_length=10, choices=BookingState.choices, default=BookingState.CONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(state="confirmed"),
                name="learning_booking_one_class_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(cjp_amount__gte=0) & Q(cjp_amount__lte=F("price")),
                name="learning_booking_cjp_within_price",
            ),
            models.CheckConstraint(condition=Q(pupils__gte=1), name="learning_booking_pupils"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.class_name}: {self.slot}"
