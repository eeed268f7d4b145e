"""Writes for accounts and organisations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reisgezel.accounts.models import ApiToken, MemberRole, Membership, Organisation, User
from reisgezel.accounts.search import DOC_TYPE as ORGANISATION_DOC_TYPE
from reisgezel.accounts.selectors import is_admin_of
from reisgezel.core.audit import audit_record
from reisgezel.search.registry import index_later


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(*, name: str, kind: str, actor: Any = None, **fields: Any) -> Organisation:
    disciplines = fields.pop("disciplines", None)
    organisation = Organisation(name=name, kind=kind, slug=_unique_slug(name), **fields)
    organisation.full_clean()
    organisation.save()
    if disciplines:
        organisation.disciplines.set(disciplines)
    audit_record(actor=actor, action="organisation.create", target=organisation)
    index_later(ORGANISATION_DOC_TYPE, [organisation.pk])
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str = MemberRole.EDITOR, actor: Any = None
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    audit_record(
        actor=actor,
        action="membership.add",
        target=organisation,
        data={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def api_token_create(*, organisation: Organisation, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plain key, which is shown once and never stored.

    Only the organisation's administrators (and staff) may: a token acts for everyone.
    """
    if not is_admin_of(user=user, organisation=organisation):
        raise PermissionDenied(
            _("Only administrators of %(org)s can manage API tokens.") % {"org": organisation.name}
        )
    if not name.strip():
        raise ValidationError(
            {"name": [_("Give the token a name, e.g. the website that uses it.")]}
        )
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        organisation=organisation,
        created_by=user,
        name=name,
        prefix=key[:10],
        key_hash=ApiToken.hash_key(key),
    )
    audit_record(
        actor=user, action="api_token.create", target=organisation, data={"token": token.pk}
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any) -> None:
    if not is_admin_of(user=actor, organisation=token.organisation):
        raise PermissionDenied(
            _("Only administrators of %(org)s can manage API tokens.")
            % {"org": token.organisation.name}
        )
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit_record(
        actor=actor, action="api_token.revoke", target=token.organisation, data={"token": token.pk}
    )


ACCOUNT_LANGUAGES = ("nl", "en", "de", "fr")


@transaction.atomic
def account_update(*, user: User, display_name: str, preferred_language: str) -> User:
    """A person changes the name others see and the language of our mails."""
    display_name = " ".join(display_name.split())
    if not display_name:
        raise ValidationError({"display_name": [_("Tell us what to call you.")]})
    if preferred_language not in ACCOUNT_LANGUAGES:
        raise ValidationError({"preferred_language": [_("Choose one of the languages.")]})
    changed = {
        name: value
        for name, value in (
            ("display_name", display_name),
            ("preferred_language", preferred_language),
        )
        if getattr(user, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(user, name, value)
        user.save(update_fields=list(changed))
        audit_record(
            actor=user, action="account.update", target=user, data={"fields": sorted(changed)}
        )
    return user


@transaction.atomic
def account_switch_off(*, user: User, actor: Any) -> bool:
    """Staff switch an account off (spam, abuse), also one whose sign-up is not confirmed
    yet: its confirmation link and a new sign-up of the address no longer activate it.
    Only staff switch it on again (`is_active` in the admin). Its sessions end at their
    next request (Django refuses inactive accounts). Returns whether it was on or waiting
    (an account already off, or erased, stays as it is)."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only staff can switch accounts off."))
    switched_on_or_waiting = Q(is_active=True) | Q(awaiting_confirmation=True)
    updated = User.objects.filter(switched_on_or_waiting, pk=user.pk).update(
        is_active=False, awaiting_confirmation=False
    )
    if updated:
        audit_record(actor=actor, action="account.switch_off", target=user)
    return bool(updated)
