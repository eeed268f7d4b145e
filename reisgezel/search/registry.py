"""The document registry: how each domain's records become search documents.

A domain app declares a `DocumentType` in its own `search.py` and registers it in its
AppConfig.ready(). The search app never imports a domain app; it only knows the
registered types. Services call `index_later(...)` / `remove_later(...)` inside their
transaction; the index is updated after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import ModuleType
from typing import Any

from django.db import transaction
from django.utils.functional import Promise


@dataclass(frozen=True)
class Document:
    """One searchable record, as a domain describes it.

    `texts` maps a language code to its title and body in that language; a record
    with Dutch and English texts is indexed with both stemmers. `shared` is body text
    that is the same in every language (names, places, numbers, dates): indexed once,
    as words without a language's stemming, instead of once per language (a large
    record's vector was half repetitions). `facets` maps a facet name to its values
    (codes or ids as strings), counted by `search()`.
    """

    doc_type: str
    object_id: int
    url: str
    texts: dict[str, tuple[str, str]]
    shared: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)
    public: bool = True
    boost: float = 1.0


@dataclass(frozen=True)
class DocumentType:
    name: str
    label: str | Promise
    build: Callable[[Sequence[int]], Iterable[Document]]
    """Build the documents of the given object ids (missing ids are simply absent)."""
    all_ids: Callable[[], Iterable[int]]
    """Every object id of this type (for a full reindex)."""


@dataclass(frozen=True)
class Dependency:
    """Documents of `doc_type` show text of records of type `on` (an event shows its
    place's name): when such records are reindexed, `ids_for` names the dependent
    records to reindex with them."""

    on: str
    doc_type: str
    ids_for: Callable[[Sequence[int]], Iterable[int]]


_REGISTRY: dict[str, DocumentType] = {}
_DEPENDENCIES: list[Dependency] = []


def register_dependency(dependency: Dependency) -> None:
    if dependency not in _DEPENDENCIES:
        _DEPENDENCIES.append(dependency)


def register(doc_type: DocumentType) -> None:
    existing = _REGISTRY.get(doc_type.name)
    if existing is not None and existing is not doc_type:
        raise ValueError(f"Search document type {doc_type.name!r} is registered twice")
    _REGISTRY[doc_type.name] = doc_type


def unregister(name: str) -> None:
    """Forget a type (for tests that register throwaway types)."""
    _REGISTRY.pop(name, None)


def registered() -> dict[str, DocumentType]:
    return dict(_REGISTRY)


def get(name: str) -> DocumentType:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"No search document type {name!r} is registered") from None


def index_later(doc_type: str, ids: Iterable[int]) -> None:
    """(Re)index these records after the current transaction commits."""
    _queue(doc_type, ids, removing=False)


def remove_later(doc_type: str, ids: Iterable[int]) -> None:
    _queue(doc_type, ids, removing=True)


# Pending work per database connection: {(doc_type, removing): ids}. An import of 10,000
# records in one transaction then indexes them in a few batches after the commit, not
# one documents_index call per record.
_PENDING_ATTR = "_reisgezel_search_pending"


def _queue(doc_type: str, ids: Iterable[int], *, removing: bool) -> None:
    id_set = set(ids)
    if not id_set:
        return
    connection = transaction.get_connection()
    if not _drain_scheduled(connection):
        # Whatever is pending belongs to work that was rolled back (its callbacks went
        # with it): removing or indexing those ids at the next commit would undo a
        # rollback in the index.
        connection.__dict__.pop(_PENDING_ATTR, None)
    pending: dict[tuple[str, bool], set[int]] = connection.__dict__.setdefault(_PENDING_ATTR, {})
    pending.setdefault((doc_type, removing), set()).update(id_set)
    # A callback per call, each draining everything pending: callbacks registered in a
    # savepoint that is rolled back are dropped by Django, and any surviving one must
    # still do the work. The ones after the first find nothing left to do.
    transaction.on_commit(partial(_drain, connection))


def _drain_scheduled(connection: Any) -> bool:
    """Is one of our drains among the connection's pending commit callbacks?"""
    return any(
        isinstance(callback, partial) and callback.func is _drain
        for _savepoints, callback, _robust in connection.run_on_commit
    )


def _drain(connection: Any) -> None:
    pending: dict[tuple[str, bool], set[int]] = connection.__dict__.pop(_PENDING_ATTR, {})
    services = _services()
    # A removal is carried out as a reindex: documents_index removes the document of a
    # record its type no longer builds (deleted, or no longer indexable) and keeps one
    # that is still there. So a deletion rolled back with its savepoint, whose queued
    # ids this connection cannot tell from the surviving ones, never empties the index
    # of a record that exists.
    by_type: dict[str, set[int]] = {}
    for (doc_type, _removing), ids in pending.items():
        by_type.setdefault(doc_type, set()).update(ids)
    for doc_type, ids in by_type.items():
        services.documents_index(doc_type=doc_type, ids=sorted(ids))
    for (doc_type, removing), ids in pending.items():
        if not removing:
            for dependency in _DEPENDENCIES:
                if dependency.on == doc_type:
                    dependent = sorted(set(dependency.ids_for(sorted(ids))))
                    if dependent:
                        services.documents_index(doc_type=dependency.doc_type, ids=dependent)


def _services() -> ModuleType:
    # Imported late: the services import models, and the registry is imported at app load.
    from reisgezel.search import services

    return services
