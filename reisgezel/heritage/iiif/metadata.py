"""The `metadata` of an object's Manifest: label/value pairs that a viewer shows as they
are. Labels are the model's translated field names, in Dutch and English; values keep
their languages (language maps) or are language-neutral ("none") for numbers and names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reisgezel.core.i18n import content_languages, language_map
from reisgezel.heritage.models import Concept, HeritageObject, MakerRole, Specimen

LABEL_LANGUAGES = ("nl", "en")

LangMap = dict[str, list[str]]


def lang_map(value: Any) -> LangMap:
    """A TranslatedField value as a IIIF language map (content languages, Dutch first)."""
    texts = language_map(value)
    order = {code: i for i, code in enumerate(content_languages())}
    ordered = sorted(texts.all_texts(), key=lambda item: order.get(item[0], 99))
    return {lang: [text] for lang, text in ordered}


def per_language(make: Callable[[str], list[str]]) -> LangMap:
    """A language map of our label languages, each value made with that language active."""
    result: LangMap = {}
    for lang in LABEL_LANGUAGES:
        with translation.override(lang):
            values = [v for v in make(lang) if v]
        if values:
            result[lang] = values
    return result


def label_map(text: Any) -> LangMap:
    """A translatable string (gettext_lazy, verbose_name) in our label languages."""
    return per_language(lambda _lang: [capfirst(str(text))])


def _field_label(model: type[models.Model], name: str) -> LangMap:
    field = model._meta.get_field(name)
    return label_map(field.verbose_name if isinstance(field, models.Field) else name)


def _none(*values: str) -> LangMap:
    texts = [v for v in values if v]
    return {"none": texts} if texts else {}


def _date(obj: HeritageObject) -> LangMap:
    """The date as shown, under its language when known ("none" otherwise)."""
    if not obj.date_display:
        return {}
    return {obj.date_display_language or "none": [obj.date_display]}


def _concepts(concepts: list[Concept]) -> LangMap:
    return per_language(lambda lang: [language_map(c.label).get_for(lang) for c in concepts])


def _makers(obj: HeritageObject) -> LangMap:
    def texts(_lang: str) -> list[str]:
        return [
            " ".join(
                part for part in (m.attribution, m.agent.name, f"({m.get_role_display()})") if part
            )
            for m in obj.makers.all()
        ]

    return per_language(texts)


def _dimensions(obj: HeritageObject) -> LangMap:
    rows = list(obj.dimensions.all())
    if not rows:
        return _none(obj.dimensions_display)
    return per_language(
        lambda _lang: [f"{d.get_kind_display()} {d.value.normalize():f} {d.unit}" for d in rows]
    )


def _marks(obj: HeritageObject) -> LangMap:
    return per_language(
        lambda _lang: [
            f"{i.get_kind_display()}: {i.transcription}" if i.transcription else ""
            for i in obj.inscriptions.all()
        ]
    )


def _specimen(obj: HeritageObject) -> list[tuple[LangMap, LangMap]]:
    try:
        specimen = obj.specimen
    except Specimen.DoesNotExist:
        return []
    name = " ".join(p for p in (specimen.scientific_name, specimen.scientific_name_authorship) if p)
    return [
        (_field_label(Specimen, "scientific_name"), _none(name)),
        (_field_label(Specimen, "formation"), _none(specimen.formation)),
        (_field_label(Specimen, "stage"), _none(specimen.stage)),
    ]


def metadata_entries(obj: HeritageObject) -> list[tuple[LangMap, LangMap]]:
    """(label, value) pairs for the object, leaving out what is empty."""
    model = HeritageObject
    entries: list[tuple[LangMap, LangMap]] = [
        (_field_label(model, "inventory_number"), _none(obj.inventory_number)),
        (_field_label(model, "collection"), lang_map(obj.collection.name)),
        (
            _field_label(model, "object_type"),
            lang_map(obj.object_type.label) if obj.object_type else {},
        ),
        (label_map(MakerRole.MAKER.label), _makers(obj)),
        (_field_label(model, "date_display"), _date(obj)),
        (_field_label(model, "production_place"), _none(obj.production_place)),
        (_field_label(model, "materials"), _concepts(list(obj.materials.all()))),
        (_field_label(model, "techniques"), _concepts(list(obj.techniques.all()))),
        (_field_label(model, "dimensions_display"), _dimensions(obj)),
        (label_map(_("Marks and inscriptions")), _marks(obj)),
        (_field_label(model, "provenance"), lang_map(obj.provenance)),
        *_specimen(obj),
    ]
    return [(label, value) for label, value in entries if value]
