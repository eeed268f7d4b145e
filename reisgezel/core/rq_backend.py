"""django-tasks-rq behind Django's own task types (TASKS_BACKEND=rq).

Why an adapter: django-tasks-rq 0.12 (the only release on PyPI) is written against the
`django-tasks` backport, not against `django.tasks` of Django 6. Its backend subclasses
`django_tasks.backends.base.BaseTaskBackend`, so with Django 6.1:

- `enqueue()` and `get_result()` return `django_tasks.base.TaskResult`, not
  `django.tasks.TaskResult` (isinstance checks and type hints lie);
- it raises the backport's `TaskResultDoesNotExist` and `InvalidTaskError`, which an
  `except django.tasks.exceptions.TaskResultDoesNotExist` does not catch;
- it sends the backport's `task_enqueued/started/finished` signals, so receivers on
  `django.tasks.signals` (and Django's own task logging) never fire under RQ, while they
  do under the database backend.

Running the job itself works once the worker uses `django_tasks_rq.Job` (settings set
`RQ["JOB_CLASS"]` for that). This subclass converts results and exceptions to Django's
types and forwards the signals, so code behaves the same on every backend. The
conversion is a copy of plain fields; drop this module when django-tasks-rq targets
`django.tasks` directly.
"""

from __future__ import annotations

from typing import Any

import django_tasks.exceptions as backport_exceptions
import django_tasks.signals as backport_signals
from django.dispatch import Signal
from django.tasks import signals  # type: ignore[import-not-found,unused-ignore]
from django.tasks.base import (  # type: ignore[import-not-found,unused-ignore]
    TaskError,
    TaskResult,
    TaskResultStatus,
)
from django.tasks.exceptions import (  # type: ignore[import-not-found,unused-ignore]
    InvalidTask,
    TaskResultDoesNotExist,
)
from django_tasks_rq import RQBackend as UpstreamRQBackend


def to_django_result(result: Any) -> Any:
    """Return `result` as a `django.tasks.TaskResult` (a copy; the input is untouched)."""
    if isinstance(result, TaskResult):
        return result
    converted: Any = TaskResult(
        task=result.task,
        id=result.id,
        status=TaskResultStatus(str(result.status)),
        enqueued_at=result.enqueued_at,
        started_at=result.started_at,
        finished_at=result.finished_at,
        last_attempted_at=result.last_attempted_at,
        args=list(result.args),
        kwargs=dict(result.kwargs),
        backend=result.backend,
        errors=[
            TaskError(exception_class_path=e.exception_class_path, traceback=e.traceback)
            for e in result.errors
        ],
        worker_ids=list(result.worker_ids),
    )
    # Frozen dataclass: the same way Django's own backends set the return value.
    object.__setattr__(converted, "_return_value", result._return_value)
    return converted


class RQBackend(UpstreamRQBackend):
    """`django_tasks_rq.RQBackend` speaking `django.tasks` types (see module docstring)."""

    def validate_task(self, task: Any) -> None:
        try:
            super().validate_task(task)
        except backport_exceptions.InvalidTaskError as exc:
            raise InvalidTask(str(exc)) from exc

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        return to_django_result(super().enqueue(task, args, kwargs))

    def get_result(self, result_id: str) -> Any:
        try:
            result = super().get_result(result_id)
        except backport_exceptions.TaskResultDoesNotExist as exc:
            raise TaskResultDoesNotExist(result_id) from exc
        return to_django_result(result)


def _forwarder(target: Signal) -> Any:
    def forward(sender: type, task_result: Any, **kwargs: Any) -> None:
        target.send(sender, task_result=to_django_result(task_result))

    return forward


# The upstream backend sends these with sender=type(backend), i.e. this class.
for _name in ("task_enqueued", "task_started", "task_finished"):
    getattr(backport_signals, _name).connect(
        _forwarder(getattr(signals, _name)),
        sender=RQBackend,
        weak=False,
        dispatch_uid=f"reisgezel.core.rq_backend.{_name}",
    )

# Django's own receivers now log every task event (logger "django.tasks"); the
# backport's duplicates (logger "django_tasks") would print each line twice. Only
# django-tasks-rq uses the backport in this project.
for _source, _logger in [
    (backport_signals.task_enqueued, backport_signals.log_task_enqueued),
    (backport_signals.task_started, backport_signals.log_task_started),
    (backport_signals.task_finished, backport_signals.log_task_finished),
]:
    _source.disconnect(_logger)
