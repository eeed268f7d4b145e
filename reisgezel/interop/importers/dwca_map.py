"""One Darwin Core occurrence row -> an ObjectRecord with a SpecimenRecord.

Rows arrive as {short term name, lower-cased: value} ("decimallatitude"), so archives
with a meta.xml (full term URIs) and simple CSV archives (bare, any-case headers) map
the same way. Values that cannot be read are field problems named by their DwC term.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from reisgezel.heritage.models import BasisOfRecord
from reisgezel.heritage.records import WARNING, ObjectRecord, Problem, SpecimenRecord
from reisgezel.heritage.rights import canonical_rights_uri
from reisgezel.interop.importers.base import not_a_number

BASIS: dict[str, str] = {
    "fossilspecimen": BasisOfRecord.FOSSIL,
    "preservedspecimen": BasisOfRecord.PRESERVED,
    "livingspecimen": BasisOfRecord.LIVING,
    "materialsample": BasisOfRecord.MATERIAL_SAMPLE,
    "humanobservation": BasisOfRecord.HUMAN_OBSERVATION,
    # Darwin Core before 2009 had one "Observation" class; today it is HumanObservation.
    "observation": BasisOfRecord.HUMAN_OBSERVATION,
}
# GBIF downloads write licences as an enum.
GBIF_LICENCES = {"cc0_1_0": "cc0", "cc_by_4_0": "cc-by", "cc_by_nc_4_0": "cc-by-nc"}
_ISO_DATE = re.compile(
    r"^-?\d{4}(-\d{2}(-\d{2})?)?(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?"
    r"(/(-?\d{4}(-\d{2}(-\d{2})?)?(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?|\d{2}(-\d{2})?))?$"
)
# Old GBIF downloads carry Java's Date.toString(): "Tue Apr 01 00:00:00 CET 1930".
_JAVA_DATE = re.compile(r"^\w{3} (\w{3}) (\d{1,2}) [\d:]{8} [A-Z]{2,5} (\d{4})$")
FIELD_NAMES = {
    "source_id": "occurrenceID",
    "inventory_number": "catalogNumber",
    "title": "scientificName",
    "rights_uri": "license",
    "specimen.basis_of_record": "basisOfRecord",
    "specimen.scientific_name": "scientificName",
    "specimen.scientific_name_authorship": "scientificNameAuthorship",
    "specimen.taxon_rank": "taxonRank",
    "specimen.class_name": "class",
    "specimen.vernacular_name": "vernacularName",
    "specimen.type_status": "typeStatus",
    "specimen.country_code": "countryCode",
    "specimen.latitude": "decimalLatitude",
    "specimen.longitude": "decimalLongitude",
    "specimen.coordinate_uncertainty_m": "coordinateUncertaintyInMeters",
    "specimen.geological_group": "group",
    "specimen.stage": "earliestAgeOrLowestStage",
    "specimen.recorded_by": "recordedBy",
    "specimen.event_date": "eventDate",
    "specimen.individual_count": "individualCount",
    "specimen.occurrence_id": "occurrenceID",
    # Terms named as in Darwin Core already (so that a report names the file's column).
    **{
        f"specimen.{name}": name
        for name in (
            "kingdom",
            "phylum",
            "order",
            "family",
            "genus",
            "locality",
            "formation",
            "member",
            "bed",
            "preparations",
        )
    },
}


class RowMapping:
    def __init__(self, row: dict[str, str]) -> None:
        self.row = row
        self.problems: list[Problem] = []
        self._clean: dict[str, str] = {}

    def get(self, term: str) -> str:
        """The term's value with its whitespace normalised ("" when absent); terms are
        asked for more than once per row, so each is cleaned once."""
        if term not in self._clean:
            value = self.row.get(term.lower(), "")
            if "\x00" in value:  # junk from an export; PostgreSQL stores no NUL
                value = value.replace("\x00", "")
            self._clean[term] = " ".join(value.split())  # inline: the hot path of imports
        return self._clean[term]

    def error(self, field: str, message: str) -> None:
        self.problems.append(Problem(field, message))

    def warn(self, field: str, message: str, code: str) -> None:
        self.problems.append(Problem(field, message, WARNING, code))

    def decimal(self, term: str) -> Decimal | None:
        text = self.get(term)
        if not text:
            return None
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.error(term, not_a_number(text))
            return None
        return value

    def count(self, term: str) -> int | None:
        value = self.decimal(term)
        if value is None:
            return None
        if value < 0 or value != value.to_integral_value():
            self.error(
                term, _("%(text)r is not a whole number of at least 0") % {"text": self.get(term)}
            )
            return None
        return int(value)


def licence(value: str) -> str:
    """Canonical rights URI of a licence value; ValueError if it is not one we know."""
    return canonical_rights_uri(GBIF_LICENCES.get(value.lower(), value))


_CALENDAR_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\d])")


def _real_dates(text: str) -> bool:
    """Whether every year-month(-day) in an ISO 8601 date or interval is a day that
    exists (2021-02-30 and 1930-13-01 do not)."""
    for year, month, day in _CALENDAR_DATE.findall(text):
        try:
            date(int(year), int(month), int(day or 1))
        except ValueError:
            return False
    return True


def _impossible_date(text: str) -> str:
    return _("%(text)r is not a date that exists: left out") % {"text": text}


def event_date(m: RowMapping) -> str:
    text = m.get("eventDate")
    if text and _ISO_DATE.match(text) and len(text) <= 40:
        if _real_dates(text):
            return text
        m.warn("eventDate", _impossible_date(text), "date-impossible")
        return ""
    if text and (java := _JAVA_DATE.match(text)):
        named = datetime.strptime(java.group(1), "%b").month  # noqa: DTZ007 (a month name)
        return f"{java.group(3)}-{named:02d}-{int(java.group(2)):02d}"
    year, month, day = (m.get(name) for name in ("year", "month", "day"))
    if year.isascii() and year.isdigit():
        # A day only with its month: year=1930, day=5 is 1930, not May 1930.
        parts = [int(year)]
        if month.isascii() and month.isdigit():
            parts.append(int(month))
            if day.isascii() and day.isdigit():
                parts.append(int(day))
        found = "-".join([f"{parts[0]:04d}", *(f"{n:02d}" for n in parts[1:])])
        if _real_dates(found):
            return found
        m.warn(
            "eventDate",
            _impossible_date(found) + " " + _("(from year, month and day)"),
            "date-impossible",
        )
        return ""
    if text:
        m.warn(
            "eventDate",
            _("%(text)r is not an ISO 8601 date: left out") % {"text": text},
            "date-unreadable",
        )
    return ""


def coordinates(m: RowMapping) -> tuple[Decimal | None, Decimal | None]:
    lat, lon = m.decimal("decimalLatitude"), m.decimal("decimalLongitude")
    if lat == 0 and lon == 0:
        m.warn(
            "decimalLatitude",
            _("0, 0 is a placeholder, not a place: left out"),
            "zero-coordinates",
        )
        return None, None
    return lat, lon


def map_occurrence(
    m: RowMapping, *, source_id: str, collection: str, rights_uri: str, publish: bool
) -> ObjectRecord | None:
    """The record of one row, or None when the row cannot become one (see m.problems)."""
    basis_text = m.get("basisOfRecord")
    basis = BASIS.get(basis_text.replace("_", "").lower(), "")
    if not basis:
        allowed = ", ".join(BasisOfRecord.values)
        if basis_text:
            message = _("%(basis)r is not one of %(allowed)s")
        else:
            message = _("missing: it must be one of %(allowed)s")
        m.error("basisOfRecord", message % {"basis": basis_text, "allowed": allowed})
    name = m.get("scientificName") or m.get("vernacularName")
    if not name:
        m.error("scientificName", _("missing (and no vernacularName either)"))
    lat, lon = coordinates(m)
    latest_stage = m.get("latestAgeOrHighestStage")
    specimen = SpecimenRecord(
        basis_of_record=basis,
        scientific_name=m.get("scientificName") or name,
        scientific_name_authorship=m.get("scientificNameAuthorship"),
        taxon_rank=m.get("taxonRank").lower(),
        kingdom=m.get("kingdom"),
        phylum=m.get("phylum"),
        class_name=m.get("class"),
        order=m.get("order"),
        family=m.get("family"),
        genus=m.get("genus"),
        vernacular_name=m.get("vernacularName"),
        type_status=m.get("typeStatus"),
        locality=m.get("locality"),
        country_code=m.get("countryCode").upper(),
        latitude=lat,
        longitude=lon,
        coordinate_uncertainty_m=m.count("coordinateUncertaintyInMeters"),
        geological_group=m.get("group"),
        formation=m.get("formation"),
        member=m.get("member"),
        bed=m.get("bed"),
        stage=m.get("earliestAgeOrLowestStage") or latest_stage,
        recorded_by=m.get("recordedBy"),
        event_date=event_date(m),
        individual_count=m.count("individualCount"),
        preparations=m.get("preparations"),
        occurrence_id=m.get("occurrenceID"),
    )
    if any(p.severity != WARNING for p in m.problems):
        return None
    catalogue = m.get("catalogNumber")
    prefix = " ".join(p for p in (m.get("institutionCode"), m.get("collectionCode")) if p)
    inventory = f"{prefix} {catalogue}".strip() if catalogue else source_id
    return ObjectRecord(
        source_id=source_id,
        collection=collection,
        inventory_number=inventory,
        title={"nl": name},
        rights_uri=rights_uri,
        specimen=specimen,
        publish=publish,
    )
