"""Bulk import jobs and their problem reports.

A job is one run over one file (LIDO, Darwin Core Archive or CSV). Its counts and its
`checkpoint` (the number of records done) are committed in the same transaction as
the records they count, so after a crash the job says exactly where to go on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from reisgezel.core.models import TimeStampedModel


class ImportFormat(models.TextChoices):
    LIDO = "lido", _("LIDO 1.1 XML")
    DWCA = "dwca", _("Darwin Core Archive")
    CSV = "csv", _("CSV with a mapping file")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Stopped")


def import_upload_to(instance: ImportJob, filename: str) -> str:
    return f"imports/{instance.format}/{filename}"


def private_storage() -> Storage:
    """Where uploads no visitor may fetch go (settings STORAGES["private"]): an import file
    holds hidden records and exact find sites."""
    return storages["private"]


class ImportJob(TimeStampedModel):
    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    source = models.CharField(
        _("source"),
        max_length=60,
        help_text=_(
            "Name of the data source. Objects are matched by source and record identifier, "
            "so a later import of the same source updates them instead of adding new ones."
        ),
    )
    file = models.FileField(
        _("file"), upload_to=import_upload_to, storage=private_storage, max_length=300, blank=True
    )
    path = models.CharField(
        _("path on the server"),
        max_length=500,
        blank=True,
        help_text=_("A file or archive folder read in place (command-line imports)."),
    )
    collection_code = models.SlugField(_("collection"), max_length=60, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    dry_run = models.BooleanField(
        _("dry run"), default=False, help_text=_("Check everything, write nothing.")
    )
    publish = models.BooleanField(
        _("publish new objects"), default=False, help_text=_("New objects are public at once.")
    )
    validate_schema = models.BooleanField(
        _("validate against the schema"), default=False, help_text=_("LIDO only: per record.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    total_estimate = models.PositiveIntegerField(_("records in the file (about)"), null=True)
    checkpoint = models.PositiveIntegerField(_("records done"), default=0)
    read_count = models.PositiveIntegerField(_("read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    # Warnings counted per kind: only the first few of each kind are stored as problems.
    warning_tally = models.JSONField(default=dict, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # The problem report is written in this language as the job runs: the curator's
    # when started in the admin, English on the command line unless --language says.
    language = models.CharField(
        _("language of the report"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        editable=False,
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=ImportFormat.values), name="interop_importjob_format"
            ),
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(path=""),
                name="interop_importjob_has_file_or_path",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.source} #{self.pk}"

    @property
    def file_name(self) -> str:
        return self.path or self.file.name or ""

    @property
    def progress_percent(self) -> int | None:
        if not self.total_estimate:
            return None
        return min(100, round(100 * self.checkpoint / self.total_estimate))


class Severity(models.TextChoices):
    ERROR = "error", _("Error (record not imported)")
    WARNING = "warning", _("Warning (record imported)")


class ImportProblem(models.Model):
    """One line of a job's problem report: which record, which field, what."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    record_number = models.PositiveIntegerField(_("record"), null=True, blank=True)
    record_identifier = models.CharField(_("identifier"), max_length=300, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    message = models.TextField(_("message"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.ERROR
    )

    class Meta:
        ordering = ["record_number", "pk"]
        verbose_name = _("import problem")
        indexes = [models.Index(fields=["job", "severity"], name="interop_problem_job_sev")]

    def __str__(self) -> str:
        parts = []
        if self.record_number is not None:
            parts.append(f"record {self.record_number}")
        if self.record_identifier:
            parts.append(f"({self.record_identifier})" if parts else self.record_identifier)
        where = " ".join(parts)
        text = f"field {self.field}: {self.message}" if self.field else self.message
        return f"{where}: {text}" if where else text
