"""How course editions become search documents (registered in LearningConfig.ready).

One document per public edition (a published course's planned, open or running
edition): the course's texts in every language it has, with the provider, the place,
the term and the discipline labels. Facets: discipline, life stage, level, kind and
provider. An edition that is not public has no document: `editions_changed` (in
services/offer.py) re-indexes it after commit and the search app removes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import translation
from django.utils.translation import gettext_lazy

from reisgezel.core.i18n import language_map
from reisgezel.learning.models import Course, Edition
from reisgezel.learning.services.offer import EDITION_DOC_TYPE, course_url, public_editions
from reisgezel.search.registry import (
    Dependency,
    Document,
    DocumentType,
    register,
    register_dependency,
)


def _documents(ids: Sequence[int]) -> Iterable[Document]:
    editions = (
        public_editions()
        .filter(pk__in=ids)
        .select_related("course__provider", "place")
        .prefetch_related("course__disciplines")
    )
    for edition in editions:
        course: Course = edition.course
        disciplines = list(course.disciplines.all())
        title, summary = language_map(course.title), language_map(course.summary)
        description, term = language_map(course.description), language_map(edition.term)
        texts: dict[str, tuple[str, str]] = {}
        for lang in {"nl", *title.keys(), *summary.keys(), *description.keys()}:
            with translation.override(lang):
                labels = [str(course.get_kind_display()), str(course.get_level_display())]
            extra = [
                course.provider.name,
                edition.place.name,
                term.get_for(lang),
                *labels,
                *(t.label.get_for(lang) for t in disciplines),
            ]
            body = "\n".join(
                part for part in (summary.get(lang, ""), description.get(lang, ""), *extra) if part
            )
            texts[lang] = (title.get(lang, "") or title.get_for("nl"), body)
        with translation.override("nl"):
            url = course_url(course)
        yield Document(
            doc_type=EDITION_DOC_TYPE,
            object_id=edition.pk,
            url=url,
            texts=texts,
            facets={
                "discipline": [t.code for t in disciplines],
                "life_stage": list(course.life_stages),
                "level": [course.level],
                "kind": [course.kind],
                "organiser": [course.provider.slug],
            },
        )


def _all_ids() -> Iterable[int]:
    return public_editions().values_list("pk", flat=True).iterator(chunk_size=2000)


EDITION_DOCUMENTS = DocumentType(
    name=EDITION_DOC_TYPE,
    label=gettext_lazy("Courses and workshops"),
    build=_documents,
    all_ids=_all_ids,
)


def _editions_at_places(place_ids: Sequence[int]) -> Iterable[int]:
    return Edition.objects.filter(place_id__in=place_ids).values_list("pk", flat=True)


def _editions_of_providers(organisation_ids: Sequence[int]) -> Iterable[int]:
    return Edition.objects.filter(course__provider_id__in=organisation_ids).values_list(
        "pk", flat=True
    )


# An edition's document carries its place's and provider's names: renaming them
# reindexes the editions.
EDITION_DEPENDENCIES = (
    Dependency(on="place", doc_type=EDITION_DOC_TYPE, ids_for=_editions_at_places),
    Dependency(on="organisation", doc_type=EDITION_DOC_TYPE, ids_for=_editions_of_providers),
)


def register_all() -> None:
    register(EDITION_DOCUMENTS)
    for dependency in EDITION_DEPENDENCIES:
        register_dependency(dependency)
