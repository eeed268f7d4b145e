"""Shared test material for the open-data exports (OAI-PMH, DwC-A, datasets, sitemap):
offline XML schemas through the shared XML catalog, and a small but complete heritage
data set built through the factories and the services."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

from reisgezel.heritage.models import (
    AgentKind,
    CollectionKind,
    ConceptScheme,
    Dimension,
    HeritageObject,
    Inscription,
    MakerRole,
    MediaFile,
    MediaKind,
    ObjectAgent,
    Specimen,
    TileState,
    Tombstone,
)
from tests.heritage_factories import (
    AgentFactory,
    CollectionFactory,
    ConceptFactory,
    ObjectFactory,
    SpecimenFactory,
)

SHARED: Path = Path(settings.SHARED_DATA_DIR)
XML_SCHEMAS = SHARED / "schemas" / "xml"
# libxml2 reads the catalog on first use: set before any schema is loaded.
os.environ.setdefault("XML_CATALOG_FILES", str(XML_SCHEMAS / "catalog.xml"))

OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}


@cache
def oai_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XML_SCHEMAS / "oai-pmh-response.local.xsd")))


@cache
def oai_dc_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XML_SCHEMAS / "oai_dc.xsd")))


@cache
def lido_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SHARED / "lido" / "lido-v1.1.xsd")))


@cache
def oai_lido_schema() -> etree.XMLSchema:
    """OAI-PMH envelope plus LIDO payloads in one pass (<metadata> is strict)."""
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/"
                 schemaLocation="{(XML_SCHEMAS / "OAI-PMH.xsd").as_uri()}"/>
      <xs:import namespace="http://www.lido-schema.org"
                 schemaLocation="{(SHARED / "lido" / "lido-v1.1.xsd").as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(driver.encode()))


def assert_valid(schema: etree.XMLSchema, document: etree._Element | etree._ElementTree) -> None:
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


def parse(content: bytes) -> etree._Element:
    return etree.fromstring(content)


def oai_error_codes(document: etree._Element) -> list[str]:
    return [str(e.get("code")) for e in document.findall("oai:error", OAI_NS)]


@dataclass
class HeritageData:
    """What `build_heritage` made; pids by what they are."""

    public: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    specimens: list[str] = field(default_factory=list)
    sensitive_pid: str = ""
    rich_pid: str = ""


def ceramics_object(number: int, **extra: object) -> HeritageObject:
    return ObjectFactory(pid=f"cc-{number:06d}", inventory_number=f"CC-{number:06d}", **extra)


def build_heritage(*, public: int = 7, hidden: int = 2, deleted: int = 2) -> HeritageData:
    """Ceramics (one fully described), specimens (one at a sensitive locality), hidden
    objects and tombstones."""
    data = HeritageData()
    CollectionFactory(
        code="ceramics",
        description={"nl": "Maastrichts aardewerk en porselein.", "en": "Maastricht ceramics."},
    )
    rich = _rich_object()
    data.rich_pid = rich.pid
    data.public.append(rich.pid)
    for number in range(2, public + 1):
        data.public.append(ceramics_object(number).pid)
    for number in range(100, 100 + hidden):
        data.hidden.append(ceramics_object(number, is_public=False).pid)
    for number in range(200, 200 + deleted):
        Tombstone.objects.create(
            pid=f"cc-{number:06d}", collection_code="ceramics", deleted_at=datetime.now(UTC)
        )
        data.deleted.append(f"cc-{number:06d}")
    for specimen in _specimens():
        if not specimen.object.is_public:
            data.hidden.append(specimen.object.pid)
            continue
        data.specimens.append(specimen.object.pid)
        data.public.append(specimen.object.pid)
        if specimen.locality_is_sensitive:
            data.sensitive_pid = specimen.object.pid
    return data


def _rich_object() -> HeritageObject:
    obj = ceramics_object(
        1,
        title={"nl": "Schotel met Chinees decor", "en": "Dish with Chinese decoration"},
        dimensions_display="diam. 24.5 cm",
        production_place="Maastricht",
        production_place_uri="http://www.wikidata.org/entity/Q1309",
        object_type=ConceptFactory(
            scheme=ConceptScheme.OBJECT_TYPE,
            code="dish",
            label={"nl": "schotel", "en": "dish"},
            uri="http://vocab.getty.edu/aat/300198908",
        ),
        rights_uri="http://creativecommons.org/licenses/by/4.0/",
    )
    sphinx = AgentFactory(
        kind=AgentKind.ORGANISATION,
        name="Petrus Regout & Co (Sphinx)",
        slug="sphinx",
        wikidata_id="Q2289446",
    )
    ObjectAgent.objects.create(object=obj, agent=sphinx, role=MakerRole.MANUFACTURER)
    obj.materials.add(
        ConceptFactory(
            scheme=ConceptScheme.MATERIAL,
            code="earthenware",
            label={"nl": "aardewerk", "en": "earthenware"},
            uri="http://vocab.getty.edu/aat/300010662",
        )
    )
    obj.techniques.add(
        ConceptFactory(scheme=ConceptScheme.TECHNIQUE, code="transfer-printing", uri="")
    )
    obj.subjects.add(
        ConceptFactory(
            scheme=ConceptScheme.SUBJECT,
            code="chinoiserie",
            label={"nl": "chinoiserie", "en": "chinoiserie"},
            uri="http://vocab.getty.edu/aat/300018795",
        )
    )
    Dimension.objects.create(object=obj, kind="diameter", value=Decimal("24.50"), unit="cm")
    Inscription.objects.create(
        object=obj,
        kind="mark",
        transcription="P. REGOUT MAESTRICHT",
        position="onderzijde",
        description={"nl": "Fabrieksmerk met sfinx.", "en": "Factory mark with sphinx."},
    )
    image(obj, position=0)
    return obj


def image(obj: HeritageObject, *, position: int = 0, ready: bool = True) -> MediaFile:
    return MediaFile.objects.create(
        kind=MediaKind.IMAGE,
        object=obj,
        file=f"heritage/test/{obj.pid}-{position}.jpg",
        content_type="image/jpeg",
        width=600,
        height=450,
        alt_text={"nl": f"Foto van {obj.pid}", "en": f"Photo of {obj.pid}"},
        caption={"nl": "Voorzijde", "en": "Front"},
        credit="Foto: Natuurhistorisch Museum Maastricht",
        rights_uri="http://creativecommons.org/licenses/by-sa/4.0/",
        position=position,
        tile_state=TileState.READY if ready else TileState.PENDING,
    )


def _specimens() -> list[Specimen]:
    mosasaur = SpecimenFactory(
        object__pid="nh-000001",
        object__inventory_number="NHMM 1998 141",
        type_status="",
        individual_count=1,
        preparations="skull, mandibles",
        occurrence_id="",
    )
    image(mosasaur.object, position=0)
    image(mosasaur.object, position=1, ready=False)  # no tiles yet: not exported
    turtle = SpecimenFactory(
        object__pid="nh-000002",
        object__inventory_number="NHMM 2012 001",
        object__title={"nl": "Reuzenschildpad", "en": "Giant sea turtle"},
        scientific_name="Allopleuron hofmanni",
        scientific_name_authorship="(Gray, 1831)",
        class_name="Testudines",
        order="Testudines",
        family="Cheloniidae",
        genus="Allopleuron",
        type_status="",
        locality="Groeve ENCI, wand 3, niveau Nekum",
        latitude=Decimal("50.826351"),
        longitude=Decimal("5.684722"),
        coordinate_uncertainty_m=30,
        locality_is_sensitive=True,
        occurrence_id="urn:catalog:NHMM:2012-001",
    )
    hidden_specimen = SpecimenFactory(
        object__pid="nh-000003",
        object__inventory_number="NHMM 2020 007",
        object__is_public=False,
    )
    return [mosasaur, turtle, hidden_specimen]


__all__ = [
    "SHARED",
    "CollectionKind",
    "HeritageData",
    "assert_valid",
    "build_heritage",
    "image",
    "lido_schema",
    "oai_dc_schema",
    "oai_lido_schema",
    "oai_schema",
]
