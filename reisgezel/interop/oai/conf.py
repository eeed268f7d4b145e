"""Settings of the OAI-PMH endpoint, with defaults that need no configuration.

A project may override them with an `OAI_PMH` dict in settings (keys as below); the
persistent identity of every record comes from settings.SITE_URL, so records keep their
identifiers when the server moves.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parseaddr
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

# Records (or headers) per response (OAI_PMH["PAGE_SIZE"] overrides it). Measured with
# bench/heritage_oai.py (sickle, PostgreSQL): 250 harvests oai_dc about 20 % faster than
# 100 (each page's queries and request cost are shared by more records) and LIDO as
# fast; larger pages gain little more while sickle parses them slower. An oai_dc page
# is then about 380 KB, a LIDO page about 1.5 MB, streamed.
PAGE_SIZE = 250
# How long a resumption token stays valid. Tokens are stateless, so this only bounds
# how long a paused harvest may wait before it resumes.
TOKEN_MAX_AGE = timedelta(hours=24)

PROTOCOL_VERSION = "2.0"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DELETED_RECORD = "persistent"

# The oai-identifier scheme wants a domain name with at least one dot.
_REPOSITORY_ID = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\-]*(\.[a-zA-Z0-9][a-zA-Z0-9\-]*)+$")
_EMAIL = re.compile(r"^\S+@(\S+\.)+\S+$")


def _overrides() -> dict[str, Any]:
    return dict(getattr(settings, "OAI_PMH", {}) or {})


def page_size() -> int:
    return int(_overrides().get("PAGE_SIZE") or PAGE_SIZE)


def read_ahead() -> bool:
    """Build the next page of a list while the harvester reads this one (read_ahead)."""
    return bool(_overrides().get("READ_AHEAD", True))


def repository_identifier() -> str:
    """The `<host>` in identifiers oai:<host>:object/<pid> (the SITE_URL host)."""
    override = str(_overrides().get("REPOSITORY_IDENTIFIER") or "")
    return _host(settings.SITE_URL, override)


@lru_cache(maxsize=8)
def _host(site_url: str, override: str) -> str:
    return override or urlsplit(site_url).hostname or ""


def has_oai_identifier_scheme() -> bool:
    return bool(_REPOSITORY_ID.match(repository_identifier()))


def base_url() -> str:
    return f"{settings.SITE_URL}/oai"


def repository_name() -> str:
    default = f"Reisgezel {settings.REISGEZEL['CITY']}: heritage collections"
    return str(_overrides().get("REPOSITORY_NAME") or default)


def admin_emails() -> list[str]:
    """Addresses for Identify (the schema wants user@domain.tld)."""
    configured = _overrides().get("ADMIN_EMAILS")
    if configured:
        return [str(e) for e in configured]
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if _EMAIL.match(address):
        return [address]
    fallback = f"noreply@{repository_identifier()}"
    return [fallback if _EMAIL.match(fallback) else "noreply@example.org"]
