"""Background tasks of the open-data app (Django's tasks framework; ids in, never objects)."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-not-found,unused-ignore]

from reisgezel.interop.importers.runner import import_job_run, job_is_alive
from reisgezel.interop.models import ImportJob, JobStatus


@task()
def run_import_job(*, job_id: int) -> str | None:
    """Run (or resume) an import job; returns its final status (None if it is gone or
    already finished). Progress is committed on the job every batch, for the admin."""
    job = ImportJob.objects.filter(pk=job_id).exclude(status=JobStatus.FINISHED).first()
    if job is None or job_is_alive(job):  # finished, gone, or another worker runs it
        return None
    return import_job_run(job, actor=job.created_by).status
