"""Tasks through the RQ backend, executed by a real `manage.py rqworker` process."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.production.conftest import ProductionEnv

pytestmark = pytest.mark.services

MARK = "RESULT:"


def _django(env: ProductionEnv, code: str) -> dict[str, object]:
    """Run `code` in `manage.py shell` with the production environment; it prints MARK+json."""
    result = env.manage("shell", "--no-imports", "--command", code)
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARK)]
    assert lines, f"no result printed:\n{result.stdout}\n{result.stderr}"
    return dict(json.loads(lines[-1][len(MARK) :]))


ENQUEUE = f"""
import json
from django.tasks import TaskResult
from reisgezel.core.tasks import healthcheck_task
result = healthcheck_task.enqueue(token=TOKEN)
print({MARK!r} + json.dumps({{
    "id": result.id,
    "status": str(result.status),
    "django_type": isinstance(result, TaskResult),
    "backend": type(healthcheck_task.get_backend()).__module__,
}}))
"""

INSPECT = f"""
import json
from django.core.cache import cache
from django.tasks import TaskResult
from django.tasks.exceptions import TaskResultDoesNotExist
from reisgezel.core.tasks import healthcheck_key, healthcheck_task
result = healthcheck_task.get_result(RESULT_ID)
try:
    healthcheck_task.get_result("no-such-result")
    missing = "found"
except TaskResultDoesNotExist:
    missing = "TaskResultDoesNotExist"
print({MARK!r} + json.dumps({{
    "status": str(result.status),
    "django_type": isinstance(result, TaskResult),
    "return_value": result.return_value,
    "cached": cache.get(healthcheck_key(TOKEN)),
    "workers": len(result.worker_ids),
    "missing": missing,
}}))
"""


def test_task_enqueued_through_rq_runs_in_a_real_worker(production_env: ProductionEnv) -> None:
    token = secrets.token_hex(8)
    enqueued = _django(production_env, f"TOKEN = {token!r}\n{ENQUEUE}")
    assert enqueued["status"] == "READY"
    assert enqueued["django_type"], "the adapter must return django.tasks.TaskResult"
    assert enqueued["backend"] == "reisgezel.core.rq_backend"

    worker = production_env.manage("rqworker", "default", "--burst", timeout=120)
    log = worker.stdout + worker.stderr
    # Django's own task signals fire under RQ too (logged by the "django.tasks" logger).
    assert f"django.tasks Task id={enqueued['id']}" in log, log
    assert "state=SUCCESSFUL" in log, log

    inspected = _django(
        production_env, f"TOKEN = {token!r}\nRESULT_ID = {enqueued['id']!r}\n{INSPECT}"
    )
    assert inspected["status"] == "SUCCESSFUL"
    assert inspected["django_type"]
    assert inspected["cached"] is not None, "the worker did not write the cache key"
    assert inspected["return_value"] == inspected["cached"]
    assert inspected["workers"] == 1
    assert inspected["missing"] == "TaskResultDoesNotExist"
