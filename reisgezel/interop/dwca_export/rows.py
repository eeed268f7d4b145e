"""Darwin Core rows: one Occurrence per public specimen, one Multimedia row per image.

Localities flagged as sensitive are published as Specimen.public_coordinates() and
public_locality() give them (0.1 degree, no site description) and say so in
informationWithheld and dataGeneralizations, as GBIF's guidance on sensitive data asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from reisgezel.heritage.models import (
    CollectionKind,
    MediaFile,
    MediaKind,
    Specimen,
    TileState,
)
from reisgezel.heritage.uris import object_uri
from reisgezel.interop.links import iiif_image_url, object_page_url

DWC = "http://rs.tdwg.org/dwc/terms/"
DC = "http://purl.org/dc/terms/"
OCCURRENCE = DWC + "Occurrence"
MULTIMEDIA = "http://rs.gbif.org/terms/1.0/Multimedia"
WITHHELD = "Precise locality withheld to protect the site; coordinates generalised."
GENERALISED = "Coordinates rounded to 0.1 degree (about 10 km)."
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    term: str
    value: Callable[[Specimen], str]


def _text(value: object) -> str:
    """One TSV field: no enclosing quotes are used, so tabs and line breaks go."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def occurrence_id(specimen: Specimen) -> str:
    """The object's persistent URI, for every specimen. GBIF requires an occurrenceID
    unique in the dataset and knows a record by it from one harvest to the next. The
    URI is both: pids are unique and never change. A source's own occurrenceID is
    neither: specimens from two sources can share one, and preferring it when present
    would change a record's id the day a curator or a re-import fills it in. It is
    published as otherCatalogNumbers instead."""
    return object_uri(specimen.object.pid)


def _scientific_name(s: Specimen) -> str:
    return f"{s.scientific_name} {s.scientific_name_authorship}".strip()


def _coordinate(index: int) -> Callable[[Specimen], str]:
    def value(s: Specimen) -> str:
        published = s.public_coordinates()
        return "" if published is None else _text(published[index])

    return value


def _if_sensitive(text: str) -> Callable[[Specimen], str]:
    return lambda s: text if s.locality_is_sensitive else ""


def _recorded_by(s: Specimen) -> str:
    return s.recorded_by or (s.collector.name if s.collector else "")


CORE: tuple[Column, ...] = (
    Column(DWC + "occurrenceID", occurrence_id),
    Column(DC + "type", lambda s: "PhysicalObject"),
    Column(DC + "modified", lambda s: s.object.updated_at.isoformat(timespec="seconds")),
    Column(DC + "license", lambda s: s.object.rights_uri),
    Column(DC + "references", lambda s: object_page_url(s.object.pid)),
    Column(DWC + "institutionCode", lambda s: s.object.collection.institution),
    Column(DWC + "collectionCode", lambda s: s.object.collection.code),
    Column(DWC + "catalogNumber", lambda s: s.object.inventory_number),
    Column(DWC + "otherCatalogNumbers", lambda s: s.occurrence_id),
    Column(DWC + "basisOfRecord", lambda s: s.basis_of_record),
    Column(DWC + "informationWithheld", _if_sensitive(WITHHELD)),
    Column(DWC + "dataGeneralizations", _if_sensitive(GENERALISED)),
    Column(DWC + "recordedBy", _recorded_by),
    Column(DWC + "individualCount", lambda s: _text(s.individual_count)),
    Column(DWC + "preparations", lambda s: s.preparations),
    Column(DWC + "eventDate", lambda s: s.event_date),
    Column(DWC + "countryCode", lambda s: s.country_code),
    Column(DWC + "locality", lambda s: s.public_locality()),
    Column(DWC + "decimalLatitude", _coordinate(0)),
    Column(DWC + "decimalLongitude", _coordinate(1)),
    Column(DWC + "geodeticDatum", lambda s: "WGS84" if s.latitude is not None else ""),
    Column(DWC + "coordinateUncertaintyInMeters", _coordinate(2)),
    Column(DWC + "group", lambda s: s.geological_group),
    Column(DWC + "formation", lambda s: s.formation),
    Column(DWC + "member", lambda s: s.member),
    Column(DWC + "bed", lambda s: s.bed),
    Column(DWC + "earliestAgeOrLowestStage", lambda s: s.stage),
    Column(DWC + "latestAgeOrHighestStage", lambda s: s.stage),
    Column(DWC + "typeStatus", lambda s: s.type_status),
    Column(DWC + "scientificName", _scientific_name),
    Column(DWC + "scientificNameAuthorship", lambda s: s.scientific_name_authorship),
    Column(DWC + "kingdom", lambda s: s.kingdom),
    Column(DWC + "phylum", lambda s: s.phylum),
    Column(DWC + "class", lambda s: s.class_name),
    Column(DWC + "order", lambda s: s.order),
    Column(DWC + "family", lambda s: s.family),
    Column(DWC + "genus", lambda s: s.genus),
    Column(DWC + "taxonRank", lambda s: s.taxon_rank),
    Column(DWC + "vernacularName", lambda s: s.vernacular_name),
)


@dataclass(frozen=True)
class MediaColumn:
    term: str
    value: Callable[[Specimen, MediaFile], str]


MEDIA: tuple[MediaColumn, ...] = (
    MediaColumn(DC + "type", lambda s, m: "StillImage"),
    MediaColumn(DC + "format", lambda s, m: "image/jpeg"),
    MediaColumn(DC + "identifier", lambda s, m: iiif_image_url(m.key)),
    MediaColumn(DC + "references", lambda s, m: object_page_url(s.object.pid)),
    MediaColumn(DC + "title", lambda s, m: m.caption.get_for("nl") or s.object.title.get_for("nl")),
    MediaColumn(DC + "description", lambda s, m: m.alt_text.get_for("nl")),
    MediaColumn(DC + "license", lambda s, m: m.rights_uri),
    MediaColumn(DC + "creator", lambda s, m: m.credit),
    MediaColumn(DC + "rightsHolder", lambda s, m: m.credit),
)


def public_specimens() -> QuerySet[Specimen]:
    """Specimens of public objects in natural-history collections."""
    return Specimen.objects.filter(
        object__is_public=True, object__collection__kind=CollectionKind.NATURAL_HISTORY
    )


def _with_related(qs: QuerySet[Specimen]) -> QuerySet[Specimen]:
    images = MediaFile.objects.filter(kind=MediaKind.IMAGE, tile_state=TileState.READY)
    return (
        qs.select_related("object", "object__collection", "collector")
        .prefetch_related(Prefetch("object__media", queryset=images.order_by("position", "pk")))
        .order_by("object_id")
    )


def occurrence_rows() -> Iterator[tuple[list[str], list[list[str]]]]:
    """(core row, its multimedia rows) per specimen, read in chunks: memory stays flat."""
    for specimen in _with_related(public_specimens()).iterator(chunk_size=CHUNK):
        core = [_text(column.value(specimen)) for column in CORE]
        media = [
            [core[0], *(_text(column.value(specimen, image)) for column in MEDIA)]
            for image in specimen.object.media.all()
        ]
        yield core, media
