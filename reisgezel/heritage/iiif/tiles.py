"""Static IIIF Image API 3.0 level-0 tiles, written once at ingest and served as files.

For a media file with key K the tiles live in IIIF_ROOT/K/ and are published at
SITE_URL + IIIF_URL + K (the image service `id`, no trailing slash):

    K/info.json                         the image information (profile level0)
    K/{x},{y},{w},{h}/{w'},{h'}/0/default.jpg   tiles, for every scale factor
    K/full/{w},{h}/0/default.jpg        every size listed in `sizes` and every pyramid
                                        level that fits in one tile
    K/full/max/0/default.jpg            the whole image (level 0 requires `max`)

libvips' dzsave writes the tile pyramid (layout iiif3); we add `sizes` and `full/max`
and rewrite info.json. A build goes to a temporary folder beside the final one and is
renamed into place, so a client never sees half a pyramid; building again gives the
same files (idempotent).
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyvips
from django.conf import settings

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
IMAGE_PROTOCOL = "http://iiif.io/api/image"
THUMBNAIL_WIDTH = 400  # the collection grid's thumbnails
LISTED_MAX_SIDE = 2048  # pyramid levels up to this size are also listed in `sizes`
JPEG_OPTIONS = "[Q=85,keep=none]"  # libvips save options: quality, no metadata


@dataclass(frozen=True, order=True)
class Size:
    width: int
    height: int

    def as_json(self) -> dict[str, int]:
        return {"width": self.width, "height": self.height}


def _hex(key: uuid.UUID | str) -> str:
    """The key as 32 hex digits (ValueError for anything that is not a UUID)."""
    return key.hex if isinstance(key, uuid.UUID) else uuid.UUID(str(key)).hex


def _published_elsewhere() -> bool:
    """IIIF_URL may be absolute: tiles synced to a bucket or a CDN of their own."""
    return str(settings.IIIF_URL).startswith(("http://", "https://"))


def service_path(key: uuid.UUID | str) -> str:
    """URL of the image service for our own pages: site-relative, unless the tiles
    are published on another host."""
    return f"{str(settings.IIIF_URL).rstrip('/')}/{_hex(key)}"


def service_id(key: uuid.UUID | str) -> str:
    """The image service's `id`: absolute, without a trailing slash."""
    path = service_path(key)
    return path if _published_elsewhere() else f"{settings.SITE_URL}{path}"


def service_dir(key: uuid.UUID | str) -> Path:
    return Path(settings.IIIF_ROOT) / _hex(key)


def scaled(width: int, height: int, factor: int) -> Size:
    """The size of the image at a scale factor, rounded up as the Image API does."""
    return Size(math.ceil(width / factor), math.ceil(height / factor))


def thumbnail_size(width: int, height: int) -> Size | None:
    """The ~400 px wide thumbnail listed in `sizes`; None when the image itself is not
    wider (then `full/max` is the thumbnail)."""
    if width <= THUMBNAIL_WIDTH:
        return None
    return Size(THUMBNAIL_WIDTH, max(1, round(height * THUMBNAIL_WIDTH / width)))


def listed_sizes(width: int, height: int, scale_factors: list[int]) -> list[Size]:
    """`sizes` of info.json: the pyramid levels below full size up to LISTED_MAX_SIDE,
    plus the thumbnail, smallest first."""
    levels = (scaled(width, height, f) for f in scale_factors if f > 1)
    sizes = {s for s in levels if max(s.width, s.height) <= LISTED_MAX_SIDE}
    thumb = thumbnail_size(width, height)
    if thumb is not None:
        sizes.add(thumb)
    return sorted(sizes)


def image_url(key: uuid.UUID | str, size: Size | None = None, *, absolute: bool = True) -> str:
    """URL of the whole image at a listed size (None: `max`, the full image)."""
    base = service_id(key) if absolute else service_path(key)
    size_part = f"{size.width},{size.height}" if size else "max"
    return f"{base}/full/{size_part}/0/default.jpg"


def thumbnail_url(key: uuid.UUID | str, width: int, height: int, *, absolute: bool = False) -> str:
    """URL of the grid thumbnail of an image of this size (made by `build_tiles`)."""
    return image_url(key, thumbnail_size(width, height), absolute=absolute)


def info_document(
    key: uuid.UUID | str, width: int, height: int, scale_factors: list[int]
) -> dict[str, Any]:
    tile = settings.HERITAGE["TILE_SIZE"]
    return {
        "@context": IMAGE_CONTEXT,
        "id": service_id(key),
        "type": "ImageService3",
        "protocol": IMAGE_PROTOCOL,
        "profile": "level0",
        "width": width,
        "height": height,
        "sizes": [s.as_json() for s in listed_sizes(width, height, scale_factors)],
        "tiles": [{"width": tile, "height": tile, "scaleFactors": scale_factors}],
    }


def _prepared(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB (or grey) without alpha, the right way up: what JPEG tiles hold."""
    image = image.autorot()
    target = "b-w" if image.bands - int(image.hasalpha()) == 1 else "srgb"
    if image.interpretation != target:
        image = image.colourspace(target)
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def _write(image: pyvips.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.write_to_file(f"{path}{JPEG_OPTIONS}")


def _write_size(image: pyvips.Image, folder: Path, size: Size | None) -> None:
    if size is None:
        _write(image, folder / "full" / "max" / "0" / "default.jpg")
        return
    target = folder / "full" / f"{size.width},{size.height}" / "0" / "default.jpg"
    if not target.exists():
        _write(image.thumbnail_image(size.width, height=size.height, size="force"), target)


def _install(built: Path, final: Path, scratch: Path) -> None:
    """Rename the finished folder into place, replacing an earlier build."""
    for _attempt in range(3):
        if final.exists():
            final.rename(scratch / f"previous-{uuid.uuid4().hex}")
        try:
            built.rename(final)
            return
        except OSError:
            continue  # another build landed in between: move it aside and retry
    raise OSError(f"could not install tiles at {final}")


def build_tiles(source: bytes, key: uuid.UUID | str) -> dict[str, Any]:
    """Write the tiles and info.json of an image (encoded bytes) for the media key and
    return the info document. Raises pyvips.Error for an image libvips cannot read."""
    key_hex = _hex(key)
    root = Path(settings.IIIF_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    # Beside the final folder (same file system, so the rename is atomic); the dot
    # keeps it out of the served names.
    scratch = Path(tempfile.mkdtemp(prefix=".tiling-", dir=root))
    try:
        image = _prepared(pyvips.Image.new_from_buffer(source, ""))
        built = scratch / key_hex
        base = service_id(key_hex).rsplit("/", 1)[0]
        image.dzsave(
            str(built),
            layout="iiif3",
            tile_size=settings.HERITAGE["TILE_SIZE"],
            id=base,
            suffix=f".jpg{JPEG_OPTIONS}",
        )
        written = json.loads((built / "info.json").read_text())
        scale_factors = sorted(int(f) for f in written["tiles"][0]["scaleFactors"])
        info = info_document(key_hex, image.width, image.height, scale_factors)
        for size in [None, *listed_sizes(image.width, image.height, scale_factors)]:
            _write_size(image, built, size)
        (built / "info.json").write_text(json.dumps(info, indent=2))
        _install(built, root / key_hex, scratch)
        return info
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def remove_tiles(key: uuid.UUID | str) -> None:
    shutil.rmtree(service_dir(key), ignore_errors=True)


def read_info(key: uuid.UUID | str) -> dict[str, Any] | None:
    """The stored info.json, or None when the tiles are not (yet) there."""
    path = service_dir(key) / "info.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data
