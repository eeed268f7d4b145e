"""Background tasks of the shared kernel.

`healthcheck_task` proves that the whole task path works in a deployment: the web
process enqueues, a separate worker process picks the job up and writes to the shared
cache, and anyone can read that back. Operations and the production-mode tests use it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.utils import timezone

HEALTHCHECK_KEY = "healthcheck:{token}"
HEALTHCHECK_TIMEOUT = 3600  # seconds the proof stays readable in the cache


def healthcheck_key(token: str) -> str:
    return HEALTHCHECK_KEY.format(token=token)


@task()
def healthcheck_task(*, token: str) -> str:
    """Write the current time (ISO 8601) under `healthcheck:<token>` and return it.

    Idempotent: running it twice only refreshes the timestamp. With a per-process cache
    (local memory) the proof is visible only inside the worker; deployments that run
    separate workers use Redis, where it is visible everywhere.
    """
    stamp = timezone.now().isoformat()
    cache.set(healthcheck_key(token), stamp, timeout=HEALTHCHECK_TIMEOUT)
    return stamp
