"""The fast paths of an import: plain-row inserts, the hash, bulk index writes, indexing
in the background. Each must give exactly what the plain ORM path gives, on real files."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from reisgezel.heritage.models import (
    Dimension,
    HeritageObject,
    Inscription,
    ObjectAgent,
    Specimen,
)
from reisgezel.heritage.records import (
    HASH_VERSION,
    ObjectRecord,
    Outcome,
    object_upsert,
    objects_upsert,
    record_hash,
)
from reisgezel.heritage.services import OBJECT_DOC_TYPE
from reisgezel.interop.importers.base import JobOptions
from reisgezel.interop.importers.runner import READERS, import_job_run
from reisgezel.interop.models import JobStatus
from reisgezel.interop.tests.test_import_fixtures import (
    CIMEC,
    DWCA_DIR,
    MKG,
    collections,
    make_job,
    write_many_lido,
)
from reisgezel.search import background, services
from reisgezel.search.backends import get_backend
from reisgezel.search.models import SearchDocument, SearchFacet

__all__ = ["collections"]

GBIF = DWCA_DIR / "gbif-results.zip"


def records_of(fmt: str, path: Path, collection: str) -> list[ObjectRecord]:
    options = JobOptions(source=fmt, collection=collection)
    with READERS[fmt](path, options) as reader:
        return [p.record for p in reader.records() if p.record is not None]


def asdict_hash(record: ObjectRecord) -> str:
    """The hash as it was first written (dataclasses.asdict): stored hashes must stay
    valid, or every imported object would be updated by its next import."""
    data = asdict(record)
    data.pop("publish")
    # Added later (2026-11-29): a record without it hashes as records did before it.
    if not data["date_display_language"]:
        del data["date_display_language"]
    text = json.dumps([HASH_VERSION, data], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("fmt", "path"),
    [("lido", MKG), ("lido", CIMEC), ("dwca", GBIF), ("dwca", DWCA_DIR / "dwca-simple-csv.zip")],
)
def test_the_record_hash_is_the_one_already_stored(db: Any, fmt: str, path: Path) -> None:
    records = records_of(fmt, path, "ceramics")
    assert records
    for record in records:
        assert record_hash(record) == asdict_hash(record)


def _object_rows(source: str) -> list[tuple[Any, ...]]:
    """What a record wrote, without what differs by design between two sources."""
    rows = []
    for obj in HeritageObject.objects.filter(source=source).order_by("source_id"):
        specimen: dict[str, Any] = dict(Specimen.objects.filter(object=obj).values().first() or {})
        specimen.pop("id", None)
        specimen.pop("object_id", None)
        rows.append(
            (
                obj.source_id,
                obj.inventory_number,
                obj.title,
                obj.description,
                obj.date_display,
                obj.date_earliest,
                obj.date_latest,
                obj.production_place,
                obj.production_place_uri,
                obj.dimensions_display,
                obj.provenance,
                obj.credit_line,
                obj.rights_uri,
                obj.source_url,
                obj.is_public,
                obj.object_type_id,
                sorted(obj.materials.values_list("pk", flat=True)),
                sorted(obj.techniques.values_list("pk", flat=True)),
                sorted(obj.subjects.values_list("pk", flat=True)),
                list(
                    ObjectAgent.objects.filter(object=obj).values_list(
                        "agent_id", "role", "attribution", "position"
                    )
                ),
                list(Dimension.objects.filter(object=obj).values_list("kind", "value", "unit")),
                list(
                    Inscription.objects.filter(object=obj).values_list(
                        "kind", "transcription", "position", "description"
                    )
                ),
                specimen,
            )
        )
    return rows


def test_a_batch_writes_exactly_what_records_one_by_one_write(collections: Any) -> None:
    """The batch path inserts plain rows (COPY on PostgreSQL); the single path saves
    model instances. Both must store the same values: texts, language maps, decimals,
    years, makers, concepts, specimens."""
    lido = records_of("lido", MKG, "ceramics") + records_of("lido", CIMEC, "ceramics")
    dwca = records_of("dwca", GBIF, "natural-history")
    records = [replace(r, publish=True) for r in lido + dwca]
    outcomes = objects_upsert(records, source="batch", actor=None)
    assert outcomes == [Outcome.CREATED] * len(records)
    for record in records:
        # Another collection, so that inventory numbers and pids do not clash.
        other = replace(record, collection="other")
        assert object_upsert(other, source="single", actor=None) == Outcome.CREATED
    batch, single = _object_rows("batch"), _object_rows("single")
    assert len(batch) == len(records) and batch == single
    assert any(row[19] for row in batch) and any(row[22] for row in batch)  # makers, specimens
    new = HeritageObject.objects.filter(source="batch")
    assert len({obj.uuid for obj in new}) == len(records)
    # A repeated import of the same records finds them all unchanged.
    again = objects_upsert(records, source="batch", actor=None)
    assert again == [Outcome.UNCHANGED] * len(records)


def _vector_as_before(document: Any) -> str:
    """The tsvector SQL of the per-row expression the index used before the bulk upsert:
    each language's folded title (A) and body (B) with its own configuration and
    `simple`, configurations in alphabetical order; the shared text once, after the
    bodies in `simple`."""
    from reisgezel.search.backends.postgres import CONFIGS
    from reisgezel.search.text import words

    titles: dict[str, list[str]] = {}
    bodies: dict[str, list[str]] = {}
    for language, (title, body) in document.texts.items():
        for config in {CONFIGS.get(language, "simple"), "simple"}:
            titles.setdefault(config, []).append(" ".join(words(title)))
            bodies.setdefault(config, []).append(" ".join(words(body)))
    if document.shared:
        bodies.setdefault("simple", []).append(" ".join(words(document.shared)))
    parts = [
        (config, weight, "\n".join(texts[config]))
        for texts, weight in ((titles, "A"), (bodies, "B"))
        for config in sorted(texts)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ("
            + " || ".join(
                f"setweight(to_tsvector('{config}'::regconfig, %s), '{weight}')"
                for config, weight, _text in parts
            )
            + ")::text",
            [text for _config, _weight, text in parts],
        )
        return str(cursor.fetchone()[0])


def test_bulk_index_writes_give_each_document_its_vector_and_facets(collections: Any) -> None:
    records = records_of("lido", MKG, "ceramics") + records_of("lido", CIMEC, "ceramics")
    records += records_of("dwca", GBIF, "natural-history")
    objects_upsert([replace(r, publish=True) for r in records], source="x", actor=None)
    ids = list(HeritageObject.objects.values_list("pk", flat=True))
    assert services.documents_index(doc_type=OBJECT_DOC_TYPE, ids=ids) == len(ids)
    # Indexing again updates in place: same rows, same ids, facets not doubled.
    first = dict(SearchDocument.objects.values_list("object_id", "pk"))
    facet_count = SearchFacet.objects.count()
    services.documents_index(doc_type=OBJECT_DOC_TYPE, ids=ids)
    assert dict(SearchDocument.objects.values_list("object_id", "pk")) == first
    assert SearchFacet.objects.count() == facet_count
    from reisgezel.search import registry

    for document in registry.get(OBJECT_DOC_TYPE).build(ids):
        row = SearchDocument.objects.get(doc_type=OBJECT_DOC_TYPE, object_id=document.object_id)
        stored = set(SearchFacet.objects.filter(document=row).values_list("name", "value"))
        wanted = {(name, value) for name, values in document.facets.items() for value in values}
        assert stored == wanted and wanted
        assert row.url == document.url and row.public
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT search_vector::text FROM search_document WHERE id = %s", [row.pk]
                )
                assert cursor.fetchone()[0] == _vector_as_before(document)
    assert get_backend().using == "default"
    if connection.vendor == "postgresql":
        # The staging table is emptied by TRUNCATE: no dead rows for later batches to scan.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('search_document_load')")
            assert cursor.fetchone()[0] == 0


def _import_thirty_and_check_the_index(tmp_path: Path) -> None:
    """Import 30 published LIDO records in batches of 7; every object is then indexed,
    with its facet rows."""
    job = import_job_run(
        make_job(
            "lido", write_many_lido(tmp_path / "30.xml", 30), collection_code="other", publish=True
        ),
        batch_size=7,
    )
    assert (job.status, job.created_count) == (JobStatus.FINISHED, 30)
    documents = SearchDocument.objects.filter(doc_type=OBJECT_DOC_TYPE, public=True)
    assert sorted(documents.values_list("object_id", flat=True)) == sorted(
        HeritageObject.objects.values_list("pk", flat=True)
    )
    assert SearchFacet.objects.filter(document__in=documents, name="o.public").count() == 30


@pytest.mark.django_db(transaction=True)
def test_an_import_leaves_every_object_indexed(
    collections: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are indexed after their commit (on PostgreSQL by the background
    indexer); when the job is finished, so is the index."""
    handed_over: list[tuple[str, str, list[int]]] = []
    put = background.IndexerThread.put

    def spy(self: Any, work: Any) -> None:
        if work is not None:
            handed_over.append(work)
        put(self, work)

    monkeypatch.setattr(background.IndexerThread, "put", spy)
    _import_thirty_and_check_the_index(tmp_path)
    objects = set(HeritageObject.objects.values_list("pk", flat=True))
    indexed = {pk for kind, _name, ids in handed_over if kind == "index" for pk in ids}
    if connection.vendor == "postgresql":  # SQLite has one writer: indexed in line
        assert objects <= indexed
    else:
        assert not handed_over


@pytest.mark.django_db(transaction=True)
def test_a_failing_index_stops_the_import_with_its_error(
    collections: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("the index is broken")

    monkeypatch.setattr(services, "_index_batch", broken)
    job = make_job("lido", write_many_lido(tmp_path / "20.xml", 20), collection_code="other")
    with pytest.raises(RuntimeError, match="the index is broken"):
        import_job_run(job, batch_size=5)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "the index is broken" in job.error


def test_a_resumed_job_first_indexes_what_the_stopped_run_did_not(
    collections: Any, tmp_path: Path
) -> None:
    path = write_many_lido(tmp_path / "12.xml", 12)
    job = make_job("lido", path, collection_code="other")
    job = import_job_run(job, batch_size=5)
    ids = list(HeritageObject.objects.values_list("pk", flat=True))
    services.documents_index(doc_type=OBJECT_DOC_TYPE, ids=ids)
    # As if the run died after committing its last batch but before indexing it.
    SearchDocument.objects.filter(object_id__in=ids[-2:]).delete()
    type(job).objects.filter(pk=job.pk).update(status=JobStatus.FAILED, checkpoint=10)
    job.refresh_from_db()
    job = import_job_run(job, batch_size=5)
    assert job.status == JobStatus.FINISHED
    indexed = set(SearchDocument.objects.values_list("object_id", flat=True))
    assert indexed == set(ids)


@pytest.mark.django_db(transaction=True)
def test_a_large_import_indexes_in_a_process_of_its_own(
    collections: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """From INDEX_PROCESS_FROM records on, PostgreSQL indexes in a child process (on
    the test database, as the import's own connection); the index is complete and the
    child gone when the job is finished."""
    from reisgezel.search import indexer_process

    settings.HERITAGE_IMPORT = {**settings.HERITAGE_IMPORT, "INDEX_PROCESS_FROM": 20}
    workers: list[Any] = []
    start = indexer_process.IndexerProcess.__init__

    def spy(self: Any, using: str) -> None:
        workers.append(self)
        start(self, using)

    monkeypatch.setattr(indexer_process.IndexerProcess, "__init__", spy)
    _import_thirty_and_check_the_index(tmp_path)
    if connection.vendor == "postgresql":
        assert len(workers) == 1 and workers[0].process.returncode == 0
    else:  # one writer: indexed in line, no process
        assert not workers
    # A small file (fewer records to go than INDEX_PROCESS_FROM) keeps the thread.
    job = import_job_run(
        make_job("lido", write_many_lido(tmp_path / "5.xml", 5), collection_code="other"),
        batch_size=7,
    )
    assert job.status == JobStatus.FINISHED and len(workers) <= 1


def _planner_rows(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        return int(cursor.fetchone()[0])


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_an_import_analyzes_the_tables_it_fills_as_they_double(
    collections: Any, tmp_path: Path, settings: Any
) -> None:
    """Without statistics PostgreSQL reads whole tables for the per-batch lookups; the
    import analyzes from ANALYZE_FROM objects on and each time they have doubled."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE heritage_heritageobject")  # empty: statistics of 0 rows
    settings.HERITAGE_IMPORT = {**settings.HERITAGE_IMPORT, "ANALYZE_FROM": 10}
    _import_thirty_and_check_the_index(tmp_path)
    # Batches of 7: 14 objects (>= 10: ANALYZE, the next at 28), 21, 28 (ANALYZE, the
    # next at 56), 30: the statistics last saw 28 objects, and the facet rows.
    assert _planner_rows(HeritageObject) == 28
    assert _planner_rows(SearchFacet) > 0


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # any usable index wins
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_batch_lookups_by_source_id_can_use_the_source_index(
    collections: Any, settings: Any
) -> None:
    """The unique index on (source, source_id) leaves out objects without a source id;
    the lookups of a batch (known objects before, new ids after the insert) must say so
    too, or the database cannot use the index and reads the whole table for every batch
    (as PostgreSQL did: a 1,000,000-record import read the object table 2,000 times)."""
    from django.test.utils import CaptureQueriesContext

    from reisgezel.heritage.records import UpsertContext

    records = records_of("dwca", GBIF, "natural-history")
    context = UpsertContext(source="dwca")
    with CaptureQueriesContext(connection) as queries:
        context.prefetch(records)  # as the import does, batch by batch
        outcomes = objects_upsert(records, source="dwca", actor=None, context=context)
    assert set(outcomes) == {Outcome.CREATED}
    lookups = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and '"heritage_heritageobject"."source_id"' in q["sql"].split("WHERE", 1)[-1]
    ]
    assert len(lookups) == 2  # the known objects, the new ids
    # ... and an image inside the file finds its object the same way.
    from reisgezel.interop.importers.base import LocalMedia
    from reisgezel.interop.importers.media import local_media_attach

    photo = Path(settings.SHARED_DATA_DIR) / "iiif" / "images" / "landscape_1.jpg"
    image = LocalMedia("img-1", records[0].source_id, photo)
    with CaptureQueriesContext(connection) as queries:
        assert (
            local_media_attach(image, source="dwca", actor=None, dry_run=True, attached=set())
            is None
        )
    lookups += [q["sql"] for q in queries if '"heritage_heritageobject"."source_id" =' in q["sql"]]
    assert len(lookups) == 3
    for lookup in lookups:
        plan = _plan(lookup)
        assert "heritage_object_unique_source_id" in plan, plan


def test_insert_rows_gives_each_row_its_own_callable_defaults(collections: Any) -> None:
    """Columns not named get their defaults: a constant once, a callable (uuid4) and
    auto_now per row; JSON and other values are converted for the database."""
    from reisgezel.heritage.models import Collection
    from reisgezel.heritage.services import insert_rows

    collection = Collection.objects.get(code="other")
    insert_rows(
        HeritageObject,
        ("pid", "inventory_number", "collection_id", "title"),
        [
            ("row-1", "R-1", collection.pk, {"nl": "Eerste", "en": "First"}),
            ("row-2", "R-2", collection.pk, {"nl": "Tweede"}),
        ],
    )
    first, second = HeritageObject.objects.filter(pid__startswith="row-").order_by("pid")
    assert first.uuid != second.uuid  # uuid4 per row, not one for the batch
    assert first.title == {"nl": "Eerste", "en": "First"} and second.title == {"nl": "Tweede"}
    assert first.is_public is False and first.description == {}
    assert first.created_at is not None and first.updated_at is not None
    with pytest.raises(ValueError, match="3 values for 4 columns"):
        insert_rows(
            HeritageObject,
            ("pid", "inventory_number", "collection_id", "title"),
            [("row-3", "R-3", collection.pk)],
        )
