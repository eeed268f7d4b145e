"""An event's calendar: time slots, weekly openings, exceptions; and its occurrences.

The calendar is what partners enter; occurrences are what the agenda queries. The
service `occurrences_rebuild` derives the latter from the former (see calendar.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import F, Q

from reisgezel.core.date_range import validate_in_range
from reisgezel.places.models import Neighbourhood, Place, Weekday

from .event import Event, EventStatus

# No occurrence is longer than this: longer spans are split into days when they are
# materialised, so "what is on between a and b" can bound its index scan on `start`.
MAX_OCCURRENCE_SPAN = timedelta(days=2)


class TimeSlot(models.Model):
    """A date and time of a single or multiple-date event (and the base of an RRULE)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="time_slots")
    start = models.DateTimeField(validators=[validate_in_range])
    end = models.DateTimeField(validators=[validate_in_range])
    all_day = models.BooleanField(default=False)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="agenda_timeslot_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} - {self.end:%Y-%m-%d %H:%M}"


class WeeklyOpening(models.Model):
    """Opening hours of a periodic or permanent event on a weekday (local time)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="weekly_openings")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="agenda_weekly_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="agenda_weekly_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ExceptionDate(models.Model):
    """A day on which a periodic or permanent event does not take place (EXDATE)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="exception_dates")
    date = models.DateField(validators=[validate_in_range])
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="agenda_exception_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class Occurrence(models.Model):
    """One materialised date of an event. Written only by `occurrences_rebuild`.

    Filter columns are copied from the event (denormalised) so that the common agenda
    queries are a single indexed scan: public, start, neighbourhood, free, ages.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(validators=[validate_in_range])
    end = models.DateTimeField(validators=[validate_in_range])
    all_day = models.BooleanField(default=False)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    is_public = models.BooleanField(default=False)
    is_free = models.BooleanField(default=False)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=15, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )

    class Meta:
        ordering = ["start", "event_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="agenda_occurrence_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["event", "start"], name="agenda_occurrence_unique_start"
            ),
        ]
        indexes = [
            models.Index(fields=["is_public", "start"], name="agenda_occ_public_start"),
            models.Index(
                fields=["neighbourhood", "is_public", "start"], name="agenda_occ_buurt_start"
            ),
            models.Index(fields=["is_free", "is_public", "start"], name="agenda_occ_free_start"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.start:%Y-%m-%d %H:%M}"
