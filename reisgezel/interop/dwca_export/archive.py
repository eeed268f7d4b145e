"""Build the archive file and tell whether it is current.

The zip is written row by row (zipfile streams each member; the multimedia rows wait
in a temporary file until the core is done), so memory stays flat whatever the size of
the collection. It is built next to its final place and swapped in with os.replace,
so a download never sees half a file. The data version it was built from (count and
latest change of the exported rows) is kept in the zip's comment: the archive is
current when that version still matches the database.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from reisgezel.heritage.models import Collection, MediaFile
from reisgezel.interop.dwca_export import metadata
from reisgezel.interop.dwca_export.rows import CORE, MEDIA, occurrence_rows, public_specimens

FILENAME = "specimens.dwca.zip"
COMMENT_PREFIX = b"reisgezel-dwca:"


@dataclass(frozen=True)
class BuildReport:
    path: Path
    version: str
    records: int
    media: int
    built: bool  # False when the file on disk was already current


def export_dir() -> Path:
    return Path(settings.HERITAGE.get("EXPORT_DIR") or Path(settings.VAR_DIR) / "exports")


def archive_path() -> Path:
    return export_dir() / FILENAME


def data_version() -> str:
    """Changes whenever an exported row may have changed: a short hash of the count and
    latest change of the public specimens, of their images and of the collections."""
    specimens = public_specimens().aggregate(n=Count("pk"), changed=Max("object__updated_at"))
    media = MediaFile.objects.filter(object__specimen__in=public_specimens()).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    collections = Collection.objects.aggregate(changed=Max("updated_at"))
    raw = repr((specimens, media, collections, [c.term for c in CORE], [m.term for m in MEDIA]))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def built_version(path: Path | None = None) -> str | None:
    """The data version of the archive on disk (None: no readable archive)."""
    try:
        with zipfile.ZipFile(path or archive_path()) as archive:
            comment = archive.comment
    except (OSError, zipfile.BadZipFile):
        return None
    if not comment.startswith(COMMENT_PREFIX):
        return None
    return comment[len(COMMENT_PREFIX) :].decode("ascii", "replace")


def is_current() -> bool:
    return built_version() == data_version()


def _tsv(fields: list[str]) -> bytes:
    return ("\t".join(fields) + "\n").encode("utf-8")


def _header(terms: list[str]) -> bytes:
    return _tsv([term.rsplit("/", 1)[-1] for term in terms])


def write_archive(path: Path, *, version: str) -> tuple[int, int]:
    """Write the whole archive to `path`; returns (occurrences, media rows)."""
    records = media_rows = 0
    with (
        tempfile.TemporaryFile(dir=path.parent) as media_spool,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        media_spool.write(_header(["coreid", *(m.term for m in MEDIA)]))
        with archive.open(metadata.CORE_FILE, "w", force_zip64=True) as core:
            core.write(_header([c.term for c in CORE]))
            for row, images in occurrence_rows():
                core.write(_tsv(row))
                records += 1
                for image_row in images:
                    media_spool.write(_tsv(image_row))
                    media_rows += 1
        media_spool.seek(0)
        with archive.open(metadata.MEDIA_FILE, "w", force_zip64=True) as media:
            while chunk := media_spool.read(io.DEFAULT_BUFFER_SIZE * 16):
                media.write(chunk)
        archive.writestr("meta.xml", metadata.meta_xml())
        archive.writestr("eml.xml", metadata.eml_xml(version=version, records=records))
        archive.comment = COMMENT_PREFIX + version.encode("ascii")
    return records, media_rows


def archive_build(*, force: bool = False) -> BuildReport:
    """Bring the archive up to date (idempotent: a current archive is left alone)."""
    target = archive_path()
    version = data_version()  # read first: a change during the build makes it stale
    if not force and built_version(target) == version:
        return BuildReport(target, version, -1, -1, built=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".dwca-", suffix=".part")
    os.close(handle)
    try:
        records, media_rows = write_archive(Path(temporary), version=version)
        Path(temporary).chmod(0o644)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BuildReport(target, version, records, media_rows, built=True)
