"""How heritage records become search documents (registered in HeritageConfig.ready).

Four types:
- "heritage_object": objects and specimens. Besides the texts, the document carries
  the collection search's facets and, encoded as facet rows too, the period bounds and
  the sort keys (see "Facet layout" below and docs/heritage.md).
- "heritage_exhibit": exhibits (public when the exhibit is).
- "dialect_word": a dictionary entry's Mestreechs lemma, variants and plural.
- "dialect_meaning": the same entry's meanings and example translations in Dutch and
  English. Never public: the site-wide search shows each entry once (as a word); the
  dictionary asks this type for the other direction (Dutch/English -> Mestreechs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from reisgezel.core.i18n import LanguageMap, language_map
from reisgezel.core.lookups import IdIn
from reisgezel.heritage.models import (
    Concept,
    DialectEntry,
    Exhibit,
    HeritageObject,
    Inscription,
    MediaFile,
    MediaKind,
    ObjectAgent,
)
from reisgezel.heritage.models.specimens import public_locality
from reisgezel.heritage.rights import is_reusable
from reisgezel.heritage.services import OBJECT_BOOST, OBJECT_DOC_TYPE
from reisgezel.search.registry import Document, DocumentType
from reisgezel.search.text import fold_accents

EXHIBIT_DOC_TYPE = "heritage_exhibit"
WORD_DOC_TYPE = "dialect_word"
MEANING_DOC_TYPE = "dialect_meaning"

# --- Facet layout ---------------------------------------------------------------------
# The collection search filters, counts and sorts on `search_facet` rows, indexed by
# the search app as (document, name, value) and (name, value, document). Only PUBLIC
# objects have rows (a hidden object's document has no facets at all), and every name
# starts with "o." (no other document type can ever be counted or filtered with ours).
# Values are strings, so years and times are encoded so that string order is their
# order: the period filter is a range on the (name, value) index, and every sort order
# except relevance is an ordered walk of that same index (keyset pagination).

PREFIX = "o."
PUBLIC = PREFIX + "public"
"""Marker row of every public object: the set of all of them, in one index range."""
COLLECTION = PREFIX + "collection"
OBJECT_TYPE = PREFIX + "type"
MAKER = PREFIX + "maker"
MATERIAL = PREFIX + "material"
TECHNIQUE = PREFIX + "technique"
PLACE = PREFIX + "place"
HAS_IMAGE = PREFIX + "image"
REUSABLE = PREFIX + "reusable"
TERM_FACETS = (COLLECTION, OBJECT_TYPE, MAKER, MATERIAL, TECHNIQUE, PLACE)
FLAG_FACETS = (HAS_IMAGE, REUSABLE)
YES = "1"

PERIOD_START = PREFIX + "period.start"
PERIOD_END = PREFIX + "period.end"
# Bounds are five digits (a year plus 50,000), so that they compare alike under any
# database collation. Below and above every year:
OPEN_START = "00000"
"""Start of a period known only by its end ("before 1850")."""
OPEN_END = "99999"
"""End of a period known only by its start ("after 1900")."""
UNDATED_START = "99999"
UNDATED_END = "00000"
"""Undated records: a period that ends before it starts, so no year range overlaps
it, and last in both date orders (oldest first walks starts up, newest first ends down)."""
_YEAR_OFFSET = 50_000  # SmallIntegerField years (-32768..32767) stay within 5 digits

SORT_TITLE_PREFIX = PREFIX + "sort.title."
SORT_TITLE_LANGUAGES = ("nl", "en")
SORT_INVENTORY = PREFIX + "sort.inventory"
SORT_ADDED = PREFIX + "sort.added"
SORT_KEY_CHARS = 120


def year_key(year: int) -> str:
    """1850 -> "51850": five digits whose string order is the order of the years."""
    return f"{year + _YEAR_OFFSET:05d}"


def period_keys(earliest: int | None, latest: int | None) -> tuple[str, str]:
    """The (start, end) facet values of a production period."""
    if earliest is None and latest is None:
        return UNDATED_START, UNDATED_END
    start = year_key(earliest) if earliest is not None else OPEN_START
    end = year_key(latest) if latest is not None else OPEN_END
    return start, end


def title_key(title: str) -> str:
    """A title as it sorts: accent-folded, lower case, leading punctuation dropped."""
    text = " ".join(fold_accents(title).lower().split())
    return re.sub(r"^\W+", "", text)[:SORT_KEY_CHARS]


def inventory_key(number: str) -> str:
    """Natural order of inventory numbers: "CC-2" before "CC-10" (digit runs padded)."""
    text = fold_accents(number.strip()).lower()
    return re.sub(r"\d+", lambda m: m.group().rjust(12, "0"), text)[:SORT_KEY_CHARS]


def added_key(created_at: datetime) -> str:
    return created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")


def sort_title_name(language: str | None) -> str:
    """The sort-key row for titles in `language` (Dutch for languages without one)."""
    lang = (language or "nl").split("-")[0]
    return SORT_TITLE_PREFIX + (lang if lang in SORT_TITLE_LANGUAGES else "nl")


# --- Objects ----------------------------------------------------------------------------


def _object_url_maker() -> Callable[[str], str]:
    """pid -> the object's page URL: reversed once per batch (a pid is a slug, which
    reverse() would not quote), not once per object."""
    placeholder = "pid-placeholder"
    with translation.override("nl"):
        prefix, suffix = reverse("heritage:object", kwargs={"pid": placeholder}).rsplit(
            placeholder, 1
        )
    return lambda pid: f"{prefix}{pid}{suffix}"


CONCEPT_RELATIONS = ("materials", "techniques", "subjects")


@dataclass
class ObjectParts:
    """An object's related rows as its document needs them, read for a whole batch
    with one query per relation and no model instances (prefetch_related made building
    the documents most of an import's time). Lists keep the relations' own order."""

    makers: list[tuple[str, str]] = field(default_factory=list)
    """(agent name, agent slug) per maker link."""
    concepts: dict[str, list[tuple[str, LanguageMap]]] = field(
        default_factory=lambda: {name: [] for name in CONCEPT_RELATIONS}
    )
    """relation -> (code, label) of its concepts."""
    marks: list[str] = field(default_factory=list)
    """Inscription transcriptions (non-empty)."""
    has_image: bool = False


def object_parts(ids: Sequence[int]) -> dict[int, ObjectParts]:
    parts = {pk: ObjectParts() for pk in ids}
    makers = (
        ObjectAgent.objects.filter(IdIn(F("object_id"), ids))
        .order_by("position", "pk")
        .values_list("object_id", "agent__name", "agent__slug")
    )
    for object_id, name, slug in makers:
        parts[object_id].makers.append((name, slug))
    links = {
        relation: list(
            getattr(HeritageObject, relation)
            .through.objects.filter(IdIn(F("heritageobject_id"), ids))
            .order_by("concept__scheme", "concept__code")  # Concept's own ordering
            .values_list("heritageobject_id", "concept_id")
        )
        for relation in CONCEPT_RELATIONS
    }
    # A batch links a few concepts thousands of times: each label is decoded once.
    concept_ids = {concept_id for found in links.values() for _object_id, concept_id in found}
    concepts = {
        pk: (code, language_map(label))
        for pk, code, label in Concept.objects.filter(IdIn(F("pk"), list(concept_ids)))
        .order_by()
        .values_list("pk", "code", "label")
    }
    for relation, found in links.items():
        for object_id, concept_id in found:
            parts[object_id].concepts[relation].append(concepts[concept_id])
    marks = (
        Inscription.objects.filter(IdIn(F("object_id"), ids))
        .exclude(transcription="")
        .order_by("pk")
        .values_list("object_id", "transcription")
    )
    for object_id, transcription in marks:
        parts[object_id].marks.append(transcription)
    images = MediaFile.objects.filter(IdIn(F("object_id"), ids), kind=MediaKind.IMAGE)
    for object_id in images.values_list("object_id", flat=True).distinct():
        parts[object_id].has_image = True
    return parts


# An object's document is made of these columns, read as plain values for a whole batch
# (no model instances, and no other column is read or decoded).
SPECIMEN_TEXTS = (
    "scientific_name",
    "family",
    "genus",
    "formation",
    "member",
    "stage",
    "recorded_by",
)
DOCUMENT_FIELDS = (
    "pk",
    "pid",
    "title",
    "description",
    "inventory_number",
    "date_display",
    "date_earliest",
    "date_latest",
    "production_place",
    "rights_uri",
    "is_public",
    "created_at",
    "collection__code",
    "collection__name",
    "object_type__code",
    "object_type__label",
    *(
        f"specimen__{name}"
        for name in (*SPECIMEN_TEXTS, "vernacular_name", "locality", "locality_is_sensitive")
    ),
)
ObjectRow = dict[str, Any]
"""An object's DOCUMENT_FIELDS by name."""


def _object_texts(row: ObjectRow, parts: ObjectParts) -> tuple[dict[str, tuple[str, str]], str]:
    """(language -> (title, body), shared text) of an object's document.

    A language's body holds what is written in that language: the description and
    the labels of collection, type and concepts that have a text in it (a label
    always has a Dutch one, and every document a Dutch body). Names, places, dates,
    numbers, marks and a specimen's scientific terms read the same in every
    language: they are the shared text, indexed once. A language without a title of
    its own gets none: the Dutch title is indexed once, not again under every
    language of the description."""
    title, description = language_map(row["title"]), language_map(row["description"])
    labels = [
        language_map(row["collection__name"]),
        *([language_map(row["object_type__label"])] if row["object_type__code"] else []),
        *(label for relation in CONCEPT_RELATIONS for _code, label in parts.concepts[relation]),
    ]
    languages = {"nl", *title.keys(), *description.keys()}
    texts: dict[str, tuple[str, str]] = {}
    specimen = row["specimen__scientific_name"] is not None  # a specimen always has a name
    for lang in languages:
        body_parts = [description.get(lang, ""), *(label.get(lang, "") for label in labels)]
        if specimen and lang == "nl":
            body_parts.append(row["specimen__vernacular_name"])  # Dutch: stemmed as such
        texts[lang] = (title.get(lang, ""), "\n".join(part for part in body_parts if part))
    shared_parts = [
        *(name for name, _slug in parts.makers),
        row["production_place"],
        row["date_display"],
        row["inventory_number"],
        *parts.marks,
    ]
    if specimen:
        shared_parts += [row[f"specimen__{name}"] for name in SPECIMEN_TEXTS]
        # A sensitive site is never findable by name.
        shared_parts.append(
            public_locality(row["specimen__locality"], row["specimen__locality_is_sensitive"])
        )
    return texts, "\n".join(part for part in shared_parts if part)


def object_facets(row: ObjectRow, parts: ObjectParts) -> dict[str, list[str]]:
    """The facet rows of a public object: filters, counts, period bounds, sort keys."""
    start, end = period_keys(row["date_earliest"], row["date_latest"])
    title = language_map(row["title"])
    place = " ".join(row["production_place"].split())
    object_type = row["object_type__code"]
    facets: dict[str, list[str]] = {
        PUBLIC: [YES],
        COLLECTION: [row["collection__code"]],
        OBJECT_TYPE: [object_type] if object_type else [],
        MAKER: list(dict.fromkeys(slug for _name, slug in parts.makers)),
        MATERIAL: [code for code, _label in parts.concepts["materials"]],
        TECHNIQUE: [code for code, _label in parts.concepts["techniques"]],
        PLACE: [place] if place else [],
        HAS_IMAGE: [YES] if parts.has_image else [],
        REUSABLE: [YES] if is_reusable(row["rights_uri"]) else [],
        PERIOD_START: [start],
        PERIOD_END: [end],
        SORT_INVENTORY: [inventory_key(row["inventory_number"])],
        SORT_ADDED: [added_key(row["created_at"])],
    }
    for lang in SORT_TITLE_LANGUAGES:
        facets[sort_title_name(lang)] = [title_key(title.get_for(lang))]
    return facets


def _object_documents(ids: Sequence[int]) -> Iterable[Document]:
    from reisgezel.heritage.collection_cache import collection_changed

    collection_changed()  # counts cached for the collection search are now stale
    rows = (
        HeritageObject.objects.filter(IdIn(F("pk"), ids))
        .order_by()  # the documents' order does not matter: no sort of the batch
        .values(*DOCUMENT_FIELDS)
    )
    parts = object_parts(ids)
    object_url = _object_url_maker()
    for row in rows:
        pk, public = row["pk"], row["is_public"]
        texts, shared = _object_texts(row, parts[pk])
        yield Document(
            doc_type=OBJECT_DOC_TYPE,
            object_id=pk,
            url=object_url(row["pid"]),
            texts=texts,
            shared=shared,
            facets=object_facets(row, parts[pk]) if public else {},
            public=public,
            boost=OBJECT_BOOST,
        )


def _object_ids() -> Iterable[int]:
    return HeritageObject.objects.values_list("pk", flat=True).iterator(chunk_size=5000)


OBJECT_DOCUMENTS = DocumentType(
    name=OBJECT_DOC_TYPE,
    label=gettext_lazy("Collection objects"),
    build=_object_documents,
    all_ids=_object_ids,
)


# --- Exhibits ---------------------------------------------------------------------------


def _exhibit_documents(ids: Sequence[int]) -> Iterable[Document]:
    exhibits = Exhibit.objects.filter(pk__in=ids).prefetch_related("sections")
    for exhibit in exhibits:
        title = language_map(exhibit.title)
        sections = list(exhibit.sections.all())
        texts: dict[str, tuple[str, str]] = {}
        for lang in {"nl", *title.keys()}:
            parts = [
                language_map(exhibit.summary).get(lang, ""),
                language_map(exhibit.introduction).get(lang, ""),
                *(language_map(s.heading).get(lang, "") for s in sections),
                *(language_map(s.body).get(lang, "") for s in sections),
                exhibit.curator,
            ]
            texts[lang] = (
                title.get(lang, "") or title.get_for("nl"),
                "\n".join(p for p in parts if p),
            )
        with translation.override("nl"):
            url = reverse("heritage:exhibit", kwargs={"slug": exhibit.slug})
        yield Document(
            doc_type=EXHIBIT_DOC_TYPE,
            object_id=exhibit.pk,
            url=url,
            texts=texts,
            public=exhibit.is_public,
            boost=1.5,  # a curated story is a good first answer
        )


EXHIBIT_DOCUMENTS = DocumentType(
    name=EXHIBIT_DOC_TYPE,
    label=gettext_lazy("Exhibits"),
    build=_exhibit_documents,
    all_ids=lambda: Exhibit.objects.values_list("pk", flat=True),
)


# --- Dialect dictionary -----------------------------------------------------------------

DIALECT_LANGUAGE = "li"
"""Mestreechs is Limburgish (ISO 639-1 "li"): stemmed as Dutch on SQLite, unstemmed
("simple") on PostgreSQL; accents are folded on both sides, so "sjiëk" finds "sjiek"."""


def _entry_url(slug: str) -> str:
    with translation.override("nl"):
        return reverse("heritage:word", kwargs={"slug": slug})


def variant_list(entry: DialectEntry) -> list[str]:
    return [v.strip() for v in entry.variants.split(",") if v.strip()]


def _word_documents(ids: Sequence[int]) -> Iterable[Document]:
    for entry in DialectEntry.objects.filter(pk__in=ids):
        forms = [*variant_list(entry), entry.plural]
        yield Document(
            doc_type=WORD_DOC_TYPE,
            object_id=entry.pk,
            url=_entry_url(entry.slug),
            texts={DIALECT_LANGUAGE: (entry.lemma, "\n".join(f for f in forms if f))},
            public=entry.is_public,
        )


def _meaning_documents(ids: Sequence[int]) -> Iterable[Document]:
    entries = DialectEntry.objects.filter(pk__in=ids).prefetch_related("senses", "examples")
    for entry in entries:
        meanings = [language_map(s.meaning) for s in entry.senses.all()]
        examples = [language_map(e.translation) for e in entry.examples.all()]
        texts: dict[str, tuple[str, str]] = {}
        for lang in ("nl", "en"):
            title = "; ".join(m[lang] for m in meanings if m.get(lang))
            body = "\n".join(e[lang] for e in examples if e.get(lang))
            if title or body:
                texts[lang] = (title, body)
        yield Document(
            doc_type=MEANING_DOC_TYPE,
            object_id=entry.pk,
            url=_entry_url(entry.slug),
            texts=texts,
            public=False,  # see the module docstring
        )


def _entry_ids() -> Iterable[int]:
    return DialectEntry.objects.values_list("pk", flat=True)


WORD_DOCUMENTS = DocumentType(
    name=WORD_DOC_TYPE,
    label=gettext_lazy("Dialect dictionary"),
    build=_word_documents,
    all_ids=_entry_ids,
)
MEANING_DOCUMENTS = DocumentType(
    name=MEANING_DOC_TYPE,
    label=gettext_lazy("Dialect dictionary (meanings)"),
    build=_meaning_documents,
    all_ids=_entry_ids,
)

ALL_DOCUMENT_TYPES = (OBJECT_DOCUMENTS, EXHIBIT_DOCUMENTS, WORD_DOCUMENTS, MEANING_DOCUMENTS)
