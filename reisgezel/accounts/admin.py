"""Admin for users, partner organisations, memberships and API tokens (staff only).

Partners never get admin access: they use the partner pages. Admin search uses
icontains: acceptable for staff only.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import ApiToken, Membership, Organisation, User
from reisgezel.accounts.services import api_token_revoke


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "email", "is_moderator", "is_staff", "is_active")
    list_filter = ("is_moderator", "is_staff", "is_superuser", "is_active", "preferred_language")
    search_fields = (
        "username",
        "display_name",
        "email",
        "first_name",
        "last_name",
    )  # icontains: staff only
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Reisgezel"), {"fields": ("display_name", "preferred_language", "is_moderator")}),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_trusted", "is_active", "home_place")
    list_filter = ("kind", "is_trusted", "is_active")
    search_fields = ("name", "slug", "email")  # icontains: staff only
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("disciplines",)
    autocomplete_fields = ("home_place",)
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by partner admins on their pages (the key is shown once there);
    staff can only see and revoke them here."""

    list_display = (
        "name",
        "organisation",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "organisation")
    search_fields = ("name", "prefix", "organisation__name")  # icontains: staff only
    readonly_fields = (
        "organisation",
        "created_by",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("%(n)d tokens revoked.") % {"n": len(tokens)})
