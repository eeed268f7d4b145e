"""API tokens: only organisation administrators manage them; only a hash is stored."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reisgezel.accounts.models import ApiToken, MemberRole
from reisgezel.accounts.selectors import api_token_authenticate, is_admin_of, organisations_of
from reisgezel.accounts.services import api_token_create, api_token_revoke
from tests.factories import OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_administrator_creates_a_token_that_authenticates_and_is_stored_hashed():
    org = OrganisationFactory()
    admin = member_of(org, role=MemberRole.ADMIN)
    token, key = api_token_create(organisation=org, user=admin, name="website")
    assert key.startswith("rg_") and key not in token.key_hash
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).exists()
    found = api_token_authenticate(key=key)
    assert found is not None and found.organisation == org and found.last_used_at is None
    found.refresh_from_db()
    assert found.last_used_at is not None


def test_editors_and_outsiders_cannot_manage_tokens():
    org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        api_token_create(organisation=org, user=member_of(org), name="x")
    with pytest.raises(PermissionDenied):
        api_token_create(organisation=org, user=UserFactory(), name="x")
    token, _key = api_token_create(
        organisation=org, user=member_of(org, role=MemberRole.ADMIN), name="x"
    )
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=member_of(org))


def test_token_needs_a_name():
    org = OrganisationFactory()
    with pytest.raises(ValidationError):
        api_token_create(organisation=org, user=member_of(org, role=MemberRole.ADMIN), name="  ")


@pytest.mark.parametrize("key", ["", "rg_wrong", "Bearer rg_x", "x" * 500])
def test_unknown_keys_do_not_authenticate(key):
    assert api_token_authenticate(key=key) is None


def test_revoked_tokens_and_inactive_organisations_do_not_authenticate():
    org = OrganisationFactory()
    admin = member_of(org, role=MemberRole.ADMIN)
    token, key = api_token_create(organisation=org, user=admin, name="x")
    api_token_revoke(token=token, actor=admin)
    assert api_token_authenticate(key=key) is None
    _token, other_key = api_token_create(organisation=org, user=admin, name="y")
    org.is_active = False
    org.save()
    assert api_token_authenticate(key=other_key) is None


def test_roles():
    org = OrganisationFactory()
    editor = member_of(org)
    staff = UserFactory(is_staff=True)
    assert not is_admin_of(user=editor, organisation=org)
    assert is_admin_of(user=staff, organisation=org)
    assert list(organisations_of(user=editor)) == [org]
    assert list(organisations_of(user=UserFactory())) == []
