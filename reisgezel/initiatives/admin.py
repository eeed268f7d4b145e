"""Admin for initiatives (staff). Lists filter by state, coach and neighbourhood; there is
no substring search (a test walks every admin): look an idea up by its exact number."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reisgezel.initiatives.models import Initiative, InitiativeNote, InitiativeStateChange


class StateChangeInline(admin.TabularInline):
    model = InitiativeStateChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "reason", "actor", "at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # State changes go through the service (rules, e-mail, audit): the staff page.
        return False


class NoteInline(admin.TabularInline):
    model = InitiativeNote
    extra = 0
    can_delete = False
    readonly_fields = ("text", "author", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # notes are added on the staff page, which records who wrote them


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    """Staff open the idea's staff page to triage it; the admin is for corrections."""

    list_display = ("title", "initiator", "state", "coach", "neighbourhood", "created_at")
    list_filter = (
        "state",
        ("coach", admin.RelatedOnlyFieldListFilter),
        ("neighbourhood", admin.RelatedOnlyFieldListFilter),
        "needs_place",
        "needs_money",
    )
    search_fields = ("=id",)
    date_hierarchy = "created_at"
    # State and coach change only through the staff page's services (allowed moves,
    # e-mail, audit); here staff may correct the texts.
    readonly_fields = (
        "state",
        "decline_reason",
        "coach",
        "initiator",
        "created_at",
        "updated_at",
    )
    inlines = [StateChangeInline, NoteInline]
