"""Running an import job: read records, upsert them in batches, keep the report.

Guarantees:
- A record is all or nothing: objects_upsert writes a batch's new records together in
  one savepoint and falls back to a savepoint per record if the database refuses one.
- Records are committed in batches (default 500). With each batch the job's counts,
  its problem rows and its checkpoint (the number of the last record handled) are
  committed too, so a crash, kill or Ctrl-C loses at most the open batch, and running
  the job again (`--resume`) skips exactly the records already committed.
- Each batch is indexed for search after its commit; on PostgreSQL by a background
  worker (`search.background`), so the next batch is written meanwhile: a thread for
  small files, a process of its own (a core of its own) from INDEX_PROCESS_FROM
  records. The job finishes only when the index has caught up; a resumed job first
  indexes what the stopped run committed but did not index.
- Re-running a finished file is harmless: unchanged records write nothing.
- On PostgreSQL the tables it fills are analyzed each time the objects double (from
  ANALYZE_FROM objects on): without statistics the per-batch lookups would read the
  whole tables (core/statistics.py).
- A dry run checks and writes each record, then rolls it back; the report is the same.
- A file that cannot be read at all stops the job with one message (status failed);
  records already committed stay, and the job can be resumed once the file is fixed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reisgezel.core.statistics import FIRST_ANALYZE, GrowingTables
from reisgezel.heritage.models import Collection, HeritageObject
from reisgezel.heritage.records import (
    ERROR,
    WARNING,
    InvalidRecordError,
    Outcome,
    Problem,
    UpsertContext,
    objects_upsert,
)
from reisgezel.heritage.services import OBJECT_DOC_TYPE
from reisgezel.interop.importers.base import (
    FileProblem,
    ImportFileError,
    JobOptions,
    LocalMedia,
    ParsedRecord,
    RecordReader,
)
from reisgezel.interop.importers.csv_rows import CsvReader
from reisgezel.interop.importers.dwca import DwcaReader
from reisgezel.interop.importers.lido import LidoReader
from reisgezel.interop.importers.media import local_media_attach
from reisgezel.interop.importers.read_ahead import read_ahead
from reisgezel.interop.importers.seen import SeenIdentifiers
from reisgezel.interop.models import ImportFormat, ImportJob, ImportProblem, JobStatus
from reisgezel.search.background import indexing_in_background
from reisgezel.search.models import SearchDocument, SearchFacet
from reisgezel.search.services import documents_index

READERS: dict[str, type[RecordReader]] = {
    ImportFormat.LIDO: LidoReader,
    ImportFormat.DWCA: DwcaReader,
    ImportFormat.CSV: CsvReader,
}
INDEX_PROCESS_FROM = 3000
"""From this many records to go, a job indexes in a process of its own: starting one
costs a second or two, which a file this large repays (see search.background)."""
Progress = Callable[[ImportJob], None]
"""Called after every record with the job (its counts as far as read)."""
COUNTED_FIELDS = [
    "checkpoint",
    "read_count",
    "created_count",
    "updated_count",
    "unchanged_count",
    "failed_count",
    "warning_count",
    "warning_tally",
    "updated_at",
]


def import_setting(name: str, default: int) -> int:
    value = getattr(settings, "HERITAGE_IMPORT", {}).get(name, default)
    return int(value)


class _Report:
    """Problem rows of the open batch; warnings of one kind are stored only a few times
    (and counted always), errors always."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.rows: list[ImportProblem] = []
        self.per_kind = import_setting("WARNINGS_PER_KIND", 20)

    def add(self, number: int | None, identifier: str, problem: Problem) -> None:
        job = self.job
        if problem.severity == WARNING:
            job.warning_count += 1
            kind = problem.code or f"{problem.field}: {problem.message}"
            job.warning_tally[kind] = seen = job.warning_tally.get(kind, 0) + 1
            if seen > self.per_kind:
                return
        self.rows.append(
            ImportProblem(
                job=job,
                record_number=number,
                record_identifier=identifier[:300],
                field=problem.field[:100],
                message=problem.message,
                severity=problem.severity,
            )
        )

    def flush(self) -> None:
        ImportProblem.objects.bulk_create(self.rows)
        self.rows.clear()


@contextmanager
def _local_file(job: ImportJob) -> Iterator[Path]:
    """The job's file as a local path (an upload in remote storage is copied first)."""
    if job.path:
        yield Path(job.path)
        return
    try:
        local = job.file.path
    except NotImplementedError:
        local = None  # not on local disk (S3)
    if local:
        yield Path(local)
        return
    suffix = Path(job.file.name or "").suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, job.file.open("rb") as remote:
        shutil.copyfileobj(remote, copy)
        copy.flush()
        yield Path(copy.name)


def job_options(job: ImportJob) -> JobOptions:
    return JobOptions(
        source=job.source,
        collection=job.collection_code,
        mapping=job.mapping,
        publish=job.publish,
        validate_schema=job.validate_schema,
    )


def _check_job(job: ImportJob) -> None:
    if job.collection_code and not Collection.objects.filter(code=job.collection_code).exists():
        raise ImportFileError(_("There is no collection %(code)r.") % {"code": job.collection_code})
    if job.format == ImportFormat.LIDO and not job.collection_code:
        raise ImportFileError(_("Choose the collection to import the LIDO records into."))


# A running job commits its progress (and so its updated_at) with every batch, a few
# seconds apart: one silent this long died without saying so (killed, out of memory).
RUNNING_SILENT_FOR = timedelta(minutes=15)


def job_is_alive(job: ImportJob, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return job.status == JobStatus.RUNNING and job.updated_at > now - RUNNING_SILENT_FOR


def job_claim(job: ImportJob, *, force: bool = False) -> ImportJob:
    """Mark the job running, under its row lock: a job that is finished, or running in
    another process (progress within RUNNING_SILENT_FOR), is refused, so two resumes
    never write the same records at once. `force`: the operator knows its process died."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == JobStatus.FINISHED:
            raise ImportFileError(_("Import %(id)s has already finished.") % {"id": job.pk})
        if job_is_alive(locked) and not force:
            raise ImportFileError(
                _(
                    "Import %(id)s is running (last progress at %(time)s): resume it once it "
                    "has stopped."
                )
                % {"id": job.pk, "time": f"{locked.updated_at:%H:%M:%S}"}
            )
        locked.status, locked.error = JobStatus.RUNNING, ""
        locked.started_at = locked.started_at or timezone.now()
        locked.finished_at = None
        locked.save()
    return locked


def import_job_run(
    job: ImportJob,
    *,
    actor: Any = None,
    progress: Progress | None = None,
    batch_size: int | None = None,
    force: bool = False,
) -> ImportJob:
    """Run a job from its checkpoint to the end of the file (a new job from the start,
    a stopped one where it stopped). Returns the job as committed. `force` resumes a job
    marked running whose process is known to have died (see job_claim).

    The job's report (its problems, the error that stopped it) is written in the job's
    language: the curator's who started it in the admin, else English."""
    with translation.override(job.language or "en"):
        return _run(job, actor=actor, progress=progress, batch_size=batch_size, force=force)


def _run(
    job: ImportJob,
    *,
    actor: Any,
    progress: Progress | None,
    batch_size: int | None,
    force: bool,
) -> ImportJob:
    job = job_claim(job, force=force)
    size = batch_size or import_setting("BATCH_SIZE", 500)
    try:
        _check_job(job)
        with _local_file(job) as path, READERS[job.format](path, job_options(job)) as reader:
            job.total_estimate = reader.total_estimate()
            job.save(update_fields=["total_estimate", "updated_at"])
            if job.checkpoint:
                _index_missed(job)
            large = (job.total_estimate or 0) - job.checkpoint >= import_setting(
                "INDEX_PROCESS_FROM", INDEX_PROCESS_FROM
            )
            with indexing_in_background(separate_process=large):
                _run_batches(job, reader, actor=actor, progress=progress, size=size)
            _finish(job, reader.closing_items(), actor=actor)
    except ImportFileError as exc:
        _stop(job, str(exc))
    except BaseException as exc:
        cause = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        _stop(job, _("stopped by %(cause)s") % {"cause": cause})
        raise
    else:
        job.refresh_from_db()
    return job


def _index_missed(job: ImportJob) -> None:
    """Index what a stopped run of this job wrote but did not index (it died between a
    batch's commit and its indexing): its objects whose search document is missing or
    older than the object."""
    if job.dry_run or job.started_at is None:
        return
    indexed = SearchDocument.objects.filter(
        doc_type=OBJECT_DOC_TYPE, object_id=OuterRef("pk"), indexed_at__gte=OuterRef("updated_at")
    )
    missed = (
        HeritageObject.objects.filter(source=job.source, updated_at__gte=job.started_at)
        .exclude(Exists(indexed))
        .values_list("pk", flat=True)
    )
    documents_index(doc_type=OBJECT_DOC_TYPE, ids=list(missed))


def _batches(
    records: Iterator[ParsedRecord], size: int
) -> Generator[tuple[list[ParsedRecord], ImportFileError | None]]:
    """Records in batches; a file error ends the last batch (which is still imported,
    so every good record before the error is kept) and comes along with it."""
    batch: list[ParsedRecord] = []
    try:
        for parsed in records:
            batch.append(parsed)
            if len(batch) == size:
                yield batch, None
                batch = []
    except ImportFileError as exc:
        yield batch, exc
        return
    if batch:
        yield batch, None


def _run_batches(
    job: ImportJob, reader: RecordReader, *, actor: Any, progress: Progress | None, size: int
) -> None:
    context = UpsertContext(source=job.source)
    report = _Report(job)
    tables = _growing_tables()
    seen = SeenIdentifiers()
    batches = _batches(reader.records(skip=job.checkpoint), size)
    if _reading_ahead_pays():
        batches = read_ahead(batches)
    # Closing stops the reading (a thread's) before the reader's file is closed.
    with closing(batches):
        for batch, file_error in batches:
            _refuse_repeated_identifiers(batch, seen, reader)
            with transaction.atomic():
                writable = [p for p in batch if p.record is not None and not p.has_errors]
                records = [p.record for p in writable if p.record is not None]
                context.prefetch(records)
                outcomes = objects_upsert(
                    records, source=job.source, actor=actor, dry_run=job.dry_run, context=context
                )
                results = dict(zip((id(p) for p in writable), outcomes, strict=True))
                for parsed in batch:
                    _count(job, parsed, results.get(id(parsed)), report=report, reader=reader)
                    job.checkpoint = parsed.number
                    if progress is not None:
                        progress(job)
                report.flush()
                job.save(update_fields=COUNTED_FIELDS)
            if not job.dry_run:
                tables.grown(sum(1 for outcome in outcomes if outcome is Outcome.CREATED))
            if file_error is not None:
                raise file_error


def _reading_ahead_pays() -> bool:
    """Whether to read the next batch in a thread while this one is written (read_ahead.py).
    On PostgreSQL the database works in processes of its own, and a batch's writes leave
    this one waiting: reading meanwhile pays (LIDO +17 %). SQLite works in this process,
    beside the indexer thread, and a third busy thread there costs more than it overlaps
    (LIDO -13 %; docs/heritage-import.md)."""
    return transaction.get_connection().vendor != "sqlite"


def _refuse_repeated_identifiers(
    batch: list[ParsedRecord], seen: SeenIdentifiers, reader: RecordReader
) -> None:
    """A record whose identifier an earlier record of the file had fails (it would
    overwrite that one); the first keeps it."""
    candidates = {
        p.number: p
        for p in batch
        if p.record is not None and p.record.source_id and not p.has_errors
    }
    pairs = [(number, p.record.source_id) for number, p in candidates.items() if p.record]
    for number, earlier in seen.check_and_add(pairs).items():
        parsed = candidates[number]
        assert parsed.record is not None
        parsed.problems.append(
            Problem(
                reader.source_field("source_id"),
                _(
                    "%(id)s is the identifier of record %(earlier)s too: this record is not "
                    "imported (it would overwrite that one)"
                )
                % {"id": parsed.record.source_id, "earlier": earlier},
                ERROR,
                "repeated-identifier",
            )
        )


def _growing_tables() -> GrowingTables:
    """The tables an import fills: the heritage records (with their many-to-many
    tables) and the search index, analyzed as the objects double."""
    heritage = apps.get_app_config("heritage").get_models(include_auto_created=True)
    first = import_setting("ANALYZE_FROM", FIRST_ANALYZE)
    return GrowingTables(HeritageObject, [*heritage, SearchDocument, SearchFacet], first=first)


COUNTERS = {
    Outcome.CREATED: "created_count",
    Outcome.UPDATED: "updated_count",
    Outcome.UNCHANGED: "unchanged_count",
}


def _count(
    job: ImportJob,
    parsed: ParsedRecord,
    result: Outcome | InvalidRecordError | None,
    *,
    report: _Report,
    reader: RecordReader,
) -> None:
    """Count one record and report its problems (`result` is None when it had errors
    before it could be written)."""
    job.read_count += 1
    problems = list(parsed.problems)
    if isinstance(result, Outcome):
        counter = COUNTERS[result]
        setattr(job, counter, getattr(job, counter) + 1)
    else:
        job.failed_count += 1
        if result is not None:
            problems += [
                Problem(reader.source_field(p.field), p.message, p.severity, p.code)
                for p in result.problems
            ]
    for problem in problems:
        report.add(parsed.number, parsed.identifier, problem)


def _finish(job: ImportJob, items: Iterator[FileProblem | LocalMedia], *, actor: Any) -> None:
    """The pass after the records (problems, images inside the file), and the end."""
    with transaction.atomic():
        report = _Report(job)
        attached: set[int] = set()
        for item in items:
            if isinstance(item, LocalMedia):
                problem = local_media_attach(
                    item, source=job.source, actor=actor, dry_run=job.dry_run, attached=attached
                )
            else:
                problem = item.problem
            if problem is not None:
                report.add(None, item.identifier, problem)
        report.flush()
        job.status, job.finished_at = JobStatus.FINISHED, timezone.now()
        job.save(update_fields=[*COUNTED_FIELDS, "status", "finished_at"])


def _stop(job: ImportJob, message: str) -> None:
    """Mark the job stopped; only the columns of the stop itself are written, so the
    committed counts and checkpoint stay as they were."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )
    job.refresh_from_db()
