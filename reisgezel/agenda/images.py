"""Event images: validated by their content, normalised, stored with alt text and rights.

An upload is never trusted by its name or its declared type: Pillow identifies the
format from the bytes, the pixel count is checked before decoding (decompression
bombs), the EXIF orientation is applied to the pixels and all metadata (EXIF, GPS) is
dropped by re-encoding.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from reisgezel.agenda import permissions
from reisgezel.agenda.models import Event, EventImage
from reisgezel.core.audit import audit_record
from reisgezel.core.i18n import SOURCE_LANGUAGE, language_map

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400  # stored images are scaled down to this; the page shows far less
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RIGHTS_PREFIXES = (
    "https://creativecommons.org/",
    "http://creativecommons.org/",
    "http://rightsstatements.org/",
    "https://rightsstatements.org/",
)


def _read_checked(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise ValidationError({"image": [_("The image is larger than 10 MB.")]})
    try:
        probe = Image.open(io.BytesIO(data))
        fmt = probe.format or ""
        width, height = probe.size
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError({"image": [_("This file is not an image we can read.")]}) from exc
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError({"image": [_("Upload a JPEG, PNG or WebP image.")]})
    if width * height > MAX_PIXELS:
        raise ValidationError(
            {"image": [_("The image has too many pixels (at most 40 megapixels).")]}
        )
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"image": [_("The image is damaged or incomplete.")]}) from exc
    return image


def normalised_image(data: bytes) -> tuple[bytes, str]:
    """(bytes, extension) of the upright, metadata-free, size-limited image."""
    image = _read_checked(data)
    fmt = image.format or "JPEG"
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    # Re-encoding without passing exif= drops every metadata block (GPS included).
    if fmt == "JPEG":
        upright.save(out, format=fmt, quality=88)
    else:
        upright.save(out, format=fmt)
    return out.getvalue(), ACCEPTED_FORMATS[fmt]


@transaction.atomic
def event_image_add(
    *, actor: Any, event: Event, data: bytes, alt_text: dict[str, str], credit: str, rights_uri: str
) -> EventImage:
    """Add an image to an event. Alt text (Dutch at least), credit and a rights URI
    (Creative Commons or RightsStatements.org) are required."""
    if not permissions.can_edit(actor, event):
        raise PermissionDenied(
            _("You cannot change events of %(org)s.") % {"org": event.organiser.name}
        )
    errors: dict[str, list[str]] = {}
    alt = language_map(alt_text)
    if not alt.get(SOURCE_LANGUAGE):
        errors["alt_text"] = [_("Describe the image in Dutch for people who cannot see it.")]
    if not credit.strip():
        errors["credit"] = [_("Say who made the image.")]
    if not rights_uri.startswith(RIGHTS_PREFIXES):
        errors["rights_uri"] = [
            _("Choose a Creative Commons licence or a RightsStatements.org statement.")
        ]
    if errors:
        raise ValidationError(errors)
    content, extension = normalised_image(data)
    image = EventImage(
        event=event,
        alt_text=alt,
        credit=credit.strip(),
        rights_uri=rights_uri,
        position=event.images.count(),
    )
    image.image.save(f"event-{event.pk}.{extension}", ContentFile(content), save=False)
    image.save()
    audit_record(actor=actor, action="event.image_add", target=event)
    return image


@transaction.atomic
def event_image_remove(*, actor: Any, image: EventImage) -> None:
    if not permissions.can_edit(actor, image.event):
        raise PermissionDenied(
            _("You cannot change events of %(org)s.") % {"org": image.event.organiser.name}
        )
    audit_record(actor=actor, action="event.image_remove", target=image.event)
    image.image.delete(save=False)
    image.delete()
