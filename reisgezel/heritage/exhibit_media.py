"""An exhibit shows no image of an object that is not public.

Exhibits choose their cover and section images from any media file. An object hidden
after the exhibit was written (a rights takedown, a record withdrawn) must take its
images off every exhibit too, on the page, in the list, in JSON-LD and in IIIF: the
exhibit reads clear such images before anything shows them. The reads select
`cover__object` (and `sections__media__object`) so that this costs no query.
"""

from __future__ import annotations

from collections.abc import Iterable

from reisgezel.heritage.models import DialectEntry, Exhibit, MediaFile


def media_shown(media: MediaFile | None) -> bool:
    if media is None:
        return False
    return media.object is None or media.object.is_public


def without_hidden_media(exhibits: Iterable[Exhibit]) -> None:
    """Clear (in memory) the cover and section images of objects that are not public."""
    for exhibit in exhibits:
        if exhibit.cover_id is not None and not media_shown(exhibit.cover):
            exhibit.cover = None
        if "sections" in getattr(exhibit, "_prefetched_objects_cache", {}):
            for section in exhibit.sections.all():
                if section.media_id is not None and not media_shown(section.media):
                    section.media = None


def without_hidden_audio(entry: DialectEntry | None) -> DialectEntry | None:
    """Clear (in memory) a dictionary entry's pronunciation when it is the sound of an
    object that is not public: the word page would play it and its JSON-LD link it."""
    if entry is not None and entry.audio_id is not None and not media_shown(entry.audio):
        entry.audio = None
    return entry
