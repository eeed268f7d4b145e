"""The rules for changing heritage records: every write path (admin, imports, demo
data) goes through here, so each change is audit-logged and reaches the search index
and the harvesting interfaces (OAI-PMH datestamps, tombstones) in the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from reisgezel.core.audit import audit_record
from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import Collection, HeritageObject, MediaFile, SetDeparture, Tombstone
from reisgezel.heritage.rights import validate_rights_uri
from reisgezel.search.registry import index_later, remove_later

OBJECT_DOC_TYPE = "heritage_object"
# Every object document has this boost (none is worth more than another), so the
# collection search ranks its known matches without reading their documents' rows.
OBJECT_BOOST = 1.0
# The object page's name for sections other apps add (reisgezel/core/sections.py).
OBJECT_PAGE = "heritage.object"


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
    objects_created([o.pk for o in objects], actor=actor, action=action, messages=messages)


def objects_created(ids: list[int], *, actor: Any, action: str, messages: list[str]) -> None:
    """Record the creation of objects inserted in this transaction with their
    timestamps already set (import batches): one INSERT of audit entries and one
    reindex after commit; no UPDATE of `updated_at` (it is the creation time)."""
    if not ids:
        return
    user = actor.pk if getattr(actor, "is_authenticated", False) else None
    target_type = HeritageObject._meta.label_lower
    insert_rows(
        AuditEntry,
        ("actor_id", "action", "target_type", "target_id", "message"),
        [
            (user, action, target_type, str(pk), message)
            for pk, message in zip(ids, messages, strict=True)
        ],
    )
    index_later(OBJECT_DOC_TYPE, ids)


# Fields whose Python values need the field's own conversion (JSON, UUID, dates, decimals
# differ per database); every other value goes to the driver as it is.
_CONVERTED = (models.JSONField, models.UUIDField, models.DateTimeField, models.DecimalField)


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert `rows` (values in the order of the field names `names`) in one statement:
    COPY on PostgreSQL, one executemany elsewhere. No model instances and no signals,
    only the fields' own conversion to database values: about ten times cheaper than
    bulk_create for an import batch. Fields not named get their defaults (auto_now
    ones the current time). Database errors are Django's (IntegrityError, DataError),
    so a savepoint around the call rolls back as usual."""
    if not rows:
        return
    connection = transaction.get_connection()
    concrete = model._meta.concrete_fields
    by_name = {f.name: f for f in concrete} | {f.attname: f for f in concrete}
    given = [by_name[name] for name in names]
    missing = [f for f in concrete if f not in given and not f.primary_key]
    columns = [f.column for f in (*given, *missing)]
    # psycopg takes datetimes, UUIDs and decimals as they are; only JSON needs wrapping.
    converted = (models.JSONField,) if connection.vendor == "postgresql" else _CONVERTED
    conversions = [
        (index, f.get_db_prep_save)
        for index, f in enumerate((*given, *missing))
        if isinstance(f, converted)
    ]
    # Constant defaults are taken once per call; callable and auto_now ones per row.
    varying = [_varies(f) for f in missing]
    constant = [None if varies else _default(f) for f, varies in zip(missing, varying, strict=True)]
    data: list[list[Any]] = []
    for row in rows:
        if len(row) != len(given):
            raise ValueError(f"{len(row)} values for {len(given)} columns")
        values = [*row, *constant]
        for offset, f in enumerate(missing):
            if varying[offset]:
                values[len(given) + offset] = _default(f)
        for index, convert in conversions:
            if values[index] is not None:
                values[index] = convert(values[index], connection)
        data.append(values)
    quote = connection.ops.quote_name
    table, column_list = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's cursor does not wrap COPY: its errors are made Django's here.
            copy_sql = f"COPY {table} ({column_list}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in data:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, data)


def _varies(field: models.Field[Any, Any]) -> bool:
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return bool(auto or callable(field.default))


def _default(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


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


def collection_left(obj: HeritageObject, *, old_collection_id: int | None) -> None:
    """Record that `obj` left a collection, when its collection changed: the OAI-PMH set
    of that collection then reports the record as deleted (oai/records.py)."""
    if old_collection_id is None or old_collection_id == obj.collection_id:
        return
    code = Collection.objects.filter(pk=old_collection_id).values_list("code", flat=True).first()
    if code:
        SetDeparture.objects.create(pid=obj.pid, collection_code=code, left_at=timezone.now())
