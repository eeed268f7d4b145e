"""Short-lived caching of collection search counts (the total and the facet counts),
and of the ids a search's words match (collection_query: a visitor who ticks a facet
after searching does not pay for the full-text match again).

Counting every match of a query per facet value is the costly part of the collection
search with a million records; the page of results itself is a short index walk and is
never cached. Keys carry a data version that moves whenever a record's search document
is (re)built (publishing, hiding, editing: `collection_changed`, called from the
document builder) or a record is deleted (the newest tombstone's id is part of the
version), so hidden and deleted records drop out of the counts at once where the cache
is shared (Redis); with the per-process memory cache of the embedded mode, other
processes see the change within COUNTS_TTL seconds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from reisgezel.core.cache_versions import DataVersion, get_or_compute
from reisgezel.heritage.models import Tombstone

COUNTS_TTL = 120
_VERSION = DataVersion("heritage:collection-version")


def collection_changed() -> None:
    """Call when search documents of objects change (see DataVersion.changed)."""
    _VERSION.changed()


def data_version() -> str:
    newest_tombstone = Tombstone.objects.order_by("-pk").values_list("pk", flat=True).first()
    return f"{_VERSION.current()}.{newest_tombstone or 0}"


def cache_key(parts: dict[str, Any], what: str) -> str:
    """The key of `what` for the filters `parts` at the current data version."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"heritage:{what}:{data_version()}:{digest[:32]}"


def cached[T](
    parts: dict[str, Any],
    what: str,
    compute: Callable[[], T],
    *,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """`compute()` cached under `what`, the filters `parts` and the data version (a
    value `keep` refuses is returned but not stored)."""
    return get_or_compute(cache_key(parts, what), compute, COUNTS_TTL, keep=keep)
