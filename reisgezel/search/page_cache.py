"""Short-lived caching of what the search page finds: its counts by type and the ranked
ids of its groups, per words, type and page.

A common word matches most of a large index, and counting and ranking its matches
reads every one of them (at 100,000 objects about 130 ms on PostgreSQL, ten times that
at a million); visitors search the same common words. So what a page found is kept for
PAGE_TTL seconds, as numbers and ids only: titles, snippets and links are read fresh for
every visitor, and a document removed or hidden since is left out (`query.hits_of`).
Keys carry the index's data version, which every write to the index moves
(`services`): where the cache is shared (Redis, the embedded mode's file cache) a page
found before a change is not served after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from reisgezel.core.cache_versions import DataVersion, get_or_compute

PAGE_TTL = 120
_VERSION = DataVersion("search:index-version")


def index_changed() -> None:
    """Call when search documents are written or removed (see DataVersion.changed)."""
    _VERSION.changed()


def page_cached[T](parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`, cached under `parts` at the index's current data version."""
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]
    return get_or_compute(f"search:page:{_VERSION.current()}:{digest}", compute, PAGE_TTL)
