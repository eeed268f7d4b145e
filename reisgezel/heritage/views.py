"""Public pages of the heritage knowledge centre: collection search, objects, exhibits
and the dialect dictionary.

Views are thin: parse the request (forms), call selectors, render. The collection
search answers htmx requests (HX-Request header) with its results and filters only.
Bad input gets a 400 page with the messages next to the filters, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from reisgezel.core.sections import rendered_sections
from reisgezel.heritage import dictionary_selectors, selectors
from reisgezel.heritage.collection_selectors import collection_search as search_collection
from reisgezel.heritage.filters import CollectionFilterForm, Sort
from reisgezel.heritage.iiif.viewer import deep_zoom_for
from reisgezel.heritage.models import HeritageObject, MediaFile
from reisgezel.heritage.rights import is_reusable, rights_label
from reisgezel.heritage.search import variant_list
from reisgezel.heritage.services import OBJECT_PAGE
from reisgezel.heritage.uris import exhibit_uri, object_uri, word_uri

DEEP_ZOOM_TEMPLATE = "heritage/_deep_zoom.html"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _language() -> str:
    return (translation.get_language() or "nl").split("-")[0]


# --- Collection search ------------------------------------------------------------------


def collection_search(request: HttpRequest) -> HttpResponse:
    form = CollectionFilterForm(request.GET)
    if form.is_valid():
        filters, status = form.filters(), 200
    else:
        filters, status = form.usable_filters(), 400
    result = search_collection(filters, language=_language())
    context = {
        "form": form,
        "filters": filters,
        "result": result,
        "sort_choices": Sort.CHOICES,
        "has_filters": any(k not in ("after", "before", "sort", "per_page") for k in request.GET),
    }
    template = "heritage/search.html#htmx_response" if is_htmx(request) else "heritage/search.html"
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response


# --- Object -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RightsInfo:
    uri: str
    label: str
    reusable: bool


def rights_info(uri: str) -> RightsInfo:
    return RightsInfo(uri=uri, label=rights_label(uri), reusable=is_reusable(uri))


@dataclass(frozen=True)
class ImageView:
    media: MediaFile
    rights: RightsInfo
    url: str | None
    """Where the page shows it without tiles: the stored file, or None for a restricted
    image (shown only in the deep-zoom viewer once its tiles are made)."""


def _image_view(media: MediaFile) -> ImageView:
    return ImageView(media, rights_info(media.rights_uri), selectors.display_url(media))


def deep_zoom_template() -> str | None:
    """The viewer partial (written with the IIIF work), if it is there."""
    try:
        get_template(DEEP_ZOOM_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return DEEP_ZOOM_TEMPLATE


def dimensions(obj: HeritageObject) -> list[str]:
    """ "Diameter 24.5 cm": measured values without trailing zeros, in the page's locale."""
    return [
        f"{d.get_kind_display()} {number_format(Decimal(f'{d.value.normalize():f}'))} {d.unit}"
        for d in obj.dimensions.all()
    ]


def citation(obj: HeritageObject, uri: str) -> str:
    """A plain citation: makers, title, date, institution and inventory number, URI."""
    makers = ", ".join(link.agent.name for link in obj.makers.all())
    parts = [
        makers,
        str(obj.title),
        obj.date_display,
        f"{obj.collection.institution}, {obj.inventory_number}",
        uri,
    ]
    return ". ".join(part.rstrip(".") for part in parts if part) + "."


def object_detail(request: HttpRequest, pid: str) -> HttpResponse:
    obj = selectors.object_get_public(pid=pid)
    if obj is None:
        tombstone = selectors.object_tombstone(pid=pid)
        if tombstone is not None:
            return render(
                request, "heritage/object_gone.html", {"tombstone": tombstone}, status=410
            )
        raise Http404(_("No such object."))
    exhibits = selectors.object_exhibits(obj)
    images: list[MediaFile] = getattr(obj, "images", [])
    uri = object_uri(obj.pid)
    context = {
        "object": obj,
        "specimen": getattr(obj, "specimen", None),
        "dimensions": dimensions(obj),
        "images": [_image_view(media) for media in images],
        "deep_zoom": deep_zoom_for(obj, images) if images and deep_zoom_template() else None,
        "rights": rights_info(obj.rights_uri),
        "exhibits": exhibits,
        "related": selectors.related_objects(obj, exhibits=exhibits),
        "uri": uri,
        "citation": citation(obj, uri),
        "manifest_url": f"/iiif/object/{obj.pid}/manifest.json",
        "jsonld_url": f"/id/object/{obj.pid}",
        # Sections of higher apps (residents' stories about the object).
        "sections": rendered_sections(OBJECT_PAGE, obj, request=request, name="object"),
    }
    return render(request, "heritage/object.html", context)


# --- Exhibits ---------------------------------------------------------------------------


def exhibit_list(request: HttpRequest) -> HttpResponse:
    exhibits = [
        (exhibit, selectors.thumbnail_url(exhibit.cover)) for exhibit in selectors.exhibits_public()
    ]
    return render(request, "heritage/exhibits.html", {"exhibits": exhibits})


def exhibit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exhibit = selectors.exhibit_get_public(slug=slug)
    if exhibit is None:
        raise Http404(_("No such exhibit."))
    sections = []
    for section in exhibit.sections.all():
        image = _image_view(section.media) if section.media else None
        cards = [(selectors.object_card(item.object), item.caption) for item in section.items.all()]
        sections.append((section, image, cards))
    context = {
        "exhibit": exhibit,
        "sections": sections,
        "cover": _image_view(exhibit.cover) if exhibit.cover else None,
        "uri": exhibit_uri(exhibit.slug),
        "iiif_url": f"/iiif/exhibit/{exhibit.slug}.json",
    }
    return render(request, "heritage/exhibit.html", context)


# --- Dialect dictionary -----------------------------------------------------------------

LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [dictionary_selectors.OTHER_LETTER]


class DictionaryForm(forms.Form):
    q = forms.CharField(label=_("Word"), required=False, max_length=100)
    direction = forms.ChoiceField(
        label=_("Search in"),
        required=False,
        choices=[
            (dictionary_selectors.Direction.BOTH, _("Both directions")),
            (dictionary_selectors.Direction.FROM_DIALECT, _("Mestreechs words")),
            (dictionary_selectors.Direction.TO_DIALECT, _("Dutch and English meanings")),
        ],
    )
    letter = forms.ChoiceField(
        label=_("Letter"), required=False, choices=[(letter, letter) for letter in LETTERS]
    )


def dictionary(request: HttpRequest) -> HttpResponse:
    form = DictionaryForm(request.GET)
    status = 200 if form.is_valid() else 400
    data: dict[str, Any] = form.cleaned_data if status == 200 else {}
    text = (data.get("q") or "").strip()
    letter = data.get("letter") or ""
    context = {
        "form": form,
        "text": text,
        "direction": data.get("direction") or dictionary_selectors.Direction.BOTH,
        "letter": letter,
        "letters": dictionary_selectors.letters(),
        "results": dictionary_selectors.dictionary_search(
            text=text, direction=data.get("direction") or dictionary_selectors.Direction.BOTH
        )
        if text
        else None,
        "entries": dictionary_selectors.entries_for_letter(letter) if letter and not text else [],
    }
    return render(request, "heritage/dictionary.html", context, status=status)


def word_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = dictionary_selectors.entry_get_public(slug=slug)
    if entry is None:
        raise Http404(_("No such word in the dictionary."))
    context = {
        "entry": entry,
        "uri": word_uri(entry.slug),
        "variants": variant_list(entry),
        "objects": [selectors.object_card(obj) for obj in getattr(entry, "public_objects", [])],
        "audio_rights": rights_info(entry.audio.rights_uri) if entry.audio else None,
    }
    return render(request, "heritage/word.html", context)
