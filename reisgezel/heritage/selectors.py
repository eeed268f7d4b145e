"""Reads of public heritage records: objects, their relations, exhibits.

Only public records leave this module: hidden objects and exhibits are treated as if
they did not exist (the page answers 404); deleted objects have a tombstone (410).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from reisgezel.heritage.exhibit_media import without_hidden_media
from reisgezel.heritage.iiif import tiles
from reisgezel.heritage.models import (
    Exhibit,
    ExhibitObject,
    ExhibitSection,
    HeritageObject,
    MediaFile,
    MediaKind,
    ObjectAgent,
    TileState,
    Tombstone,
)
from reisgezel.heritage.rights import is_reusable

RELATED_LIMIT = 6


def thumbnail_url(media: MediaFile | None) -> str | None:
    """The grid thumbnail of an image (a static IIIF derivative made with its tiles), or
    None while its tiles are not ready: pages then show a plain tile, never the
    full-size original in a grid."""
    if media is None or media.tile_state != TileState.READY or not media.width:
        return None
    return tiles.thumbnail_url(media.key, media.width, media.height or 1)


def display_url(media: MediaFile) -> str | None:
    """A URL to show an image at page width: the stored file (validated, upright and
    stripped of metadata when it was added) for images anyone may reuse. A restricted
    image (rights that forbid reuse) is shown only through its IIIF derivatives, its
    stored original never linked: the whole image from its tiles once they are made,
    None before that (the page shows a notice)."""
    if media.kind == MediaKind.IMAGE and not is_reusable(media.rights_uri):
        if media.tile_state == TileState.READY:
            return tiles.image_url(media.key, absolute=False)
        return None
    return str(media.file.url)


@dataclass
class ObjectCard:
    """An object as a tile: its first image and that image's small rendition."""

    object: HeritageObject
    image: MediaFile | None
    thumbnail: str | None


def object_card(obj: HeritageObject) -> ObjectCard:
    """The tile of an object fetched with `images_prefetch()`."""
    images: list[MediaFile] = getattr(obj, "images", [])
    image = images[0] if images else None
    return ObjectCard(obj, image, thumbnail_url(image) if image else None)


def images_prefetch(relation: str = "media") -> Prefetch[Any]:
    """An object's images in their order, as `obj.images`."""
    return Prefetch(relation, queryset=_image_files(), to_attr="images")


def public_objects() -> QuerySet[HeritageObject]:
    return HeritageObject.objects.filter(is_public=True)


def object_get_public(*, pid: str) -> HeritageObject | None:
    """A public object with everything its page shows."""
    return (
        public_objects()
        .filter(pid=pid)
        .select_related("collection", "object_type", "specimen", "specimen__collector")
        .prefetch_related(
            Prefetch("makers", queryset=ObjectAgent.objects.select_related("agent")),
            "materials",
            "techniques",
            "subjects",
            "inscriptions",
            "dimensions",
            images_prefetch(),
        )
        .first()
    )


def object_tombstone(*, pid: str) -> Tombstone | None:
    """The tombstone of a deleted object (its page answers 410 Gone)."""
    return Tombstone.objects.filter(pid=pid).first()


def object_exhibits(obj: HeritageObject) -> list[Exhibit]:
    """Public exhibits that show this object."""
    exhibits = list(
        Exhibit.objects.filter(is_public=True, sections__items__object=obj)
        .distinct()
        .select_related("cover__object")
        .order_by("position", "slug")
    )
    without_hidden_media(exhibits)
    return exhibits


@dataclass
class RelatedObjects:
    same_maker: list[ObjectCard] = field(default_factory=list)
    same_type: list[ObjectCard] = field(default_factory=list)
    same_exhibit: list[ObjectCard] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.same_maker or self.same_type or self.same_exhibit)


def _related(queryset: QuerySet[HeritageObject], obj: HeritageObject) -> list[ObjectCard]:
    # Newest first by id: an index walk (type, maker links) that stops after a few rows.
    objects = (
        queryset.filter(is_public=True)
        .exclude(pk=obj.pk)
        .select_related("collection", "object_type")
        .prefetch_related(images_prefetch(), "makers__agent")
        .order_by("-pk")[:RELATED_LIMIT]
    )
    return [object_card(o) for o in objects]


def related_objects(obj: HeritageObject, *, exhibits: list[Exhibit]) -> RelatedObjects:
    """A few other public objects by the same makers, of the same type, in the same
    exhibits; an object shown in one group is not repeated in the next."""
    related = RelatedObjects()
    seen = {obj.pk}
    agent_ids = [link.agent_id for link in obj.makers.all()]
    if agent_ids:
        works = ObjectAgent.objects.filter(agent_id__in=agent_ids).values("object_id")
        related.same_maker = _related(HeritageObject.objects.filter(pk__in=works), obj)
        seen.update(card.object.pk for card in related.same_maker)
    if obj.object_type_id:
        same_type = HeritageObject.objects.filter(object_type_id=obj.object_type_id)
        related.same_type = [c for c in _related(same_type, obj) if c.object.pk not in seen]
        seen.update(card.object.pk for card in related.same_type)
    if exhibits:
        shown = ExhibitObject.objects.filter(section__exhibit__in=exhibits).values("object_id")
        in_exhibits = _related(HeritageObject.objects.filter(pk__in=shown), obj)
        related.same_exhibit = [c for c in in_exhibits if c.object.pk not in seen]
    return related


def exhibits_public() -> list[Exhibit]:
    exhibits = list(Exhibit.objects.filter(is_public=True).select_related("cover__object"))
    without_hidden_media(exhibits)
    return exhibits


def exhibit_get_public(*, slug: str) -> Exhibit | None:
    """A public exhibit with its sections, their images and their public objects."""
    items = (
        ExhibitObject.objects.filter(object__is_public=True)
        .select_related("object", "object__collection", "object__object_type")
        .prefetch_related(images_prefetch("object__media"), "object__makers__agent")
    )
    sections = ExhibitSection.objects.select_related("media__object").prefetch_related(
        Prefetch("items", queryset=items)
    )
    exhibit = (
        Exhibit.objects.filter(is_public=True, slug=slug)
        .select_related("cover__object")
        .prefetch_related(Prefetch("sections", queryset=sections))
        .first()
    )
    if exhibit is not None:
        without_hidden_media([exhibit])
    return exhibit


def _image_files() -> QuerySet[MediaFile]:
    return MediaFile.objects.filter(kind=MediaKind.IMAGE).order_by("position", "pk")
