"""Stateless resumption tokens.

A token carries the whole list request (verb, metadataPrefix, set, from, until) and the
keyset position reached (phase, datestamp, id), signed with the SECRET_KEY through
django.core.signing. Nothing is stored on the server, so a token keeps working after a
restart, on any of several web processes, and costs no more to resume at record
900,000 than at record 100. The signature's timestamp gives the expiry; a token that
was altered, expired or never issued here is a badResumptionToken.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.core import signing

from reisgezel.interop.oai.conf import TOKEN_MAX_AGE
from reisgezel.interop.oai.errors import ErrorCode, OaiError

_SALT = "reisgezel.interop.oai.resumption-token"
_VERSION = 1


@dataclass(frozen=True)
class ListState:
    """Where a list request stands. `after_time`/`after_id` is the last item sent in
    `phase` (None: start of the phase); `cursor` counts the items sent before."""

    verb: str
    metadata_prefix: str
    set_spec: str
    from_value: str
    until_value: str
    phase: str
    after_time: datetime | None
    after_id: int | None
    cursor: int
    total: int


def encode(state: ListState) -> str:
    data: dict[str, Any] = asdict(state)
    data["after_time"] = state.after_time.isoformat() if state.after_time else None
    data["v"] = _VERSION
    return signing.dumps(data, salt=_SALT, compress=True)


def _invalid(message: str) -> OaiError:
    return OaiError(ErrorCode.BAD_RESUMPTION_TOKEN, message)


def decode(token: str, *, verb: str) -> ListState:
    """The state in a token issued for `verb`; OaiError(badResumptionToken) otherwise."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise _invalid("The resumptionToken has expired; start the list again.") from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise _invalid("The resumptionToken is not one this repository issued.") from None
    if not isinstance(data, dict) or data.pop("v", None) != _VERSION:
        raise _invalid("The resumptionToken has an unknown format.")
    try:
        after = data.pop("after_time")
        state = ListState(**data, after_time=datetime.fromisoformat(after) if after else None)
    except (TypeError, ValueError):
        raise _invalid("The resumptionToken has an unknown format.") from None
    if state.verb != verb:
        raise _invalid(f"The resumptionToken belongs to {state.verb}, not to {verb}.")
    return state
