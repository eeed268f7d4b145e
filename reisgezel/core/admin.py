"""Admin for the shared kernel: the taxonomy (editable by staff) and the audit log (read-only).

No substring (icontains) search here either: terms are found by their exact code and
by kind, audit entries by the exact id of their target or their actor's exact username,
and by action, target type, actor and date.
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
    search_fields = ("=code",)
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
    list_filter = ("action", "target_type", ("actor", admin.RelatedOnlyFieldListFilter))
    # Case-sensitive exact (ids are digits): with the target type filter chosen, the
    # (target_type, target_id, at) index answers it, which UPPER(...) = UPPER(...) could not.
    search_fields = ("target_id__exact", "=actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor",)
