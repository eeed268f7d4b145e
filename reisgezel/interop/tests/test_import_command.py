"""`manage.py import_heritage`: progress bar, summary, problem report, exit codes."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reisgezel.heritage.models import HeritageObject
from reisgezel.interop.models import ImportJob, JobStatus
from reisgezel.interop.tests.test_import_csv import CERAMICS_CSV, CERAMICS_MAPPING
from reisgezel.interop.tests.test_import_fixtures import CIMEC, DWCA_DIR, MKG, collections

__all__ = ["collections"]


def command(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_heritage", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        err.write(str(exc))
        code = exc.returncode
    return out.getvalue(), err.getvalue(), code


def test_lido_files_import_with_a_progress_bar_and_a_summary(collections) -> None:
    out, err, code = command("--format", "lido", "--collection", "other", str(MKG), str(CIMEC))
    assert code == 0, err
    assert HeritageObject.objects.count() == 2
    assert "records" in err and "100%" in err  # tqdm's bar
    assert "Read 1, created 1, updated 0, unchanged 0, failed 0, warnings 5." in out
    assert "warning: record 1 (lido:lidoRecID DE-MUS-059918/dc00018494): field titleWrap:" in out
    assert ImportJob.objects.filter(status=JobStatus.FINISHED).count() == 2


def test_failed_records_and_broken_files_give_exit_code_1(collections) -> None:
    out, err, code = command(
        "--format",
        "dwca",
        str(DWCA_DIR / "gbif-results.zip"),
        str(DWCA_DIR / "dwca-invalid-simple-two.zip"),
    )
    assert code == 1
    assert "failed 7" in out
    assert "error: record 149 (occurrenceID 90285239): field basisOfRecord:" in err
    assert "dwca-invalid-simple-two.zip is not a valid Darwin Core Archive" in err
    assert "2 of 2 imports had problems" in err


def test_a_csv_import_needs_its_mapping(collections, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(CERAMICS_CSV, encoding="utf-8")
    assert command("--format", "csv", str(tmp_path / "c.csv"))[2] == 1
    (tmp_path / "m.toml").write_text(CERAMICS_MAPPING, encoding="utf-8")
    out, _err, code = command(
        "--format",
        "csv",
        "--mapping",
        str(tmp_path / "m.toml"),
        "--dry-run",
        str(tmp_path / "c.csv"),
    )
    assert code == 1  # one row has rights "foo"
    assert "(dry run: nothing written)" in out and "created 2" in out
    assert not HeritageObject.objects.exists()
    assert ImportJob.objects.get().source == "centre-ceramique"  # from the mapping


def test_resume_goes_on_with_a_stopped_job(collections, tmp_path: Path) -> None:
    broken = tmp_path / "cut.xml"
    broken.write_bytes(CIMEC.read_bytes()[:-200])
    out, err, code = command("--format", "lido", "--collection", "other", str(broken))
    assert code == 1 and "is not well-formed XML" in err
    job = ImportJob.objects.get()
    broken.write_bytes(CIMEC.read_bytes())
    out, err, code = command("--resume", str(job.pk))
    assert code == 0, err
    assert f"Resuming import {job.pk} after record 0." in out
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.FINISHED, 1)
    assert command("--resume", str(job.pk))[1].endswith(f"Import {job.pk} has already finished.")


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--format", "lido"),
        ("--resume", "999"),
        ("--format", "lido", "--user", "nobody", str(MKG)),
    ],
)
def test_wrong_arguments_get_a_message(collections, args: tuple[str, ...]) -> None:
    assert command(*args)[2] == 1


def test_the_report_language_is_english_unless_the_command_says_otherwise(collections) -> None:
    broken = str(DWCA_DIR / "gbif-results.zip")
    out, err, _code = command("--format", "dwca", "--language", "nl", broken)
    job = ImportJob.objects.get()
    assert job.language == "nl"
    # Stored (and printed) in Dutch, for the curators who read it in the admin; the
    # command's own summary stays English.
    assert job.problems.filter(message__contains="is niet een van").exists()
    assert "field basisOfRecord: " in err and "is niet een van" in err
    assert "Read " in out

    HeritageObject.objects.all().delete()
    command("--format", "dwca", "--source", "again", broken)
    english = ImportJob.objects.latest("pk")
    assert english.language == "en"
    assert english.problems.filter(message__contains="is not one of").exists()
