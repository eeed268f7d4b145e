"""What an object's search document holds: each language its own words, and what reads
the same in every language (names, places, dates, numbers) once."""

from __future__ import annotations

import pytest
from django.db import connection

from reisgezel.heritage.models import ConceptScheme, MakerRole, ObjectAgent
from reisgezel.heritage.search import OBJECT_DOCUMENTS
from reisgezel.search.models import SearchDocument
from reisgezel.search.query import search
from reisgezel.search.registry import register, registered
from reisgezel.search.services import documents_index
from reisgezel.search.text import words
from tests.heritage_factories import AgentFactory, ConceptFactory, ObjectFactory, SpecimenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def object_documents() -> None:
    if OBJECT_DOCUMENTS.name not in registered():
        register(OBJECT_DOCUMENTS)  # as HeritageConfig.ready does


def _plate() -> int:
    obj = ObjectFactory(
        title={"nl": "Bord met molen", "en": "Plate with windmill"},
        description={"nl": "Bord van aardewerk.", "de": "Teller aus Steingut."},
        production_place="Maastricht",
        inventory_number="CC-7731",
        date_display="c. 1850-1870",
    )
    ObjectAgent.objects.create(
        object=obj, agent=AgentFactory(name="Petrus Regout & Co"), role=MakerRole.MANUFACTURER
    )
    obj.materials.add(
        ConceptFactory(
            scheme=ConceptScheme.MATERIAL,
            code="aat-300010662",
            label={"nl": "aardewerk", "en": "earthenware"},
        ),
        ConceptFactory(
            scheme=ConceptScheme.MATERIAL, code="ebony", label={"nl": "ebbenhout", "fr": "ébène"}
        ),
    )
    return obj.pk


def test_an_object_document_keeps_languages_apart_and_shared_text_once() -> None:
    (document,) = OBJECT_DOCUMENTS.build([_plate()])

    assert set(document.texts) == {"nl", "en", "de"}
    nl_title, nl_body = document.texts["nl"]
    assert nl_title == "Bord met molen"
    assert "Bord van aardewerk." in nl_body and "aardewerk" in nl_body.splitlines()
    assert document.texts["en"][1].splitlines() == ["Ceramics", "earthenware"]
    # German: its description only; no title of its own, so the Dutch one is not
    # indexed again under German.
    assert document.texts["de"] == ("", "Teller aus Steingut.")
    # A label stays in its languages: no Dutch fallback under English or German.
    assert "ebbenhout" in nl_body.splitlines()
    # Names, places, dates and numbers once.
    assert document.shared.splitlines() == [
        "Petrus Regout & Co",
        "Maastricht",
        "c. 1850-1870",
        "CC-7731",
    ]
    for lang, (_title, body) in document.texts.items():
        assert "Regout" not in body and "CC-7731" not in body, lang


def test_shared_text_is_found_in_every_language_and_indexed_once() -> None:
    pk = _plate()
    documents_index(doc_type=OBJECT_DOCUMENTS.name, ids=[pk])

    for lang in ("nl", "en", "de", "fr"):
        hits = search(
            text="petrus regout cc 7731", language=lang, doc_types=["heritage_object"]
        ).hits
        assert [hit.object_id for hit in hits] == [pk], lang
    # The snippet still shows the maker after the description.
    hit = search(text="regout", language="en", doc_types=["heritage_object"]).hits[0]
    assert hit.snippet.startswith("Ceramics earthenware") and "Petrus Regout & Co" in hit.snippet

    row = SearchDocument.objects.get(doc_type=OBJECT_DOCUMENTS.name, object_id=pk)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT positions FROM unnest((SELECT search_vector FROM search_document "
                "WHERE id = %s)) WHERE lexeme = 'regout'",
                [row.pk],
            )
            assert len(cursor.fetchone()[0]) == 1
        else:
            cursor.execute("SELECT body FROM search_fts WHERE rowid = %s", [row.pk])
            assert words(cursor.fetchone()[0]).count("regout") == 1


def test_a_specimen_shares_its_scientific_terms_and_keeps_its_dutch_name_dutch() -> None:
    specimen = SpecimenFactory(vernacular_name="zee-egels")
    (document,) = OBJECT_DOCUMENTS.build([specimen.object_id])

    shared = document.shared.splitlines()
    assert "Mosasaurus hoffmanni" in shared and "Maastricht Formation" in shared
    assert "zee-egels" in document.texts["nl"][1].splitlines()
    assert "zee-egels" not in shared and "zee-egels" not in document.texts["en"][1]

    documents_index(doc_type=OBJECT_DOCUMENTS.name, ids=[specimen.object_id])
    # Dutch stemming still applies to the Dutch name: the singular finds the plural.
    hits = search(text="zee-egel ", language="nl", doc_types=["heritage_object"]).hits
    assert [hit.object_id for hit in hits] == [specimen.object_id]
