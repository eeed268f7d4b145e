"""map_lido on the parts of LIDO the two real records do not use: preferred and added
search terms, life dates and identifiers of actors, attributions, several events,
inscriptions, credit lines, unknown rights of an image, a default namespace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from reisgezel.heritage.records import ObjectRecord
from reisgezel.interop.importers.lido_map import map_lido
from reisgezel.interop.importers.lido_terms import year

RECORD = """\
<lido:lido xmlns:lido="http://www.lido-schema.org">
  <lido:lidoRecID>  RICH/1  </lido:lidoRecID>
  <lido:objectPublishedID>https://museum.example/id/object/RICH.1/</lido:objectPublishedID>
  <lido:descriptiveMetadata xml:lang="nl-NL">
    <lido:objectClassificationWrap><lido:objectWorkTypeWrap>
      <lido:objectWorkType>
        <lido:conceptID>urn:x</lido:conceptID>
        <lido:conceptID>https://vocab.example/type/1</lido:conceptID>
        <lido:term xml:lang="nl" lido:pref="alternate">bord (alt)</lido:term>
        <lido:term xml:lang="nl" lido:pref="preferred">bord</lido:term>
        <lido:term lido:addedSearchTerm="yes">zoekterm</lido:term>
        <lido:term xml:lang="en-GB">plate</lido:term>
      </lido:objectWorkType>
      <lido:objectWorkType><lido:term>second type</lido:term></lido:objectWorkType>
    </lido:objectWorkTypeWrap></lido:objectClassificationWrap>
    <lido:objectIdentificationWrap>
      <lido:titleWrap><lido:titleSet>
        <lido:appellationValue xml:lang="en" lido:pref="alternate">A plate</lido:appellationValue>
        <lido:appellationValue xml:lang="de">Ein Teller</lido:appellationValue>
        <lido:appellationValue xml:lang="en">The plate</lido:appellationValue>
      </lido:titleSet></lido:titleWrap>
      <lido:inscriptionsWrap>
        <lido:inscriptions lido:type="signature">
          <lido:inscriptionTranscription> P.R. </lido:inscriptionTranscription>
        </lido:inscriptions>
        <lido:inscriptions lido:type="Etiket"><lido:inscriptionDescription>
          <lido:descriptiveNoteValue xml:lang="nl">label a</lido:descriptiveNoteValue>
          <lido:descriptiveNoteValue xml:lang="nl">label b</lido:descriptiveNoteValue>
        </lido:inscriptionDescription></lido:inscriptions>
        <lido:inscriptions><lido:inscriptionTranscription> </lido:inscriptionTranscription>
        </lido:inscriptions>
      </lido:inscriptionsWrap>
      <lido:repositoryWrap>
        <lido:repositorySet lido:type="former"><lido:workID>OLD-1</lido:workID></lido:repositorySet>
        <lido:repositorySet lido:type="http://terminology.lido-schema.org/lido00475">
          <lido:workID> </lido:workID>
          <lido:workID>NEW-1</lido:workID>
        </lido:repositorySet>
      </lido:repositoryWrap>
      <lido:objectMeasurementsWrap><lido:objectMeasurementsSet><lido:objectMeasurements>
        <lido:measurementsSet>
          <lido:measurementType>hoogte</lido:measurementType>
          <lido:measurementUnit>mm</lido:measurementUnit>
          <lido:measurementValue>12,5</lido:measurementValue>
        </lido:measurementsSet>
        <lido:measurementsSet>
          <lido:measurementType> </lido:measurementType>
          <lido:measurementType>gewicht</lido:measurementType>
          <lido:measurementValue>abc</lido:measurementValue>
        </lido:measurementsSet>
      </lido:objectMeasurements></lido:objectMeasurementsSet></lido:objectMeasurementsWrap>
    </lido:objectIdentificationWrap>
    <lido:eventWrap>
      <lido:eventSet><lido:event>
        <lido:eventType><lido:term xml:lang="nl">Vondst</lido:term></lido:eventType>
        <lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet>
          <lido:appellationValue>Jansen, Piet</lido:appellationValue>
        </lido:nameActorSet></lido:actor></lido:actorInRole></lido:eventActor>
        <lido:eventDate><lido:displayDate>1901</lido:displayDate></lido:eventDate>
        <lido:eventPlace><lido:place><lido:namePlaceSet>
          <lido:appellationValue>Maastricht</lido:appellationValue>
        </lido:namePlaceSet></lido:place></lido:eventPlace>
      </lido:event></lido:eventSet>
      <lido:eventSet><lido:event>
        <lido:eventType><lido:term>Ontwerp</lido:term><lido:conceptID>x</lido:conceptID></lido:eventType>
        <lido:eventActor><lido:actorInRole>
          <lido:actor lido:type="Corporation">
            <lido:actorID>https://www.wikidata.org/wiki/Q2</lido:actorID>
            <lido:actorID>https://rkd.nl/explore/artists/77</lido:actorID>
            <lido:actorID>http://example.org/actor/1</lido:actorID>
            <lido:nameActorSet>
              <lido:appellationValue lido:pref="alternate">Regout</lido:appellationValue>
              <lido:appellationValue>Petrus Regout, Co</lido:appellationValue>
            </lido:nameActorSet>
            <lido:vitalDatesActor>
              <lido:earliestDate>1834-01-01</lido:earliestDate>
              <lido:latestDate> -0083 </lido:latestDate>
              <lido:displayDate>1834 - 1969</lido:displayDate>
            </lido:vitalDatesActor>
          </lido:actor>
          <lido:actor><lido:nameActorSet>
            <lido:appellationValue>Second actor</lido:appellationValue>
          </lido:nameActorSet></lido:actor>
          <lido:roleActor><lido:term>Stempelaar</lido:term><lido:term>ontwerper</lido:term></lido:roleActor>
          <lido:attributionQualifierActor> </lido:attributionQualifierActor>
          <lido:attributionQualifierActor> toegeschreven
            aan </lido:attributionQualifierActor>
        </lido:actorInRole></lido:eventActor>
        <lido:eventActor><lido:actorInRole>
          <lido:actor><lido:nameActorSet>
            <lido:appellationValue>Vos, Jan</lido:appellationValue>
          </lido:nameActorSet></lido:actor>
          <lido:roleActor><lido:term>stoker</lido:term></lido:roleActor>
        </lido:actorInRole></lido:eventActor>
        <lido:eventDate>
          <lido:date><lido:earliestDate> </lido:earliestDate></lido:date>
          <lido:displayDate>ca. 1850</lido:displayDate>
        </lido:eventDate>
        <lido:eventPlace><lido:displayPlace>Maastricht, NL</lido:displayPlace></lido:eventPlace>
        <lido:eventMaterialsTech>
          <lido:displayMaterialsTech lido:label="Technik" xml:lang="de"
            >Drucken</lido:displayMaterialsTech>
          <lido:displayMaterialsTech>aardewerk</lido:displayMaterialsTech>
        </lido:eventMaterialsTech>
        <lido:eventMaterialsTech><lido:materialsTech>
          <lido:termMaterialsTech lido:type="technique">
            <lido:term>transferdruk</lido:term>
          </lido:termMaterialsTech>
        </lido:materialsTech></lido:eventMaterialsTech>
      </lido:event></lido:eventSet>
    </lido:eventWrap>
  </lido:descriptiveMetadata>
  <lido:descriptiveMetadata xml:lang="de"><lido:objectIdentificationWrap><lido:titleWrap>
    <lido:titleSet><lido:appellationValue>not the first</lido:appellationValue></lido:titleSet>
  </lido:titleWrap></lido:objectIdentificationWrap></lido:descriptiveMetadata>
  <lido:administrativeMetadata xml:lang="fr">
    <lido:rightsWorkWrap><lido:rightsWorkSet>
      <lido:creditLine>Don de la famille</lido:creditLine>
      <lido:creditLine xml:lang="nl">Schenking</lido:creditLine>
    </lido:rightsWorkSet></lido:rightsWorkWrap>
    <lido:recordWrap>
      <lido:recordRights><lido:rightsType><lido:conceptID
        >https://creativecommons.org/licenses/by/4.0/deed.nl</lido:conceptID></lido:rightsType>
        <lido:creditLine>Record credit</lido:creditLine></lido:recordRights>
      <lido:recordInfoSet>
        <lido:recordInfoLink> </lido:recordInfoLink>
        <lido:recordInfoLink> https://museum.example/rich/1 </lido:recordInfoLink>
      </lido:recordInfoSet>
    </lido:recordWrap>
    <lido:resourceWrap>
      <lido:resourceSet><lido:resourceRepresentation><lido:linkResource/></lido:resourceRepresentation>
      </lido:resourceSet>
      <lido:resourceSet>
        <lido:rightsResource><lido:rightsType><lido:term>nope</lido:term></lido:rightsType></lido:rightsResource>
        <lido:resourceRepresentation>
          <lido:linkResource>https://img.example/2.jpg</lido:linkResource>
        </lido:resourceRepresentation>
      </lido:resourceSet>
    </lido:resourceWrap>
  </lido:administrativeMetadata>
</lido:lido>
"""


def _mapped(text: str = RECORD) -> tuple[str, ObjectRecord, list[tuple[str, str, str]]]:
    rec_id, record, problems = map_lido(
        etree.fromstring(text.encode()), collection="ceramics", publish=False
    )
    assert record is not None
    return rec_id, record, [(p.field, p.code, p.message) for p in problems]


def test_the_rarer_parts_of_a_record() -> None:
    rec_id, record, problems = _mapped()
    assert (rec_id, record.inventory_number, record.pid) == ("RICH/1", "NEW-1", "RICH.1")
    # Preferred values first; the first value per language; no added search terms.
    assert record.title == {"de": "Ein Teller", "en": "The plate", "nl": "The plate"}
    assert record.object_type is not None
    assert record.object_type.label == {"nl": "bord", "en": "plate"}
    assert record.object_type.uri == "https://vocab.example/type/1"
    first, second = record.makers
    assert (first.agent.name, first.agent.kind, first.role, first.attribution) == (
        "Petrus Regout, Co",
        "organisation",
        "designer",
        "toegeschreven aan",
    )
    assert (first.agent.wikidata_id, first.agent.rkd_id, first.agent.uri) == (
        "Q2",
        "77",
        "http://example.org/actor/1",
    )
    assert (first.agent.dates_display, first.agent.birth_year, first.agent.death_year) == (
        "1834 - 1969",
        1834,
        -83,
    )
    assert (second.agent.name, second.agent.sort_name, second.role) == (
        "Jan Vos",
        "Vos, Jan",
        "maker",
    )
    # A blank earliest date is no date: the years come from the display date.
    assert (record.date_display, record.date_earliest, record.date_latest) == (
        "ca. 1850",
        1845,
        1855,
    )
    assert record.production_place == "Maastricht, NL"
    assert [(c.scheme, c.label) for c in record.techniques] == [
        ("technique", {"de": "Drucken"}),
        ("technique", {"nl": "transferdruk"}),
    ]
    assert [c.label for c in record.materials] == [{"nl": "aardewerk"}]
    assert record.provenance == {"nl": "Vondst: 1901, Maastricht, Jansen, Piet"}
    assert [(i.kind, i.transcription, i.description) for i in record.inscriptions] == [
        ("signature", "P.R.", {}),
        ("label", "", {"nl": "label a\n\nlabel b"}),
    ]
    assert [(d.kind, d.value, d.unit) for d in record.dimensions] == [
        ("height", Decimal("12.5"), "mm")
    ]
    assert record.dimensions_display == "hoogte 12,5 mm; gewicht abc"
    assert record.credit_line == {"fr": "Don de la famille", "nl": "Schenking"}
    assert record.rights_uri == "http://creativecommons.org/licenses/by/4.0/"
    assert record.source_url == "https://museum.example/rich/1"
    assert problems == [
        ("roleActor", "role-unknown", "role 'stoker' of Jan Vos is recorded as maker"),
        (
            "objectMeasurements",
            "measurement-text-only",
            "'gewicht abc' is kept in the dimensions text only",
        ),
        ("titleWrap", "title-not-dutch", "no Dutch title: the en title stands in for it"),
        (
            "resourceWrap",
            "image-not-downloaded",
            "image 2 not downloaded (imports do not fetch from the network): "
            "https://img.example/2.jpg; its rights statement 'nope' is not one we accept",
        ),
    ]


def test_a_default_namespace_maps_the_same() -> None:
    unprefixed = (
        RECORD.replace("<lido:", "<")
        .replace("</lido:", "</")
        .replace(
            '<lido xmlns:lido="http://www.lido-schema.org">',
            '<lido xmlns="http://www.lido-schema.org" xmlns:lido="http://www.lido-schema.org">',
        )
    )
    assert "<lido:" not in unprefixed
    assert _mapped(unprefixed) == _mapped()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1596", 1596),
        ("1596-03-01", 1596),
        ("-0083", -83),
        (" \u00a01800", 1800),
        ("123456", 12345),
        ("-", None),
        ("--5", None),
        ("c. 1900", None),
        ("\u0661\u0662", None),  # digits, but not ASCII ones
        ("", None),
    ],
)
def test_year(value: str, expected: int | None) -> None:
    assert year(value) == expected


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-inf"])
def test_a_measurement_that_is_no_number_is_kept_as_text(value: str) -> None:
    text = RECORD.replace("<lido:measurementValue>12,5<", f"<lido:measurementValue>{value}<")
    _rec_id, record, problems = _mapped(text)
    assert record.dimensions == ()
    assert record.dimensions_display.startswith(f"hoogte {value} mm")
    assert (
        "objectMeasurements",
        "measurement-text-only",
        f"'hoogte {value} mm' is kept in the dimensions text only",
    ) in problems
