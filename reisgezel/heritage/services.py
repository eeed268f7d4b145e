"""The rules for changing heritage records: every write path (admin, imports, demo
data) goes through here, so each change is audit-logged and reaches the search index
and the harvesting interfaces (OAI-PMH datestamps, tombstones) in the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from reisgezel.core.audit import audit_record
from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import HeritageObject, MediaFile, Tombstone
from reisgezel.heritage.rights import validate_rights_uri
from reisgezel.search.registry import index_later, remove_later

OBJECT_DOC_TYPE = "heritage_object"


def object_changed(obj: HeritageObject, *, actor: Any, action: str, message: str = "") -> None:
    """Record a change made to an object or its parts (makers, specimen, media...; call
    inside the writing transaction). The object's `updated_at` is its datestamp for
    harvesters (OAI-PMH, the DwC-A freshness check), so a change of a part touches it."""
    obj.updated_at = timezone.now()
    HeritageObject.objects.filter(pk=obj.pk).update(updated_at=obj.updated_at)
    audit_record(actor=actor, action=action, target=obj, message=message)
    index_later(OBJECT_DOC_TYPE, [obj.pk])


def objects_changed(
    objects: list[HeritageObject], *, actor: Any, action: str, messages: list[str]
) -> None:
    """`object_changed` for many objects at once (imports): one UPDATE, one INSERT of
    audit entries, one reindex after commit."""
    if not objects:
        return
    now = timezone.now()
    for obj in objects:
        obj.updated_at = now
    HeritageObject.objects.filter(pk__in=[o.pk for o in objects]).update(updated_at=now)
    user = actor if getattr(actor, "is_authenticated", False) else None
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            action=action,
            target_type=HeritageObject._meta.label_lower,
            target_id=str(obj.pk),
            message=message,
        )
        for obj, message in zip(objects, messages, strict=True)
    )
    index_later(OBJECT_DOC_TYPE, [o.pk for o in objects])


@transaction.atomic
def objects_set_public(ids: Iterable[int], *, public: bool, actor: Any, message: str = "") -> int:
    """Publish or hide objects. Touches `updated_at`, which harvesters use as datestamp."""
    objects = list(HeritageObject.objects.select_for_update().filter(pk__in=list(ids)))
    changed = [o for o in objects if o.is_public != public]
    now = timezone.now()
    for obj in changed:
        obj.is_public = public
        obj.updated_at = now
    HeritageObject.objects.bulk_update(changed, ["is_public", "updated_at"])
    for obj in changed:
        object_changed(
            obj, actor=actor, action="publish" if public else "unpublish", message=message
        )
    return len(changed)


@transaction.atomic
def objects_set_rights(
    ids: Iterable[int], *, rights_uri: str, actor: Any, include_media: bool = False
) -> int:
    """Bulk-edit the rights statement of records (and optionally of their media)."""
    validate_rights_uri(rights_uri)
    objects = list(HeritageObject.objects.select_for_update().filter(pk__in=list(ids)))
    now = timezone.now()
    for obj in objects:
        previous = obj.rights_uri
        obj.rights_uri = rights_uri
        obj.updated_at = now
        audit_record(
            actor=actor,
            action="set_rights",
            target=obj,
            data={"from": previous, "to": rights_uri, "media": include_media},
        )
    HeritageObject.objects.bulk_update(objects, ["rights_uri", "updated_at"])
    if include_media:
        MediaFile.objects.filter(object__in=objects).update(rights_uri=rights_uri, updated_at=now)
    index_later(OBJECT_DOC_TYPE, [o.pk for o in objects])
    return len(objects)


@transaction.atomic
def object_delete(obj: HeritageObject, *, actor: Any, message: str = "") -> Tombstone:
    """Delete an object, leaving a tombstone: its URI answers 410 and OAI-PMH reports it
    as deleted, forever."""
    tombstone, _ = Tombstone.objects.update_or_create(
        pid=obj.pid,
        defaults={"collection_code": obj.collection.code, "deleted_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action="delete",
        target=obj,
        message=message,
        data={"pid": obj.pid, "inventory_number": obj.inventory_number},
    )
    remove_later(OBJECT_DOC_TYPE, [obj.pk])
    obj.delete()
    return tombstone
