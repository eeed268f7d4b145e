"""Admin pages for entitlements and payments that write through the services (and the
read-only list of guardian invitations).

Staff record an entitlement or a payment on an "add" form; the form's clean() calls the
service (inside the admin's transaction), so every rule of the service (who may, how an
entitlement was verified, never more paid than due, refunds within what was paid, fund
payments naming the enrolment's scheme) shows as a message on the form, and the record
is audited like any other. Recorded rows are read-only afterwards: an entitlement is
revoked with an action; a wrong payment is corrected by a refund.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reisgezel.core.admin import ReadOnlyAdmin
from reisgezel.learning.models import Entitlement, GuardianInvitation, Payment, PaymentKind
from reisgezel.learning.services.payments import payment_record, refund_record
from reisgezel.learning.services.schemes import entitlement_grant, entitlement_revoke


class _ServiceForm(forms.ModelForm):
    """A model form whose clean() writes through a service; `created` is the result."""

    actor: Any = None
    created: Any = None

    def call_service(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or not self.instance._state.adding:
            return data
        try:
            self.created = self.call_service(data)
        except ValidationError as exc:
            self.add_error(None, exc)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        return data


class EntitlementGrantForm(_ServiceForm):
    class Meta:
        model = Entitlement
        fields = ("participant", "scheme", "valid_from", "valid_until", "verified_how", "reference")

    def call_service(self, data: dict[str, Any]) -> Entitlement:
        return entitlement_grant(
            actor=self.actor,
            participant=data["participant"],
            scheme=data["scheme"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            verified_how=data["verified_how"],
            reference=data.get("reference") or "",
        )


class PaymentRecordForm(_ServiceForm):
    class Meta:
        model = Payment
        fields = ("enrolment", "kind", "amount", "payer_kind", "scheme", "method", "reference")

    def call_service(self, data: dict[str, Any]) -> Payment:
        record = refund_record if data["kind"] == PaymentKind.REFUND else payment_record
        return record(
            actor=self.actor,
            enrolment=data["enrolment"],
            amount=data["amount"],
            method=data["method"],
            payer_kind=data["payer_kind"],
            scheme=data.get("scheme"),
            reference=data.get("reference") or "",
        )


class _RecordedByServiceAdmin(admin.ModelAdmin):
    """Add through the form's service call; never change or delete afterwards."""

    read_only_after: tuple[str, ...] = ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]  # a class made for this request
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.read_only_after if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # staff view recorded rows; corrections are new rows (a refund)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change or form.created is None:
            return  # nothing is editable after recording
        # The service wrote the row; the admin continues with it (log entry, redirect).
        obj.pk = form.created.pk
        obj.__dict__.update(
            {k: v for k, v in form.created.__dict__.items() if not k.startswith("_")}
        )
        obj._state.adding = False


@admin.register(Entitlement)
class EntitlementAdmin(_RecordedByServiceAdmin):
    form = EntitlementGrantForm
    list_display = (
        "participant",
        "scheme",
        "valid_from",
        "valid_until",
        "verified_how",
        "verified_by",
        "revoked_at",
    )
    list_filter = ("scheme", "verified_how", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("=reference",)
    raw_id_fields = ("participant",)
    list_select_related = ("participant", "scheme", "verified_by")
    read_only_after = (
        "participant",
        "scheme",
        "valid_from",
        "valid_until",
        "verified_how",
        "reference",
        "verified_by",
        "created_at",
        "revoked_at",
    )
    actions = ("revoke",)

    @admin.action(description=_("Revoke the selected entitlements"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Entitlement]) -> None:
        for entitlement in queryset:
            try:
                entitlement_revoke(actor=request.user, entitlement=entitlement)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
        self.message_user(request, _("Revoked."), messages.SUCCESS)


@admin.register(Payment)
class PaymentAdmin(_RecordedByServiceAdmin):
    form = PaymentRecordForm
    list_display = ("enrolment", "kind", "amount", "payer_kind", "method", "scheme", "at")
    list_filter = ("kind", "payer_kind", "method")
    raw_id_fields = ("enrolment",)
    list_select_related = ("enrolment__participant", "scheme")
    date_hierarchy = "at"
    read_only_after = (
        "enrolment",
        "kind",
        "amount",
        "payer_kind",
        "scheme",
        "method",
        "reference",
        "provider_reference",
        "at",
        "recorded_by",
    )


@admin.register(GuardianInvitation)
class GuardianInvitationAdmin(ReadOnlyAdmin):
    """Staff see who invited whom into a household (never the token: only its hash is
    stored, and it is not shown). Guardians revoke their invitations on the family page."""

    list_display = (
        "household",
        "email",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = (
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("=email",)
    exclude = ("token_hash",)
    list_select_related = ("household", "invited_by")
