"""What the deep-zoom partial (heritage/_deep_zoom.html) needs to show an object's images.

A page view calls `deep_zoom_for(obj)` and passes the result as `deep_zoom`:

    {% include "heritage/_deep_zoom.html" with deep_zoom=deep_zoom %}

Without JavaScript the partial shows each image at thumbnail size with its alt text;
deep-zoom.js then fetches the manifest and opens the image services in OpenSeadragon.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from reisgezel.core.i18n import language_map
from reisgezel.heritage.iiif import tiles
from reisgezel.heritage.models import HeritageObject, MediaFile, MediaKind, TileState
from reisgezel.heritage.rights import rights_label


@dataclass(frozen=True)
class ViewerImage:
    """One image, with texts in the active language (and the language they are in)."""

    key: str
    alt: str
    alt_lang: str
    caption: str
    caption_lang: str
    credit: str
    rights: str
    src: str  # the thumbnail, site-relative
    width: int
    height: int


@dataclass(frozen=True)
class DeepZoom:
    dom_id: str
    label: str
    label_lang: str
    manifest_url: str
    images: list[ViewerImage]


def viewer_image(media: MediaFile) -> ViewerImage:
    assert media.width and media.height  # images with tiles have both
    alt, caption = language_map(media.alt_text), language_map(media.caption)
    size = tiles.thumbnail_size(media.width, media.height)
    width, height = (size.width, size.height) if size else (media.width, media.height)
    return ViewerImage(
        key=media.key.hex,
        alt=alt.get_for(),
        alt_lang=alt.language_of(),
        caption=caption.get_for(),
        caption_lang=caption.language_of(),
        credit=media.credit,
        rights=rights_label(media.rights_uri),
        src=tiles.thumbnail_url(media.key, media.width, media.height),
        width=width,
        height=height,
    )


def deep_zoom_for(obj: HeritageObject, media: Iterable[MediaFile] | None = None) -> DeepZoom | None:
    """The viewer of a public object's images whose tiles are ready (None when there is
    nothing to zoom into). `media` may pass already-fetched media files."""
    files = media if media is not None else obj.media.all()
    images = [
        viewer_image(m)
        for m in files
        if m.kind == MediaKind.IMAGE and m.tile_state == TileState.READY and m.width
    ]
    if not images:
        return None
    title = language_map(obj.title)
    return DeepZoom(
        dom_id=f"deep-zoom-{obj.pid}",
        label=title.get_for(),
        label_lang=title.language_of(),
        manifest_url=reverse("iiif:manifest", kwargs={"pid": obj.pid}),
        images=images,
    )
