from reisgezel.heritage.models.dialect import (
    DialectEntry,
    DialectExample,
    DialectSense,
    GrammaticalGender,
    PartOfSpeech,
)
from reisgezel.heritage.models.exhibits import Exhibit, ExhibitObject, ExhibitSection
from reisgezel.heritage.models.media import MediaFile, MediaKind, TileState
from reisgezel.heritage.models.objects import (
    Collection,
    CollectionKind,
    Dimension,
    DimensionKind,
    DimensionUnit,
    HeritageObject,
    Inscription,
    InscriptionKind,
    MakerRole,
    ObjectAgent,
    SetDeparture,
    Tombstone,
)
from reisgezel.heritage.models.specimens import BasisOfRecord, Specimen
from reisgezel.heritage.models.vocabulary import Agent, AgentKind, Concept, ConceptScheme

__all__ = [
    "Agent",
    "AgentKind",
    "BasisOfRecord",
    "Collection",
    "CollectionKind",
    "Concept",
    "ConceptScheme",
    "DialectEntry",
    "DialectExample",
    "DialectSense",
    "Dimension",
    "DimensionKind",
    "DimensionUnit",
    "Exhibit",
    "ExhibitObject",
    "ExhibitSection",
    "GrammaticalGender",
    "HeritageObject",
    "Inscription",
    "InscriptionKind",
    "MakerRole",
    "MediaFile",
    "MediaKind",
    "ObjectAgent",
    "PartOfSpeech",
    "SetDeparture",
    "Specimen",
    "TileState",
    "Tombstone",
]
