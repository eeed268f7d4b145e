"""The database-specific half of search: how text is indexed, matched and ranked.

Everything else (documents, facets, filters, counts) is plain ORM shared by both.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from reisgezel.search.backends.base import SearchBackend, StoredDocument


def get_backend(using: str = "default") -> SearchBackend:
    """The backend for the database `using` (its vendor decides)."""
    vendor = connections[using].vendor
    if vendor == "sqlite":
        from reisgezel.search.backends.sqlite import Fts5Backend

        return Fts5Backend(using)
    if vendor == "postgresql":
        from reisgezel.search.backends.postgres import PostgresBackend

        return PostgresBackend(using)
    raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {vendor!r}")


__all__ = ["SearchBackend", "StoredDocument", "get_backend"]
