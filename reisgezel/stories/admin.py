"""Staff admin: themed collections are curated here; stories are moderated on the
moderation page (its decisions go through the services and the audit log)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reisgezel.search.registry import index_later
from reisgezel.stories.locations import locate
from reisgezel.stories.models import (
    CollectionStory,
    Story,
    StoryReport,
    StoryState,
    ThemedCollection,
)
from reisgezel.stories.services import STORY_DOC_TYPE


class CollectionStoryInline(admin.TabularInline):
    model = CollectionStory
    raw_id_fields = ["story"]
    extra = 1


@admin.register(ThemedCollection)
class ThemedCollectionAdmin(admin.ModelAdmin):
    list_display = ["slug", "is_public"]
    inlines = [CollectionStoryInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = set(form.instance.entries.values_list("story_id", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.entries.values_list("story_id", flat=True))
        # The theme facet of these stories changed.
        index_later(STORY_DOC_TYPE, before | after)


class StoryAdminForm(forms.ModelForm):
    """The consents a published story rests on (the database refuses a published story
    without them) cannot be taken away here: withdraw or reject the story first."""

    # No Meta: the admin builds the form's model and fields (modelform_factory).

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.state == StoryState.PUBLISHED:
            if not data.get("people_consent"):
                self.add_error(
                    "people_consent",
                    _("A published story needs this consent: reject or withdraw it first."),
                )
            if data.get("is_minor") and self.instance.guardian_consent_at is None:
                self.add_error(
                    "is_minor",
                    _("A guardian has not consented: reject the story first."),
                )
        return data


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    form = StoryAdminForm
    list_display = ["title", "state", "about", "neighbourhood", "published_at"]
    list_filter = ["state", "about", "licence"]
    raw_id_fields = ["place", "neighbourhood", "heritage_object", "event"]
    readonly_fields = [
        "contributor",  # whose story it is: their rights to edit, export and erase it
        "state",
        "published_at",
        "withdrawn_at",
        "email_confirmed_at",
        "guardian_consent_at",
        # Derived from the place, point and "home address" by locate() on every save.
        "location_generalised",
        "public_latitude",
        "public_longitude",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Story, form: Any, change: bool) -> None:
        # A place, point or "home address" changed here moves the public point as it
        # does on the site (a home is never shown at its address), and search follows.
        for name in ("place", "neighbourhood"):
            obj._state.fields_cache.pop(name, None)
        locate(obj)
        super().save_model(request, obj, form, change)
        index_later(STORY_DOC_TYPE, [obj.pk])


@admin.register(StoryReport)
class StoryReportAdmin(admin.ModelAdmin):
    list_display = ["story", "reason", "created_at", "resolved_at"]
    list_filter = ["reason"]
    raw_id_fields = ["story", "resolved_by"]
