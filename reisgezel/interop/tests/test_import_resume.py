"""Crashes and resumption, with real commits (transactional tests).

A job commits its records in batches together with its counts and checkpoint. After a
crash the committed records and the checkpoint agree, and running the job again goes
on after the last committed record: nothing is imported twice, nothing is skipped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import HeritageObject
from reisgezel.interop.importers.base import ImportFileError
from reisgezel.interop.importers.runner import import_job_run
from reisgezel.interop.models import ImportJob, JobStatus
from reisgezel.interop.tests.test_import_fixtures import (
    collections,
    make_job,
    write_many_lido,
)

__all__ = ["collections"]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, pressed by the test while record 15 is being written."""


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_job_resumes_after_the_last_committed_record(
    collections, tmp_path: Path
) -> None:
    path = write_many_lido(tmp_path / "25.xml", 25)
    job = make_job("lido", path, collection_code="other")

    def press_ctrl_c(current: ImportJob) -> None:
        if current.checkpoint == 15:
            raise Interrupted

    with pytest.raises(Interrupted):
        import_job_run(job, progress=press_ctrl_c, batch_size=10)
    job.refresh_from_db()
    # Records 11-15 were written in the open batch: rolled back with it.
    assert (job.status, job.checkpoint, job.created_count) == (JobStatus.FAILED, 10, 10)
    assert "Interrupted" in job.error
    assert HeritageObject.objects.count() == 10

    job = import_job_run(job, batch_size=10)
    assert (job.status, job.checkpoint, job.read_count, job.created_count) == (
        JobStatus.FINISHED,
        25,
        25,
        25,
    )
    assert HeritageObject.objects.count() == 25
    assert AuditEntry.objects.filter(action="import_create").count() == 25
    # Counts carried over exactly: every record's warnings counted once.
    assert job.warning_tally["title-not-dutch"] == 25


@pytest.mark.django_db(transaction=True)
def test_a_job_that_failed_on_its_file_can_be_resumed_when_fixed(
    collections, tmp_path: Path
) -> None:
    path = write_many_lido(tmp_path / "12.xml", 12)
    whole = path.read_bytes()
    path.write_bytes(whole[: whole.index(b"TEST/9<")])  # a cut-off upload
    job = import_job_run(make_job("lido", path, collection_code="other"), batch_size=5)
    assert (job.status, job.checkpoint) == (JobStatus.FAILED, 8)
    path.write_bytes(whole)  # the complete file, uploaded again
    job = import_job_run(job, batch_size=5)
    assert (job.status, job.created_count) == (JobStatus.FINISHED, 12)
    assert HeritageObject.objects.count() == 12


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the child process needs a shared server database"
)
def test_a_killed_import_process_resumes(collections, tmp_path: Path) -> None:
    """SIGKILL, no clean-up at all: the database still agrees with the checkpoint."""
    path = write_many_lido(tmp_path / "many.xml", 1500)
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REISGEZEL_TESTING": "1",
    }
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "import_heritage"]
    command += ["--format", "lido", "--collection", "other", "--batch-size", "20", str(path)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = ImportJob.objects.first()
            if job is not None and job.checkpoint >= 100:
                break
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.RUNNING  # it never got to say anything
    assert 100 <= job.checkpoint < 1500
    assert HeritageObject.objects.count() == job.created_count == job.checkpoint
    # It still looks alive (progress seconds ago): refused, unless the operator says
    # the process died (`--resume N --force`).
    with pytest.raises(ImportFileError, match="is running"):
        import_job_run(job)
    job = import_job_run(job, force=True)
    assert (job.status, job.created_count) == (JobStatus.FINISHED, 1500)
    assert HeritageObject.objects.count() == 1500
