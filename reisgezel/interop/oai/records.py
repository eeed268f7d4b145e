"""What the repository holds, read for OAI-PMH: item headers in harvest order and the
objects behind them.

Harvest order is three phases, each in (datestamp, id) order: public objects, hidden
objects (reported as deleted) and tombstones of deleted objects (deleted forever); a
harvest of one set has a fourth: objects that left the set for another collection
(reported as deleted in this set, `SetDeparture`). Each
phase is read with a keyset condition (datestamp, id) > (last sent), never OFFSET, so
every page costs the same; public and hidden objects use the (is_public, updated_at)
index, tombstones the index on deleted_at. A record changed during a harvest moves to
the end of its phase and is sent again, never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from reisgezel.heritage.models import HeritageObject, SetDeparture, Tombstone
from reisgezel.interop.oai.objects import OBJECT_FIELDS

PUBLIC, HIDDEN, DELETED, DEPARTED = "public", "hidden", "deleted", "departed"
PHASES = (PUBLIC, HIDDEN, DELETED, DEPARTED)
# Where a header's values are in a row of OBJECT_FIELDS.
_ID, _PID, _AT, _SET = (
    OBJECT_FIELDS.index(name) for name in ("id", "pid", "updated_at", "collection__code")
)


@dataclass(frozen=True)
class Header:
    pid: str
    datestamp: datetime
    set_spec: str
    deleted: bool
    phase: str
    row_id: int  # object id (public/hidden) or tombstone id (deleted)
    # The object's own columns (objects.OBJECT_FIELDS), when the header was read with
    # them: ListRecords reads a page of public objects in the query that finds it.
    row: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Selection:
    set_spec: str = ""
    from_time: datetime | None = None
    until_time: datetime | None = None


def _window(field: str, selection: Selection) -> Q:
    q = Q()
    if selection.from_time is not None:
        q &= Q(**{f"{field}__gte": selection.from_time})
    if selection.until_time is not None:
        q &= Q(**{f"{field}__lt": selection.until_time})
    return q


def _after(field: str, after_time: datetime | None, after_id: int | None) -> Q:
    if after_time is None or after_id is None:
        return Q()
    # The redundant `>=` gives the database an index range to start from.
    return Q(**{f"{field}__gte": after_time}) & (
        Q(**{f"{field}__gt": after_time}) | Q(**{field: after_time, "id__gt": after_id})
    )


def _objects(phase: str | None, selection: Selection) -> QuerySet[HeritageObject]:
    qs = HeritageObject.objects.filter(_window("updated_at", selection))
    if phase is not None:
        qs = qs.filter(is_public=phase == PUBLIC)
    if selection.set_spec:
        qs = qs.filter(collection__code=selection.set_spec)
    return qs


def _tombstones(selection: Selection) -> QuerySet[Tombstone]:
    qs = Tombstone.objects.filter(_window("deleted_at", selection)).exclude(
        # A pid given again to a new object is that object's record, not a deletion.
        Exists(HeritageObject.objects.filter(pid=OuterRef("pid")))
    )
    if selection.set_spec:
        qs = qs.filter(collection_code=selection.set_spec)
    return qs


def _departures(selection: Selection) -> QuerySet[SetDeparture]:
    """Objects that left the selected set, and are not back in it (one harvest of one
    set only: across all sets the object is still there, under its new set)."""
    if not selection.set_spec:
        return SetDeparture.objects.none()
    back = HeritageObject.objects.filter(pid=OuterRef("pid"), collection__code=selection.set_spec)
    return SetDeparture.objects.filter(
        _window("left_at", selection), collection_code=selection.set_spec
    ).exclude(Exists(back))


def _phase_headers(
    phase: str,
    selection: Selection,
    after: tuple[datetime | None, int | None],
    limit: int,
    with_rows: bool,
) -> list[Header]:
    if phase == DEPARTED:
        departed = (
            _departures(selection)
            .filter(_after("left_at", *after))
            .order_by("left_at", "id")
            .values_list("id", "pid", "left_at", "collection_code")[:limit]
        )
        return [Header(pid, at, code, True, phase, pk) for pk, pid, at, code in departed]
    if phase == DELETED:
        rows = (
            _tombstones(selection)
            .filter(_after("deleted_at", *after))
            .order_by("deleted_at", "id")
            .values_list("id", "pid", "deleted_at", "collection_code")[:limit]
        )
        return [Header(pid, at, code, True, phase, pk) for pk, pid, at, code in rows]
    in_order = _objects(phase, selection).filter(_after("updated_at", *after))
    in_order = in_order.order_by("updated_at", "id")
    if with_rows and phase == PUBLIC:
        full_rows: list[tuple[Any, ...]] = list(in_order.values_list(*OBJECT_FIELDS)[:limit])
        return [
            Header(row[_PID], row[_AT], row[_SET], False, phase, row[_ID], row) for row in full_rows
        ]
    object_rows = in_order.values_list("id", "pid", "updated_at", "collection__code")[:limit]
    return [Header(pid, at, code, phase != PUBLIC, phase, pk) for pk, pid, at, code in object_rows]


def headers_from(
    selection: Selection,
    *,
    phase: str,
    after: tuple[datetime | None, int | None],
    limit: int,
    with_rows: bool = False,
) -> list[Header]:
    """Up to `limit` headers in harvest order, starting after `after` in `phase`.
    `with_rows`: public objects' headers carry their columns (for ListRecords)."""
    headers: list[Header] = []
    for current in PHASES[PHASES.index(phase) :]:
        position = after if current == phase else (None, None)
        headers += _phase_headers(current, selection, position, limit - len(headers), with_rows)
        if len(headers) >= limit:
            break
    return headers


def count(selection: Selection) -> int:
    """Items in the list: objects public or hidden, tombstones, and (for one set) the
    objects that left it."""
    return (
        _objects(None, selection).count()
        + _tombstones(selection).count()
        + _departures(selection).count()
    )


def header_for_pid(pid: str) -> Header | None:
    row = HeritageObject.objects.filter(pid=pid).values_list(
        "id", "updated_at", "collection__code", "is_public"
    )
    for pk, at, code, public in row:
        return Header(pid, at, code, not public, PUBLIC if public else HIDDEN, pk)
    for pk, at, code in Tombstone.objects.filter(pid=pid).values_list(
        "id", "deleted_at", "collection_code"
    ):
        return Header(pid, at, code, True, DELETED, pk)
    return None


def earliest_datestamp() -> datetime | None:
    """The oldest datestamp; per is_public value so each read is an index lookup."""
    candidates = [
        HeritageObject.objects.filter(is_public=public)
        .order_by("updated_at")
        .values_list("updated_at", flat=True)
        .first()
        for public in (True, False)
    ]
    candidates.append(
        Tombstone.objects.order_by("deleted_at").values_list("deleted_at", flat=True).first()
    )
    found = [t for t in candidates if t is not None]
    return min(found) if found else None
