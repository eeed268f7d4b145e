"""Reading LIDO's building blocks: texts per language, concepts, actors, rights, years.

LIDO repeats a few shapes everywhere (a concept is conceptIDs plus terms per language;
a name is appellationValues): these helpers read them once, for lido.py's mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from lxml import etree

from reisgezel.heritage.models import AgentKind, MakerRole
from reisgezel.heritage.records import AgentRecord, ConceptRecord
from reisgezel.heritage.rights import canonical_rights_uri
from reisgezel.interop.importers.base import clean_text

LIDO_NS = "http://www.lido-schema.org"
NS = {"lido": LIDO_NS}
LIDO_TAG = f"{{{LIDO_NS}}}lido"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LIDO_TYPE = f"{{{LIDO_NS}}}type"
LIDO_PREF = f"{{{LIDO_NS}}}pref"
LIDO_LABEL = f"{{{LIDO_NS}}}label"
TERM = f"{{{LIDO_NS}}}term"
APPELLATION_VALUE = f"{{{LIDO_NS}}}appellationValue"
ACTOR_ID = f"{{{LIDO_NS}}}actorID"
ADDED_SEARCH_TERM = f"{{{LIDO_NS}}}addedSearchTerm"
DISPLAY_DATE = f"{{{LIDO_NS}}}displayDate"
EARLIEST_DATE = f"{{{LIDO_NS}}}earliestDate"
LATEST_DATE = f"{{{LIDO_NS}}}latestDate"
UNDETERMINED = "und"  # BCP 47: language not stated

type Element = etree._Element


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Role terms in the languages our partners and LIDO sources use; matched lower-cased.
ROLES: dict[str, frozenset[str]] = {
    MakerRole.MAKER: _words(
        "maker artist künstler künstlerin kunstenaar vervaardiger creator artiste "
        "hersteller herstellerin"
    ),
    MakerRole.DESIGNER: _words("designer entwerfer entwerferin ontwerper concepteur"),
    MakerRole.DECORATOR: _words(
        "decorator decorateur dekorateur maler malerin painter schilder graveur engraver stecher"
    ),
    MakerRole.MANUFACTURER: _words(
        "manufacturer fabrikant manufaktur fabriek factory producer producent werkstatt "
        "workshop atelier"
    ),
    MakerRole.AUTHOR: _words("author autor auteur schrijver verfasser"),
    MakerRole.ILLUSTRATOR: _words("illustrator illustrateur"),
    MakerRole.PUBLISHER: _words("publisher verleger verlag uitgever éditeur"),
    MakerRole.PHOTOGRAPHER: _words("photographer fotograf fotograaf photographe"),
}
ORGANISATION_TYPES = frozenset({"corporation", "organization", "organisation", "group", "firm"})
_WIKIDATA = re.compile(r"wikidata\.org/(?:entity|wiki)/(Q[0-9]+)$")
_RKD = re.compile(r"rkd\.nl/.*?(?:artists|rkdartists)/([0-9]+)$")
_YEAR = re.compile(r"^\s*(-?[0-9]{1,5})")


def lang_of(element: Element, default: str) -> str:
    value = element.get(XML_LANG) or default
    return value.split("-")[0].lower() or default


def text_of(element: Element | None) -> str:
    return clean_text(element.text) if element is not None else ""


@cache
def _xpath(path: str) -> etree.XPath:
    # Compiled once: libxml2's XPath is several times faster than ElementPath's iterfind.
    return etree.XPath(path, namespaces=NS)


def find_all(element: Element, path: str) -> list[Element]:
    found = _xpath(path)(element)
    assert isinstance(found, list)
    return found


def find_first(element: Element, path: str) -> Element | None:
    found = find_all(element, f"({path})[1]")
    return found[0] if found else None


def first_text(element: Element | None, path: str) -> str:
    """The first non-blank text at `path`, with whitespace normalised."""
    if element is None:
        return ""
    value = _xpath(f"normalize-space(({path})[normalize-space()][1])")(element)
    return str(value)


_XML_SPACE = re.compile(r"[ \t\r\n]+")


def normalized_text(element: Element) -> str:
    # XPath's normalize-space() of the element's string value.
    if len(element):
        return str(_xpath("normalize-space(.)")(element))
    return _XML_SPACE.sub(" ", element.text or "").strip(" ")


def first_texts(element: Element | None, path: str) -> dict[str, str]:
    """Element name -> the first non-blank text (as `first_text` gives it) among the
    elements at `path`: one XPath evaluation for several names (a union or `*`), each
    evaluation costing about as much as walking a whole small record in Python."""
    return first_texts_of(find_all(element, path)) if element is not None else {}


def first_texts_of(elements: Iterable[Element]) -> dict[str, str]:
    """Element name -> the first non-blank text among `elements` (in document order)."""
    found: dict[str, str] = {}
    for item in elements:
        if item.tag not in found and (value := normalized_text(item)):
            found[item.tag] = value
    return found


def is_web_uri(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def texts_by_lang(elements: Iterable[Element], default: str, *, join: str = "") -> dict[str, str]:
    """A language map from repeated elements: preferred values first; per language the
    first value, or all values joined with `join` when it is given."""
    ordered = sorted(elements, key=lambda e: e.get(LIDO_PREF) not in (None, "preferred"))
    result: dict[str, str] = {}
    for element in ordered:
        value = text_of(element)
        if not value:
            continue
        lang = lang_of(element, default)
        if lang not in result:
            result[lang] = value
        elif join:
            result[lang] += join + value
    return result


def first_uri(element: Element, path: str = "lido:conceptID") -> str:
    for found in find_all(element, path):
        value = text_of(found)
        if is_web_uri(value):
            return value
    return ""


def concept(element: Element | None, scheme: str, default_lang: str) -> ConceptRecord | None:
    if element is None:
        return None
    terms: list[Element] = []
    uri = ""
    for item in find_all(element, "lido:term | lido:conceptID"):
        if item.tag == TERM:
            if item.get(ADDED_SEARCH_TERM) != "yes":
                terms.append(item)
        elif not uri and is_web_uri(value := text_of(item)):
            uri = value
    label = texts_by_lang(terms, default_lang)
    if not label and not uri:
        return None
    return ConceptRecord(scheme=scheme, label=label, uri=uri)


def role_of(role_terms: list[str]) -> str | None:
    for term in role_terms:
        word = term.lower().strip()
        for role, words in ROLES.items():
            if word in words:
                return role
    return None


def agent(actor: Element) -> AgentRecord | None:
    # One XPath evaluation for names, identifiers and life dates.
    names: list[Element] = []
    identifiers: list[str] = []
    life: list[Element] = []
    for item in find_all(
        actor, "lido:nameActorSet/lido:appellationValue | lido:actorID | lido:vitalDatesActor/*"
    ):
        if item.tag == APPELLATION_VALUE:
            names.append(item)
        elif item.tag == ACTOR_ID:
            identifiers.append(text_of(item))
        else:
            life.append(item)
    dates = first_texts_of(life)
    ordered = sorted(names, key=lambda e: e.get(LIDO_PREF) not in (None, "preferred"))
    name = next((text_of(n) for n in ordered if text_of(n)), "")
    if not name:
        return None
    kind = (
        AgentKind.ORGANISATION
        if (actor.get(LIDO_TYPE) or "").lower() in ORGANISATION_TYPES
        else AgentKind.PERSON
    )
    sort_name = ""
    if kind == AgentKind.PERSON and name.count(",") == 1:
        # LIDO sources write persons "Fiammingo, Giacomo": show "Giacomo Fiammingo".
        last, first = (part.strip() for part in name.split(","))
        if last and first:
            sort_name, name = name, f"{first} {last}"
    wikidata = rkd = uri = ""
    for value in identifiers:
        if m := _WIKIDATA.search(value):
            wikidata = wikidata or m.group(1)
        elif m := _RKD.search(value):
            rkd = rkd or m.group(1)
        elif is_web_uri(value) and not uri:
            uri = value
    return AgentRecord(
        name=name,
        kind=kind,
        sort_name=sort_name,
        wikidata_id=wikidata,
        rkd_id=rkd,
        uri=uri[:300],
        dates_display=dates.get(DISPLAY_DATE, "")[:100],
        birth_year=year(dates.get(EARLIEST_DATE, "")),
        death_year=year(dates.get(LATEST_DATE, "")),
    )


def year(value: str) -> int | None:
    """The year of an ISO-like date ("1596", "1596-03-01", "-0083")."""
    match = _YEAR.match(value or "")
    return int(match.group(1)) if match else None


def rights(element: Element | None) -> tuple[str, str]:
    """(canonical URI, "") for a known statement, ("", the value as found) for an
    unknown one, ("", "") when the element states nothing."""
    if element is None:
        return "", ""
    identifiers: list[str] = []
    terms: list[str] = []
    for item in find_all(element, "lido:rightsType/lido:conceptID | lido:rightsType/lido:term"):
        (terms if item.tag == TERM else identifiers).append(text_of(item))
    values = [v for v in identifiers + terms if v]  # identifiers before terms
    for value in values:
        try:
            return canonical_rights_uri(value), ""
        except ValueError:
            continue
    return "", values[0] if values else ""
