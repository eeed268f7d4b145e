"""Admin for users, partner organisations, memberships and API tokens (staff only).

Partners never get admin access: they use the partner pages. Organisations are
searched through the search index (reisgezel.search.admin), as on the site, and so are
API tokens by their organisation; users and tokens otherwise by exact username, e-mail
or key prefix, with list filters for the rest (no substring search).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reisgezel.accounts.erasure import account_erase_blockers, account_erase_by_staff
from reisgezel.accounts.models import ApiToken, Membership, Organisation, User
from reisgezel.accounts.profiles import TRANSLATED, ProfileInput, profile_errors
from reisgezel.accounts.search import DOC_TYPE as ORGANISATION_DOC_TYPE
from reisgezel.accounts.services import account_switch_off, api_token_revoke
from reisgezel.search.admin import IndexedSearchMixin
from reisgezel.search.registry import index_later, remove_later


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "display_name",
        "email",
        "is_moderator",
        "is_staff",
        "is_active",
        "awaiting_confirmation",
    )
    list_filter = (
        "is_moderator",
        "is_staff",
        "is_superuser",
        "is_active",
        "awaiting_confirmation",
        ("erased_at", admin.EmptyFieldListFilter),
        "preferred_language",
        ("memberships__organisation", admin.RelatedOnlyFieldListFilter),
    )
    # Exact only: also what the membership inline's autocomplete answers to.
    search_fields = ("=username", "=email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Reisgezel"),
            {
                "fields": (
                    "display_name",
                    "preferred_language",
                    "is_moderator",
                    "awaiting_confirmation",
                    "erased_at",
                )
            },
        ),
    )
    # Set by sign-up, confirmation and erasure only; staff switch an account off with
    # the action, and on again by ticking "active".
    readonly_fields = ("awaiting_confirmation", "erased_at")
    actions = ["switch_off", "erase"]

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # An erased account is shown, never changed: it must not come back.
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if obj.is_active:
            # Switched on by staff: the sign-up it may have waited for is settled.
            obj.awaiting_confirmation = False
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Accounts are erased (the action below), never deleted: deleting would take the
        # person's stories and the records others rely on (enrolments paid for, bookings
        # invoiced) with it, or stop at the first of them, and skip the apps' steps.
        return False

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.delete_user")

    @admin.action(
        description=_("Erase selected accounts (on the person's request)"),
        permissions=["change", "erase"],
    )
    def erase(self, request: HttpRequest, queryset: QuerySet[User]) -> TemplateResponse | None:
        """Asks first, listing what each account must settle before it can be erased;
        then erases each one it can (`accounts.erasure.account_erase_by_staff`)."""
        users = list(queryset.order_by("username"))
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase accounts"),
                "opts": self.model._meta,
                "accounts": [(user, account_erase_blockers(user)) for user in users],
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/accounts/user/erase_confirmation.html", context)
        erased = 0
        for user in users:
            try:
                account_erase_by_staff(user=user, actor=request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                messages.error(
                    request,
                    _("%(account)s was not erased: %(reasons)s")
                    % {"account": user, "reasons": " ".join(error.messages)},
                )
            else:
                erased += 1
        if erased:
            message = ngettext("%(n)d account erased.", "%(n)d accounts erased.", erased)
            messages.success(request, message % {"n": erased})
        return None

    @admin.action(description=_("Switch off selected accounts"), permissions=["change"])
    def switch_off(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        switched = [user for user in queryset if account_switch_off(user=user, actor=request.user)]
        n = len(switched)
        message = ngettext("%(n)d account switched off.", "%(n)d accounts switched off.", n)
        messages.success(request, message % {"n": n})


# Django's own group admin searches names by substring: registered again, exact only.
# (Importing django.contrib.auth.admin above has registered it, whatever the app order.)
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    search_fields = ("=name",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class OrganisationAdminForm(ModelForm):
    """The profile rules of the partner's own form (accounts.profiles.profile_errors):
    Dutch text whenever another language is given, ages from 0 to 120."""

    # No Meta: the admin builds the form's model and fields (modelform_factory).

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {
            name: data.get(name, getattr(self.instance, name))
            for name in ("age_min", "age_max", *TRANSLATED)
        }
        for name, messages_ in profile_errors(ProfileInput(**values)).items():
            if name in self.fields:
                for message in messages_:
                    self.add_error(name, message)
        return data


@admin.register(Organisation)
class OrganisationAdmin(IndexedSearchMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = (
        "name",
        "kind",
        "is_trusted",
        "is_active",
        "home_place",
        "open_for_members",
        "wants_volunteers",
    )
    list_filter = (
        "kind",
        "is_trusted",
        "is_active",
        "open_for_members",
        "wants_volunteers",
        "disciplines",
        ("active_in", admin.RelatedOnlyFieldListFilter),
    )
    search_doc_type = ORGANISATION_DOC_TYPE
    search_fields = ("=slug", "=email")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("disciplines", "active_in")
    autocomplete_fields = ("home_place",)
    inlines = [MembershipInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "kind",
                    "description",
                    "disciplines",
                    "home_place",
                    "is_trusted",
                    "is_active",
                    "feed_url",
                )
            },
        ),
        (
            _("Profile: for whom and where"),
            {"fields": ("audience", ("age_min", "age_max"), "active_in")},
        ),
        (_("Contact"), {"fields": ("contact_person", "website", "email", "phone")}),
        (
            _("Join or help"),
            {
                "fields": (
                    "open_for_members",
                    "members_note",
                    "wants_volunteers",
                    "volunteers_note",
                )
            },
        ),
    )

    def save_related(
        self, request: HttpRequest, form: ModelForm[Organisation], formsets: Any, change: bool
    ) -> None:
        # After the disciplines are saved: they are part of the search document.
        super().save_related(request, form, formsets, change)
        index_later(ORGANISATION_DOC_TYPE, [form.instance.pk])

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        remove_later(ORGANISATION_DOC_TYPE, [obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        remove_later(ORGANISATION_DOC_TYPE, list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(ApiToken)
class ApiTokenAdmin(IndexedSearchMixin, admin.ModelAdmin):
    """Tokens are created by partner admins on their pages (the key is shown once there);
    staff can only see and revoke them here. Searching finds the tokens of matching
    organisations, or a token by its exact key prefix ("rg_…", as logged)."""

    list_display = (
        "name",
        "organisation",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", ("organisation", admin.RelatedOnlyFieldListFilter))
    search_doc_type = ORGANISATION_DOC_TYPE
    search_doc_field = "organisation"
    search_fields = ("=prefix",)
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

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("%(n)d tokens revoked.") % {"n": len(tokens)})
