"""Content negotiation for persistent URIs (RFC 9110 §12.5.1, with JSON-LD profiles).

An offer matches a media range in the Accept header when the types agree; the most
specific matching range gives the offer its quality (`text/html;q=0.9` beats `*/*`).
A `profile` parameter on `application/ld+json` selects between our JSON-LD documents:
the Linked Art context URI asks for Linked Art, the JSON-LD form profile
`http://www.w3.org/ns/json-ld#compacted` (what we serve) for schema.org, and any other
profile for nothing we have. Ties go to the first offer in server order (HTML first, as
browsers and `curl` without options send `*/*`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reisgezel.heritage.jsonld.common import LINKED_ART_PROFILE

JSONLD_COMPACTED = "http://www.w3.org/ns/json-ld#compacted"
_RFC9110_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAM = re.compile(rf'\s*;\s*({_RFC9110_TCHARS})\s*=\s*("(?:[^"\\]|\\.)*"|{_RFC9110_TCHARS})')
_RANGE = re.compile(rf"\s*({_RFC9110_TCHARS})/({_RFC9110_TCHARS})")
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


@dataclass(frozen=True)
class Offer:
    key: str
    """What we produce: "html", "schema" or "linked-art"."""
    media_type: str
    profile: str = ""
    label: str = ""

    @property
    def content_type(self) -> str:
        if self.profile:
            return f'{self.media_type};profile="{self.profile}"'
        return self.media_type


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: dict[str, str] = field(default_factory=dict)


HTML = Offer("html", "text/html", label="the web page")
SCHEMA = Offer("schema", "application/ld+json", label="schema.org (SCHEMA-AP-NDE)")
SCHEMA_AS_JSON = Offer("schema", "application/json", label="schema.org as plain JSON")
LINKED_ART = Offer("linked-art", "application/ld+json", LINKED_ART_PROFILE, "Linked Art")
FORMATS = {"html": HTML, "jsonld": SCHEMA, "json-ld": SCHEMA, "linked-art": LINKED_ART}
"""Values of `?format=` for people trying the URIs in a browser."""


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed parts are skipped, not errors."""
    ranges = []
    for part in _split(header):
        match = _RANGE.match(part)
        if not match:
            continue
        params: dict[str, str] = {}
        for name, value in _PARAM.findall(part[match.end() :]):
            params[name.lower()] = value[1:-1].replace('\\"', '"') if value[:1] == '"' else value
        q_text = params.pop("q", "1")
        if not _QVALUE.match(q_text):
            continue
        ranges.append(MediaRange(match[1].lower(), match[2].lower(), float(q_text), params))
    return ranges


def _split(header: str) -> list[str]:
    """Split on commas outside quoted strings (a profile may be quoted)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def _specificity(offer: Offer, media_range: MediaRange) -> int:
    """How specifically a range names an offer (-1: not at all)."""
    offer_type, offer_subtype = offer.media_type.split("/")
    if media_range.type == "*":
        return 0 if media_range.subtype == "*" else -1
    if media_range.type != offer_type:
        return -1
    if media_range.subtype == "*":
        return 1
    if media_range.subtype != offer_subtype:
        return -1
    profiles = media_range.params.get("profile", "").split()
    if not profiles:
        return 2
    wanted = offer.profile or JSONLD_COMPACTED
    return 3 if wanted in profiles else -1


def quality(offer: Offer, ranges: Sequence[MediaRange]) -> float:
    best, best_q = -1, 0.0
    for media_range in ranges:
        specificity = _specificity(offer, media_range)
        if specificity > best or (specificity == best and media_range.q > best_q):
            best, best_q = specificity, media_range.q
    return best_q if best >= 0 else 0.0


def negotiate(header: str | None, offers: Sequence[Offer]) -> Offer | None:
    """The acceptable offer of highest quality (server order breaks ties), or None."""
    ranges = parse_accept(header) if header and header.strip() else []
    if not ranges:
        ranges = [MediaRange("*", "*", 1.0)]
    chosen, chosen_q = None, 0.0
    for offer in offers:
        q = quality(offer, ranges)
        if q > chosen_q:
            chosen, chosen_q = offer, q
    return chosen


def describe(offers: Sequence[Offer]) -> str:
    return "\n".join(f"- {offer.content_type} ({offer.label})" for offer in offers)
