"""Import heritage records from LIDO, Darwin Core Archives or CSV (with a mapping).

    manage.py import_heritage --format lido --collection ceramics records.xml
    manage.py import_heritage --format dwca specimens.zip other-archive.zip
    manage.py import_heritage --format csv --mapping ceramics.toml objects.csv
    manage.py import_heritage --resume 12          # go on after a crash or Ctrl-C

Each file is one job (also listed in the admin). The exit code is 1 when a file could
not be read or any record failed; the problem report names each record and field.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from reisgezel.interop.importers.base import ImportFileError
from reisgezel.interop.importers.csv_mapping import load_mapping_file, parse_mapping
from reisgezel.interop.importers.runner import import_job_run, job_is_alive
from reisgezel.interop.models import ImportFormat, ImportJob, JobStatus, Severity

MAX_LISTED = 200


class Command(BaseCommand):
    help = "Import LIDO XML, Darwin Core Archives or CSV files into the heritage collection."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", metavar="PATH", help="files or archive folders")
        parser.add_argument("--format", choices=ImportFormat.values)
        parser.add_argument("--mapping", type=Path, help="CSV mapping file (.toml or .json)")
        parser.add_argument("--collection", default="", help="collection code")
        parser.add_argument("--source", default="", help="source name (default: the format)")
        parser.add_argument("--dry-run", action="store_true", help="check, write nothing")
        parser.add_argument("--publish", action="store_true", help="make new objects public")
        parser.add_argument("--validate-schema", action="store_true", help="LIDO: XSD per record")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--user", default="", help="username recorded in the audit log")
        parser.add_argument("--resume", type=int, metavar="JOB_ID", help="go on with a job")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="language of the job's problem report, as curators read it in the admin "
            "(default: en; a resumed job keeps its own)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="with --resume: the job shows as running, but its process has died",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["user"])
        if options["resume"]:
            jobs = [self._resumable(options["resume"], force=options["force"])]
        else:
            jobs = [self._new_job(Path(p), options, actor) for p in self._paths(options)]
        broken = 0
        for job in jobs:
            job = self._run(job, actor, options["batch_size"], force=options["force"])
            self._summary(job)
            broken += job.status != JobStatus.FINISHED or job.failed_count > 0
        if broken:
            raise CommandError(f"{broken} of {len(jobs)} imports had problems (see above).")

    def _paths(self, options: dict[str, Any]) -> list[str]:
        if not options["paths"] or not options["format"]:
            raise CommandError("Give --format and at least one PATH (or --resume JOB_ID).")
        return list(options["paths"])

    def _actor(self, username: str) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        return user

    def _resumable(self, job_id: int, *, force: bool) -> ImportJob:
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"There is no import {job_id}.")
        if job.status == JobStatus.FINISHED:
            raise CommandError(f"Import {job_id} has already finished.")
        if job_is_alive(job) and not force:
            raise CommandError(
                f"Import {job_id} is running (last progress at {job.updated_at:%H:%M:%S}): "
                "resume it once it has stopped, or add --force if its process has died."
            )
        self.stdout.write(f"Resuming import {job.pk} after record {job.checkpoint}.")
        return job

    def _new_job(self, path: Path, options: dict[str, Any], actor: Any) -> ImportJob:
        mapping: dict[str, Any] = {}
        if options["format"] == ImportFormat.CSV:
            if options["mapping"] is None:
                raise CommandError("A CSV import needs --mapping (see docs/heritage-import.md).")
            try:
                with translation.override(options["language"]):
                    mapping = load_mapping_file(options["mapping"])
                    source = options["source"] or parse_mapping(mapping).source
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
        else:
            source = options["source"]
        return ImportJob.objects.create(
            format=options["format"],
            source=source or options["format"],
            path=str(path.resolve()),
            collection_code=options["collection"],
            mapping=mapping,
            dry_run=options["dry_run"],
            publish=options["publish"],
            validate_schema=options["validate_schema"],
            language=options["language"],
            created_by=actor,
        )

    def _run(
        self, job: ImportJob, actor: Any, batch_size: int | None, *, force: bool = False
    ) -> ImportJob:
        stream = getattr(self.stderr, "_out", sys.stderr)
        bar = tqdm(
            desc=Path(job.file_name).name, unit=" records", file=stream, initial=job.checkpoint
        )

        def progress(current: ImportJob) -> None:
            if bar.total is None and current.total_estimate:
                bar.total = current.total_estimate
            bar.update(current.checkpoint - bar.n)

        try:
            return import_job_run(
                job, actor=actor, progress=progress, batch_size=batch_size, force=force
            )
        except KeyboardInterrupt:
            job.refresh_from_db()
            raise CommandError(
                f"Stopped after record {job.checkpoint}: resume with "
                f"`manage.py import_heritage --resume {job.pk}`.",
                returncode=130,
            ) from None
        finally:
            bar.close()

    def _summary(self, job: ImportJob) -> None:
        mode = " (dry run: nothing written)" if job.dry_run else ""
        self.stdout.write(
            f"Import {job.pk} of {job.file_name}: {job.get_status_display()}{mode}. "
            f"Read {job.read_count}, created {job.created_count}, updated {job.updated_count}, "
            f"unchanged {job.unchanged_count}, failed {job.failed_count}, "
            f"warnings {job.warning_count}."
        )
        if job.error:
            self.stderr.write(f"  {job.error}")
            if job.status == JobStatus.FAILED and job.checkpoint:
                self.stderr.write(f"  Resume with `manage.py import_heritage --resume {job.pk}`.")
        problems = job.problems.all()
        for problem in problems[:MAX_LISTED]:
            writer = self.stderr if problem.severity == Severity.ERROR else self.stdout
            writer.write(f"  {problem.get_severity_display().split(' ')[0].lower()}: {problem}")
        stored = problems.count()
        if stored > MAX_LISTED:
            self.stdout.write(
                f"  ... and {stored - MAX_LISTED} more: see import {job.pk} in the admin."
            )
        hidden = job.warning_count - job.problems.filter(severity=Severity.WARNING).count()
        if hidden > 0:
            kinds = ", ".join(
                f"{kind} {count}" for kind, count in sorted(job.warning_tally.items())
            )
            self.stdout.write(
                f"  ({hidden} repeated warnings counted, not listed; by kind: {kinds})"
            )
