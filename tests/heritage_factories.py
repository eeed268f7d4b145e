"""Factories for heritage records (collections, vocabularies, agents, objects, specimens).

They write rows directly: the tests of services and imports make records through those.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import factory

from reisgezel.heritage.models import (
    Agent,
    AgentKind,
    BasisOfRecord,
    Collection,
    CollectionKind,
    Concept,
    ConceptScheme,
    HeritageObject,
    MediaFile,
    MediaKind,
    Specimen,
    TileState,
)


class _CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection
        django_get_or_create = ("code",)

    code = "ceramics"
    kind = CollectionKind.CERAMICS
    name = factory.LazyFunction(lambda: {"nl": "Keramiek", "en": "Ceramics"})
    institution = "Centre Céramique"


class _ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept
        django_get_or_create = ("scheme", "code")

    scheme = ConceptScheme.OBJECT_TYPE
    code = factory.Sequence(lambda n: f"concept-{n}")
    label = factory.LazyAttribute(lambda c: {"nl": c.code, "en": c.code})


class _AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    kind = AgentKind.ORGANISATION
    name = factory.Sequence(lambda n: f"Maker {n}")
    slug = factory.Sequence(lambda n: f"maker-{n}")


class _ObjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeritageObject

    pid = factory.Sequence(lambda n: f"cc-{n:06d}")
    inventory_number = factory.Sequence(lambda n: f"CC-{n:06d}")
    collection = factory.SubFactory(_CollectionFactory)
    title = factory.Sequence(lambda n: {"nl": f"Bord {n}", "en": f"Plate {n}"})
    description = factory.LazyFunction(
        lambda: {"nl": "Aardewerk bord met blauw decor.", "en": "Earthenware plate, blue decor."}
    )
    date_display = "c. 1850-1870"
    date_earliest = 1845
    date_latest = 1875
    rights_uri = "http://creativecommons.org/publicdomain/zero/1.0/"
    is_public = True


class _SpecimenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specimen

    object = factory.SubFactory(
        _ObjectFactory,
        collection=factory.SubFactory(
            _CollectionFactory,
            code="natural-history",
            kind=CollectionKind.NATURAL_HISTORY,
            name={"nl": "Natuurhistorie", "en": "Natural history"},
            institution="Natuurhistorisch Museum Maastricht",
        ),
        title={"nl": "Mosasaurus", "en": "Mosasaur"},
        date_display="",
        date_earliest=None,
        date_latest=None,
    )
    basis_of_record = BasisOfRecord.FOSSIL
    scientific_name = "Mosasaurus hoffmanni"
    scientific_name_authorship = "Mantell, 1829"
    taxon_rank = "species"
    kingdom = "Animalia"
    phylum = "Chordata"
    class_name = "Reptilia"
    order = "Squamata"
    family = "Mosasauridae"
    genus = "Mosasaurus"
    locality = "ENCI-groeve, Sint-Pietersberg, Maastricht"
    country_code = "NL"
    latitude = Decimal("50.824100")
    longitude = Decimal("5.686900")
    coordinate_uncertainty_m = 100
    formation = "Maastricht Formation"
    member = "Nekum Member"
    stage = "Maastrichtian"
    recorded_by = "ENCI"
    event_date = "1998-10"


def make_image(obj: HeritageObject, *, ready: bool = True) -> MediaFile:
    """An image row of the object (no stored file): what the pages and documents read."""
    return MediaFile.objects.create(
        kind=MediaKind.IMAGE,
        object=obj,
        file=f"heritage/test/{obj.pid}.jpg",
        content_type="image/jpeg",
        width=600,
        height=450,
        alt_text={"nl": f"Foto van {obj.pid}"},
        rights_uri="http://creativecommons.org/licenses/by-sa/4.0/",
        tile_state=TileState.READY if ready else TileState.PENDING,
    )


if TYPE_CHECKING:

    def CollectionFactory(**kwargs: Any) -> Collection: ...  # noqa: N802
    def ConceptFactory(**kwargs: Any) -> Concept: ...  # noqa: N802
    def AgentFactory(**kwargs: Any) -> Agent: ...  # noqa: N802
    def ObjectFactory(**kwargs: Any) -> HeritageObject: ...  # noqa: N802
    def SpecimenFactory(**kwargs: Any) -> Specimen: ...  # noqa: N802
else:
    CollectionFactory = _CollectionFactory
    ConceptFactory = _ConceptFactory
    AgentFactory = _AgentFactory
    ObjectFactory = _ObjectFactory
    SpecimenFactory = _SpecimenFactory
