"""object_upsert: one record in, one object (with all its parts) out, idempotently."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import timezone

from reisgezel.core.models import AuditEntry
from reisgezel.heritage.models import (
    Agent,
    Collection,
    CollectionKind,
    Concept,
    ConceptScheme,
    Dimension,
    HeritageObject,
    MakerRole,
    ObjectAgent,
    Specimen,
    Tombstone,
)
from reisgezel.heritage.records import (
    AgentRecord,
    ConceptRecord,
    DimensionRecord,
    InscriptionRecord,
    InvalidRecordError,
    MakerRecord,
    ObjectRecord,
    Outcome,
    SpecimenRecord,
    UpsertContext,
    object_upsert,
    objects_upsert,
)

pytestmark = pytest.mark.django_db

AAT_PLATE = "http://vocab.getty.edu/aat/300042881"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


@pytest.fixture(autouse=True)
def collections() -> None:
    Collection.objects.create(
        code="ceramics", kind=CollectionKind.CERAMICS, name={"nl": "Keramiek"}, institution="CC"
    )
    Collection.objects.create(
        code="natural-history",
        kind=CollectionKind.NATURAL_HISTORY,
        name={"nl": "Natuurhistorie"},
        institution="NHMM",
    )


def plate(**changes: object) -> ObjectRecord:
    record = ObjectRecord(
        source_id="CC-1883-001",
        collection="ceramics",
        inventory_number="1883.001",
        title={"nl": "Bord met blauw decor", "en": "Plate with blue decoration"},
        object_type=ConceptRecord(
            ConceptScheme.OBJECT_TYPE, {"nl": "bord", "en": "plate"}, AAT_PLATE
        ),
        materials=(ConceptRecord(ConceptScheme.MATERIAL, {"nl": "aardewerk"}),),
        techniques=(ConceptRecord(ConceptScheme.TECHNIQUE, {"nl": "transferdruk"}),),
        makers=(
            MakerRecord(
                AgentRecord(
                    "Petrus Regout", wikidata_id="Q2289446", birth_year=1801, death_year=1878
                ),
                MakerRole.MANUFACTURER,
            ),
        ),
        date_display="c. 1850-1870",
        date_earliest=1845,
        date_latest=1875,
        dimensions=(DimensionRecord("diameter", Decimal("24.5"), "cm"),),
        inscriptions=(InscriptionRecord("mark", "P. REGOUT MAESTRICHT", "onderzijde"),),
        rights_uri=CC0,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def mosasaur(**changes: object) -> ObjectRecord:
    specimen = SpecimenRecord(
        basis_of_record="FossilSpecimen",
        scientific_name="Mosasaurus hoffmanni",
        latitude=Decimal("50.8241"),
        longitude=Decimal("5.6869"),
        formation="Maastricht Formation",
        stage="Maastrichtian",
    )
    record = ObjectRecord(
        source_id="NHMM-1998-001",
        collection="natural-history",
        inventory_number="NHMM 1998 001",
        title={"nl": "Mosasaurus hoffmanni"},
        materials=(ConceptRecord(ConceptScheme.MATERIAL, {"nl": "kalksteen"}),),
        specimen=specimen,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def test_a_record_becomes_an_object_with_all_its_parts() -> None:
    assert object_upsert(plate(), source="csv", actor=None) == Outcome.CREATED
    obj = HeritageObject.objects.get()
    assert (obj.pid, obj.source, obj.source_id, obj.is_public) == (
        "ceramics-1883-001",
        "csv",
        "CC-1883-001",
        False,
    )
    assert obj.object_type is not None and obj.object_type.uri == AAT_PLATE
    assert [c.code for c in obj.materials.all()] == ["aardewerk"]
    assert [c.code for c in obj.techniques.all()] == ["transferdruk"]
    maker = ObjectAgent.objects.select_related("agent").get()
    assert (maker.agent.wikidata_id, maker.role, maker.agent.birth_year) == (
        "Q2289446",
        "manufacturer",
        1801,
    )
    assert obj.dimensions.get().value == Decimal("24.50")
    assert obj.inscriptions.get().transcription == "P. REGOUT MAESTRICHT"
    assert AuditEntry.objects.filter(action="import_create", target_id=str(obj.pk)).count() == 1


def test_an_unchanged_record_writes_nothing(django_assert_max_num_queries) -> None:
    object_upsert(plate(), source="csv", actor=None)
    before = HeritageObject.objects.values_list("updated_at", "source_hash").get()
    audits = AuditEntry.objects.count()
    with django_assert_max_num_queries(1):  # the lookup of the existing object only
        assert object_upsert(plate(), source="csv", actor=None) == Outcome.UNCHANGED
    assert HeritageObject.objects.values_list("updated_at", "source_hash").get() == before
    assert AuditEntry.objects.count() == audits


def test_a_changed_record_updates_its_object_and_keeps_the_pid() -> None:
    object_upsert(plate(), source="csv", actor=None)
    obj = HeritageObject.objects.get()
    changed = plate(
        title={"nl": "Diep bord"},
        dimensions=(DimensionRecord("height", Decimal("4"), "cm"),),
        makers=(),
        inventory_number="1883.001a",
    )
    assert object_upsert(changed, source="csv", actor=None) == Outcome.UPDATED
    obj.refresh_from_db()
    assert obj.pid == "ceramics-1883-001" and obj.title["nl"] == "Diep bord"
    assert [(d.kind, d.value) for d in Dimension.objects.all()] == [("height", Decimal("4.00"))]
    assert not ObjectAgent.objects.exists()
    assert Agent.objects.count() == 1  # agents are kept: other objects may need them


def test_the_same_identifier_from_another_source_is_another_object() -> None:
    object_upsert(plate(), source="csv", actor=None)
    result = object_upsert(plate(inventory_number="X-1"), source="lido", actor=None)
    assert result == Outcome.CREATED and HeritageObject.objects.count() == 2


def test_concepts_and_agents_are_found_again_not_duplicated() -> None:
    object_upsert(plate(), source="csv", actor=None)
    # The same type by URI (other labels), the same maker by Wikidata id (other spelling).
    other = plate(
        source_id="CC-2",
        inventory_number="2",
        object_type=ConceptRecord(ConceptScheme.OBJECT_TYPE, {"de": "Teller"}, AAT_PLATE),
        makers=(MakerRecord(AgentRecord("P. Regout", wikidata_id="Q2289446"), MakerRole.MAKER),),
    )
    object_upsert(other, source="csv", actor=None)
    assert Concept.objects.filter(scheme=ConceptScheme.OBJECT_TYPE).count() == 1
    assert Agent.objects.count() == 1


def test_an_agent_of_the_same_name_but_another_identity_is_kept_apart() -> None:
    object_upsert(plate(), source="csv", actor=None)
    namesake = MakerRecord(AgentRecord("Petrus Regout", wikidata_id="Q999"), MakerRole.MAKER)
    object_upsert(
        plate(source_id="CC-2", inventory_number="2", makers=(namesake,)), source="csv", actor=None
    )
    assert sorted(Agent.objects.values_list("wikidata_id", flat=True)) == ["Q2289446", "Q999"]
    assert Agent.objects.filter(slug="petrus-regout-2").exists()


def test_a_concept_without_dutch_label_gets_one_and_a_label_code() -> None:
    record = plate(materials=(ConceptRecord(ConceptScheme.MATERIAL, {"de": "Ebenholz"}),))
    object_upsert(record, source="lido", actor=None)
    concept = Concept.objects.get(scheme=ConceptScheme.MATERIAL)
    assert concept.code == "ebenholz" and concept.label == {"de": "Ebenholz", "nl": "Ebenholz"}


def test_a_specimen_error_leaves_no_half_object() -> None:
    bad = mosasaur(specimen=replace(mosasaur().specimen, latitude=Decimal("123")))  # type: ignore[type-var]
    context = UpsertContext(source="dwca")
    with pytest.raises(InvalidRecordError) as caught:
        object_upsert(bad, source="dwca", actor=None, context=context)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("specimen.latitude", "latitude 123 is outside -90..90")
    ]
    # The object row and the concept written before the specimen are rolled back...
    assert not HeritageObject.objects.exists() and not Concept.objects.exists()
    assert not AuditEntry.objects.exists()
    # ...and the run's caches forgot them: the next record writes them afresh.
    assert object_upsert(mosasaur(), source="dwca", actor=None, context=context) == Outcome.CREATED
    assert Specimen.objects.get().object.materials.get().code == "kalksteen"


def test_a_dry_run_checks_everything_and_writes_nothing() -> None:
    assert object_upsert(mosasaur(), source="dwca", actor=None, dry_run=True) == Outcome.CREATED
    assert not HeritageObject.objects.exists() and not Concept.objects.exists()
    assert not AuditEntry.objects.exists()
    bad = mosasaur(specimen=replace(mosasaur().specimen, country_code="Nederland"))  # type: ignore[type-var]
    with pytest.raises(InvalidRecordError):
        object_upsert(bad, source="dwca", actor=None, dry_run=True)


def test_the_pid_of_a_deleted_object_is_never_reused() -> None:
    Tombstone.objects.create(
        pid="ceramics-1883-001", collection_code="ceramics", deleted_at=timezone.now()
    )
    object_upsert(plate(), source="csv", actor=None)
    pid = HeritageObject.objects.get().pid
    assert pid != "ceramics-1883-001" and pid.startswith("ceramics-1883-001-")


def test_a_published_id_becomes_the_pid() -> None:
    object_upsert(plate(pid="https://example.org/id/CC.1883.001"), source="csv", actor=None)
    assert HeritageObject.objects.get().pid == "https-example-org-id-cc-1883-001"


def test_an_inventory_number_in_use_is_a_field_problem() -> None:
    object_upsert(plate(), source="csv", actor=None)
    with pytest.raises(InvalidRecordError) as caught:
        object_upsert(plate(source_id="other"), source="csv", actor=None)
    assert caught.value.problems[0].field == "inventory_number"
    assert HeritageObject.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": {"de": "Teller"}}, "title"),
        ({"title": {"nl": "B" * 301}}, "title"),
        ({"inventory_number": "9" * 81}, "inventory_number"),
        ({"rights_uri": "http://example.org/free"}, "rights_uri"),
        ({"date_earliest": 1900, "date_latest": 1850}, "date"),
        ({"collection": "nope"}, "collection"),
        ({"dimensions": (DimensionRecord("height", Decimal("-1"), "cm"),)}, "dimensions"),
        ({"makers": (MakerRecord(AgentRecord("X", wikidata_id="12"), MakerRole.MAKER),)}, "makers"),
    ],
)
def test_bad_values_are_named_by_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidRecordError) as caught:
        object_upsert(plate(**changes), source="csv", actor=None)
    assert caught.value.problems[0].field == field
    assert not HeritageObject.objects.exists()


def test_new_objects_are_public_only_when_asked() -> None:
    object_upsert(plate(publish=True), source="csv", actor=None)
    obj = HeritageObject.objects.get()
    assert obj.is_public
    HeritageObject.objects.update(is_public=False)  # a curator hides it
    object_upsert(plate(publish=True, title={"nl": "Nieuw"}), source="csv", actor=None)
    obj.refresh_from_db()
    assert not obj.is_public and obj.title["nl"] == "Nieuw"


def test_a_batch_inserts_together_and_a_refused_record_fails_alone(
    django_assert_max_num_queries,
) -> None:
    object_upsert(plate(), source="csv", actor=None)  # inventory number 1883.001 in use
    batch = [plate(source_id=f"B-{n}", inventory_number=f"B.{n}", makers=()) for n in range(1, 4)]
    context = UpsertContext(source="csv")
    context.prefetch(batch)
    # Savepoint and release, one INSERT per table for the whole batch (objects, two
    # concept links, dimensions, inscriptions), object_changed's two per object (touch
    # and audit entry), and the first look-ups of the collection and three concepts
    # (cached for the rest of a run).
    with django_assert_max_num_queries(2 + 5 + 2 * 3 + 4):
        outcomes = objects_upsert(batch, source="csv", actor=None, context=context)
    assert outcomes == [Outcome.CREATED] * 3
    clash = plate(source_id="B-4", inventory_number="1883.001", makers=())
    again = [*batch, clash, plate(source_id="B-5", inventory_number="B.5", makers=())]
    results = objects_upsert(again, source="csv", actor=None, context=context)
    assert results[:3] == [Outcome.UNCHANGED] * 3
    assert isinstance(results[3], InvalidRecordError)
    assert results[3].problems[0].field == "inventory_number"
    assert results[4] == Outcome.CREATED
    assert HeritageObject.objects.count() == 5
    assert AuditEntry.objects.filter(action="import_create").count() == 5


def test_a_batch_with_the_same_record_twice_updates_the_first(collections: None) -> None:
    first, second = plate(), plate(title={"nl": "Tweede versie"})
    assert objects_upsert([first, second], source="csv", actor=None) == [
        Outcome.CREATED,
        Outcome.UPDATED,
    ]
    assert HeritageObject.objects.get().title == {"nl": "Tweede versie"}


def test_a_dry_batch_writes_nothing() -> None:
    outcomes = objects_upsert([plate(), mosasaur()], source="x", actor=None, dry_run=True)
    assert outcomes == [Outcome.CREATED, Outcome.CREATED]
    assert not HeritageObject.objects.exists() and not Agent.objects.exists()
