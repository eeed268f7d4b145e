"""One lido:lido element -> an ObjectRecord plus the problems found on the way.

Mapping (LIDO 1.1 -> our object):
- lidoRecID -> source_id; objectPublishedID -> pid (its last path segment, slugified;
  only used when the object is created, so a URI never changes)
- repositoryWrap workID -> inventory number; titleWrap -> title (per xml:lang)
- objectWorkType -> object type; termMaterialsTech -> materials / techniques
  (lido00132 / lido00131); subjectConcept -> subjects (with their conceptIDs)
- production events (eventType lido00007 or a "production"-like term) -> makers with
  roles and identifiers, displayDate (with its xml:lang) + earliest/latestDate,
  eventPlace; other events
  -> one provenance line each
- objectMeasurementsSet -> Dimension rows (and the dimensions text); inscriptions
- recordRights, else rightsWorkSet -> rights URI (canonical; unknown = error on
  "rights"); creditLine (else the repository's name) -> credit line
- recordInfoLink -> source_url; resourceSet links -> reported (images not fetched)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

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
    language_code,
    unknown_rights,
)
from reisgezel.heritage.rights import DEFAULT_RIGHTS
from reisgezel.interop.importers import lido_terms as t
from reisgezel.interop.importers.base import clean_text, title_stands_in
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
TECHNIQUE_WORDS = ("technique", "technik", "techniek")
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


def _lido(name: str) -> str:
    return f"{{{t.LIDO_NS}}}{name}"


REC_ID = _lido("lidoRecID")
PUBLISHED_ID = _lido("objectPublishedID")
DESCRIPTIVE_METADATA = _lido("descriptiveMetadata")
ADMINISTRATIVE_METADATA = _lido("administrativeMetadata")
ACTOR = _lido("actor")
ROLE_ACTOR = _lido("roleActor")
ATTRIBUTION = _lido("attributionQualifierActor")
DATE = _lido("date")
WORK_ID = _lido("workID")
PLACE_ID = _lido("placeID")
NAME_PLACE_SET = _lido("namePlaceSet")
CREDIT_LINE = _lido("creditLine")
MEASUREMENT_TYPE, MEASUREMENT_UNIT, MEASUREMENT_VALUE = (
    _lido("measurementType"),
    _lido("measurementUnit"),
    _lido("measurementValue"),
)
MATERIALS_TECH = _lido("materialsTech")
TERM_MATERIALS_TECH = _lido("termMaterialsTech")
DISPLAY_MATERIALS_TECH = _lido("displayMaterialsTech")
RESOURCE_REPRESENTATION = _lido("resourceRepresentation")
LINK_RESOURCE = _lido("linkResource")
RIGHTS_RESOURCE = _lido("rightsResource")
INSCRIPTION_TRANSCRIPTION = _lido("inscriptionTranscription")
INSCRIPTION_DESCRIPTION = _lido("inscriptionDescription")
DESCRIPTIVE_NOTE_VALUE = _lido("descriptiveNoteValue")

# What the mapping reads below the descriptive and administrative metadata, each
# found with one XPath evaluation.
_IDENTIFICATION = "objectIdentificationWrap"
_REPOSITORY = f"{_IDENTIFICATION}/repositoryWrap/repositorySet"
_MEASUREMENTS = f"{_IDENTIFICATION}/objectMeasurementsWrap/objectMeasurementsSet"
DESCRIPTIVE = t.Select(
    object_types="objectClassificationWrap/objectWorkTypeWrap/objectWorkType",
    titles=f"{_IDENTIFICATION}/titleWrap/titleSet/appellationValue",
    repositories=_REPOSITORY,
    repository_bodies=f"{_REPOSITORY}/repositoryName/legalBodyName",
    descriptions=f"{_IDENTIFICATION}/objectDescriptionWrap/objectDescriptionSet/descriptiveNoteValue",
    measurement_displays=f"{_MEASUREMENTS}/displayObjectMeasurements",
    measurements=f"{_MEASUREMENTS}/objectMeasurements/measurementsSet",
    inscriptions=f"{_IDENTIFICATION}/inscriptionsWrap/inscriptions",
    events="eventWrap/eventSet/event",
    subjects="objectRelationWrap/subjectWrap/subjectSet/subject/subjectConcept",
)
ADMINISTRATIVE = t.Select(
    record_rights="recordWrap/recordRights",
    info_links="recordWrap/recordInfoSet/recordInfoLink",
    work_rights="rightsWorkWrap/rightsWorkSet",
    resources="resourceWrap/resourceSet",
)
EVENT = t.Select(
    types="eventType",
    in_roles="eventActor/actorInRole",
    materials="eventMaterialsTech",
    # a date's parts are taken in its place: `lido:eventDate/lido:date/*`
    dates=("eventDate/displayDate", "eventDate/date"),
    places="eventPlace/place",
    display_places="eventPlace/displayPlace",
)
type Parts = dict[str, list[Element]]


@dataclass
class _Production:
    makers: list[MakerRecord] = field(default_factory=list)
    materials: list[ConceptRecord] = field(default_factory=list)
    techniques: list[ConceptRecord] = field(default_factory=list)
    date_display: str = ""
    date_display_language: str = ""
    date_earliest: int | None = None
    date_latest: int | None = None
    place: str = ""
    place_uri: str = ""


class _Mapping:
    """Collects the problems of one record while its parts are read."""

    def __init__(self, element: Element, *, collection: str, publish: bool) -> None:
        self.collection = collection
        self.publish = publish
        self.problems: list[Problem] = []
        self.rec_ids: list[Element] = []
        self.published_ids: list[Element] = []
        self.desc: Element | None = None
        self.admin: Element | None = None
        for part in element:  # a few children: a Python loop costs less than XPath
            tag = part.tag
            if tag == REC_ID:
                self.rec_ids.append(part)
            elif tag == PUBLISHED_ID:
                self.published_ids.append(part)
            elif tag == DESCRIPTIVE_METADATA and self.desc is None:
                self.desc = part
            elif tag == ADMINISTRATIVE_METADATA and self.admin is None:
                self.admin = part
        self.lang = (
            t.lang_of(self.desc, t.UNDETERMINED) if self.desc is not None else t.UNDETERMINED
        )
        self.admin_lang = t.lang_of(self.admin, self.lang) if self.admin is not None else self.lang
        self.parts = DESCRIPTIVE.read(self.desc) | ADMINISTRATIVE.read(self.admin)
        # Every event's parts, with whether it is a production event (read by two mappings).
        self.events = [
            (event, _is_production(event)) for event in map(EVENT.read, self.parts["events"])
        ]

    def warn(self, field: str, message: str, code: str) -> None:
        self.problems.append(Problem(field, message, WARNING, code))

    def error(self, field: str, message: str) -> None:
        self.problems.append(Problem(field, message))


def map_lido(
    element: Element, *, collection: str, publish: bool
) -> tuple[str, ObjectRecord | None, list[Problem]]:
    """(lidoRecID, record or None, problems) for one lido:lido element."""
    m = _Mapping(element, collection=collection, publish=publish)
    parts = m.parts
    rec_id = t.first_text(m.rec_ids)
    if not rec_id:
        m.error("lidoRecID", _("missing"))
    if m.desc is None:
        m.error("descriptiveMetadata", _("missing"))
    if not rec_id or m.desc is None:
        return rec_id, None, m.problems
    object_type = t.concept(
        next(iter(parts["object_types"]), None), ConceptScheme.OBJECT_TYPE, m.lang
    )
    production = _production(m)
    dimensions, dimensions_display = _dimensions(m)
    record = ObjectRecord(
        source_id=rec_id,
        collection=collection,
        inventory_number=_inventory_number(m, rec_id),
        title=_title(m, object_type),
        pid=_published_id(m),
        description=t.texts_by_lang(parts["descriptions"], m.lang, join="\n\n"),
        object_type=object_type,
        subjects=tuple(
            c for s in parts["subjects"] if (c := t.concept(s, ConceptScheme.SUBJECT, m.lang))
        ),
        provenance=_provenance(m),
        credit_line=_credit_line(m),
        rights_uri=_rights(m),
        makers=tuple(production.makers),
        materials=tuple(production.materials),
        techniques=tuple(production.techniques),
        date_display=production.date_display,
        date_display_language=production.date_display_language,
        date_earliest=production.date_earliest,
        date_latest=production.date_latest,
        production_place=production.place,
        production_place_uri=production.place_uri,
        dimensions=dimensions,
        dimensions_display=dimensions_display,
        source_url=t.first_text(parts["info_links"])[:500],
        publish=publish,
        inscriptions=_inscriptions(m),
    )
    _report_resources(m)
    return rec_id, record, m.problems


def _published_id(m: _Mapping) -> str:
    value = t.first_text(m.published_ids)
    return value.rstrip("/").rsplit("/", 1)[-1] if value else ""


def _inventory_number(m: _Mapping, rec_id: str) -> str:
    # The current repository (lido00475) first, then any other.
    sets = sorted(
        m.parts["repositories"],
        key=lambda s: not (s.get(t.LIDO_TYPE) or "").endswith("lido00475"),
    )
    for repository in sets:
        if number := t.first_text(t.children(repository, WORK_ID)):
            return number
    m.warn(
        "workID",
        _("no inventory number (repositoryWrap workID): the lidoRecID is used"),
        "no-workid",
    )
    return rec_id[:80]


def _title(m: _Mapping, object_type: ConceptRecord | None) -> dict[str, str]:
    titles = t.texts_by_lang(m.parts["titles"], m.lang)
    if not titles and object_type is not None and object_type.label:
        titles = dict(object_type.label)
        m.warn("titleWrap", _("no title: the object type stands in for it"), "no-title")
    if not titles:
        m.error("titleWrap", _("no title"))
        return {}
    for lang, text in titles.items():
        if len(text) > TITLE_MAX:
            titles[lang] = text[: TITLE_MAX - 1] + "…"
            m.warn(
                "titleWrap",
                _("the %(language)s title is shortened to %(limit)s characters")
                % {"language": lang, "limit": TITLE_MAX},
                "title-long",
            )
    if "nl" not in titles:
        # The database wants a Dutch title. Marking German text as Dutch is wrong, but a
        # record without title is worse: keep the original under its own language too,
        # and tell the curator, who can translate it.
        lang = "en" if "en" in titles else next(iter(titles))
        titles["nl"] = titles[lang]
        m.warn("titleWrap", title_stands_in(lang), "title-not-dutch")
    return titles


def _is_production(event: Parts) -> bool:
    """A production event: its (first) eventType has a production conceptID or term."""
    named = False
    for event_type in event["types"][:1]:
        for item in event_type:
            if item.tag == t.TERM:
                named = named or t.text_of(item).lower() in PRODUCTION_TERMS
            elif item.tag == t.CONCEPT_ID and t.text_of(item).endswith(PRODUCTION_IDS):
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
    date_parts = _event_dates(first)
    dates = t.first_texts(date_parts)
    display = dates.get(t.DISPLAY_DATE, "")
    if display:
        shown = next(d for d in date_parts if d.tag == t.DISPLAY_DATE and t.normalized_text(d))
        # Its own xml:lang, else the descriptive metadata's (LIDO requires one there).
        result.date_display_language = language_code(t.lang_of(shown, m.lang))
    earliest = t.year(dates.get(t.EARLIEST_DATE, ""))
    latest = t.year(dates.get(t.LATEST_DATE, ""))
    if earliest is None and latest is None and display:
        earliest, latest = parse_fuzzy_date(display)
    places = first["places"][:1]
    result.date_display = display[:100]
    result.date_earliest, result.date_latest = earliest, latest
    place = t.first_text(_place_names(places)) or t.first_text(first["display_places"])
    result.place = place[:200]
    result.place_uri = t.first_uri(t.step(places, PLACE_ID))
    return result


def _event_dates(event: Parts) -> list[Element]:
    """eventDate/displayDate and eventDate/date/*, in document order."""
    dates: list[Element] = []
    for item in event["dates"]:
        if item.tag == DATE:
            dates += t.element_children(item)
        else:
            dates.append(item)
    return dates


def _makers(m: _Mapping, event: Parts) -> list[MakerRecord]:
    makers: list[MakerRecord] = []
    for in_role in event["in_roles"]:
        actor: Element | None = None
        terms: list[str] = []
        attribution = ""
        for part in in_role:
            tag = part.tag
            if tag == ACTOR:
                if actor is None:  # lido:actor[1]
                    actor = part
            elif tag == ROLE_ACTOR:
                terms += [clean_text(term.text) for term in part if term.tag == t.TERM]
            elif tag == ATTRIBUTION and not attribution:
                attribution = t.normalized_text(part)
        found = t.agent(actor) if actor is not None else None
        if found is None:
            m.warn("eventActor", _("an actor without a name is left out"), "actor-no-name")
            continue
        role = t.role_of(terms)
        if role is None:
            role = MakerRole.MAKER
            if terms:
                m.warn(
                    "roleActor",
                    _("role %(role)r of %(name)s is recorded as maker")
                    % {"role": terms[0], "name": found.name},
                    "role-unknown",
                )
        makers.append(MakerRecord(agent=found, role=role, attribution=attribution[:60]))
    return makers


def _materials(m: _Mapping, event: Parts) -> tuple[list[ConceptRecord], list[ConceptRecord]]:
    materials: list[ConceptRecord] = []
    techniques: list[ConceptRecord] = []
    for wrap in event["materials"]:
        terms = t.step(t.children(wrap, MATERIALS_TECH), TERM_MATERIALS_TECH)
        for term in terms:
            kind = term.get(t.LIDO_TYPE) or ""
            is_technique = kind.endswith(TECHNIQUE_IDS) or kind.lower() in TECHNIQUE_WORDS
            scheme = ConceptScheme.TECHNIQUE if is_technique else ConceptScheme.MATERIAL
            if found := t.concept(term, scheme, m.lang):
                (techniques if is_technique else materials).append(found)
        if terms:
            continue
        for display in t.children(wrap, DISPLAY_MATERIALS_TECH):
            text = t.text_of(display)
            label = (display.get(t.LIDO_LABEL) or "").lower()
            if not text or len(text) > 200:
                continue
            is_technique = label in TECHNIQUE_WORDS
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
        kind = t.first_text(t.step(event["types"], t.TERM))
        actors = t.step(event["in_roles"], ACTOR)
        parts = [
            t.first_text(date for date in event["dates"] if date.tag == t.DISPLAY_DATE),
            t.first_text(_place_names(event["places"])),
            ", ".join(
                map(t.text_of, t.step(t.step(actors, t.NAME_ACTOR_SET), t.APPELLATION_VALUE))
            ),
        ]
        detail = ", ".join(p for p in parts if p)
        if kind or detail:
            lines.append(f"{kind}: {detail}" if kind and detail else kind or detail)
    return {m.lang: "\n".join(lines)} if lines else {}


def _place_names(places: list[Element]) -> list[Element]:
    return t.step(t.step(places, NAME_PLACE_SET), t.APPELLATION_VALUE)


def _dimensions(m: _Mapping) -> tuple[tuple[DimensionRecord, ...], str]:
    dimensions: list[DimensionRecord] = []
    shown: list[str] = []
    displays: list[str] = []
    # Displays and measurements come from every objectMeasurementsSet, each kind in
    # document order: each list is made in the order it always was.
    for display in m.parts["measurement_displays"]:
        if text := t.text_of(display):
            label = display.get(t.LIDO_LABEL)
            displays.append(
                f"{label} {text}" if label and label.lower() not in text.lower() else text
            )
    for item in m.parts["measurements"]:
        kind_text = unit_text = value_text = ""
        for part in item:  # the first non-blank of each
            tag = part.tag
            if tag == MEASUREMENT_TYPE:
                kind_text = kind_text or t.normalized_text(part)
            elif tag == MEASUREMENT_UNIT:
                unit_text = unit_text or t.normalized_text(part)
            elif tag == MEASUREMENT_VALUE:
                value_text = value_text or t.normalized_text(part)
        shown.append(" ".join([p for p in (kind_text, value_text, unit_text) if p]))
        kind = DIMENSION_WORDS.get(kind_text.lower())
        unit = UNITS.get(unit_text.lower())
        try:
            value: Decimal | None = Decimal(value_text.replace(",", "."))
        except InvalidOperation:
            value = None
        # "NaN" and "Infinity" parse, but are no measurement (and NaN cannot be compared).
        if value is not None and not value.is_finite():
            value = None
        if kind and unit and value is not None and value > 0:
            dimensions.append(DimensionRecord(kind=kind, value=value, unit=unit))
        else:
            m.warn(
                "objectMeasurements",
                _("%(text)r is kept in the dimensions text only") % {"text": shown[-1]},
                "measurement-text-only",
            )
    text = "; ".join(displays or shown)
    if len(text) > 300:
        text = text[:299] + "…"
        m.warn(
            "objectMeasurements",
            _("the dimensions text is shortened to %(limit)s characters") % {"limit": 300},
            "dimensions-long",
        )
    return tuple(dimensions), text


def _inscriptions(m: _Mapping) -> tuple[InscriptionRecord, ...]:
    found = []
    for item in m.parts["inscriptions"]:
        kind_text = (item.get(t.LIDO_TYPE) or "").lower()
        if "mark" in kind_text or "merk" in kind_text:
            kind = InscriptionKind.MARK
        elif "sign" in kind_text:
            kind = InscriptionKind.SIGNATURE
        elif "label" in kind_text or "etiket" in kind_text:
            kind = InscriptionKind.LABEL
        else:
            kind = InscriptionKind.INSCRIPTION
        transcription = t.first_text(t.children(item, INSCRIPTION_TRANSCRIPTION))
        notes = t.step(t.children(item, INSCRIPTION_DESCRIPTION), DESCRIPTIVE_NOTE_VALUE)
        description = t.texts_by_lang(notes, m.lang, join="\n\n")
        if transcription or description:
            found.append(
                InscriptionRecord(
                    kind=kind, transcription=transcription[:500], description=description
                )
            )
    return tuple(found)


def _rights(m: _Mapping) -> str:
    for statements in (m.parts["record_rights"], m.parts["work_rights"]):
        for element in statements:
            uri, unknown = t.rights(element)
            if uri:
                return uri
            if unknown:
                m.error("rights", unknown_rights(unknown))
                return DEFAULT_RIGHTS
    m.warn(
        "rights", _("no rights statement: recorded as copyright not evaluated"), "rights-missing"
    )
    return DEFAULT_RIGHTS


def _credit_line(m: _Mapping) -> dict[str, str]:
    lines = t.step(m.parts["work_rights"] + m.parts["record_rights"], CREDIT_LINE)
    credit = t.texts_by_lang(lines, m.admin_lang)
    if not credit:
        names = t.step(m.parts["repository_bodies"], t.APPELLATION_VALUE)
        credit = t.texts_by_lang(names, m.lang)
    return {lang: text[:300] for lang, text in credit.items()}


def _report_resources(m: _Mapping) -> None:
    for number, resource in enumerate(m.parts["resources"], start=1):
        links: list[Element] = []
        rights: Element | None = None
        for part in resource:
            tag = part.tag
            if tag == RESOURCE_REPRESENTATION:
                links += t.children(part, LINK_RESOURCE)
            elif tag == RIGHTS_RESOURCE and rights is None:
                rights = part
        link = t.first_text(links)
        if not link:
            continue
        message = _(
            "image %(number)s not downloaded (imports do not fetch from the network): %(link)s"
        ) % {"number": number, "link": link}
        _uri, unknown = t.rights(rights)
        if unknown:
            message += "; " + _("its rights statement %(statement)r is not one we accept") % {
                "statement": unknown
            }
        m.warn("resourceWrap", message, "image-not-downloaded")
