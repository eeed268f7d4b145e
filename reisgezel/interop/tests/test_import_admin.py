"""The admin: staff upload a file, the task runs the import, the job page reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import HeritageObject
from reisgezel.interop.importers import csv_mapping
from reisgezel.interop.models import ImportJob, JobStatus
from reisgezel.interop.tests.test_import_csv import CERAMICS_CSV, CERAMICS_MAPPING
from reisgezel.interop.tests.test_import_fixtures import MKG, collections, run
from tests.factories import UserFactory

__all__ = ["collections"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_upload_runs_as_a_task_and_the_page_shows_the_report(
    collections, staff: Client, django_capture_on_commit_callbacks
) -> None:
    upload = SimpleUploadedFile("kabinett.xml", MKG.read_bytes(), content_type="application/xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("admin:interop_importjob_add"),
            {"format": "lido", "file": upload, "collection_code": "other", "source": ""},
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    job = ImportJob.objects.get()
    # Kept privately: the file holds hidden records and exact find sites.
    from django.conf import settings

    stored = Path(job.file.path)
    assert stored.is_relative_to(settings.PRIVATE_ROOT) and stored.is_file()
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert (job.status, job.created_count, job.source) == (JobStatus.FINISHED, 1, "lido")
    assert job.created_by is not None
    obj = HeritageObject.objects.get()
    # The audit log names the person who uploaded the file.
    assert (
        AuditEntry.objects.get(action="import_create", target_id=str(obj.pk)).actor
        == job.created_by
    )
    page = staff.get(reverse("admin:interop_importjob_change", args=[job.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<progress max="100" value="100">' in html
    assert "no Dutch title: the de title stands in for it" in html
    assert "created 1" in html


def test_a_csv_upload_needs_a_valid_mapping(
    collections, staff: Client, django_capture_on_commit_callbacks
) -> None:
    url = reverse("admin:interop_importjob_add")
    csv_file = SimpleUploadedFile("c.csv", CERAMICS_CSV.encode(), content_type="text/csv")
    response = staff.post(url, {"format": "csv", "file": csv_file})
    assert response.status_code == 200
    assert "A CSV import needs a mapping file." in response.content.decode()
    bad = SimpleUploadedFile("m.toml", b'[fields]\ncolour = "kleur"\n')
    csv_file.seek(0)
    response = staff.post(url, {"format": "csv", "file": csv_file, "mapping_file": bad})
    assert "is not a record field" in response.content.decode()
    assert not ImportJob.objects.exists()
    good = SimpleUploadedFile("m.toml", CERAMICS_MAPPING.encode())
    csv_file.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            url, {"format": "csv", "file": csv_file, "mapping_file": good, "dry_run": "on"}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.source, job.dry_run, job.created_count, job.failed_count) == (
        "centre-ceramique",
        True,
        2,
        1,
    )
    assert not HeritageObject.objects.exists()


@pytest.fixture
def marked_dutch(settings: Any, tmp_path: Path) -> set[str]:
    """A Dutch catalogue, searched before the project's, that translates every message
    csv_mapping.py marks for translation (found as makemessages finds them) to the same
    text after "[nl] ". Returns the messages found."""
    found = {
        str(message)
        for _line, message, _comments, _context in extract_from_file("python", csv_mapping.__file__)
    }
    catalog = Catalog(locale="nl")
    for message in found:
        catalog.add(message, f"[nl] {message}", flags=("python-format",))
    folder = tmp_path / "locale" / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "django.mo").open("wb") as handle:
        write_mo(handle, catalog)
    # Changing LOCALE_PATHS empties Django's translation cache (and again afterwards).
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    return found


def test_mapping_mistakes_are_shown_in_the_curators_language(
    collections, staff: Client, marked_dutch: set[str], tmp_path: Path
) -> None:
    with translation.override("nl"):
        url = reverse("admin:interop_importjob_add")
    bad = b'delimiter = ";"\n[fields]\n"title.nl" = "titel"\ncolour = "kleur"\n'
    broken = b"[fields\n"
    shown = []
    for mapping in (bad, broken):
        csv_file = SimpleUploadedFile("c.csv", CERAMICS_CSV.encode(), content_type="text/csv")
        upload = SimpleUploadedFile("m.toml", mapping)
        response = staff.post(url, {"format": "csv", "file": csv_file, "mapping_file": upload})
        assert response.status_code == 200
        shown += response.context["adminform"].form.errors["mapping_file"]
    assert shown[0].startswith("[nl] the mapping is not usable: ")
    for mistake in (
        "[nl] [fields] 'colour' is not a record field",
        "[nl] [fields] source_id is required: the column that identifies a row",
        "[nl] delimiter cannot be a quote, a line break or the separator of repeated values",
    ):
        assert mistake in shown[0]
    assert shown[1].startswith("[nl] the mapping file m.toml is not valid: ")
    assert not ImportJob.objects.exists()
    # What a job stores stays English, whatever language is active when it runs.
    path = tmp_path / "c.csv"
    path.write_text(CERAMICS_CSV, encoding="utf-8")
    with translation.override("nl"):
        job = run("csv", path, mapping={"fields": {"colour": "kleur"}}, source="c")
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("the mapping is not usable: [fields] 'colour' is not a")
    assert "[nl]" not in job.error


def test_jobs_are_not_editable_and_stopped_ones_can_be_resumed(
    collections, staff: Client, django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(MKG.read_bytes()[:-300])
    job = ImportJob.objects.create(
        format="lido", source="lido", path=str(path), collection_code="other"
    )
    job.status = JobStatus.FAILED
    job.save()
    page = staff.get(reverse("admin:interop_importjob_change", args=[job.pk]))
    assert 'name="_save"' not in page.content.decode()
    path.write_bytes(MKG.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:interop_importjob_changelist"),
            {"action": "resume", "_selected_action": [job.pk]},
        )
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.FINISHED, 1)


def test_only_staff_with_permission_see_imports(collections, client: Client) -> None:
    url = reverse("admin:interop_importjob_changelist")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # to the admin login
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_importjob"))
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:interop_importjob_add")).status_code == 403


def test_starting_an_import_needs_the_rights_on_collection_objects_too(
    collections, client: Client
) -> None:
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_importjob", "add_importjob"])
    )
    client.force_login(staff)
    add = reverse("admin:interop_importjob_add")
    assert client.get(add).status_code == 403  # import jobs alone do not write objects
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_heritageobject", "change_heritageobject"])
    )
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached per instance
    client.force_login(staff)
    assert client.get(add).status_code == 200


def test_a_running_import_is_not_run_twice_but_a_silent_one_is_resumed(
    collections, staff: Client, django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from reisgezel.interop.importers.base import ImportFileError
    from reisgezel.interop.importers.runner import import_job_run

    path = tmp_path / "mkg.xml"
    path.write_bytes(MKG.read_bytes())
    job = ImportJob.objects.create(
        format="lido", source="lido", path=str(path), collection_code="other"
    )
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)  # another worker
    job.refresh_from_db()
    with pytest.raises(ImportFileError, match="is running"):
        import_job_run(job)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:interop_importjob_changelist"),
            {"action": "resume", "_selected_action": [job.pk]},
        )
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.created_count == 0  # left alone
    # Silent for long: it died without saying so, and the admin resumes it.
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:interop_importjob_changelist"),
            {"action": "resume", "_selected_action": [job.pk]},
        )
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.FINISHED, 1)


def _upload_mkg(staff: Client, capture: Any, language: str) -> ImportJob:
    upload = SimpleUploadedFile("kabinett.xml", MKG.read_bytes(), content_type="application/xml")
    with translation.override(language), capture(execute=True):
        url = reverse("admin:interop_importjob_add")
        response = staff.post(
            url, {"format": "lido", "file": upload, "collection_code": "other", "source": ""}
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return ImportJob.objects.latest("pk")


def test_the_report_is_in_the_language_of_the_curator_who_started_it(
    collections, staff: Client, django_capture_on_commit_callbacks
) -> None:
    dutch = _upload_mkg(staff, django_capture_on_commit_callbacks, "nl")
    assert dutch.language == "nl"
    messages = set(dutch.problems.values_list("message", flat=True))
    assert "geen Nederlandse titel: de titel in de vervangt hem" in messages
    page = staff.get(reverse("admin:interop_importjob_change", args=[dutch.pk])).content.decode()
    assert "geen Nederlandse titel: de titel in de vervangt hem" in page

    HeritageObject.objects.all().delete()
    english = _upload_mkg(staff, django_capture_on_commit_callbacks, "en")
    assert english.language == "en"
    assert "no Dutch title: the de title stands in for it" in set(
        english.problems.values_list("message", flat=True)
    )
