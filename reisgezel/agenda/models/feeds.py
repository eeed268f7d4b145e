"""Partner feeds: iCalendar URLs or files imported on a schedule."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation
from reisgezel.core.models import Term
from reisgezel.places.models import Place


class ImportFeed(models.Model):
    organiser = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_feeds"
    )
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("feed address"), blank=True)
    file = models.FileField(_("feed file"), upload_to="feeds/", blank=True)
    default_place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used when an event's LOCATION matches no known place."),
    )
    default_discipline = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "discipline"},
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organiser__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="agenda_importfeed_has_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organiser}: {self.name}"


class ImportRun(models.Model):
    """One run of a feed import, with a line per rejected component."""

    feed = models.ForeignKey(ImportFeed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text=_("Components skipped: past events, not events.")
    )
    not_in_feed = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "Upcoming events of this feed that the feed no longer lists (kept, not deleted)."
        ),
    )
    report = models.JSONField(
        default=list,
        blank=True,
        help_text=_("One entry per rejected or skipped component, or warning."),
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.feed} {self.started_at:%Y-%m-%d %H:%M}"


class FeedItem(models.Model):
    """What the last import saw of one imported event: a hash of its source component(s).

    An unchanged component is skipped without touching the event, so a re-import is
    cheap, writes nothing, and never raises SEQUENCE or sends an event back to validation.
    """

    event = models.OneToOneField("agenda.Event", on_delete=models.CASCADE, related_name="feed_item")
    content_hash = models.CharField(max_length=64)
    seen_at = models.DateTimeField()
    # A series imported as dates (RDATEs, moved dates, a rule in another zone) that has
    # dates beyond the horizon: its source and the last day it was expanded to. The
    # nightly roll (`feeds.feed_series_roll_forward`) adds the dates after that day, as
    # it extends the occurrences of rules; empty when nothing is left to add. A source
    # without a day: a series imported before sources were kept, read again and found to
    # have no dates left to add (`feeds._keep_series_source`), so it is not read again.
    series_source = models.TextField(blank=True)
    dates_until = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["dates_until"],
                condition=Q(dates_until__isnull=False),
                name="agenda_feeditem_rolls",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.content_hash[:12]}"
