"""schema.org JSON-LD for the stories: exhibits (Article) and dialect entries (DefinedTerm).

Dialect text is tagged `li` (Limburgish, ISO 639-1): Maastrichtian is a variety of
Limburgish and BCP 47 registers no subtag for it, so `li` is the most precise tag that
consumers understand (see docs/linked-data.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from reisgezel.core.i18n import content_languages, language_map
from reisgezel.heritage import uris
from reisgezel.heritage.jsonld.common import SCHEMA_CONTEXT, Json, lang_values, page_url
from reisgezel.heritage.jsonld.schema_org import exhibit_ref, media_object
from reisgezel.heritage.models import DialectEntry, Exhibit, ExhibitSection, HeritageObject

DIALECT_LANGUAGE = "li"
DICTIONARY_NAME = [
    {"@value": "Mestreechs woordenboek", "@language": "nl"},
    {"@value": "Maastricht dialect dictionary", "@language": "en"},
]


def object_ref(obj: HeritageObject) -> Json:
    return {
        "@type": "CreativeWork",
        "@id": uris.object_uri(obj.pid),
        "name": lang_values(obj.title),
    }


def _section(exhibit_uri: str, section: ExhibitSection, position: int) -> Json:
    node: Json = {
        "@type": "CreativeWork",
        "@id": f"{exhibit_uri}#section-{section.pk}",
        "position": position,
        "name": lang_values(section.heading),
    }
    if section.body:
        node["text"] = lang_values(section.body)
    objects = [object_ref(item.object) for item in section.items.all() if item.object.is_public]
    if objects:
        node["about"] = objects
    if section.media:
        node["image"] = media_object(section.media, exhibit_uri)
    return node


def _full_text(exhibit: Exhibit, sections: Sequence[ExhibitSection]) -> list[Json]:
    """The whole story per language (the profile's `text`, used for search engines)."""
    texts = []
    for lang in content_languages():
        parts = [language_map(exhibit.introduction).get(lang, "")]
        for section in sections:
            parts += [language_map(section.heading).get(lang, "")]
            parts += [language_map(section.body).get(lang, "")]
        text = "\n\n".join(p for p in parts if p)
        if text:
            texts.append({"@value": text, "@language": lang})
    return texts


def exhibit_document(exhibit: Exhibit) -> Json:
    uri = uris.exhibit_uri(exhibit.slug)
    page = page_url("heritage:exhibit", slug=exhibit.slug)
    sections = list(exhibit.sections.all())
    doc: Json = exhibit_ref(exhibit) | {
        "@context": SCHEMA_CONTEXT,
        "url": page,
        "mainEntityOfPage": page,
        "inLanguage": [lang for lang, _text in language_map(exhibit.title).all_texts()],
        "sdDatePublished": exhibit.updated_at.date().isoformat(),
    }
    if exhibit.summary:
        doc["abstract"] = lang_values(exhibit.summary)
    if exhibit.introduction:
        doc["description"] = lang_values(exhibit.introduction)
    if text := _full_text(exhibit, sections):
        doc["text"] = text
    if exhibit.curator:
        # The profile allows an untyped creator: we do not know person or organisation.
        doc["creator"] = {"name": {"@value": exhibit.curator, "@language": "nl"}}
    if exhibit.cover:
        doc["image"] = media_object(exhibit.cover, uri)
    parts = [_section(uri, section, i) for i, section in enumerate(sections, start=1)]
    if parts:
        doc["hasPart"] = parts
    about = {ref["@id"]: ref for part in parts for ref in part.get("about", [])}
    if about:
        doc["about"] = list(about.values())
    return doc


def _meanings(entry: DialectEntry) -> list[Json]:
    """All senses of an entry, numbered, one value per language."""
    senses = [language_map(s.meaning) for s in entry.senses.all()]
    values = []
    for lang in content_languages():
        present = [(i, m.get(lang, "")) for i, m in enumerate(senses, start=1) if m.get(lang)]
        if not present:
            continue
        if len(senses) > 1:
            value = "; ".join(f"{i}. {text}" for i, text in present)
        else:
            value = present[0][1]
        values.append({"@value": value, "@language": lang})
    return values


def _grammar(entry: DialectEntry) -> str:
    parts = [entry.part_of_speech]
    if entry.gender:
        parts.append({"m": "masculine", "f": "feminine", "n": "neuter"}[entry.gender])
    if entry.plural:
        parts.append(f"plural {entry.plural}")
    if entry.pronunciation:
        parts.append(f"IPA {entry.pronunciation}")
    return ", ".join(parts)


def word_document(entry: DialectEntry, exhibits: Sequence[Exhibit] = ()) -> Json:
    uri = uris.word_uri(entry.slug)
    page = page_url("heritage:word", slug=entry.slug)
    doc: Json = {
        "@context": SCHEMA_CONTEXT,
        "@type": "DefinedTerm",
        "@id": uri,
        "name": {"@value": entry.lemma, "@language": DIALECT_LANGUAGE},
        "termCode": entry.slug,
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "@id": page_url("heritage:dictionary"),
            "name": DICTIONARY_NAME,
            "inLanguage": DIALECT_LANGUAGE,
        },
        "url": page,
        "mainEntityOfPage": page,
        "disambiguatingDescription": {"@value": _grammar(entry), "@language": "en"},
    }
    if variants := [v.strip() for v in entry.variants.split(",") if v.strip()]:
        doc["alternateName"] = [{"@value": v, "@language": DIALECT_LANGUAGE} for v in variants]
    if meanings := _meanings(entry):
        doc["description"] = meanings
    subject_of: list[Json] = [
        {
            "@type": "Quotation",
            "inLanguage": DIALECT_LANGUAGE,
            "text": {"@value": example.text, "@language": DIALECT_LANGUAGE},
            "workTranslation": {"@type": "CreativeWork", "text": lang_values(example.translation)},
        }
        for example in entry.examples.all()
    ]
    if entry.audio:
        subject_of.append(media_object(entry.audio, uri))
    subject_of += [exhibit_ref(e) for e in exhibits]
    if subject_of:
        doc["subjectOf"] = subject_of
    return doc
