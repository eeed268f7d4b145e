"""Stories as search documents (registered in StoriesConfig.ready).

Only published stories are documents: `build` returns nothing for any other, so the
search app removes the document (services also remove it explicitly on withdrawal,
rejection and edits). Facets: the neighbourhood (slug) and the themes (the slugs of
the public themed collections the story is in). No coordinates are ever indexed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from reisgezel.search.registry import Document, DocumentType
from reisgezel.stories.models import CollectionStory, Story, StoryState
from reisgezel.stories.services import STORY_DOC_TYPE

NEIGHBOURHOOD_FACET = "story.neighbourhood"
THEME_FACET = "story.theme"
ABOUT_FACET = "story.about"


def _documents(ids: Sequence[int]) -> Iterable[Document]:
    stories = Story.objects.filter(pk__in=ids, state=StoryState.PUBLISHED).select_related(
        "neighbourhood", "place__neighbourhood"
    )
    themes: dict[int, list[str]] = {}
    entries = CollectionStory.objects.filter(
        story_id__in=ids, collection__is_public=True
    ).values_list("story_id", "collection__slug")
    for story_id, slug in entries:
        themes.setdefault(story_id, []).append(slug)
    for story in stories:
        neighbourhood = story.neighbourhood or (story.place.neighbourhood if story.place else None)
        with translation.override("nl"):
            url = reverse("stories:story", kwargs={"uuid": story.uuid})
        body = "\n".join(
            part
            for part in (
                story.text,
                story.display_name,
                neighbourhood.name if neighbourhood else "",
            )
            if part
        )
        language = story.language if story.language in ("nl", "en", "de", "fr") else "nl"
        yield Document(
            doc_type=STORY_DOC_TYPE,
            object_id=story.pk,
            url=url,
            texts={language: (story.title, body)},
            facets={
                NEIGHBOURHOOD_FACET: [neighbourhood.slug] if neighbourhood else [],
                THEME_FACET: sorted(themes.get(story.pk, [])),
                ABOUT_FACET: [story.about],
            },
            public=True,
        )


def _all_ids() -> Iterable[int]:
    return Story.objects.filter(state=StoryState.PUBLISHED).values_list("pk", flat=True)


STORY_DOCUMENTS = DocumentType(
    name=STORY_DOC_TYPE,
    label=gettext_lazy("Residents' stories"),
    build=_documents,
    all_ids=_all_ids,
)
