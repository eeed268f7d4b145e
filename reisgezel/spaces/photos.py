"""Room photos: validated by content and stripped of metadata (EXIF GPS) before storing."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile

from reisgezel.core.images import ImagePolicy, clean_image

ROOM_PHOTO_POLICY = ImagePolicy(
    max_bytes=10 * 1024 * 1024, max_pixels=40_000_000, max_side=2400, field="image"
)


def cleaned_photo(data: bytes) -> ContentFile[bytes]:
    """The upright, metadata-free image to store, or ValidationError({"image": [...]})."""
    image = clean_image(data, policy=ROOM_PHOTO_POLICY)
    return ContentFile(image.data, name=f"{uuid.uuid4().hex}.{image.extension}")
