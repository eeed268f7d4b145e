"""How events become search documents (registered in AgendaConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import translation
from django.utils.translation import gettext_lazy

from reisgezel.agenda.models import Event, ModerationState
from reisgezel.search.registry import Dependency, Document, DocumentType


def _documents(ids: Sequence[int]) -> Iterable[Document]:
    events = (
        Event.objects.filter(pk__in=ids)
        .select_related("organiser", "place", "place__neighbourhood")
        .prefetch_related("disciplines", "themes", "languages")
    )
    for event in events:
        disciplines = list(event.disciplines.all())
        themes = list(event.themes.all())
        texts: dict[str, tuple[str, str]] = {}
        for lang in {"nl", *event.title.keys(), *event.description.keys()}:
            extra = [
                event.organiser.name,
                event.place.name if event.place else "",
                *(t.label.get_for(lang) for t in disciplines + themes),
            ]
            body = "\n".join(
                part
                for part in (event.summary.get(lang, ""), event.description.get(lang, ""), *extra)
                if part
            )
            texts[lang] = (event.title.get(lang, "") or event.title.get_for("nl"), body)
        neighbourhood = event.place.neighbourhood if event.place else None
        with translation.override("nl"):
            url = event.get_absolute_url()  # type: ignore[attr-defined]
        yield Document(
            doc_type="event",
            object_id=event.pk,
            url=url,
            texts=texts,
            facets={
                "discipline": [t.code for t in disciplines],
                "theme": [t.code for t in themes],
                "organiser": [event.organiser.slug],
                "neighbourhood": [neighbourhood.slug] if neighbourhood else [],
                "language": [lang.code for lang in event.languages.all()],
            },
            public=event.moderation == ModerationState.APPROVED,
            boost=1.5 if event.is_highlight else 1.0,
        )


def _all_ids() -> Iterable[int]:
    return Event.objects.values_list("pk", flat=True).iterator(chunk_size=2000)


EVENT_DOCUMENTS = DocumentType(
    name="event", label=gettext_lazy("Events"), build=_documents, all_ids=_all_ids
)


def _events_at_places(place_ids: Sequence[int]) -> Iterable[int]:
    return Event.objects.filter(place_id__in=place_ids).values_list("pk", flat=True)


def _events_of_organisers(organisation_ids: Sequence[int]) -> Iterable[int]:
    return Event.objects.filter(organiser_id__in=organisation_ids).values_list("pk", flat=True)


# An event's document carries its place's and organiser's names: renaming them
# reindexes their events.
EVENT_DEPENDENCIES = (
    Dependency(on="place", doc_type="event", ids_for=_events_at_places),
    Dependency(on="organisation", doc_type="event", ids_for=_events_of_organisers),
)
