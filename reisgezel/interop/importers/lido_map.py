"""One lido:lido element -> an ObjectRecord plus the problems found on the way.

Mapping (LIDO 1.1 -> our object):
- lidoRecID -> source_id; objectPublishedID -> pid (its last path segment, slugified;
  only used when the object is created, so a URI never changes)
- repositoryWrap workID -> inventory number; titleWrap -> title (per xml:lang)
- objectWorkType -> object type; termMaterialsTech -> materials / techniques
  (lido00132 / lido00131); subjectConcept -> subjects (with their conceptIDs)
- production events (eventType lido00007 or a "production"-like term) -> makers with
  roles and identifiers, displayDate + earliest/latestDate, eventPlace; other events
  -> one provenance line each
- objectMeasurementsSet -> Dimension rows (and the dimensions text); inscriptions
- recordRights, else rightsWorkSet -> rights URI (canonical; unknown = error on
  "rights"); creditLine (else the repository's name) -> credit line
- recordInfoLink -> source_url; resourceSet links -> reported (images not fetched)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from reisgezel.heritage.dates import parse_fuzzy_date
from reisgezel.heritage.models import ConceptScheme, DimensionKind, InscriptionKind, MakerRole
from reisgezel.heritage.records import (
    WARNING,
    ConceptRecord,
    DimensionRecord,
    InscriptionRecord,
    MakerRecord,
    ObjectRecord,
    Problem,
)
from reisgezel.heritage.rights import DEFAULT_RIGHTS
from reisgezel.interop.importers import lido_terms as t
from reisgezel.interop.importers.lido_terms import Element

PRODUCTION_IDS = ("lido00007", "lido00012", "lido00224")
PRODUCTION_TERMS = frozenset(
    (
        "production",
        "creation",
        "herstellung",
        "vervaardiging",
        "productie",
        "designing",
        "design",
        "entwurf",
        "ontwerp",
        "manufacture",
        "fabrication",
    )
)
TECHNIQUE_IDS = ("lido00131",)
DIMENSION_WORDS: dict[str, str] = {
    **dict.fromkeys(("height", "hoogte", "höhe", "hauteur"), DimensionKind.HEIGHT),
    **dict.fromkeys(("width", "breedte", "breite", "largeur"), DimensionKind.WIDTH),
    **dict.fromkeys(("depth", "diepte", "tiefe", "profondeur"), DimensionKind.DEPTH),
    **dict.fromkeys(("diameter", "durchmesser", "diamètre"), DimensionKind.DIAMETER),
    **dict.fromkeys(("length", "lengte", "länge", "longueur"), DimensionKind.LENGTH),
    **dict.fromkeys(("weight", "gewicht", "poids"), DimensionKind.WEIGHT),
}
UNITS = {"mm": "mm", "cm": "cm", "m": "m", "g": "g", "gr": "g", "kg": "kg"}
TITLE_MAX = 300
ACTOR = f"{{{t.LIDO_NS}}}actor"
MEASUREMENT_TYPE = f"{{{t.LIDO_NS}}}measurementType"
MEASUREMENT_UNIT = f"{{{t.LIDO_NS}}}measurementUnit"
MEASUREMENT_VALUE = f"{{{t.LIDO_NS}}}measurementValue"


@dataclass
class _Production:
    makers: list[MakerRecord] = field(default_factory=list)
    materials: list[ConceptRecord] = field(default_factory=list)
    techniques: list[ConceptRecord] = field(default_factory=list)
    date_display: str = ""
    date_earliest: int | None = None
    date_latest: int | None = None
    place: str = ""
    place_uri: str = ""


class _Mapping:
    """Collects the problems of one record while its parts are read."""

    def __init__(self, element: Element, *, collection: str, publish: bool) -> None:
        self.el = element
        self.collection = collection
        self.publish = publish
        self.problems: list[Problem] = []
        self.desc = t.find_first(element, "lido:descriptiveMetadata")
        self.admin = t.find_first(element, "lido:administrativeMetadata")
        self.lang = (
            t.lang_of(self.desc, t.UNDETERMINED) if self.desc is not None else t.UNDETERMINED
        )
        self.admin_lang = t.lang_of(self.admin, self.lang) if self.admin is not None else self.lang
        # Every event, with whether it is a production event (read by two mappings).
        self.events = [
            (event, _is_production(event))
            for event in self.find("lido:eventWrap/lido:eventSet/lido:event")
        ]

    def warn(self, field: str, message: str, code: str) -> None:
        self.problems.append(Problem(field, message, WARNING, code))

    def error(self, field: str, message: str) -> None:
        self.problems.append(Problem(field, message))

    def find(self, path: str) -> list[Element]:
        return t.find_all(self.desc, path) if self.desc is not None else []

    def find_admin(self, path: str) -> list[Element]:
        return t.find_all(self.admin, path) if self.admin is not None else []


def map_lido(
    element: Element, *, collection: str, publish: bool
) -> tuple[str, ObjectRecord | None, list[Problem]]:
    """(lidoRecID, record or None, problems) for one lido:lido element."""
    m = _Mapping(element, collection=collection, publish=publish)
    rec_id = t.first_text(element, "lido:lidoRecID")
    if not rec_id:
        m.error("lidoRecID", "missing")
    if m.desc is None:
        m.error("descriptiveMetadata", "missing")
    if not rec_id or m.desc is None:
        return rec_id, None, m.problems
    object_type = t.concept(
        next(
            iter(
                m.find("lido:objectClassificationWrap/lido:objectWorkTypeWrap/lido:objectWorkType")
            ),
            None,
        ),
        ConceptScheme.OBJECT_TYPE,
        m.lang,
    )
    production = _production(m)
    dimensions, dimensions_display = _dimensions(m)
    record = ObjectRecord(
        source_id=rec_id,
        collection=collection,
        inventory_number=_inventory_number(m, rec_id),
        title=_title(m, object_type),
        pid=_published_id(element),
        description=t.texts_by_lang(
            m.find(
                "lido:objectIdentificationWrap/lido:objectDescriptionWrap/lido:objectDescriptionSet/lido:descriptiveNoteValue"
            ),
            m.lang,
            join="\n\n",
        ),
        object_type=object_type,
        subjects=tuple(
            c
            for s in m.find(
                "lido:objectRelationWrap/lido:subjectWrap/lido:subjectSet/lido:subject/lido:subjectConcept"
            )
            if (c := t.concept(s, ConceptScheme.SUBJECT, m.lang))
        ),
        provenance=_provenance(m),
        credit_line=_credit_line(m),
        rights_uri=_rights(m),
        makers=tuple(production.makers),
        materials=tuple(production.materials),
        techniques=tuple(production.techniques),
        date_display=production.date_display,
        date_earliest=production.date_earliest,
        date_latest=production.date_latest,
        production_place=production.place,
        production_place_uri=production.place_uri,
        dimensions=dimensions,
        dimensions_display=dimensions_display,
        source_url=t.first_text(m.admin, "lido:recordWrap/lido:recordInfoSet/lido:recordInfoLink")[
            :500
        ],
        publish=publish,
        inscriptions=_inscriptions(m),
    )
    _report_resources(m)
    return rec_id, record, m.problems


def _published_id(element: Element) -> str:
    value = t.first_text(element, "lido:objectPublishedID")
    return value.rstrip("/").rsplit("/", 1)[-1] if value else ""


def _inventory_number(m: _Mapping, rec_id: str) -> str:
    sets = m.find("lido:objectIdentificationWrap/lido:repositoryWrap/lido:repositorySet")
    # The current repository (lido00475) first, then any other.
    sets.sort(key=lambda s: not (s.get(t.LIDO_TYPE) or "").endswith("lido00475"))
    for repository in sets:
        if number := t.first_text(repository, "lido:workID"):
            return number
    m.warn(
        "workID", "no inventory number (repositoryWrap workID): the lidoRecID is used", "no-workid"
    )
    return rec_id[:80]


def _title(m: _Mapping, object_type: ConceptRecord | None) -> dict[str, str]:
    titles = t.texts_by_lang(
        m.find("lido:objectIdentificationWrap/lido:titleWrap/lido:titleSet/lido:appellationValue"),
        m.lang,
    )
    if not titles and object_type is not None and object_type.label:
        titles = dict(object_type.label)
        m.warn("titleWrap", "no title: the object type stands in for it", "no-title")
    if not titles:
        m.error("titleWrap", "no title")
        return {}
    for lang, text in titles.items():
        if len(text) > TITLE_MAX:
            titles[lang] = text[: TITLE_MAX - 1] + "…"
            m.warn(
                "titleWrap",
                f"the {lang} title is shortened to {TITLE_MAX} characters",
                "title-long",
            )
    if "nl" not in titles:
        # The database wants a Dutch title. Marking German text as Dutch is wrong, but a
        # record without title is worse: keep the original under its own language too,
        # and tell the curator, who can translate it.
        lang = "en" if "en" in titles else next(iter(titles))
        titles["nl"] = titles[lang]
        m.warn("titleWrap", f"no Dutch title: the {lang} title stands in for it", "title-not-dutch")
    return titles


def _is_production(event: Element) -> bool:
    """A production event: its (first) eventType has a production conceptID or term."""
    named = False
    for item in t.find_all(event, "lido:eventType[1]/lido:conceptID | lido:eventType[1]/lido:term"):
        if item.tag == t.TERM:
            named = named or t.text_of(item).lower() in PRODUCTION_TERMS
        elif t.text_of(item).endswith(PRODUCTION_IDS):
            return True
    return named


def _production(m: _Mapping) -> _Production:
    events = [event for event, production in m.events if production]
    result = _Production()
    for event in events:
        result.makers += _makers(m, event)
        materials, techniques = _materials(m, event)
        result.materials += materials
        result.techniques += techniques
    if not events:
        return result
    first = events[0]
    dates = t.first_texts(first, "lido:eventDate/lido:displayDate | lido:eventDate/lido:date/*")
    display = dates.get(t.DISPLAY_DATE, "")
    earliest = t.year(dates.get(t.EARLIEST_DATE, ""))
    latest = t.year(dates.get(t.LATEST_DATE, ""))
    if earliest is None and latest is None and display:
        earliest, latest = parse_fuzzy_date(display)
    place = t.find_first(first, "lido:eventPlace/lido:place")
    result.date_display = display[:100]
    result.date_earliest, result.date_latest = earliest, latest
    result.place = (
        t.first_text(place, "lido:namePlaceSet/lido:appellationValue")
        or t.first_text(first, "lido:eventPlace/lido:displayPlace")
    )[:200]
    result.place_uri = t.first_uri(place, "lido:placeID") if place is not None else ""
    return result


def _makers(m: _Mapping, event: Element) -> list[MakerRecord]:
    makers: list[MakerRecord] = []
    for in_role in t.find_all(event, "lido:eventActor/lido:actorInRole"):
        actor: Element | None = None
        terms: list[str] = []
        attribution = ""
        # One XPath evaluation for the three parts of an actor in its role.
        for item in t.find_all(
            in_role, "lido:actor[1] | lido:roleActor/lido:term | lido:attributionQualifierActor"
        ):
            if item.tag == ACTOR:
                actor = item
            elif item.tag == t.TERM:
                terms.append(t.text_of(item))
            elif not attribution:
                attribution = t.normalized_text(item)
        found = t.agent(actor) if actor is not None else None
        if found is None:
            m.warn("eventActor", "an actor without a name is left out", "actor-no-name")
            continue
        role = t.role_of(terms)
        if role is None:
            role = MakerRole.MAKER
            if terms:
                m.warn(
                    "roleActor",
                    f"role {terms[0]!r} of {found.name} is recorded as maker",
                    "role-unknown",
                )
        makers.append(MakerRecord(agent=found, role=role, attribution=attribution[:60]))
    return makers


def _materials(m: _Mapping, event: Element) -> tuple[list[ConceptRecord], list[ConceptRecord]]:
    materials: list[ConceptRecord] = []
    techniques: list[ConceptRecord] = []
    for wrap in t.find_all(event, "lido:eventMaterialsTech"):
        terms = t.find_all(wrap, "lido:materialsTech/lido:termMaterialsTech")
        for term in terms:
            is_technique = (term.get(t.LIDO_TYPE) or "").endswith(TECHNIQUE_IDS) or (
                term.get(t.LIDO_TYPE) or ""
            ).lower() in ("technique", "technik", "techniek")
            scheme = ConceptScheme.TECHNIQUE if is_technique else ConceptScheme.MATERIAL
            if found := t.concept(term, scheme, m.lang):
                (techniques if is_technique else materials).append(found)
        if terms:
            continue
        for display in t.find_all(wrap, "lido:displayMaterialsTech"):
            text = t.text_of(display)
            label = (display.get(t.LIDO_LABEL) or "").lower()
            if not text or len(text) > 200:
                continue
            is_technique = label in ("technique", "technik", "techniek")
            found = ConceptRecord(
                scheme=ConceptScheme.TECHNIQUE if is_technique else ConceptScheme.MATERIAL,
                label={t.lang_of(display, m.lang): text},
            )
            (techniques if is_technique else materials).append(found)
    return materials, techniques


def _provenance(m: _Mapping) -> dict[str, str]:
    lines = []
    for event, production in m.events:
        if production:
            continue
        kind = t.first_text(event, "lido:eventType/lido:term")
        parts = [
            t.first_text(event, "lido:eventDate/lido:displayDate"),
            t.first_text(
                event, "lido:eventPlace/lido:place/lido:namePlaceSet/lido:appellationValue"
            ),
            ", ".join(
                t.text_of(n)
                for n in t.find_all(
                    event,
                    "lido:eventActor/lido:actorInRole/lido:actor/lido:nameActorSet/lido:appellationValue",
                )
            ),
        ]
        detail = ", ".join(p for p in parts if p)
        if kind or detail:
            lines.append(f"{kind}: {detail}" if kind and detail else kind or detail)
    return {m.lang: "\n".join(lines)} if lines else {}


def _dimensions(m: _Mapping) -> tuple[tuple[DimensionRecord, ...], str]:
    dimensions: list[DimensionRecord] = []
    shown: list[str] = []
    displays: list[str] = []
    for measurements in m.find(
        "lido:objectIdentificationWrap/lido:objectMeasurementsWrap/lido:objectMeasurementsSet"
    ):
        for display in t.find_all(measurements, "lido:displayObjectMeasurements"):
            if text := t.text_of(display):
                label = display.get(t.LIDO_LABEL)
                displays.append(
                    f"{label} {text}" if label and label.lower() not in text.lower() else text
                )
        for item in t.find_all(measurements, "lido:objectMeasurements/lido:measurementsSet"):
            parts = t.first_texts(
                item, "lido:measurementType | lido:measurementUnit | lido:measurementValue"
            )
            kind_text = parts.get(MEASUREMENT_TYPE, "")
            unit_text = parts.get(MEASUREMENT_UNIT, "")
            value_text = parts.get(MEASUREMENT_VALUE, "")
            shown.append(" ".join(p for p in (kind_text, value_text, unit_text) if p))
            kind = DIMENSION_WORDS.get(kind_text.lower())
            unit = UNITS.get(unit_text.lower())
            try:
                value = Decimal(value_text.replace(",", "."))
            except InvalidOperation:
                value = None
            if kind and unit and value is not None and value > 0:
                dimensions.append(DimensionRecord(kind=kind, value=value, unit=unit))
            else:
                m.warn(
                    "objectMeasurements",
                    f"{shown[-1]!r} is kept in the dimensions text only",
                    "measurement-text-only",
                )
    text = "; ".join(displays or shown)
    if len(text) > 300:
        text = text[:299] + "…"
        m.warn(
            "objectMeasurements",
            "the dimensions text is shortened to 300 characters",
            "dimensions-long",
        )
    return tuple(dimensions), text


def _inscriptions(m: _Mapping) -> tuple[InscriptionRecord, ...]:
    found = []
    for item in m.find("lido:objectIdentificationWrap/lido:inscriptionsWrap/lido:inscriptions"):
        kind_text = (item.get(t.LIDO_TYPE) or "").lower()
        if "mark" in kind_text or "merk" in kind_text:
            kind = InscriptionKind.MARK
        elif "sign" in kind_text:
            kind = InscriptionKind.SIGNATURE
        elif "label" in kind_text or "etiket" in kind_text:
            kind = InscriptionKind.LABEL
        else:
            kind = InscriptionKind.INSCRIPTION
        transcription = t.first_text(item, "lido:inscriptionTranscription")
        description = t.texts_by_lang(
            t.find_all(item, "lido:inscriptionDescription/lido:descriptiveNoteValue"),
            m.lang,
            join="\n\n",
        )
        if transcription or description:
            found.append(
                InscriptionRecord(
                    kind=kind, transcription=transcription[:500], description=description
                )
            )
    return tuple(found)


def _rights(m: _Mapping) -> str:
    for path in ("lido:recordWrap/lido:recordRights", "lido:rightsWorkWrap/lido:rightsWorkSet"):
        for element in m.find_admin(path):
            uri, unknown = t.rights(element)
            if uri:
                return uri
            if unknown:
                m.error("rights", f"unknown rights statement {unknown!r}")
                return DEFAULT_RIGHTS
    m.warn("rights", "no rights statement: recorded as copyright not evaluated", "rights-missing")
    return DEFAULT_RIGHTS


def _credit_line(m: _Mapping) -> dict[str, str]:
    lines = m.find_admin("lido:rightsWorkWrap/lido:rightsWorkSet/lido:creditLine") + m.find_admin(
        "lido:recordWrap/lido:recordRights/lido:creditLine"
    )
    credit = t.texts_by_lang(lines, m.admin_lang)
    if not credit:
        names = m.find(
            "lido:objectIdentificationWrap/lido:repositoryWrap/lido:repositorySet/lido:repositoryName/lido:legalBodyName/lido:appellationValue"
        )
        credit = t.texts_by_lang(names, m.lang)
    return {lang: text[:300] for lang, text in credit.items()}


def _report_resources(m: _Mapping) -> None:
    for number, resource in enumerate(m.find_admin("lido:resourceWrap/lido:resourceSet"), start=1):
        link = t.first_text(resource, "lido:resourceRepresentation/lido:linkResource")
        if not link:
            continue
        message = f"image {number} not downloaded (imports do not fetch from the network): {link}"
        _uri, unknown = t.rights(t.find_first(resource, "lido:rightsResource"))
        if unknown:
            message += f"; its rights statement {unknown!r} is not one we accept"
        m.warn("resourceWrap", message, "image-not-downloaded")
