"""Saving records that staff edit by hand (the Django admin).

The admin is a thin layer over these functions: every save and delete is audit-logged
and reaches the search index the same way as imports and the other services do.
Objects keep their rules here: an empty period is filled from the displayed date
("c. 1850-1870" -> 1845..1875) and deletion leaves a tombstone (services.object_delete).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reisgezel.core.audit import audit_record
from reisgezel.heritage.dates import parse_fuzzy_date
from reisgezel.heritage.models import (
    Agent,
    Collection,
    Concept,
    DialectEntry,
    Exhibit,
    HeritageObject,
    Tombstone,
)
from reisgezel.heritage.search import EXHIBIT_DOC_TYPE, MEANING_DOC_TYPE, WORD_DOC_TYPE
from reisgezel.heritage.services import OBJECT_DOC_TYPE, collection_left, object_changed
from reisgezel.search.registry import index_later, remove_later


def object_fill_period(obj: HeritageObject) -> bool:
    """Derive earliest/latest years from the displayed date when both are empty.
    Returns whether it did; an unparsable text leaves the period unknown."""
    if not obj.date_display or obj.date_earliest is not None or obj.date_latest is not None:
        return False
    obj.date_earliest, obj.date_latest = parse_fuzzy_date(obj.date_display)
    return obj.date_earliest is not None or obj.date_latest is not None


@transaction.atomic
def pid_problem(pid: str, *, obj: HeritageObject | None = None) -> str | None:
    """Why `pid` cannot be this object's persistent identifier, or None. A persistent URI
    never changes and never comes back: a deleted object's URI keeps answering 410."""
    if obj is not None and obj.pk is not None:
        stored = HeritageObject.objects.filter(pk=obj.pk).values_list("pid", flat=True).first()
        if stored is not None and stored != pid:
            return str(_("A persistent identifier never changes once the object exists."))
    if Tombstone.objects.filter(pid=pid).exists():
        return str(
            _(
                "This persistent identifier belonged to a deleted object, whose address "
                "keeps saying so. Choose another."
            )
        )
    return None


def object_save(
    *, obj: HeritageObject, actor: Any, created: bool, changed: Iterable[str] = ()
) -> HeritageObject:
    """Save an object edited by hand, audit-logged ("create"/"update") and reindexed.
    Its persistent identifier is checked (pid_problem); the admin's form shows why."""
    if problem := pid_problem(obj.pid, obj=None if created else obj):
        raise ValidationError({"pid": [problem]})
    fields = list(changed)
    if object_fill_period(obj):
        fields += ["date_earliest", "date_latest"]
    old_collection_id = (
        None
        if created
        else HeritageObject.objects.filter(pk=obj.pk)
        .values_list("collection_id", flat=True)
        .first()
    )
    obj.save()
    collection_left(obj, old_collection_id=old_collection_id)
    object_changed(
        obj, actor=actor, action="create" if created else "update", message=", ".join(fields)
    )
    return obj


def object_parts_changed(obj: HeritageObject, *, actor: Any, part: str, summary: str) -> None:
    """Makers, dimensions, inscriptions or the specimen of an object were edited."""
    object_changed(obj, actor=actor, action="update", message=f"{part}: {summary}")


def _reindex(record: models.Model) -> None:
    """Search documents that show this record's text."""
    pk = record.pk
    if isinstance(record, Exhibit):
        index_later(EXHIBIT_DOC_TYPE, [pk])
    elif isinstance(record, DialectEntry):
        index_later(WORD_DOC_TYPE, [pk])
        index_later(MEANING_DOC_TYPE, [pk])
    elif isinstance(record, Agent):
        _objects_shown_anew(list(record.works.values_list("object_id", flat=True)))
    elif isinstance(record, Collection):
        _objects_shown_anew(list(record.items.values_list("pk", flat=True)))
    elif isinstance(record, Concept):
        _objects_shown_anew(_objects_using(record))


def _objects_shown_anew(ids: list[int]) -> None:
    """Objects whose records now read differently (a maker renamed, a term relabelled):
    reindexed, and their datestamp moved, so OAI-PMH harvesters asking `from` get them."""
    HeritageObject.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    index_later(OBJECT_DOC_TYPE, ids)


def _shown_by(exhibit_id: int) -> set[int]:
    """The public objects a public exhibit shows (none while it is hidden)."""
    objects = HeritageObject.objects.filter(
        is_public=True,
        exhibit_items__section__exhibit_id=exhibit_id,
        exhibit_items__section__exhibit__is_public=True,
    )
    return set(objects.values_list("pk", flat=True))


@contextmanager
def exhibits_showing_tracked(*exhibit_ids: int | None) -> Iterator[None]:
    """Around a change to exhibits (published, hidden, deleted, sections or objects
    edited): the objects an exhibit starts or stops showing are shown anew, and so are
    the dictionary entries linked to an exhibit that was published, hidden or deleted.
    Their pages and linked data name the public exhibits, and `updated_at` is their
    last change for the sitemap and for harvesters. Ids of None (not saved yet) are
    skipped: an exhibit shows nothing before it exists."""
    ids = {pk for pk in exhibit_ids if pk is not None}
    before = {pk: _shown_by(pk) for pk in ids}
    public_before = _public_exhibits(ids)
    entries = _entries_naming(ids)  # before: a deleted exhibit's links go with it
    yield
    changed = set().union(*(shown ^ _shown_by(pk) for pk, shown in before.items()))
    if changed:
        _objects_shown_anew(sorted(changed))
    if public_before != _public_exhibits(ids):
        _entries_shown_anew(entries)


def _public_exhibits(ids: set[int]) -> set[int]:
    return set(Exhibit.objects.filter(pk__in=ids, is_public=True).values_list("pk", flat=True))


def _entries_naming(exhibit_ids: Iterable[int]) -> list[int]:
    """Dictionary entries whose page and linked data name these exhibits (if public)."""
    entries = DialectEntry.objects.filter(related_exhibits__in=list(exhibit_ids))
    return list(entries.values_list("pk", flat=True).distinct())


def _entries_shown_anew(ids: list[int]) -> None:
    if ids:
        DialectEntry.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _tracked(record: models.Model) -> AbstractContextManager[None]:
    return exhibits_showing_tracked(record.pk) if isinstance(record, Exhibit) else nullcontext()


def _objects_using(concept: Concept) -> list[int]:
    objects = HeritageObject.objects.filter(
        models.Q(object_type=concept)
        | models.Q(materials=concept)
        | models.Q(techniques=concept)
        | models.Q(subjects=concept)
    )
    return list(objects.values_list("pk", flat=True).distinct())


@transaction.atomic
def record_save(
    *, record: models.Model, actor: Any, created: bool, changed: Iterable[str] = ()
) -> models.Model:
    """Save an agent, concept, collection, exhibit or dictionary entry, audit-logged."""
    with _tracked(record):
        record.save()
    if isinstance(record, Exhibit) and record.is_public and {"title", "slug"} & set(changed):
        # The pages and linked data of its objects and entries name it and link it.
        _objects_shown_anew(sorted(_shown_by(record.pk)))
        _entries_shown_anew(_entries_naming([record.pk]))
    audit_record(
        actor=actor,
        action="create" if created else "update",
        target=record,
        data={"fields": list(changed)},
    )
    _reindex(record)
    return record


def record_parts_changed(record: models.Model, *, actor: Any, part: str, summary: str) -> None:
    """Sections of an exhibit, senses of an entry, ... were edited (inside the save)."""
    audit_record(actor=actor, action="update", target=record, message=f"{part}: {summary}")
    _reindex(record)


@transaction.atomic
def record_delete(*, record: models.Model, actor: Any) -> None:
    """Delete an agent, concept, collection, exhibit or dictionary entry, audit-logged.
    (Objects are deleted with services.object_delete, which leaves a tombstone.)"""
    audit_record(actor=actor, action="delete", target=record, data={"label": str(record)})
    if isinstance(record, Exhibit):
        remove_later(EXHIBIT_DOC_TYPE, [record.pk])
    elif isinstance(record, DialectEntry):
        remove_later(WORD_DOC_TYPE, [record.pk])
        remove_later(MEANING_DOC_TYPE, [record.pk])
    # The objects that named a maker or used a term read differently once it is gone:
    # their facets, search text and OAI-PMH datestamps follow (as after a rename).
    affected: list[int] = []
    if isinstance(record, Agent):
        affected = list(record.works.values_list("object_id", flat=True))
    elif isinstance(record, Concept):
        affected = _objects_using(record)
    with _tracked(record):
        record.delete()
    if affected:
        _objects_shown_anew(affected)


@transaction.atomic
def records_set_public(
    records: Iterable[Exhibit | DialectEntry], *, public: bool, actor: Any
) -> int:
    """Publish or hide exhibits or dictionary entries (objects: services.objects_set_public)."""
    changed = 0
    for record in records:
        if record.is_public == public:
            continue
        record.is_public = public
        with _tracked(record):
            record.save(update_fields=["is_public", "updated_at"])
        audit_record(actor=actor, action="publish" if public else "unpublish", target=record)
        _reindex(record)
        changed += 1
    return changed
