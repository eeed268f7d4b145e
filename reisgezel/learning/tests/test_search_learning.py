"""Course editions in the site search: found in every language, facets, hidden when not public."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from reisgezel.learning.models import CourseState, Edition, EditionState
from reisgezel.learning.services.offer import (
    EDITION_DOC_TYPE,
    course_publish,
    course_unpublish,
    editions_changed,
)
from reisgezel.search.models import SearchDocument
from reisgezel.search.query import search
from reisgezel.search.selectors import search_page
from reisgezel.search.services import documents_index
from tests.factories import make_organisation, make_place, member_of
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[Any]]


def indexed(edition: Edition) -> Edition:
    documents_index(doc_type=EDITION_DOC_TYPE, ids=[edition.pk])
    return edition


def found(text: str, **kwargs: Any) -> list[int]:
    results = search(text=text, doc_types=[EDITION_DOC_TYPE], **kwargs)
    return [hit.object_id for hit in results.hits]


def test_an_edition_is_found_by_its_course_in_dutch_and_english() -> None:
    edition = indexed(
        make_edition(
            course=make_course(
                title={"nl": "Boetseren voor beginners", "en": "Modelling clay for beginners"},
                description={
                    "nl": "Je maakt een schaal van klei.",
                    "en": "You make a bowl of clay.",
                },
            )
        )
    )
    assert found("boetseren") == [edition.pk]
    assert found("modelling") == [edition.pk]
    assert found("schaal") == [edition.pk]
    assert found("bowl") == [edition.pk]


def test_the_document_names_the_provider_place_and_discipline() -> None:
    provider = make_organisation(name="Kumulus Ateliers", slug="kumulus")
    place = make_place(name="Het Generaalshuis", slug="generaalshuis")
    edition = indexed(make_edition(course=make_course(provider=provider), place=place))
    assert found("Kumulus") == [edition.pk]
    assert found("Generaalshuis") == [edition.pk]
    assert found("beeldende kunst") == [edition.pk]  # the discipline's Dutch label


def test_the_link_leads_to_the_course_page_in_the_visitors_language() -> None:
    edition = make_edition(course=make_course(slug="boetseren"))
    indexed(edition)
    document = SearchDocument.objects.get(doc_type=EDITION_DOC_TYPE, object_id=edition.pk)
    assert document.url == "/nl/learn/courses/boetseren/"
    page = search_page(text="boetseren", doc_type=EDITION_DOC_TYPE, language="en")
    urls = [hit.url for group in page.groups for hit in group.hits]
    try:
        reverse("learning:course", kwargs={"slug": "boetseren"})
    except NoReverseMatch:  # the catalogue's route is not there: the stored path stays
        assert urls == ["/nl/learn/courses/boetseren/"]
    else:
        assert urls == ["/en/learn/courses/boetseren/"]


def test_facets_discipline_life_stage_level_kind() -> None:
    child = indexed(
        make_edition(
            course=make_course(
                title={"nl": "Dansen voor kinderen"},
                disciplines=["dance"],
                age_min=6,
                age_max=10,
                level="beginner",
                kind="short_course",
            )
        )
    )
    adult = indexed(
        make_edition(
            course=make_course(
                title={"nl": "Dansen voor volwassenen"},
                disciplines=["dance"],
                age_min=18,
                age_max=120,
                level="advanced",
                kind="year_course",
            )
        )
    )
    results = search(
        text="dansen",
        doc_types=[EDITION_DOC_TYPE],
        facets=["life_stage", "level", "kind", "discipline"],
    )
    assert dict(results.facets["life_stage"]) == {"child": 1, "adult": 1, "senior": 1}
    assert dict(results.facets["level"]) == {"beginner": 1, "advanced": 1}
    assert dict(results.facets["discipline"]) == {"dance": 2}
    assert found("dansen", filters={"life_stage": ["child"]}) == [child.pk]
    assert found("dansen", filters={"kind": ["year_course"]}) == [adult.pk]


@pytest.mark.parametrize(
    "hide",
    [
        lambda e: e.course.__class__.objects.filter(pk=e.course_id).update(state=CourseState.DRAFT),
        lambda e: Edition.objects.filter(pk=e.pk).update(state=EditionState.CANCELLED),
        lambda e: Edition.objects.filter(pk=e.pk).update(state=EditionState.COMPLETED),
    ],
    ids=["course-unpublished", "edition-cancelled", "edition-completed"],
)
def test_an_edition_that_is_no_longer_public_leaves_the_index(
    hide: Callable[[Edition], Any], django_capture_on_commit_callbacks: Capture
) -> None:
    edition = indexed(make_edition())
    assert found("boetseren") == [edition.pk]
    with django_capture_on_commit_callbacks(execute=True):
        hide(edition)
        editions_changed([edition.pk])
    assert found("boetseren") == []
    assert not SearchDocument.objects.filter(doc_type=EDITION_DOC_TYPE, object_id=edition.pk)


def test_publishing_and_unpublishing_through_the_services_updates_the_index(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    provider = make_organisation()
    member = member_of(provider)
    edition = make_edition(course=make_course(provider=provider, state=CourseState.DRAFT))
    with django_capture_on_commit_callbacks(execute=True):
        course_publish(actor=member, course=edition.course)
    assert found("boetseren") == [edition.pk]
    with django_capture_on_commit_callbacks(execute=True):
        course_unpublish(actor=member, course=edition.course)
    assert found("boetseren") == []


def test_renaming_the_place_reindexes_its_editions(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from reisgezel.search.registry import index_later

    place = make_place(name="Zaal Eén", slug="zaal-een")
    edition = indexed(make_edition(place=place))
    with django_capture_on_commit_callbacks(execute=True):
        place.name = "Bonbonnière"
        place.save()
        index_later("place", [place.pk])
    assert found("Bonbonnière") == [edition.pk]
