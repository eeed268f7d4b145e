"""Admin for the agenda (staff work here; partners use their own pages).

Moderation changes only through actions that call the services (event_approve), so
the history, the audit log and the organiser's e-mail follow as on every other path.
Text search goes through the search index (drafts included), as on the site: events
directly, moderation decisions by their event, import feeds by their organiser (see
reisgezel.search.admin). Besides, only exact lookups (an iCalendar UID): no icontains.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reisgezel.agenda.calendar import CalendarError
from reisgezel.agenda.images import normalised_image
from reisgezel.agenda.models import (
    Event,
    EventImage,
    EventLanguage,
    ExceptionDate,
    ImportFeed,
    ImportRun,
    ModerationDecision,
    PriceTariff,
    TimeSlot,
    WeeklyOpening,
)
from reisgezel.agenda.occurrences import occurrences_rebuild
from reisgezel.agenda.services import event_approve, event_remove
from reisgezel.core.admin import ReadOnlyAdmin
from reisgezel.search.admin import IndexedSearchMixin
from reisgezel.search.registry import index_later


class TimeSlotInline(admin.TabularInline):
    model = TimeSlot
    extra = 0
    autocomplete_fields = ("place",)


class WeeklyOpeningInline(admin.TabularInline):
    model = WeeklyOpening
    extra = 0


class ExceptionDateInline(admin.TabularInline):
    model = ExceptionDate
    extra = 0


class PriceTariffInline(admin.TabularInline):
    model = PriceTariff
    extra = 0


class EventImageAdminForm(forms.ModelForm):
    """Admin uploads pass the same checks as partners' (content, size, pixels) and are
    stored upright without metadata."""

    class Meta:
        model = EventImage
        fields = ("event", "image", "alt_text", "credit", "rights_uri", "position")

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        if upload is None or not hasattr(upload, "content_type"):
            return upload  # unchanged existing file
        try:
            content, extension = normalised_image(upload.read())
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("image", exc.messages)) from exc
        return ContentFile(content, name=f"event-image.{extension}")


class EventImageInline(admin.StackedInline):
    model = EventImage
    form = EventImageAdminForm
    extra = 0


class EventLanguageInline(admin.TabularInline):
    model = EventLanguage
    extra = 0


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "from_state", "to_state", "message")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(IndexedSearchMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "organiser",
        "calendar_type",
        "moderation",
        "status",
        "is_highlight",
        "updated_at",
    )
    list_filter = (
        "moderation",
        "status",
        "calendar_type",
        "audience",
        "is_free",
        "is_highlight",
        ("organiser", admin.RelatedOnlyFieldListFilter),
        "disciplines",
    )
    search_doc_type = "event"
    # Besides the index: the UID a calendar or a feed shows (a feed's own, or ours).
    search_fields = ("=ical_uid", "=source_uid")
    list_select_related = ("organiser",)
    date_hierarchy = "created_at"
    autocomplete_fields = ("organiser", "place")

    filter_horizontal = ("disciplines", "themes", "facilities")
    readonly_fields = (
        "uuid",
        "ical_uid",
        "sequence",
        "moderation",
        "published_at",
        "source_feed",
        "source_uid",
        "created_at",
        "updated_at",
    )
    inlines = [
        TimeSlotInline,
        WeeklyOpeningInline,
        ExceptionDateInline,
        PriceTariffInline,
        EventImageInline,
        EventLanguageInline,
        ModerationDecisionInline,
    ]
    actions = ["approve_selected", "rebuild_occurrences"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Events are created through event_create (partner pages, API, feeds): it sets the
        # iCalendar UID, validates the whole input and records the audit entry.
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Admin edits bypass EventInput and the event services, so the derived data
        # (materialised occurrences, the search document) would go stale: rebuild both
        # here, after the inlines (time slots, openings, exceptions) are saved.
        super().save_related(request, form, formsets, change)
        self._rebuild(request, form.instance)

    def delete_model(self, request: HttpRequest, obj: Event) -> None:
        # Staff may delete any event, but as the services do: audited, out of search.
        with transaction.atomic():
            event_remove(actor=request.user, event=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        with transaction.atomic():
            for event in queryset:
                event_remove(actor=request.user, event=event)

    def _rebuild(self, request: HttpRequest, event: Event) -> None:
        try:
            occurrences_rebuild(event=event)
        except CalendarError as exc:
            messages.error(request, _("“%(event)s”: %(error)s") % {"event": event, "error": exc})
        index_later("event", [event.pk])

    @admin.action(
        description=_("Approve selected events (ready for validation)"), permissions=["change"]
    )
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        approved = 0
        for event in queryset:
            try:
                event_approve(actor=request.user, event=event)
                approved += 1
            except (ValidationError, PermissionDenied) as exc:
                messages.warning(
                    request, f"{event}: {' '.join(getattr(exc, 'messages', [str(exc)]))}"
                )
        messages.success(request, _("%(n)d events approved.") % {"n": approved})

    @admin.action(description=_("Rebuild occurrences and search entries"), permissions=["change"])
    def rebuild_occurrences(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset:
            self._rebuild(request, event)
        messages.success(
            request, _("Occurrences rebuilt for %(n)d events.") % {"n": queryset.count()}
        )


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(IndexedSearchMixin, ReadOnlyAdmin):
    list_display = ("at", "event", "actor", "from_state", "to_state", "message")
    list_filter = ("to_state", "from_state", ("actor", admin.RelatedOnlyFieldListFilter))
    # The decisions about the events that match the text.
    search_doc_type = "event"
    search_doc_field = "event"
    search_fields = ("=event__ical_uid",)
    list_select_related = ("event", "actor")
    date_hierarchy = "at"


class ImportRunInline(admin.TabularInline):
    model = ImportRun
    extra = 0
    can_delete = False
    fields = (
        "started_at",
        "finished_at",
        "ok",
        "created",
        "updated",
        "unchanged",
        "cancelled",
        "rejected",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportFeed)
class ImportFeedAdmin(IndexedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "organiser", "url", "is_active", "created_at")
    list_filter = ("is_active", ("organiser", admin.RelatedOnlyFieldListFilter))
    # The feeds of the organisations that match the text, or the feed of an exact address.
    search_doc_type = "organisation"
    search_doc_field = "organiser"
    search_fields = ("=url", "=name")
    autocomplete_fields = ("organiser", "default_place")
    inlines = [ImportRunInline]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "feed",
        "started_at",
        "finished_at",
        "ok",
        "created",
        "updated",
        "rejected",
        "error",
    )
    list_filter = ("ok", ("feed", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("feed",)
