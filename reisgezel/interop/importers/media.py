"""Images that come inside an import file (a Darwin Core Archive's multimedia rows
pointing at files in the archive) go through the heritage media service, like every
upload: type sniffed, validated, normalised, tiled. Imports never download."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reisgezel.heritage.media import media_add, media_check
from reisgezel.heritage.models import MediaKind
from reisgezel.heritage.records import WARNING, Problem, objects_of_source
from reisgezel.heritage.rights import DEFAULT_RIGHTS, canonical_rights_uri
from reisgezel.interop.importers.base import LocalMedia

IMAGE = MediaKind.IMAGE


def local_media_attach(
    item: LocalMedia, *, source: str, actor: Any, dry_run: bool, attached: set[int]
) -> Problem | None:
    """Attach the image to its object; a problem when it cannot be.

    Idempotent per object: an object that had media before this run gets nothing (a
    re-import does not add the same image again); `attached` holds the objects that
    got their images in this run, so a second image of the same object still comes.

    A dry run rolled its records back, so the object of a new record is not there: the
    image itself is checked (rights, size, content) as the real run would check it,
    and nothing is stored."""
    obj = objects_of_source(source).filter(source_id=item.source_id).first()
    name = item.path.name
    if obj is None and not dry_run:
        return _problem(
            _("no imported object %(id)r: %(file)s not attached")
            % {"id": item.source_id, "file": name},
            "no-object",
        )
    if obj is not None and obj.pk not in attached and obj.media.exists():
        return None
    rights = obj.rights_uri if obj is not None else DEFAULT_RIGHTS
    if item.licence:
        try:
            rights = canonical_rights_uri(item.licence)
        except ValueError:
            return _problem(
                _("%(file)s not attached: unknown rights statement %(statement)r")
                % {"file": name, "statement": item.licence},
                "rights",
            )
    if item.path.stat().st_size > settings.HERITAGE["MEDIA_MAX_BYTES"]:
        return _problem(
            _("%(file)s not attached: the file is too large") % {"file": name}, "refused"
        )
    if obj is None:  # a dry run's new record: its title (the fallback alt text) is unknown
        return _checked(item, rights)
    alt_text = {"nl": item.description or obj.title.get("nl", "")}
    try:
        if dry_run:
            media_check(
                data=item.path.read_bytes(), alt_text=alt_text, rights_uri=rights, expect=IMAGE
            )
        else:
            with transaction.atomic():
                media_add(
                    actor=actor,
                    data=item.path.read_bytes(),
                    obj=obj,
                    alt_text=alt_text,
                    rights_uri=rights,
                    expect=IMAGE,
                )
    except ValidationError as exc:
        return _refused(name, exc)
    attached.add(obj.pk)
    return None


def _checked(item: LocalMedia, rights: str) -> Problem | None:
    try:
        media_check(
            data=item.path.read_bytes(),
            alt_text={"nl": item.description or item.source_id},
            rights_uri=rights,
            expect=IMAGE,
        )
    except ValidationError as exc:
        return _refused(item.path.name, exc)
    return None


def _refused(name: str, exc: ValidationError) -> Problem:
    return _problem(
        _("%(file)s not attached: %(reason)s") % {"file": name, "reason": " ".join(exc.messages)},
        "refused",
    )


def _problem(message: str, code: str) -> Problem:
    return Problem("multimedia", message, WARNING, f"image-{code}")
