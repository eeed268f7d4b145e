"""IIIF Presentation API 3.0: a Manifest per public object with images, a Collection per
heritage collection and per public exhibit. Built with iiif-prezi3 (which checks the
shapes as they are set) and returned as plain JSON-ready dicts.

Language maps come straight from the TranslatedFields (nl, en, de, fr where present);
labels of metadata use the translated field names, in Dutch and English. Only images
whose tiles are ready appear: a canvas must be able to show its image.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import iiif_prezi3 as iiif
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reisgezel.core.i18n import language_map
from reisgezel.heritage.iiif import tiles
from reisgezel.heritage.iiif.metadata import LABEL_LANGUAGES, label_map, lang_map, metadata_entries
from reisgezel.heritage.models import (
    Collection,
    Exhibit,
    ExhibitObject,
    HeritageObject,
    MediaFile,
    MediaKind,
    TileState,
)
from reisgezel.heritage.uris import collection_uri, exhibit_uri, object_uri

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
CONTENT_TYPE = f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'
COLLECTION_PAGE_SIZE = 1000  # manifests per collection page (a complete list up to this)

Json = dict[str, Any]


# --- Reads -----------------------------------------------------------------------------


def _ready_images() -> QuerySet[MediaFile]:
    return MediaFile.objects.filter(kind=MediaKind.IMAGE, tile_state=TileState.READY).exclude(
        width=None
    )


def _shown_media() -> QuerySet[MediaFile]:
    """What a canvas can show: images with tiles, sound with a known duration."""
    sound = MediaFile.objects.filter(kind=MediaKind.AUDIO).exclude(duration_seconds=None)
    return (_ready_images() | sound).order_by("position", "pk")


def public_objects() -> QuerySet[HeritageObject]:
    """Public objects that have something to show (a manifest needs one canvas)."""
    return (
        HeritageObject.objects.filter(is_public=True, media__in=_ready_images())
        .distinct()
        .order_by("pk")
    )


def manifest_object(pid: str) -> HeritageObject | None:
    return (
        HeritageObject.objects.filter(pid=pid)
        .select_related("collection", "object_type", "specimen")
        .prefetch_related(
            Prefetch("media", queryset=_shown_media(), to_attr="shown_media"),
            "materials",
            "techniques",
            "dimensions",
            "inscriptions",
            "makers__agent",
        )
        .first()
    )


def _with_thumbnails(objects: QuerySet[HeritageObject]) -> QuerySet[HeritageObject]:
    return objects.prefetch_related(
        Prefetch("media", queryset=_ready_images().order_by("position", "pk"), to_attr="images")
    )


# --- URLs ------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def manifest_url(pid: str) -> str:
    return _absolute(reverse("iiif:manifest", kwargs={"pid": pid}))


def collection_url(code: str, page: int | None = None) -> str:
    if page is None:
        return _absolute(reverse("iiif:collection", kwargs={"code": code}))
    return _absolute(reverse("iiif:collection_page", kwargs={"code": code, "page": page}))


def exhibit_url(slug: str) -> str:
    return _absolute(reverse("iiif:exhibit", kwargs={"slug": slug}))


def page_url(name: str, language: str, **kwargs: str) -> str:
    """Absolute URL of a person's page in `language`."""
    with translation.override(language):
        return _absolute(reverse(name, kwargs=kwargs))


# --- Building blocks -------------------------------------------------------------------


def _homepages(name: str, title: Any, **kwargs: str) -> list[iiif.Homepage]:
    titles = language_map(title)
    return [
        iiif.Homepage(
            id=page_url(name, lang, **kwargs),
            type="Text",
            label={lang: [titles.get_for(lang)]},
            format="text/html",
            language=[lang],
        )
        for lang in LABEL_LANGUAGES
    ]


def _provider() -> list[iiif.Provider]:
    return [
        iiif.Provider(
            id=_absolute("/"),
            type="Agent",
            label={"none": [settings.HERITAGE["PUBLISHER"]]},
        )
    ]


def _see_also(uri: str) -> list[iiif.LinkedResource]:
    return [
        iiif.LinkedResource(
            id=uri, type="Dataset", format="application/ld+json", profile="https://schema.org/"
        )
    ]


def _image_service(media: MediaFile) -> iiif.ServiceV3:
    return iiif.ServiceV3(id=tiles.service_id(media.key), type="ImageService3", profile="level0")


def thumbnail(media: MediaFile) -> iiif.AnnotationBody:
    assert media.width and media.height  # only images with tiles get here
    size = tiles.thumbnail_size(media.width, media.height)
    width, height = (size.width, size.height) if size else (media.width, media.height)
    return iiif.AnnotationBody(
        id=tiles.image_url(media.key, size),
        type="Image",
        format="image/jpeg",
        width=width,
        height=height,
        service=[_image_service(media)],
    )


def _canvas(base: str, index: int, media: MediaFile) -> iiif.Canvas:
    canvas_id = f"{base}/canvas/{index}"
    if media.kind == MediaKind.IMAGE:
        canvas = iiif.Canvas(id=canvas_id, width=media.width, height=media.height)
        body = iiif.AnnotationBody(
            id=tiles.image_url(media.key),
            type="Image",
            format="image/jpeg",
            width=media.width,
            height=media.height,
            service=[_image_service(media)],
        )
        canvas.thumbnail = [thumbnail(media)]
    else:
        canvas = iiif.Canvas(id=canvas_id, duration=media.duration_seconds)
        body = iiif.AnnotationBody(
            id=_absolute(media.file.url) if media.file.url.startswith("/") else media.file.url,
            type="Sound",
            format=media.content_type,
            duration=media.duration_seconds,
        )
    alt = lang_map(media.alt_text)
    if alt:
        body.label = alt  # the text alternative, for viewers that show one
    caption = lang_map(media.caption)
    if caption:
        canvas.label = caption
    canvas.rights = media.rights_uri
    if media.credit:
        canvas.requiredStatement = iiif.KeyValueString(
            label=label_map(_("Credit")), value={"none": [media.credit]}
        )
    annotation = iiif.Annotation(
        id=f"{base}/annotation/{index}", motivation="painting", body=body, target=canvas_id
    )
    canvas.items = [iiif.AnnotationPage(id=f"{base}/page/{index}", items=[annotation])]
    return canvas


def _dump(resource: iiif.Base) -> Json:
    data: Json = json.loads(resource.json())
    return data


# --- Documents -------------------------------------------------------------------------


def object_manifest(obj: HeritageObject) -> Json | None:
    """The Manifest of an object fetched with `manifest_object`; None when it has
    nothing to show yet (a Manifest must have a canvas)."""
    media: Sequence[MediaFile] = getattr(obj, "shown_media", None) or list(
        _shown_media().filter(object=obj)
    )
    if not media:
        return None
    base = manifest_url(obj.pid).removesuffix("/manifest.json")
    manifest = iiif.Manifest(id=manifest_url(obj.pid), label=lang_map(obj.title))
    summary = lang_map(obj.description)
    if summary:
        manifest.summary = summary
    manifest.metadata = [
        iiif.KeyValueString(label=label, value=value) for label, value in metadata_entries(obj)
    ]
    manifest.requiredStatement = iiif.KeyValueString(
        label=label_map(_("Attribution")),
        value=lang_map(obj.credit_line) or {"none": [obj.collection.institution]},
    )
    manifest.rights = obj.rights_uri
    manifest.provider = _provider()
    manifest.homepage = _homepages("heritage:object", obj.title, pid=obj.pid)
    manifest.seeAlso = _see_also(object_uri(obj.pid))
    manifest.partOf = [
        iiif.Class(
            id=collection_url(obj.collection.code),
            type="Collection",
            label=lang_map(obj.collection.name),
        )
    ]
    images = [m for m in media if m.kind == MediaKind.IMAGE]
    if images:
        manifest.thumbnail = [thumbnail(images[0])]
    manifest.items = [_canvas(base, i, m) for i, m in enumerate(media, start=1)]
    return _dump(manifest)


def _manifest_refs(objects: Iterable[HeritageObject]) -> list[iiif.ManifestRef]:
    refs = []
    for obj in objects:
        ref = iiif.ManifestRef(id=manifest_url(obj.pid), type="Manifest", label=lang_map(obj.title))
        images: list[MediaFile] = getattr(obj, "images", [])
        if images:
            ref.thumbnail = [thumbnail(images[0])]
        refs.append(ref)
    return refs


def collection_pages(collection: Collection) -> int:
    count = public_objects().filter(collection=collection).count()
    return max(1, -(-count // COLLECTION_PAGE_SIZE))


def collection_document(collection: Collection, page: int | None = None) -> Json | None:
    """The IIIF Collection of a heritage collection's public objects with images.

    Up to COLLECTION_PAGE_SIZE objects it lists their manifests (complete); above that
    it lists pages, each itself a Collection of at most that many manifests, so that a
    harvester can walk 550,000 specimens without one giant document. None for a page
    that does not exist."""
    pages = collection_pages(collection)
    if page is not None and not 1 <= page <= pages:
        return None
    doc = iiif.Collection(id=collection_url(collection.code, page), label=lang_map(collection.name))
    summary = lang_map(collection.description)
    if summary:
        doc.summary = summary
    doc.provider = _provider()
    doc.seeAlso = _see_also(collection_uri(collection.code))
    objects = public_objects().filter(collection=collection)
    if page is None and pages > 1:
        doc.items = [
            iiif.CollectionRef(
                id=collection_url(collection.code, n),
                type="Collection",
                label={
                    lang: [f"{texts[0]} ({n}/{pages})"]
                    for lang, texts in lang_map(collection.name).items()
                },
            )
            for n in range(1, pages + 1)
        ]
        return _dump(doc)
    if page is not None:
        doc.partOf = [
            iiif.Class(
                id=collection_url(collection.code),
                type="Collection",
                label=lang_map(collection.name),
            )
        ]
        start = (page - 1) * COLLECTION_PAGE_SIZE
        objects = objects[start : start + COLLECTION_PAGE_SIZE]
    doc.items = _manifest_refs(_with_thumbnails(objects))
    return _dump(doc)


def exhibit_document(exhibit: Exhibit) -> Json:
    """The IIIF Collection of a public exhibit: the manifests of its public objects
    with images, in the order the story shows them."""
    doc = iiif.Collection(id=exhibit_url(exhibit.slug), label=lang_map(exhibit.title))
    summary = lang_map(exhibit.summary)
    if summary:
        doc.summary = summary
    doc.provider = _provider()
    doc.homepage = _homepages("heritage:exhibit", exhibit.title, slug=exhibit.slug)
    doc.seeAlso = _see_also(exhibit_uri(exhibit.slug))
    if exhibit.cover and exhibit.cover.tile_state == TileState.READY and exhibit.cover.width:
        doc.thumbnail = [thumbnail(exhibit.cover)]
    ordered = (
        ExhibitObject.objects.filter(section__exhibit=exhibit, object__in=public_objects())
        .order_by("section__position", "section__pk", "position", "pk")
        .values_list("object_id", flat=True)
    )
    ids = list(dict.fromkeys(ordered))  # an object shown in two sections is listed once
    objects = {o.pk: o for o in _with_thumbnails(HeritageObject.objects.filter(pk__in=ids))}
    doc.items = _manifest_refs(objects[i] for i in ids)
    return _dump(doc)
