"""Short-lived caching of agenda counts (totals and facet counts).

Counting every event that matches a filter is the costly part of an agenda page with
100,000 events; the agenda changes slowly, so counts are cached per filter for a short
time. A data version, raised whenever occurrences change, is part of every key: a
change makes old entries unreachable at once where the cache is shared (Redis); with
the per-process memory cache of the embedded mode, other processes see the change
within COUNTS_TTL seconds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from reisgezel.agenda.filters import AgendaFilters
from reisgezel.core.cache_versions import DataVersion, get_or_compute

COUNTS_TTL = 120
# If a queued preparation never runs (no worker), queue again after this long.
PREPARE_QUEUED_TTL = 600
_VERSION = DataVersion("agenda:data-version")


def data_version() -> int:
    return _VERSION.current()


_PREPARE_QUEUED_KEY = "agenda:prepare-queued"


def agenda_changed() -> None:
    """Call when occurrences change. Bumps now (a reader inside this transaction must not
    see old counts) and again after commit (readers in between may have cached the old
    state); then asks for the popular views to be prepared again."""
    _VERSION.changed()
    if settings.REISGEZEL["AGENDA_PREPARE_VIEWS"]:
        transaction.on_commit(_queue_prepare)


def _queue_prepare() -> None:
    # One queued task at a time: an import of 500 events queues it once. The task
    # clears the flag when it starts, so a change made while it runs queues another.
    if cache.add(_PREPARE_QUEUED_KEY, 1, timeout=PREPARE_QUEUED_TTL):
        from reisgezel.agenda.tasks import prepare_popular_views

        prepare_popular_views.enqueue()


def prepare_started() -> None:
    cache.delete(_PREPARE_QUEUED_KEY)


def filters_key(filters: AgendaFilters, part: str) -> str:
    fields = dataclasses.asdict(filters)
    for unrelated in ("page", "per_page", "extra", "when"):
        fields.pop(unrelated, None)
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()
    return f"agenda:{part}:{data_version()}:{digest[:32]}"


def cached[T](filters: AgendaFilters, part: str, compute: Callable[[], T]) -> T:
    return get_or_compute(filters_key(filters, part), compute, COUNTS_TTL)
