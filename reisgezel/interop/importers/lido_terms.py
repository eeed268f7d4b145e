"""Reading LIDO's building blocks: texts per language, concepts, actors, rights, years.

LIDO repeats a few shapes everywhere (a concept is conceptIDs plus terms per language;
a name is appellationValues): these helpers read them once, for lido.py's mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree

from reisgezel.heritage.models import AgentKind, MakerRole
from reisgezel.heritage.records import AgentRecord, ConceptRecord
from reisgezel.heritage.rights import canonical_rights_uri
from reisgezel.interop.importers.base import clean_text

LIDO_NS = "http://www.lido-schema.org"
LIDO_TAG = f"{{{LIDO_NS}}}lido"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LIDO_TYPE = f"{{{LIDO_NS}}}type"
LIDO_PREF = f"{{{LIDO_NS}}}pref"
LIDO_LABEL = f"{{{LIDO_NS}}}label"
TERM = f"{{{LIDO_NS}}}term"
CONCEPT_ID = f"{{{LIDO_NS}}}conceptID"
NAME_ACTOR_SET = f"{{{LIDO_NS}}}nameActorSet"
VITAL_DATES_ACTOR = f"{{{LIDO_NS}}}vitalDatesActor"
RIGHTS_TYPE = f"{{{LIDO_NS}}}rightsType"
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
# Each word's role (the first role naming it, as when the roles are tried in order).
_ROLE_OF_WORD: dict[str, str] = {}
for _role, _role_words in ROLES.items():
    for _word in _role_words:
        _ROLE_OF_WORD.setdefault(_word, _role)
ORGANISATION_TYPES = frozenset({"corporation", "organization", "organisation", "group", "firm"})
_WIKIDATA = re.compile(r"wikidata\.org/(?:entity|wiki)/(Q[0-9]+)$")
_RKD = re.compile(r"rkd\.nl/.*?(?:artists|rkdartists)/([0-9]+)$")
_ASCII_DIGITS = frozenset("0123456789")


def lang_of(element: Element, default: str) -> str:
    return _language(element.get(XML_LANG) or default, default)


@lru_cache(maxsize=1024)
def _language(value: str, default: str) -> str:
    # A file uses a handful of xml:lang values, thousands of times each.
    return value.split("-")[0].lower() or default


def text_of(element: Element | None) -> str:
    return clean_text(element.text) if element is not None else ""


class Select:
    """Elements at several paths below an element, found with one XPath evaluation.

    Paths are LIDO names without prefix ("titleWrap/titleSet/appellationValue"); a
    name may have several paths. An evaluation costs about a microsecond plus a
    little per step, so one union of a dozen paths costs a fraction of a dozen
    evaluations (and less than walking the same children in Python). The element's
    tag tells which path it was found at, so the last steps of different names must
    differ. Each name's elements come in document order."""

    def __init__(self, **paths: str | tuple[str, ...]) -> None:
        self.names = tuple(paths)
        self._name_of: dict[str, str] = {}
        steps: list[str] = []
        for name, spec in paths.items():
            for path in (spec,) if isinstance(spec, str) else spec:
                last = f"{{{LIDO_NS}}}{path.rsplit('/', 1)[-1]}"
                assert self._name_of.setdefault(last, name) == name, f"{path}: ambiguous"
                steps.append("/".join(f"lido:{step}" for step in path.split("/")))
        self._xpath = etree.XPath(" | ".join(steps), namespaces={"lido": LIDO_NS}, regexp=False)

    def read(self, element: Element | None) -> dict[str, list[Element]]:
        found: dict[str, list[Element]] = {name: [] for name in self.names}
        if element is not None:
            name_of = self._name_of
            for item in self._xpath(element):
                found[name_of[item.tag]].append(item)
        return found


def children(element: Element, tag: str) -> list[Element]:
    """XPath's `lido:tag` (comparing tags in Python costs less, for the few children
    of a LIDO element, than lxml's tag-filtered iteration or an XPath evaluation)."""
    return [child for child in element if child.tag == tag]


def step(elements: Iterable[Element], tag: str) -> list[Element]:
    """XPath's `(elements)/lido:tag`, in document order."""
    return [child for element in elements for child in element if child.tag == tag]


def element_children(element: Element) -> list[Element]:
    """XPath's `*`: child elements only (no processing instructions or entities)."""
    return [child for child in element if isinstance(child.tag, str)]


_XML_SPACE = re.compile(r"[ \t\r\n]+")
_NORMALIZE_SPACE = etree.XPath("normalize-space(.)", regexp=False, smart_strings=False)


def normalized_text(element: Element) -> str:
    """XPath's normalize-space() of the element's string value (which includes the
    text of descendants, so XPath reads mixed content; the reader expands entities)."""
    if len(element):
        return str(_NORMALIZE_SPACE(element))
    text = element.text or ""
    if text.isprintable() and "  " not in text:
        return text.strip(" ")  # the usual case: no tab, newline or run of spaces
    return _XML_SPACE.sub(" ", text).strip(" ")


def first_text(elements: Iterable[Element]) -> str:
    """The first non-blank text among `elements`, with XML whitespace normalised
    (XPath's `normalize-space((path)[normalize-space()][1])`)."""
    for element in elements:
        if value := normalized_text(element):
            return value
    return ""


def first_texts(elements: Iterable[Element]) -> dict[str, str]:
    """Element name -> the first non-blank text (as `first_text` gives it) among
    `elements` (in document order)."""
    found: dict[str, str] = {}
    for item in elements:
        if item.tag not in found and (value := normalized_text(item)):
            found[item.tag] = value
    return found


def is_web_uri(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def texts_by_lang(elements: list[Element], default: str, *, join: str = "") -> dict[str, str]:
    """A language map from repeated elements: preferred values first; per language the
    first value, or all values joined with `join` when it is given."""
    result: dict[str, str] = {}
    for element in preferred_first(elements):
        value = clean_text(element.text)
        if not value:
            continue
        lang = lang_of(element, default)
        if lang not in result:
            result[lang] = value
        elif join:
            result[lang] += join + value
    return result


def preferred_first(elements: list[Element]) -> list[Element]:
    """`elements` with those marked lido:pref="preferred" (or not marked) first, each
    group in its own order."""
    if len(elements) < 2:
        return elements  # most names and terms come alone: no attribute to read
    preferred: list[Element] = []
    others: list[Element] = []
    for element in elements:
        (preferred if element.get(LIDO_PREF) in (None, "preferred") else others).append(element)
    return preferred + others if others else preferred


def first_uri(identifiers: Iterable[Element]) -> str:
    for found in identifiers:
        value = text_of(found)
        if is_web_uri(value):
            return value
    return ""


def concept(element: Element | None, scheme: str, default_lang: str) -> ConceptRecord | None:
    if element is None:
        return None
    terms: list[Element] = []
    uri = ""
    for item in element:
        tag = item.tag
        if tag == TERM:
            if item.get(ADDED_SEARCH_TERM) != "yes":
                terms.append(item)
        elif tag == CONCEPT_ID and not uri and is_web_uri(value := clean_text(item.text)):
            uri = value
    label = texts_by_lang(terms, default_lang)
    if not label and not uri:
        return None
    return ConceptRecord(scheme=scheme, label=label, uri=uri)


def role_of(role_terms: list[str]) -> str | None:
    for term in role_terms:
        if role := _ROLE_OF_WORD.get(term.lower().strip()):
            return role
    return None


def agent(actor: Element) -> AgentRecord | None:
    # Names (nameActorSet/appellationValue), identifiers (actorID) and life dates
    # (vitalDatesActor/*) are told apart by tag wherever they are found, as when one
    # XPath union read them: an actorID inside vitalDatesActor counts as identifier.
    names: list[Element] = []
    identifiers: list[str] = []
    life: list[Element] = []
    for part in actor:
        tag = part.tag
        if tag == NAME_ACTOR_SET:
            names += children(part, APPELLATION_VALUE)
        elif tag == ACTOR_ID:
            identifiers.append(text_of(part))
        elif tag == VITAL_DATES_ACTOR:
            for item in element_children(part):
                if item.tag == APPELLATION_VALUE:
                    names.append(item)
                elif item.tag == ACTOR_ID:
                    identifiers.append(text_of(item))
                else:
                    life.append(item)
    name = ""
    for candidate in preferred_first(names):
        if name := clean_text(candidate.text):
            break
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
        last, first = name.split(",")
        last, first = last.strip(), first.strip()
        if last and first:
            sort_name, name = name, f"{first} {last}"
    wikidata = rkd = uri = ""
    for value in identifiers:
        # (the substring tests only spare most identifiers a regular expression search)
        if "wikidata.org/" in value and (m := _WIKIDATA.search(value)):
            wikidata = wikidata or m.group(1)
        elif "rkd.nl/" in value and (m := _RKD.search(value)):
            rkd = rkd or m.group(1)
        elif not uri and is_web_uri(value):
            uri = value
    if not life:  # the usual case: no life dates
        return AgentRecord(
            name=name,
            kind=kind,
            sort_name=sort_name,
            wikidata_id=wikidata,
            rkd_id=rkd,
            uri=uri[:300],
        )
    dates = first_texts(life)
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
    """The year of an ISO-like date ("1596", "1596-03-01", "-0083"): after any
    whitespace, an optional minus and the first one to five ASCII digits."""
    # What the regular expression \s*(-?[0-9]{1,5}) matches, in string operations:
    # the regular expression engine costs microseconds when it comes in cold, as it
    # does once per record.
    text = value.lstrip() if value else ""
    sign = 1
    if text.startswith("-"):
        sign, text = -1, text[1:]
    digits = 0
    while digits < 5 and digits < len(text) and text[digits] in _ASCII_DIGITS:
        digits += 1
    return sign * int(text[:digits]) if digits else None


def rights(element: Element | None) -> tuple[str, str]:
    """(canonical URI, "") for a known statement, ("", the value as found) for an
    unknown one, ("", "") when the element states nothing."""
    if element is None:
        return "", ""
    identifiers: list[str] = []
    terms: list[str] = []
    for rights_type in children(element, RIGHTS_TYPE):
        for item in rights_type:
            tag = item.tag
            if tag == CONCEPT_ID:
                identifiers.append(text_of(item))
            elif tag == TERM:
                terms.append(text_of(item))
    values = [v for v in identifiers + terms if v]  # identifiers before terms
    for value in values:
        if uri := _canonical_rights(value):
            return uri, ""
    return "", values[0] if values else ""


@lru_cache(maxsize=1024)
def _canonical_rights(value: str) -> str:
    """canonical_rights_uri, or "" for a statement we do not know. A file repeats a few
    statements (record and images): each is worked out once."""
    try:
        return canonical_rights_uri(value)
    except ValueError:
        return ""
