"""Images that come inside an import file (a Darwin Core Archive's multimedia rows
pointing at files in the archive) go through the heritage media service, like every
upload: type sniffed, validated, normalised, tiled. Imports never download."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from reisgezel.heritage.media import media_add
from reisgezel.heritage.models import MediaKind
from reisgezel.heritage.records import WARNING, Problem, objects_of_source
from reisgezel.heritage.rights import canonical_rights_uri
from reisgezel.interop.importers.base import LocalMedia


def local_media_attach(
    item: LocalMedia, *, source: str, actor: Any, dry_run: bool, attached: set[int]
) -> Problem | None:
    """Attach the image to its object; a problem when it cannot be.

    Idempotent per object: an object that had media before this run gets nothing (a
    re-import does not add the same image again); `attached` holds the objects that
    got their images in this run, so a second image of the same object still comes."""
    obj = objects_of_source(source).filter(source_id=item.source_id).first()
    name = item.path.name
    if obj is None:
        return _problem(f"no imported object {item.source_id!r}: {name} not attached", "no-object")
    if dry_run or (obj.pk not in attached and obj.media.exists()):
        return None
    rights = obj.rights_uri
    if item.licence:
        try:
            rights = canonical_rights_uri(item.licence)
        except ValueError:
            return _problem(
                f"{name} not attached: unknown rights statement {item.licence!r}", "rights"
            )
    if item.path.stat().st_size > settings.HERITAGE["MEDIA_MAX_BYTES"]:
        return _problem(f"{name} not attached: the file is too large", "refused")
    try:
        with transaction.atomic():
            media_add(
                actor=actor,
                data=item.path.read_bytes(),
                obj=obj,
                alt_text={"nl": item.description or obj.title.get("nl", "")},
                rights_uri=rights,
                expect=MediaKind.IMAGE,
            )
    except ValidationError as exc:
        return _problem(f"{name} not attached: {' '.join(exc.messages)}", "refused")
    attached.add(obj.pk)
    return None


def _problem(message: str, code: str) -> Problem:
    return Problem("multimedia", message, WARNING, f"image-{code}")
