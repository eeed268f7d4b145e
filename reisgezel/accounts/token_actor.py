"""Who acts when a program writes with an organisation's API token."""

from __future__ import annotations

from typing import Any

from reisgezel.accounts.models import ApiToken, User


class TokenActor:
    """The actor of a request made with an API token: an ordinary member (an editor) of
    the token's organisation and of no other, whoever made the token.

    A token is handed to a program (a partner's website), so it must not carry what its
    maker may do in person: a staff member or moderator who made one for a partner would
    otherwise give that program the right to publish without validation, to set
    accessibility facilities and to act for every organisation. The permission questions
    (`accounts.selectors.is_member`, `agenda.permissions`) read the flags below; the
    audit log and the moderation history record the maker (`recorded_user`), with the
    token's id (`audit_data`).
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True  # `api_token_authenticate` refuses the tokens of inactive makers
    is_staff = False
    is_superuser = False
    is_moderator = False
    can_moderate = False

    def __init__(self, token: ApiToken) -> None:
        self.token = token

    @property
    def organisation_id(self) -> int:
        return self.token.organisation_id

    @property
    def recorded_user(self) -> User:
        return self.token.created_by

    @property
    def audit_data(self) -> dict[str, Any]:
        return {"api_token": self.token.pk}

    def __str__(self) -> str:
        return f"API token {self.token} of {self.token.organisation}"
