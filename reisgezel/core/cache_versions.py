"""Data versions in the shared cache.

A data version is a counter that moves whenever some data changes. What is cached from
that data carries the version in its key, so a change makes every older entry
unreachable at once wherever the cache is shared (Redis in production, the file cache
of the embedded mode); the entries themselves expire with their own timeouts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction


class DataVersion:
    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> int:
        version = cache.get(self.key)
        if version is None:
            # Starts from the clock, not 1: after the cache is emptied (a Redis restart)
            # an old version must not come back, or what was tagged with it (a process's
            # facet snapshot, collection_memory) would pass for current.
            start = time.time_ns() // 1000
            cache.add(self.key, start, timeout=None)
            version = cache.get(self.key, start)
        return int(version)

    def bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # not in the cache (emptied, or never read)
            cache.set(self.key, self.current() + 1, timeout=None)

    def changed(self) -> None:
        """Call when the data changes: bumps now (a reader inside this transaction must
        not see old entries) and again after commit (readers in between may have cached
        the old state)."""
        self.bump()
        transaction.on_commit(self.bump)


def get_or_compute[T](
    key: str, compute: Callable[[], T], timeout: int, *, keep: Callable[[T], bool] | None = None
) -> T:
    """The value cached under `key` (a key carrying a data version), else `compute()`,
    stored for `timeout` seconds unless `keep` refuses it. A value of None is never
    cached (it reads as a miss)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None and (keep is None or keep(value)):
            cache.set(key, value, timeout)
    return value
