"""A small heritage world for the page, search, selector and dictionary tests.

Records are written with the shared factories and the services (media through
`media_add` with the real photos in shared/data, deletion through `object_delete`),
then indexed by the real search services, as after a commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from reisgezel.heritage.media import media_add
from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    Collection,
    Concept,
    ConceptScheme,
    DialectEntry,
    DialectExample,
    DialectSense,
    Dimension,
    DimensionKind,
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
    Inscription,
    InscriptionKind,
    MakerRole,
    MediaKind,
    ObjectAgent,
    PartOfSpeech,
)
from reisgezel.heritage.search import ALL_DOCUMENT_TYPES
from reisgezel.heritage.services import object_delete
from reisgezel.search.services import documents_reindex
from tests.heritage_factories import CollectionFactory, ObjectFactory, SpecimenFactory

IMAGES = Path(settings.SHARED_DATA_DIR) / "iiif" / "images"
SOUNDS = Path(__file__).resolve().parent / "media_samples"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CC_BY_NC = "http://creativecommons.org/licenses/by-nc/4.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"


def page(name: str, lang: str = "nl", **kwargs: str) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def reindex() -> None:
    """Rebuild the heritage documents, as the services' after-commit hooks would."""
    for document_type in ALL_DOCUMENT_TYPES:
        documents_reindex(doc_type=document_type.name)


def concept(scheme: str, code: str, nl: str, en: str) -> Concept:
    found, _ = Concept.objects.get_or_create(
        scheme=scheme, code=code, defaults={"label": {"nl": nl, "en": en}}
    )
    return found


def agent(slug: str, name: str, **extra: Any) -> Agent:
    return Agent.objects.create(
        slug=slug, name=name, kind=extra.pop("kind", AgentKind.ORGANISATION), **extra
    )


def add_photo(obj: HeritageObject | None, *, orientation: int = 1, rights: str = CC0) -> Any:
    return media_add(
        actor=None,
        data=(IMAGES / f"landscape_{orientation}.jpg").read_bytes(),
        obj=obj,
        alt_text={"nl": "Foto van het voorwerp", "en": "Photo of the object"},
        caption={"nl": "Voorkant", "en": "Front"},
        credit="Foto: Centre Céramique",
        rights_uri=rights,
    )


@dataclass
class World:
    ceramics: Collection
    nature: Collection
    sphinx: Agent
    mosa: Agent
    plate: HeritageObject
    vase: HeritageObject
    tile: HeritageObject
    cup: HeritageObject
    hidden: HeritageObject
    fossil: HeritageObject
    sensitive: HeritageObject
    undated: HeritageObject
    exhibit: Exhibit
    hidden_exhibit: Exhibit
    entries: dict[str, DialectEntry] = field(default_factory=dict)
    deleted_pid: str = "cc-deleted"


def _ceramics(world: dict[str, Any]) -> None:
    ceramics = CollectionFactory()
    bord = concept(ConceptScheme.OBJECT_TYPE, "bord", "bord", "plate")
    vaas = concept(ConceptScheme.OBJECT_TYPE, "vaas", "vaas", "vase")
    tegel = concept(ConceptScheme.OBJECT_TYPE, "tegel", "tegel", "tile")
    aardewerk = concept(ConceptScheme.MATERIAL, "aardewerk", "aardewerk", "earthenware")
    porselein = concept(ConceptScheme.MATERIAL, "porselein", "porselein", "porcelain")
    druk = concept(ConceptScheme.TECHNIQUE, "drukdecor", "drukdecor", "transfer printing")
    sphinx = agent(
        "sphinx",
        "Petrus Regout & Co (Sphinx)",
        dates_display="1834-1969",
        birth_year=1834,
        death_year=1969,
        wikidata_id="Q2289446",
    )
    mosa = agent("mosa", "Mosa")
    regout = agent(
        "petrus-regout",
        "Petrus Regout",
        kind=AgentKind.PERSON,
        dates_display="1801-1878",
        birth_year=1801,
        death_year=1878,
    )

    def make(**kwargs: Any) -> HeritageObject:
        materials = kwargs.pop("materials", [])
        techniques = kwargs.pop("techniques", [])
        makers = kwargs.pop("makers", [])
        obj = ObjectFactory(collection=ceramics, **kwargs)
        obj.materials.set(materials)
        obj.techniques.set(techniques)
        for position, (maker, role) in enumerate(makers):
            ObjectAgent.objects.create(object=obj, agent=maker, role=role, position=position)
        return obj

    plate = make(
        pid="cc-plate",
        inventory_number="CC-2",
        title={"nl": "Bord met Chinees decor", "en": "Plate with Chinese decoration"},
        description={"nl": "Blauw drukdecor op aardewerk.", "en": "Blue printed earthenware."},
        object_type=bord,
        materials=[aardewerk],
        techniques=[druk],
        makers=[(sphinx, MakerRole.MANUFACTURER), (regout, MakerRole.DESIGNER)],
        production_place="Maastricht",
        date_display="c. 1850-1870",
        date_earliest=1845,
        date_latest=1875,
        dimensions_display="diameter 24 cm",
        provenance={"nl": "Schenking van de familie Regout, 1950."},
        credit_line={"nl": "Schenking familie Regout", "en": "Gift of the Regout family"},
    )
    Dimension.objects.create(
        object=plate, kind=DimensionKind.DIAMETER, value=Decimal("24.5"), unit="cm"
    )
    Inscription.objects.create(
        object=plate,
        kind=InscriptionKind.MARK,
        transcription="P. REGOUT MAASTRICHT",
        position="onderzijde",
        description={"nl": "Sfinx-merk in blauw", "en": "Sphinx mark in blue"},
    )
    vase = make(
        pid="cc-vase",
        inventory_number="CC-10",
        title={"nl": "Vaas met bloemen", "en": "Vase with flowers"},
        object_type=vaas,
        materials=[porselein],
        makers=[(mosa, MakerRole.MANUFACTURER)],
        production_place="Maastricht",
        date_display="1925",
        date_earliest=1925,
        date_latest=1925,
        rights_uri=IN_COPYRIGHT,
    )
    tile = make(
        pid="cc-tile",
        inventory_number="CC-3",
        title={"nl": "Tegel met molen"},
        object_type=tegel,
        materials=[aardewerk],
        techniques=[druk],
        makers=[(sphinx, MakerRole.MANUFACTURER)],
        production_place="Maastricht",
        date_display="c. 1900",
        date_earliest=1895,
        date_latest=1905,
    )
    cup = make(
        pid="cc-cup",
        inventory_number="CC-11",
        title={"nl": "Kop en schotel", "en": "Cup and saucer"},
        object_type=bord,
        materials=[porselein, aardewerk],
        makers=[(mosa, MakerRole.MANUFACTURER)],
        production_place="Delft",
        date_display="before 1850",
        date_earliest=None,
        date_latest=1850,
    )
    hidden = make(
        pid="cc-hidden",
        inventory_number="CC-99",
        title={"nl": "Geheim bord", "en": "Secret plate"},
        object_type=bord,
        materials=[aardewerk],
        makers=[(sphinx, MakerRole.MANUFACTURER)],
        production_place="Maastricht",
        is_public=False,
    )
    gone = make(pid=world["deleted_pid"], inventory_number="CC-50", title={"nl": "Verdwenen bord"})
    add_photo(plate, orientation=6)
    add_photo(vase, rights=IN_COPYRIGHT)
    add_photo(hidden)
    object_delete(gone, actor=None, message="Duplicate record")
    world.update(
        ceramics=ceramics,
        sphinx=sphinx,
        mosa=mosa,
        plate=plate,
        vase=vase,
        tile=tile,
        cup=cup,
        hidden=hidden,
    )


def _nature(world: dict[str, Any]) -> None:
    fossil = SpecimenFactory(object__pid="nh-mosasaur", object__inventory_number="NHMM 1998 001")
    sensitive = SpecimenFactory(
        object__pid="nh-urchin",
        object__inventory_number="NHMM 2001 077",
        object__title={"nl": "Zee-egel", "en": "Sea urchin"},
        scientific_name="Hemipneustes striatoradiatus",
        locality="Groeve 't Rooth, Bemelen",
        locality_is_sensitive=True,
        latitude=Decimal("50.843210"),
        longitude=Decimal("5.765430"),
        coordinate_uncertainty_m=30,
        type_status="holotype",
    )
    undated = ObjectFactory(
        collection=fossil.object.collection,
        pid="nh-ammonite",
        inventory_number="NHMM 1880 003",
        title={"nl": "Ammoniet", "en": "Ammonite"},
        date_display="",
        date_earliest=None,
        date_latest=None,
    )
    world.update(
        nature=fossil.object.collection,
        fossil=fossil.object,
        sensitive=sensitive.object,
        undated=undated,
    )


def _exhibits(world: dict[str, Any]) -> None:
    exhibit = Exhibit.objects.create(
        slug="sphinx",
        title={"nl": "Het verhaal van de Sphinx", "en": "The story of the Sphinx"},
        summary={
            "nl": "Maastrichts aardewerk voor de wereld.",
            "en": "Maastricht pottery for the world.",
        },
        introduction={"nl": "Petrus Regout begon in 1834.\n\nDe fabriek groeide snel."},
        curator="Team Centre Céramique",
        is_public=True,
    )
    section = ExhibitSection.objects.create(
        exhibit=exhibit,
        position=0,
        heading={"nl": "Drukdecors", "en": "Printed decoration"},
        body={"nl": "Met koperplaten werd het decor overgebracht."},
    )
    ExhibitObject.objects.create(
        section=section, object=world["plate"], position=0, caption={"nl": "Een vroeg bord."}
    )
    ExhibitObject.objects.create(section=section, object=world["hidden"], position=1)
    ExhibitObject.objects.create(section=section, object=world["tile"], position=2)
    hidden_exhibit = Exhibit.objects.create(
        slug="concept", title={"nl": "Nog niet klaar"}, is_public=False
    )
    world.update(exhibit=exhibit, hidden_exhibit=hidden_exhibit)


def _dictionary(world: dict[str, Any]) -> None:
    audio = media_add(
        actor=None,
        data=(SOUNDS / "uitspraak.mp3").read_bytes(),
        rights_uri=CC0,
        expect=MediaKind.AUDIO,
    )
    entries = {}
    for slug, lemma, variants, meanings, extra in (
        ("sjiek", "sjiek", "sjiëk, chique", [("chic, deftig", "smart, posh")], {"audio": audio}),
        ("hoes", "hoes", "", [("huis", "house")], {}),
        ("vlaai", "vlaai", "vlaoj", [("vlaai, taart", "flan, pie")], {}),
        ("eerpel", "èèrpel", "eerpel", [("aardappel", "potato")], {}),
        ("geheim", "geheimwoord", "", [("verborgen huis", "hidden house")], {"is_public": False}),
    ):
        entry = DialectEntry.objects.create(
            slug=slug,
            lemma=lemma,
            variants=variants,
            part_of_speech=PartOfSpeech.NOUN if slug != "sjiek" else PartOfSpeech.ADJECTIVE,
            pronunciation="ʃiːk" if slug == "sjiek" else "",  # noqa: RUF001 (IPA)
            **extra,
        )
        for position, (nl, en) in enumerate(meanings):
            DialectSense.objects.create(
                entry=entry, position=position, meaning={"nl": nl, "en": en}
            )
        entries[slug] = entry
    DialectExample.objects.create(
        entry=entries["hoes"],
        text="Ich gaon nao hoes.",
        translation={"nl": "Ik ga naar huis.", "en": "I am going home."},
    )
    entries["hoes"].related_objects.set([world["plate"], world["hidden"]])
    entries["hoes"].related_exhibits.set([world["exhibit"], world["hidden_exhibit"]])
    world["entries"] = entries


def build_world() -> World:
    """Ceramics (with images, a hidden and a deleted object), specimens (one with a
    sensitive locality), exhibits (one hidden) and dictionary entries (one hidden)."""
    world: dict[str, Any] = {"deleted_pid": "cc-deleted"}
    _ceramics(world)
    _nature(world)
    _exhibits(world)
    _dictionary(world)
    reindex()
    return World(**world)


@pytest.fixture
def heritage_world(settings: Any, tmp_path: Path) -> World:
    """The world, with media files in a temporary folder. Import it into a test module
    (`from reisgezel.heritage.tests.test_pages_world import heritage_world`)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_ROOT = tmp_path / "iiif"
    return build_world()


@pytest.mark.django_db
def test_the_world_is_indexed(heritage_world: World) -> None:
    from reisgezel.search.models import SearchDocument

    world = heritage_world
    objects = SearchDocument.objects.filter(doc_type="heritage_object")
    # Every object has a document (the deleted one none); the hidden one is not public.
    assert objects.count() == HeritageObject.objects.count() == 8
    assert not objects.get(object_id=world.hidden.pk).public
    assert world.plate.media.count() == 1
