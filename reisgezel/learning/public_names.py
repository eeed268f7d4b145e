"""How people are named to the public (course pages, the API, structured data)."""

from __future__ import annotations

from typing import Any


def person_name(user: Any) -> str:
    """A teacher's public name: their display or full name, never the login name
    (empty when they gave neither)."""
    if user is None:
        return ""
    return str(user.display_name or user.get_full_name() or "")
