"""Background rebuild of the specimen archive (Django's tasks framework)."""

from __future__ import annotations

from django.core.cache import cache
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]

from reisgezel.interop.dwca_export.archive import archive_build

# Set while a rebuild is queued or running, so that many downloads of a stale archive
# enqueue one rebuild, not one each.
BUILD_PENDING_KEY = "interop:dwca:build-pending"
BUILD_PENDING_SECONDS = 30 * 60


@task()
def build_specimen_archive(*, force: bool = False) -> dict[str, int | str | bool]:
    try:
        report = archive_build(force=force)
    finally:
        cache.delete(BUILD_PENDING_KEY)
    return {
        "version": report.version,
        "records": report.records,
        "media": report.media,
        "built": report.built,
    }


def request_rebuild() -> bool:
    """Enqueue a rebuild unless one is already pending; True if one was enqueued."""
    if not cache.add(BUILD_PENDING_KEY, True, BUILD_PENDING_SECONDS):
        return False
    try:
        build_specimen_archive.enqueue()
    except BaseException:
        cache.delete(BUILD_PENDING_KEY)
        raise
    return True
