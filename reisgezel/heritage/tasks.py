"""Background tasks of the heritage app (Django's tasks framework; ids in, never objects)."""

from __future__ import annotations

import logging

import pyvips
from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
from django.utils import timezone

from reisgezel.heritage.iiif.tiles import build_tiles, read_info
from reisgezel.heritage.models import HeritageObject, MediaFile, MediaKind, TileState

logger = logging.getLogger(__name__)


@task()
def make_tiles(*, media_id: int, force: bool = False) -> str:
    """Write the static IIIF tiles of an image and record the outcome in `tile_state`
    (ready, or failed with the reason in `tile_error`). Returns the new state.

    Idempotent: tiles that are ready and on disk are left alone unless `force`; a
    rebuild replaces them atomically. A media file deleted meanwhile is skipped."""
    media = MediaFile.objects.filter(pk=media_id, kind=MediaKind.IMAGE).first()
    if media is None:
        return "gone"
    if not force and media.tile_state == TileState.READY and read_info(media.key):
        return str(TileState.READY)
    try:
        with media.file.open("rb") as handle:
            source = handle.read()
        build_tiles(source, media.key)
    except (pyvips.Error, OSError, ValueError, KeyError) as exc:
        logger.warning("tiling media %s failed: %s", media.key.hex, exc)
        state, error = TileState.FAILED, str(exc).strip()[:300]
    else:
        state, error = TileState.READY, ""
    # update(), not save(): a curator may be editing the description at the same time.
    now = timezone.now()
    MediaFile.objects.filter(pk=media_id).update(tile_state=state, tile_error=error, updated_at=now)
    if media.object_id is not None and state != media.tile_state:
        # The image enters or leaves the object's IIIF, LIDO and Darwin Core records:
        # a new datestamp, so harvesters asking `from` get it (and the archive rebuilds).
        HeritageObject.objects.filter(pk=media.object_id).update(updated_at=now)
    return str(state)
