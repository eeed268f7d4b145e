"""Event images: validated by their content, normalised, stored with alt text and rights.

The checks themselves (format sniffed from the bytes, size, pixel count, EXIF orientation,
metadata stripped) are the shared ones in `reisgezel.core.images`; the agenda states its
limits: web images, scaled down to what a page shows.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from reisgezel.agenda import permissions
from reisgezel.agenda.models import Event, EventImage
from reisgezel.agenda.services import event_revalidate_after_change
from reisgezel.core.audit import audit_record
from reisgezel.core.i18n import SOURCE_LANGUAGE, language_map
from reisgezel.core.images import ImagePolicy, clean_image

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400  # stored images are scaled down to this; the page shows far less
POLICY = ImagePolicy(
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    formats=("JPEG", "PNG", "WEBP"),
    max_side=MAX_SIDE,
    field="image",
)
RIGHTS_PREFIXES = (
    "https://creativecommons.org/",
    "http://creativecommons.org/",
    "http://rightsstatements.org/",
    "https://rightsstatements.org/",
)


def normalised_image(data: bytes) -> tuple[bytes, str]:
    """(bytes, extension) of the upright, metadata-free, size-limited image."""
    image = clean_image(data, policy=POLICY)
    return image.data, image.extension


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
    event_revalidate_after_change(actor=actor, event=event)
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
