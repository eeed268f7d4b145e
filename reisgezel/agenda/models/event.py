"""The event, after the model of UiTdatabank: what, who, where, for whom, at what price."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation
from reisgezel.core.date_range import validate_in_range
from reisgezel.core.fields import TranslatedField, dutch_text_present
from reisgezel.core.models import Term, TimeStampedModel
from reisgezel.places.models import Place


class CalendarType(models.TextChoices):
    SINGLE = "single", _("Single date")
    MULTIPLE = "multiple", _("Multiple dates")
    PERIODIC = "periodic", _("Periodic (opening hours or recurrence)")
    PERMANENT = "permanent", _("Permanent")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
    MOVED_ONLINE = "moved_online", _("Moved online")


class ModerationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready for validation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    MEMBERS = "members", _("Members only")
    SCHOOLS = "schools", _("Schools")


class Event(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120)
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("The main location; dates of a multiple-date event may have their own."),
    )
    online_url = models.URLField(_("online address"), blank=True)

    title = TranslatedField(_("title"), max_length=200)
    summary = TranslatedField(_("short description"), blank=True, max_length=400)
    description = TranslatedField(_("description"), blank=True, multiline=True)

    disciplines = models.ManyToManyField(
        Term, related_name="events_by_discipline", limit_choices_to={"kind": "discipline"}
    )
    themes = models.ManyToManyField(
        Term, blank=True, related_name="events_by_theme", limit_choices_to={"kind": "theme"}
    )
    facilities = models.ManyToManyField(
        Term,
        blank=True,
        related_name="events_by_facility",
        limit_choices_to={"kind": "facility"},
        verbose_name=_("accessibility facilities"),
    )

    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)

    is_free = models.BooleanField(_("free"), default=False)
    base_price = models.DecimalField(
        _("price (EUR)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    booking_url = models.URLField(_("booking address"), blank=True)
    booking_phone = models.CharField(_("booking phone"), max_length=40, blank=True)
    booking_email = models.EmailField(_("booking e-mail"), blank=True)
    booking_opens_at = models.DateTimeField(
        _("booking opens"), null=True, blank=True, validators=[validate_in_range]
    )
    booking_closes_at = models.DateTimeField(
        _("booking closes"), null=True, blank=True, validators=[validate_in_range]
    )

    status = models.CharField(
        _("status"), max_length=15, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    status_reason = TranslatedField(_("reason for the status"), blank=True, max_length=400)
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=ModerationState.choices,
        default=ModerationState.DRAFT,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    is_highlight = models.BooleanField(
        _("highlight"), default=False, help_text=_("Shown on the home page.")
    )

    calendar_type = models.CharField(
        _("calendar type"), max_length=10, choices=CalendarType.choices
    )
    period_start = models.DateField(
        _("first day"), null=True, blank=True, validators=[validate_in_range]
    )
    period_end = models.DateField(
        _("last day"), null=True, blank=True, validators=[validate_in_range]
    )
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=500,
        blank=True,
        help_text=_(
            "RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU. Its dates start at the first time slot."
        ),
    )
    closed_on_public_holidays = models.BooleanField(_("closed on public holidays"), default=False)

    # iCalendar identity: UID is stable for life; SEQUENCE rises with each significant change.
    ical_uid = models.CharField(max_length=255, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    source_feed = models.ForeignKey(
        "agenda.ImportFeed", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    source_uid = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            dutch_text_present("title"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="agenda_event_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_max__lte=120),
                name="agenda_event_age_max_sane",
            ),
            models.CheckConstraint(
                condition=(Q(is_free=True) & (Q(base_price__isnull=True) | Q(base_price=0)))
                | (Q(is_free=False) & Q(base_price__isnull=False) & Q(base_price__gt=0))
                | (Q(is_free=False) & Q(base_price__isnull=True)),
                name="agenda_event_price_consistent",
            ),
            models.CheckConstraint(
                condition=Q(booking_opens_at__isnull=True)
                | Q(booking_closes_at__isnull=True)
                | Q(booking_opens_at__lt=F("booking_closes_at")),
                name="agenda_event_booking_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="agenda_event_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(calendar_type="periodic") | Q(period_start__isnull=False),
                name="agenda_event_periodic_has_start",
            ),
            models.UniqueConstraint(
                fields=["source_feed", "source_uid"],
                condition=Q(source_feed__isnull=False),
                name="agenda_event_unique_source_uid",
            ),
        ]
        indexes = [
            models.Index(fields=["organiser", "moderation"]),
            models.Index(fields=["moderation", "is_highlight"]),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_public(self) -> bool:
        return self.moderation == ModerationState.APPROVED


class EventLanguage(models.Model):
    """A language the event is in (ISO 639-1, plus 'li' for Limburgish / Maastrichtiens)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="agenda_eventlanguage_unique")
        ]
        indexes = [models.Index(fields=["code", "event"])]

    def __str__(self) -> str:
        return self.code


class PriceTariff(models.Model):
    """A named tariff next to the base price: 'CJP', 'under 18', 'Stadspas'."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tariffs")
    name = TranslatedField(_("name"), max_length=100)
    price = models.DecimalField(max_digits=7, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "price"]
        constraints = [
            dutch_text_present("name"),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="agenda_tariff_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.price}"


class EventImage(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="events/%Y/%m/")
    alt_text = TranslatedField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    credit = models.CharField(_("credit"), max_length=200)
    rights_uri = models.URLField(
        _("rights"), help_text=_("A Creative Commons or RightsStatements.org URI.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            dutch_text_present("alt_text"),
            models.CheckConstraint(
                condition=Q(rights_uri__startswith="https://creativecommons.org/")
                | Q(rights_uri__startswith="http://creativecommons.org/")
                | Q(rights_uri__startswith="http://rightsstatements.org/")
                | Q(rights_uri__startswith="https://rightsstatements.org/"),
                name="agenda_eventimage_rights_uri_known",
            ),
        ]

    def __str__(self) -> str:
        return str(self.alt_text)


class ModerationDecision(models.Model):
    """The history of an event's moderation: submissions, approvals, rejections."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="moderation_log")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=10, choices=ModerationState.choices)
    to_state = models.CharField(max_length=10, choices=ModerationState.choices)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


def event_url(event: Event) -> str:
    from django.urls import reverse

    return reverse("agenda:event", kwargs={"pk": event.pk, "slug": event.slug or "event"})


Event.get_absolute_url = event_url  # type: ignore[attr-defined]
