"""A throwaway document type over an in-memory dict: search is tested without any domain."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pytest

from reisgezel.search import registry
from reisgezel.search.registry import Document, DocumentType
from reisgezel.search.services import documents_index


@dataclass
class Record:
    texts: dict[str, tuple[str, str]]
    facets: dict[str, list[str]] = field(default_factory=dict)
    public: bool = True
    boost: float = 1.0


class FakeType:
    """Records kept in a dict; `put` stores a record and indexes it at once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records: dict[int, Record] = {}
        self.document_type = DocumentType(
            name=name, label=name.title(), build=self.build, all_ids=self.all_ids
        )

    def build(self, ids: Sequence[int]) -> Iterator[Document]:
        for object_id in ids:
            record = self.records.get(object_id)
            if record is not None:
                yield Document(
                    doc_type=self.name,
                    object_id=object_id,
                    url=f"/{self.name}/{object_id}/",
                    texts=record.texts,
                    facets=record.facets,
                    public=record.public,
                    boost=record.boost,
                )

    def all_ids(self) -> Iterable[int]:
        return list(self.records)

    def put(
        self,
        object_id: int,
        *,
        nl: tuple[str, str] | None = None,
        en: tuple[str, str] | None = None,
        texts: dict[str, tuple[str, str]] | None = None,
        index: bool = True,
        **options: object,
    ) -> None:
        all_texts = dict(texts or {})
        if nl:
            all_texts["nl"] = nl
        if en:
            all_texts["en"] = en
        self.records[object_id] = Record(texts=all_texts, **options)  # type: ignore[arg-type]
        if index:
            documents_index(doc_type=self.name, ids=[object_id])


@pytest.fixture
def books() -> Iterator[FakeType]:
    fake = FakeType("book")
    registry.register(fake.document_type)
    yield fake
    registry.unregister(fake.name)


@pytest.fixture
def films() -> Iterator[FakeType]:
    fake = FakeType("film")
    registry.register(fake.document_type)
    yield fake
    registry.unregister(fake.name)
