"""Discount schemes and entitlements: who may use a scheme until when.

The platform never stores income data (DESIGN.md §5): an entitlement records only that a
participant may use a scheme between two dates, who verified it, how, and the fund's
reference. Staff grant and revoke entitlements, and so do intermediaries (social workers,
the funds' own intermediaries): users given the `learning.add_entitlement` permission
(through a group), so no new role is needed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning.models.people import Participant
from reisgezel.learning.models.schemes import (
    DiscountScheme,
    Entitlement,
    SchemeKind,
    VerificationMethod,
)
from reisgezel.learning.services.tariffs import FAMILY_DISCOUNT_CODE

JEUGDFONDS_CODE = "jeugdfonds"
VOLWASSENENFONDS_CODE = "volwassenenfonds"
CJP_CODE = "cjp-cultuurkaart"
SENIOR_DISCOUNT_CODE = "senior-discount"

# Longest an entitlement may run: funds decide per year, so a longer one is a typo.
MAX_ENTITLEMENT_DAYS = 2 * 366


def default_schemes() -> list[dict[str, Any]]:
    """The five schemes of issue 4, as field values for DiscountScheme (demo data and a
    fresh installation use `DiscountScheme.objects.update_or_create(code=..., defaults=...)`).

    The yearly maxima and percentages are the municipality's to set; these are the
    Maastricht figures of the demo (Jeugdfonds up to € 450 a child a year as in many
    municipalities, Volwassenenfonds up to € 150)."""
    return [
        {
            "code": JEUGDFONDS_CODE,
            "name": {
                "nl": "Jeugdfonds Sport & Cultuur",
                "en": "Jeugdfonds Sport & Cultuur",
            },
            "description": {
                "nl": "Voor kinderen van 4 tot en met 17 jaar. Het fonds betaalt de les "
                "rechtstreeks aan de aanbieder. Een intermediair (bijvoorbeeld de school "
                "of het wijkteam) vraagt het aan.",
                "en": "For children aged 4 to 17. The fund pays the provider directly. "
                "An intermediary (e.g. the school or the neighbourhood team) applies.",
            },
            "kind": SchemeKind.FUND,
            "percentage": Decimal("100.00"),
            "max_amount_per_year": Decimal("450.00"),
            "age_min": 4,
            "age_max": 17,
            "needs_entitlement": True,
            "stackable": True,
            "is_active": True,
        },
        {
            "code": VOLWASSENENFONDS_CODE,
            "name": {
                "nl": "Volwassenenfonds Sport & Cultuur",
                "en": "Volwassenenfonds Sport & Cultuur",
            },
            "description": {
                "nl": "Voor volwassenen met een laag inkomen. Het fonds betaalt de les "
                "rechtstreeks aan de aanbieder.",
                "en": "For adults on a low income. The fund pays the provider directly.",
            },
            "kind": SchemeKind.FUND,
            "percentage": Decimal("100.00"),
            "max_amount_per_year": Decimal("150.00"),
            "age_min": 18,
            "age_max": None,
            "needs_entitlement": True,
            "stackable": False,
            "is_active": True,
        },
        {
            "code": CJP_CODE,
            "name": {"nl": "CJP Cultuurkaart", "en": "CJP Cultuurkaart"},
            "description": {
                "nl": "Het cultuurbudget van een school, voor schoolprogramma's.",
                "en": "A school's culture budget, for school programmes.",
            },
            "kind": SchemeKind.SCHOOL_BUDGET,
            "percentage": None,
            "max_amount_per_year": None,
            "age_min": None,
            "age_max": None,
            "needs_entitlement": False,
            "stackable": False,
            "is_active": True,
        },
        {
            "code": FAMILY_DISCOUNT_CODE,
            "name": {"nl": "Gezinskorting", "en": "Family discount"},
            "description": {
                "nl": "10% korting vanaf het tweede gezinslid dat in hetzelfde schooljaar "
                "een cursus volgt.",
                "en": "10% off from the second member of a household taking a course in "
                "the same school year.",
            },
            "kind": SchemeKind.DISCOUNT,
            "percentage": Decimal("10.00"),
            "max_amount_per_year": None,
            "age_min": None,
            "age_max": None,
            "needs_entitlement": False,
            "stackable": True,
            "is_active": True,
        },
        {
            "code": SENIOR_DISCOUNT_CODE,
            "name": {"nl": "Seniorenkorting", "en": "Senior discount"},
            "description": {
                "nl": "15% korting vanaf 65 jaar.",
                "en": "15% off from the age of 65.",
            },
            "kind": SchemeKind.DISCOUNT,
            "percentage": Decimal("15.00"),
            "max_amount_per_year": None,
            "age_min": 65,
            "age_max": None,
            "needs_entitlement": False,
            "stackable": False,
            "is_active": True,
        },
    ]


def schemes_ensure() -> list[DiscountScheme]:
    """Create or update the five default schemes (idempotent)."""
    schemes = []
    for values in default_schemes():
        values = dict(values)
        code = values.pop("code")
        scheme, _created = DiscountScheme.objects.update_or_create(code=code, defaults=values)
        schemes.append(scheme)
    return schemes


def can_verify_entitlements(user: Any) -> bool:
    """Staff, and intermediaries holding the `learning.add_entitlement` permission."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_staff or user.has_perm("learning.add_entitlement"))
    )


def entitlement_grant(
    *,
    actor: Any,
    participant: Participant,
    scheme: DiscountScheme,
    valid_from: date,
    valid_until: date,
    verified_how: str,
    reference: str = "",
) -> Entitlement:
    """Record that `participant` may use `scheme` from `valid_from` to `valid_until`.

    Only the fact, who and how: never income or other reasons."""
    if not can_verify_entitlements(actor):
        raise PermissionDenied(_("Only staff and intermediaries may record entitlements."))
    errors: dict[str, list[str]] = {}
    if not scheme.is_active:
        errors.setdefault("scheme", []).append(_("This scheme is not available."))
    if not scheme.needs_entitlement:
        errors.setdefault("scheme", []).append(
            _("Everyone who qualifies gets this scheme; no entitlement is needed.")
        )
    if verified_how not in VerificationMethod.values:
        errors.setdefault("verified_how", []).append(_("Choose how the entitlement was verified."))
    if valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("The end date must be on or after the start date.")
        )
    elif (valid_until - valid_from).days > MAX_ENTITLEMENT_DAYS:
        errors.setdefault("valid_until", []).append(
            _("An entitlement runs at most two years; please check the dates.")
        )
    reference = reference.strip()
    if len(reference) > 80:
        errors.setdefault("reference", []).append(_("The reference is at most 80 characters long."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entitlement = Entitlement.objects.create(
            participant=participant,
            scheme=scheme,
            valid_from=valid_from,
            valid_until=valid_until,
            verified_by=actor,
            verified_how=verified_how,
            reference=reference,
        )
        audit_record(
            actor=actor,
            action="learning.entitlement_grant",
            target=entitlement,
            data={"scheme": scheme.code, "verified_how": verified_how},
        )
    return entitlement


def entitlement_revoke(
    *, actor: Any, entitlement: Entitlement, now: datetime | None = None
) -> Entitlement:
    """Revoke an entitlement (from now on it no longer counts; past enrolments keep their
    price). Revoking twice changes nothing."""
    if not can_verify_entitlements(actor):
        raise PermissionDenied(_("Only staff and intermediaries may revoke entitlements."))
    if entitlement.revoked_at is not None:
        return entitlement
    with transaction.atomic():
        entitlement.revoked_at = now or timezone.now()
        entitlement.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="learning.entitlement_revoke", target=entitlement)
    return entitlement


def entitlements_valid(*, participant: Participant, on: date) -> list[Entitlement]:
    """The participant's entitlements that count on `on` (valid and not revoked)."""
    return list(
        Entitlement.objects.filter(
            participant=participant,
            valid_from__lte=on,
            valid_until__gte=on,
            revoked_at__isnull=True,
        ).select_related("scheme")
    )
