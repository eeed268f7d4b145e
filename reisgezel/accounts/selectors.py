"""Reads about users, roles and organisations (the permission questions)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from reisgezel.accounts.models import ApiToken, MemberRole, Membership, Organisation
from reisgezel.accounts.token_actor import TokenActor


def organisations_of(*, user: Any) -> QuerySet[Organisation]:
    """Organisations the user may act for (all of them for staff; an API token's only)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    if isinstance(user, TokenActor):
        return Organisation.objects.filter(pk=user.organisation_id, is_active=True)
    if user.is_staff:
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(memberships__user=user, is_active=True).distinct()


def is_member(*, user: Any, organisation: Organisation) -> bool:
    """Members act for their organisation while it is active; staff act for any; an
    API token acts for its own organisation only, as a member (whoever made it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if isinstance(user, TokenActor):
        return organisation.is_active and organisation.pk == user.organisation_id
    if user.is_staff:
        return True
    if not organisation.is_active:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def is_admin_of(*, user: Any, organisation: Organisation) -> bool:
    """Organisation administrators (and staff) manage its members and API tokens; an API
    token is an ordinary member, never an administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if isinstance(user, TokenActor):
        return False
    if user.is_staff:
        return True
    if not organisation.is_active:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role=MemberRole.ADMIN
    ).exists()


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token for a presented key, or None. Records its last use."""
    if not key or not key.startswith("rg_"):
        return None
    token = (
        ApiToken.objects.select_related("organisation", "created_by")
        .filter(
            key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, organisation__is_active=True
        )
        .first()
    )
    if token is None or not token.created_by.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
