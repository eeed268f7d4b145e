"""Admin for imports: staff upload a file, the import runs as a background task, and
the job's page shows its progress and problem report.

Jobs are written by the import only: after the upload nothing on a job is editable;
a stopped job can be resumed with an action.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from reisgezel.core.admin import ReadOnlyAdmin
from reisgezel.heritage.models import Collection
from reisgezel.interop.importers.csv_mapping import (
    MappingError,
    load_mapping_text,
    parse_mapping,
)
from reisgezel.interop.importers.runner import RUNNING_SILENT_FOR
from reisgezel.interop.models import ImportFormat, ImportJob, ImportProblem, JobStatus
from reisgezel.interop.tasks import run_import_job

REPORT_ROWS = 200


class ImportJobForm(forms.ModelForm):
    mapping_file = forms.FileField(
        label=_("Mapping file"),
        required=False,
        help_text=_("CSV only: which column fills which field (TOML or JSON)."),
    )

    class Meta:
        model = ImportJob
        fields = (
            "format",
            "file",
            "source",
            "collection_code",
            "dry_run",
            "publish",
            "validate_schema",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["source"].required = False
        choices: list[tuple[str, Any]] = [("", _("Default for the format"))]
        choices += [(c.code, str(c)) for c in Collection.objects.all()]
        self.fields["collection_code"] = forms.ChoiceField(
            label=_("Collection"), choices=choices, required=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("mapping_file")
        if data.get("format") == ImportFormat.CSV:
            if upload is None:
                raise ValidationError({"mapping_file": _("A CSV import needs a mapping file.")})
            try:
                text = upload.read().decode("utf-8")
                data["mapping"] = load_mapping_text(text, name=upload.name)
                data["source"] = data.get("source") or parse_mapping(data["mapping"]).source
            except UnicodeDecodeError:
                raise ValidationError(
                    {"mapping_file": _("Save the mapping file as UTF-8.")}
                ) from None
            except MappingError as exc:
                # In the curator's language, as the job's report will be.
                raise ValidationError({"mapping_file": exc.message()}) from exc
        if data.get("format") == ImportFormat.LIDO and not data.get("collection_code"):
            raise ValidationError({"collection_code": _("Choose the collection for LIDO records.")})
        data["source"] = data.get("source") or data.get("format") or ""
        return data


# An import creates, changes and publishes collection objects: who starts or resumes one
# needs those rights on the objects too, not only on import jobs.
IMPORT_PERMISSIONS = ("heritage.add_heritageobject", "heritage.change_heritageobject")


def _report_language() -> str:
    """The curator's language (the admin's, from the request), for the job's report."""
    active = get_language() or settings.LANGUAGE_CODE
    known = {code for code, _name in settings.LANGUAGES}
    return active if active in known else settings.LANGUAGE_CODE


def _may_import(request: HttpRequest) -> bool:
    return request.user.has_perms(IMPORT_PERMISSIONS)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    form = ImportJobForm
    list_display = (
        "__str__",
        "file_name",
        "status",
        "progress",
        "created_count",
        "updated_count",
        "failed_count",
        "created_at",
        "created_by",
    )
    list_filter = ("status", "format", "dry_run")
    list_select_related = ("created_by",)
    actions = ("resume",)
    readonly_fields = (
        "format",
        "source",
        "file_name",
        "collection_code",
        "dry_run",
        "publish",
        "validate_schema",
        "status",
        "progress",
        "counts",
        "error",
        "created_by",
        "started_at",
        "finished_at",
        "problem_report",
    )

    def get_fields(self, request: HttpRequest, obj: ImportJob | None = None) -> Any:
        if obj is None:
            return (*ImportJobForm.Meta.fields, "mapping_file")
        return self.readonly_fields

    def get_form(
        self,
        request: HttpRequest,
        obj: ImportJob | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is not None:  # the job's page: nothing to edit, only to read
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ImportJob | None = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        # Jobs are shown, never edited: the import is their only writer.
        return obj is None and super().has_change_permission(request, obj) and _may_import(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and _may_import(request)

    def save_model(self, request: HttpRequest, obj: ImportJob, form: Any, change: bool) -> None:
        obj.created_by = request.user  # type: ignore[assignment]
        obj.language = _report_language()
        obj.mapping = form.cleaned_data.get("mapping", {})
        obj.source = form.cleaned_data["source"]
        super().save_model(request, obj, form, change)
        job_id = obj.pk
        # After commit: with the database queue, the worker must find the job row.
        transaction.on_commit(lambda: run_import_job.enqueue(job_id=job_id))

    @admin.display(description=_("progress"))
    def progress(self, job: ImportJob) -> SafeString:
        percent = job.progress_percent
        if job.total_estimate is None:
            return format_html("{} {}", job.checkpoint, _("records done"))
        return format_html(
            '<progress max="100" value="{}">{}%</progress> {} / ~{}',
            percent or 0,
            percent or 0,
            job.checkpoint,
            job.total_estimate,
        )

    @admin.display(description=_("counts"))
    def counts(self, job: ImportJob) -> str:
        return str(
            _(
                "read %(read)s, created %(created)s, updated %(updated)s, "
                "unchanged %(unchanged)s, failed %(failed)s, warnings %(warnings)s"
            )
            % {
                "read": job.read_count,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "failed": job.failed_count,
                "warnings": job.warning_count,
            }
        )

    @admin.display(description=_("problem report"))
    def problem_report(self, job: ImportJob) -> SafeString:
        problems = list(job.problems.all()[:REPORT_ROWS])
        if not problems:
            return format_html("{}", _("No problems."))
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    p.get_severity_display(),
                    p.record_number or "",
                    p.record_identifier,
                    p.field,
                    p.message,
                )
                for p in problems
            ),
        )
        link = reverse("admin:interop_importproblem_changelist") + f"?job__id__exact={job.pk}"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            '<tbody>{}</tbody></table><p><a href="{}">{}</a></p>',
            _("severity"),
            _("record"),
            _("identifier"),
            _("field"),
            _("message"),
            rows,
            link,
            _("All problems of this import"),
        )

    @admin.action(description=_("Resume the selected stopped imports"), permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[ImportJob]) -> None:
        # Stopped ones, and "running" ones silent for long: they died without saying so.
        silent = Q(status=JobStatus.RUNNING, updated_at__lt=timezone.now() - RUNNING_SILENT_FOR)
        ids = list(
            queryset.filter(Q(status=JobStatus.FAILED) | silent).values_list("pk", flat=True)
        )
        for job_id in ids:
            transaction.on_commit(partial(run_import_job.enqueue, job_id=job_id))
        self.message_user(
            request,
            ngettext("%(count)d import resumed.", "%(count)d imports resumed.", len(ids))
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(ImportProblem)
class ImportProblemAdmin(ReadOnlyAdmin):
    list_display = ("job", "record_number", "record_identifier", "field", "message", "severity")
    list_filter = ("severity", "job")
    search_fields = ("=record_identifier", "=field")  # exact: see search/admin.py
    list_select_related = ("job",)
