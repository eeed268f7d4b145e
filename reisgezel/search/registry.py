"""The document registry: how each domain's records become search documents.

A domain app declares a `DocumentType` in its own `search.py` and registers it in its
AppConfig.ready(). The search app never imports a domain app; it only knows the
registered types. Services call `index_later(...)` / `remove_later(...)` inside their
transaction; the index is updated after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

from django.db import transaction
from django.utils.functional import Promise


@dataclass(frozen=True)
class Document:
    """One searchable record, as a domain describes it.

    `texts` maps a language code to its title and body in that language; a record
    with Dutch and English texts is indexed with both stemmers. `facets` maps a facet
    name to its values (codes or ids as strings), counted by `search()`.
    """

    doc_type: str
    object_id: int
    url: str
    texts: dict[str, tuple[str, str]]
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


_REGISTRY: dict[str, DocumentType] = {}


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
    id_list = sorted(set(ids))
    if not id_list:
        return
    transaction.on_commit(lambda: _services().documents_index(doc_type=doc_type, ids=id_list))


def remove_later(doc_type: str, ids: Iterable[int]) -> None:
    id_list = sorted(set(ids))
    if not id_list:
        return
    transaction.on_commit(lambda: _services().documents_remove(doc_type=doc_type, ids=id_list))


def _services() -> ModuleType:
    # Imported late: the services import models, and the registry is imported at app load.
    from reisgezel.search import services

    return services
