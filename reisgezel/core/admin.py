"""Admin for the shared kernel: the taxonomy (editable by staff) and the audit log (read-only).

Admin search uses icontains: acceptable here, for staff on small tables; the public site
searches through reisgezel.search instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reisgezel.core.models import AuditEntry, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "kind", "parent", "position")
    list_filter = ("kind",)
    search_fields = ("code", "label")  # icontains on the JSON text: fine for staff only
    ordering = ("kind", "position", "code")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by services only (audit log, moderation history): staff read them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "actor", "target_type", "target_id", "message")
    list_filter = ("action", "target_type")
    search_fields = (
        "action",
        "target_id",
        "message",
        "actor__username",
    )  # staff only: icontains is fine
    date_hierarchy = "at"
    list_select_related = ("actor",)
