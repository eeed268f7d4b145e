"""Uploaded images, validated by their content and normalised (shared by every app).

An upload is never trusted by its name or its declared type: Pillow identifies the
format from the bytes, the byte size and the pixel count are checked before the pixels
are decoded (decompression bombs), the EXIF orientation is applied to the pixels and
every metadata block (EXIF, GPS, XMP, text chunks) is dropped by re-encoding.

Each app states its own limits in an `ImagePolicy`; `clean_image` applies it and either
returns a `CleanImage` or raises a `ValidationError` keyed by the policy's form field.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> (name shown to people, format we store).
# TIFF masters are stored as PNG: lossless, and every browser can show it.
_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("JPEG", "JPEG"),
    "PNG": ("PNG", "PNG"),
    "WEBP": ("WebP", "WEBP"),
    "TIFF": ("TIFF", "PNG"),
}
_OUTPUT: dict[str, tuple[str, str]] = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
# Modes each output format can store; anything else is converted first.
_OUTPUT_MODES: dict[str, tuple[str, ...]] = {
    "JPEG": ("RGB", "L"),
    "PNG": ("RGB", "RGBA", "L", "LA", "P", "1", "I", "I;16"),
    "WEBP": ("RGB", "RGBA"),
}


@dataclass(frozen=True)
class ImagePolicy:
    """What an app accepts. `formats` are Pillow format names (JPEG, PNG, WEBP, TIFF);
    `max_side` scales stored images down (None keeps every pixel, as archives need)."""

    max_bytes: int
    max_pixels: int
    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
    max_side: int | None = None
    jpeg_quality: int = 88
    field: str = "image"

    def __post_init__(self) -> None:
        unknown = set(self.formats) - set(_FORMATS)
        if unknown:
            raise ValueError(f"unsupported image formats: {sorted(unknown)}")


@dataclass(frozen=True)
class CleanImage:
    """An upright, metadata-free image, ready to store."""

    data: bytes
    format: str  # Pillow format name of `data`
    extension: str
    content_type: str
    width: int
    height: int


def _format_list(formats: tuple[str, ...]) -> str:
    names = [_FORMATS[f][0] for f in formats]
    if len(names) == 1:
        return names[0]
    return _("%(items)s or %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb == int(mb) else f"{mb:.1f}"


def _refuse(policy: ImagePolicy, message: str) -> ValidationError:
    return ValidationError({policy.field: [message]})


def is_image(data: bytes) -> bool:
    """Whether Pillow recognises `data` as an image of any format (header only), before
    any of a policy's checks."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        return True  # an image, and far too large: image_format() says so
    except (UnidentifiedImageError, OSError, ValueError):
        return False
    return True


def image_format(data: bytes, *, policy: ImagePolicy) -> tuple[str, int, int]:
    """(Pillow format, width, height) read from the header only, after the byte-size,
    format and pixel-count checks. Decodes no pixels."""
    if len(data) > policy.max_bytes:
        raise _refuse(
            policy,
            _("The image is larger than %(megabytes)s MB.")
            % {"megabytes": _megabytes(policy.max_bytes)},
        )
    try:
        with warnings.catch_warnings():
            # We check the pixel count ourselves, against the policy's limit.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        fmt = probe.format or ""
        if fmt == "MPO":
            # A JPEG with a Multi-Picture block (many phone cameras write one): the
            # first picture is the photo; re-encoding keeps only that one.
            fmt = "JPEG"
        width, height = probe.size
    except Image.DecompressionBombError as exc:
        # Far beyond Pillow's own limit: refused before its header is even trusted.
        raise _too_many_pixels(policy) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise _refuse(policy, _("This file is not an image we can read.")) from exc
    if fmt not in policy.formats:
        raise _refuse(
            policy,
            _("Upload a %(formats)s image.") % {"formats": _format_list(policy.formats)},
        )
    if width * height > policy.max_pixels:
        raise _too_many_pixels(policy)
    return fmt, width, height


def _too_many_pixels(policy: ImagePolicy) -> ValidationError:
    return _refuse(
        policy,
        _("The image has too many pixels (at most %(megapixels)s megapixels).")
        % {"megapixels": f"{policy.max_pixels / 1_000_000:g}"},
    )


def _decoded(data: bytes, policy: ImagePolicy) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _refuse(policy, _("The image is damaged or incomplete.")) from exc
    return image


def _storable(image: Image.Image, output: str) -> Image.Image:
    if image.mode in _OUTPUT_MODES[output]:
        return image
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    if output == "JPEG" or not has_alpha:
        return image.convert("L" if image.mode in ("I", "I;16", "F") else "RGB")
    return image.convert("RGBA")


def clean_image(data: bytes, *, policy: ImagePolicy) -> CleanImage:
    """Validate `data` against `policy` and return the upright, metadata-free image.

    Raises ValidationError({policy.field: [message]}) for anything that is not an
    acceptable, complete image within the limits."""
    fmt, _width, _height = image_format(data, policy=policy)
    image = _decoded(data, policy)
    upright = ImageOps.exif_transpose(image)
    if policy.max_side:
        upright.thumbnail((policy.max_side, policy.max_side))
    output = _FORMATS[fmt][1]
    upright = _storable(upright, output)
    out = io.BytesIO()
    # Re-encoding without passing exif=, xmp= or pnginfo= drops every metadata block.
    if output == "JPEG":
        upright.save(out, format=output, quality=policy.jpeg_quality)
    else:
        upright.save(out, format=output)
    extension, content_type = _OUTPUT[output]
    return CleanImage(
        data=out.getvalue(),
        format=output,
        extension=extension,
        content_type=content_type,
        width=upright.width,
        height=upright.height,
    )
