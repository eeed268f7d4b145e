"""Staff admin: themed collections are curated here; stories are moderated on the
moderation page (its decisions go through the services and the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reisgezel.search.registry import index_later
from reisgezel.stories.models import CollectionStory, Story, StoryReport, ThemedCollection
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


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "about", "neighbourhood", "published_at"]
    list_filter = ["state", "about", "licence"]
    raw_id_fields = ["contributor", "place", "neighbourhood", "heritage_object", "event"]
    readonly_fields = [
        "state",
        "published_at",
        "withdrawn_at",
        "email_confirmed_at",
        "guardian_consent_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(StoryReport)
class StoryReportAdmin(admin.ModelAdmin):
    list_display = ["story", "reason", "created_at", "resolved_at"]
    list_filter = ["reason"]
    raw_id_fields = ["story", "resolved_by"]
