"""The public course catalogue: what is on offer, every filter, facet counts, sorting,
pagination, htmx, and bad parameters (400 with a message, never a 500)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reisgezel.core.models import Term
from reisgezel.learning.catalogue import CatalogueFilters, catalogue_page
from reisgezel.learning.models import (
    Course,
    CourseKind,
    CourseState,
    Edition,
    EditionState,
    Level,
    Tariff,
)
from reisgezel.learning.services.offer import EDITION_DOC_TYPE
from reisgezel.places.models import District, Neighbourhood
from reisgezel.search.services import documents_index
from tests.factories import make_place
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db

URL = "/nl/learn/"


def _buurt(slug: str, name: str) -> Neighbourhood:
    district, _ = District.objects.get_or_create(
        slug="centrum", defaults={"code": "WK01", "name": "Centrum", "geometry": {}}
    )
    return Neighbourhood.objects.create(
        code=f"BU{Neighbourhood.objects.count() + 1}",
        name=name,
        slug=slug,
        district=district,
        geometry={},
    )


def _offer(slug: str, *, edition: dict[str, Any] | None = None, **course: Any) -> Course:
    made = make_course(slug=slug, **course)
    make_edition(course=made, **(edition or {}))
    return made


def _slugs(**params: Any) -> list[str]:
    response = Client().get(URL, params)
    assert response.status_code == 200, response.content[:500]
    return [entry.course.slug for entry in response.context["result"].entries]


def _index(*courses: Course) -> None:
    """Index the courses' editions now (the services do it after commit, which a test
    inside a transaction never reaches)."""
    documents_index(
        doc_type=EDITION_DOC_TYPE,
        ids=list(Edition.objects.filter(course__in=courses).values_list("pk", flat=True)),
    )


# --- What is on offer -------------------------------------------------------------------


def test_only_published_courses_with_an_edition_on_offer_are_listed() -> None:
    today = timezone.localdate()
    _offer("open-one")
    _offer("planned-one", edition={"state": EditionState.PLANNED})
    _offer(
        "running-one",
        edition={"state": EditionState.RUNNING, "starts_on": today - timedelta(days=20)},
    )
    _offer("draft-one", state=CourseState.DRAFT)
    _offer("archived-one", state=CourseState.ARCHIVED)
    _offer("cancelled-one", edition={"state": EditionState.CANCELLED})
    _offer("completed-one", edition={"state": EditionState.COMPLETED})
    _offer(
        "ended-one",
        edition={
            "state": EditionState.OPEN,
            "starts_on": today - timedelta(days=60),
            "ends_on": today - timedelta(days=1),
        },
    )
    make_course(slug="no-editions")

    assert sorted(_slugs()) == ["open-one", "planned-one", "running-one"]


def test_a_course_with_two_editions_counts_once_and_shows_its_first_start() -> None:
    course = make_course(slug="twice")
    soon = timezone.localdate() + timedelta(days=3)
    make_edition(course=course)
    make_edition(course=course, starts_on=soon, ends_on=soon + timedelta(weeks=4))

    result = catalogue_page(CatalogueFilters())

    assert result.total == 1
    assert result.entries[0].editions[0].starts_on == soon


# --- Every filter -----------------------------------------------------------------------


def test_discipline_filter_and_its_disjunctive_counts() -> None:
    _offer("clay", disciplines=["visual-arts"])
    _offer("piano", disciplines=["music"])
    _offer("choir", disciplines=["music"])

    assert sorted(_slugs(discipline="music")) == ["choir", "piano"]
    assert sorted(_slugs(discipline=["music", "visual-arts"])) == ["choir", "clay", "piano"]
    counts = catalogue_page(CatalogueFilters(disciplines=("music",))).facets["discipline"]
    # Choosing music still counts the visual-arts course (a facet ignores its own filter).
    assert counts == {"music": 2, "visual-arts": 1}


def test_life_stage_matches_courses_whose_age_range_overlaps_the_band() -> None:
    _offer("toddlers", age_min=2, age_max=4)
    _offer("kids", age_min=6, age_max=10)
    _offer("teens-and-adults", age_min=15, age_max=120)
    _offer("seniors", age_min=65, age_max=120)

    assert sorted(_slugs(life_stage="child")) == ["kids", "toddlers"]
    assert sorted(_slugs(life_stage="youth")) == ["teens-and-adults"]
    assert sorted(_slugs(life_stage=["toddler", "senior"])) == [
        "seniors",
        "teens-and-adults",
        "toddlers",
    ]
    counts = catalogue_page(CatalogueFilters(life_stages=("child",))).facets["life_stage"]
    assert counts == {"toddler": 1, "child": 2, "youth": 1, "adult": 1, "senior": 2}


def test_age_filter_keeps_courses_whose_range_holds_the_age() -> None:
    _offer("kids", age_min=6, age_max=10)
    _offer("adults", age_min=18, age_max=120)

    assert _slugs(age=10) == ["kids"]
    assert _slugs(age=11) == []
    assert _slugs(age=18) == ["adults"]


def test_level_and_kind_filters() -> None:
    _offer("beginners", level=Level.BEGINNER, kind=CourseKind.YEAR_COURSE)
    _offer("advanced", level=Level.ADVANCED, kind=CourseKind.WORKSHOP)
    _offer("camp", level=Level.BEGINNER, kind=CourseKind.HOLIDAY_CAMP)

    assert sorted(_slugs(level="beginner")) == ["beginners", "camp"]
    assert _slugs(kind="workshop") == ["advanced"]
    assert _slugs(level="beginner", kind="holiday_camp") == ["camp"]
    facets = catalogue_page(CatalogueFilters(levels=(Level.BEGINNER,))).facets
    assert facets["level"] == {"beginner": 2, "advanced": 1}
    assert facets["kind"] == {"year_course": 1, "holiday_camp": 1}


def test_weekday_filter_looks_at_the_editions() -> None:
    _offer("tuesday", edition={"weekday": 1})
    _offer("saturday", edition={"weekday": 5})
    course = make_course(slug="both")
    make_edition(course=course, weekday=1)
    make_edition(course=course, weekday=5)

    assert sorted(_slugs(weekday="5")) == ["both", "saturday"]
    assert catalogue_page(CatalogueFilters(weekdays=(5,))).facets["weekday"] == {"1": 2, "5": 2}


def test_neighbourhood_filter_uses_the_places_buurt() -> None:
    wyck, jekerkwartier = _buurt("wyck", "Wyck"), _buurt("jekerkwartier", "Jekerkwartier")
    _offer("in-wyck", edition={"place": make_place(neighbourhood=wyck)})
    _offer("in-jeker", edition={"place": make_place(neighbourhood=jekerkwartier)})
    _offer("nowhere")

    assert _slugs(neighbourhood="wyck") == ["in-wyck"]
    counts = catalogue_page(CatalogueFilters(neighbourhoods=("wyck",))).facets["neighbourhood"]
    assert counts == {"wyck": 1, "jekerkwartier": 1}


def test_free_places_filter_leaves_out_full_editions() -> None:
    _offer("roomy")
    full = _offer("full", edition={"max_participants": 4})
    Edition.objects.filter(course=full).update(places_taken=4)

    assert _slugs(free_places="1") == ["roomy"]
    assert sorted(_slugs()) == ["full", "roomy"]
    assert catalogue_page(CatalogueFilters()).facets["free_places"] == {"1": 1}


def test_language_filter() -> None:
    _offer("dutch", language="nl")
    _offer("english", language="en")
    _offer("mestreechs", language="li")

    assert _slugs(language="li") == ["mestreechs"]
    counts = catalogue_page(CatalogueFilters(languages=("en",))).facets["language"]
    assert counts == {"nl": 1, "en": 1, "li": 1}


def test_price_filter_accepts_any_tariff_under_the_maximum() -> None:
    _offer("cheap", edition={"price": "40.00"})
    _offer("dear", edition={"price": "250.00"})
    young = _offer("dear-but-young-price", edition={"price": "250.00"})
    Tariff.objects.create(
        edition=young.editions.get(),
        code="under-18",
        label={"nl": "Tot 18"},
        amount=Decimal("60.00"),
        age_max=17,
    )

    assert sorted(_slugs(price_max="60")) == ["cheap", "dear-but-young-price"]
    assert _slugs(price_max="39.99") == []


def test_facility_filter() -> None:
    loop = Term.objects.get(kind="facility", code="hearing-loop")
    with_loop = _offer("with-loop")
    with_loop.facilities.add(loop)
    _offer("without")

    assert _slugs(facility="hearing-loop") == ["with-loop"]
    assert catalogue_page(CatalogueFilters()).facets["facility"] == {"hearing-loop": 1}


def test_words_find_courses_through_the_search_semantics() -> None:
    clay = _offer("clay", title={"nl": "Boetseren met klei", "en": "Modelling clay"})
    drums = _offer(
        "drums",
        title={"nl": "Slagwerk", "en": "Drums"},
        summary={"nl": "Ritme en maat."},
        disciplines=["music"],
    )
    _index(clay, drums)

    assert _slugs(q="klei") == ["clay"]
    assert _slugs(q="boetse") == ["clay"]  # the last word as a prefix, while typing
    assert _slugs(q="modelling") == ["clay"]
    assert _slugs(q="klei boetseren") == ["clay"]  # every word, in any language's stem
    assert _slugs(q='"; DROP TABLE --') == []  # nothing searchable: nothing found


def test_every_filter_together() -> None:
    wyck = _buurt("wyck", "Wyck")
    match = _offer(
        "match",
        disciplines=["dance"],
        age_min=8,
        age_max=12,
        level=Level.BEGINNER,
        kind=CourseKind.SHORT_COURSE,
        language="nl",
        edition={"weekday": 2, "place": make_place(neighbourhood=wyck), "price": "50.00"},
    )
    match.facilities.add(Term.objects.get(kind="facility", code="hearing-loop"))
    _offer("other", disciplines=["dance"], age_min=8, age_max=12)

    params = {
        "discipline": "dance",
        "life_stage": "child",
        "age": "9",
        "level": "beginner",
        "kind": "short_course",
        "weekday": "2",
        "neighbourhood": "wyck",
        "free_places": "1",
        "language": "nl",
        "price_max": "50",
        "facility": "hearing-loop",
    }
    assert _slugs(**params) == ["match"]


# --- Sorting and pagination -------------------------------------------------------------


def test_sorting_by_start_date_and_by_title() -> None:
    today = timezone.localdate()
    for slug, title, days in (("b", "Bas", 30), ("a", "Accordeon", 40), ("c", "Cello", 20)):
        _offer(
            slug,
            title={"nl": title},
            edition={
                "starts_on": today + timedelta(days=days),
                "ends_on": today + timedelta(days=90),
            },
        )

    assert _slugs() == ["c", "b", "a"]
    assert _slugs(sort="title") == ["a", "b", "c"]


def test_pagination_pages_through_courses() -> None:
    for n in range(12):
        _offer(f"course-{n:02d}", title={"nl": f"Cursus {n:02d}"})

    first = Client().get(URL, {"per_page": "10", "sort": "title"})
    second = Client().get(URL, {"per_page": "10", "sort": "title", "page": "2"})
    beyond = Client().get(URL, {"per_page": "10", "sort": "title", "page": "9"})

    assert first.context["result"].total == 12
    assert first.context["result"].num_pages == 2
    assert len(first.context["result"].entries) == 10
    assert [e.course.slug for e in second.context["result"].entries] == [
        "course-10",
        "course-11",
    ]
    assert b'rel="next"' in first.content
    # A page past the end shows the last page.
    assert beyond.context["result"].page == 2


# --- Page, htmx and bad input -----------------------------------------------------------


def test_the_page_shows_cards_with_places_and_counts_in_both_languages() -> None:
    course = _offer("clay", title={"nl": "Boetseren", "en": "Modelling"})
    Edition.objects.filter(course=course).update(places_taken=7)

    dutch = Client().get(URL).content.decode()
    english = Client().get("/en/learn/").content.decode()

    assert "Boetseren" in dutch and "/nl/learn/courses/clay/" in dutch
    assert "Modelling" in english and "/en/learn/courses/clay/" in english
    assert "3 places left" in english


def test_htmx_requests_get_the_results_and_the_filters_out_of_band() -> None:
    _offer("clay")

    response = Client().get(URL, {"discipline": "visual-arts"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="catalogue-filters-fields"' in body and 'hx-swap-oob="true"' in body
    assert "/nl/learn/courses/clay/" in body
    assert response["Vary"] == "HX-Request"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"age": "abc"}, "age"),
        ({"age": "-4"}, "age"),
        ({"page": "0"}, "page"),
        ({"weekday": "9"}, "weekday"),
        ({"level": "wizard"}, "level"),
        ({"price_max": "cheap"}, "price_max"),
        ({"price_max": "NaN"}, "price_max"),
        ({"q": "x" * 5000}, "q"),
        ({"sort": "random"}, "sort"),
        ({"per_page": "5000"}, "per_page"),
        ({"discipline": "<script>"}, "discipline"),
    ],
)
def test_bad_parameters_give_a_400_with_a_message(params: dict[str, str], field: str) -> None:
    _offer("clay")

    response = Client().get(URL, params)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Some filters could not be used" in response.content.decode() or (
        "konden niet" in response.content.decode()
    )
    # The page still lists what the valid filters select.
    assert response.context["result"].total == 1


def test_a_nul_character_is_refused_before_the_page() -> None:
    # core.middleware: no address holds a NUL; PostgreSQL would refuse it.
    response = Client().get(URL, {"q": "klei\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_bad_parameter_does_not_drop_the_good_ones() -> None:
    _offer("clay", disciplines=["visual-arts"])
    _offer("piano", disciplines=["music"])

    response = Client().get(URL, {"discipline": "music", "age": "old"})

    assert response.status_code == 400
    assert [e.course.slug for e in response.context["result"].entries] == ["piano"]


def test_unknown_codes_match_nothing_without_an_error() -> None:
    _offer("clay")

    assert _slugs(discipline="underwater-basket-weaving") == []
    assert _slugs(neighbourhood="atlantis") == []


def test_the_number_of_queries_does_not_grow_with_the_courses_shown() -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(URL, {"per_page": "50"}).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        _offer(f"few-{n}")
    few = queries()
    for n in range(12):
        _offer(f"many-{n}", disciplines=["music", "dance"])

    assert queries() == few
