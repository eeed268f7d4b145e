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
        if value.startswith(("http://", "https://")):
            return value
    return ""


def concept(element: Element | None, scheme: str, default_lang: str) -> ConceptRecord | None:
    if element is None:
        return None
    terms = [
        t for t in find_all(element, "lido:term") if t.get(f"{{{LIDO_NS}}}addedSearchTerm") != "yes"
    ]
    label = texts_by_lang(terms, default_lang)
    uri = first_uri(element)
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
    names = find_all(actor, "lido:nameActorSet/lido:appellationValue")
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
    for found in find_all(actor, "lido:actorID"):
        value = text_of(found)
        if m := _WIKIDATA.search(value):
            wikidata = wikidata or m.group(1)
        elif m := _RKD.search(value):
            rkd = rkd or m.group(1)
        elif value.startswith(("http://", "https://")) and not uri:
            uri = value
    born = year(first_text(actor, "lido:vitalDatesActor/lido:earliestDate"))
    died = year(first_text(actor, "lido:vitalDatesActor/lido:latestDate"))
    return AgentRecord(
        name=name,
        kind=kind,
        sort_name=sort_name,
        wikidata_id=wikidata,
        rkd_id=rkd,
        uri=uri[:300],
        dates_display=first_text(actor, "lido:vitalDatesActor/lido:displayDate")[:100],
        birth_year=born,
        death_year=died,
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
    values = [text_of(v) for v in find_all(element, "lido:rightsType/lido:conceptID")] + [
        text_of(v) for v in find_all(element, "lido:rightsType/lido:term")
    ]
    values = [v for v in values if v]
    for value in values:
        try:
            return canonical_rights_uri(value), ""
        except ValueError:
            continue
    return "", values[0] if values else ""
