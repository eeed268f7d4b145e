"""The read-only learning API: filters, pagination, details, errors, only public data."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.test import Client

from reisgezel.learning.models import CourseState, Edition, EditionState
from reisgezel.learning.services.sessions import sessions_generate
from tests.factories import make_organisation, make_user
from tests.learning_factories import make_course, make_edition

pytestmark = pytest.mark.django_db


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(f"/api/learning{path}", params)


@pytest.fixture
def offer() -> dict[str, Any]:
    kumulus = make_organisation(name="Kumulus", slug="kumulus")
    toddlers = make_course(
        provider=kumulus,
        slug="peutermuziek",
        title={"nl": "Peutermuziek"},
        disciplines=["music"],
        age_min=2,
        age_max=3,
        kind="short_course",
        level="all",
    )
    ballet = make_course(
        slug="ballet-kinderen",
        title={"nl": "Ballet voor kinderen", "en": "Ballet for children"},
        disciplines=["dance"],
        age_min=6,
        age_max=11,
        kind="year_course",
        level="beginner",
    )
    seniors = make_course(
        provider=kumulus,
        slug="schilderen-65",
        title={"nl": "Schilderen 65+"},
        disciplines=["visual-arts"],
        age_min=65,
        age_max=120,
        kind="year_course",
        level="intermediate",
    )
    draft = make_course(slug="geheim", state=CourseState.DRAFT)
    return {
        "kumulus": kumulus,
        "toddlers": toddlers,
        "ballet": ballet,
        "seniors": seniors,
        "draft": draft,
        "ballet_edition": make_edition(course=ballet, max_participants=12, min_participants=5),
        "draft_edition": make_edition(course=draft),
    }


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def test_the_list_has_published_courses_only(client: Client, offer: dict[str, Any]) -> None:
    assert slugs(get(client, "/courses")) == ["ballet-kinderen", "peutermuziek", "schilderen-65"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"discipline": "dance"}, ["ballet-kinderen"]),
        ({"discipline": ["dance", "music"]}, ["ballet-kinderen", "peutermuziek"]),
        ({"life_stage": "toddler"}, ["peutermuziek"]),
        ({"life_stage": ["child", "senior"]}, ["ballet-kinderen", "schilderen-65"]),
        ({"age": "7"}, ["ballet-kinderen"]),
        ({"age": "70"}, ["schilderen-65"]),
        ({"level": "intermediate"}, ["schilderen-65"]),
        ({"kind": "short_course"}, ["peutermuziek"]),
        ({"provider": "kumulus"}, ["peutermuziek", "schilderen-65"]),
        ({"provider": "kumulus", "kind": "year_course"}, ["schilderen-65"]),
    ],
)
def test_filters(
    client: Client, offer: dict[str, Any], params: dict[str, Any], expected: list[str]
) -> None:
    assert slugs(get(client, "/courses", **params)) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"age": "seven"}, "age"),
        ({"age": "-1"}, "age"),
        ({"life_stage": "baby"}, "life_stage"),
        ({"level": "expert"}, "level"),
        ({"kind": "lecture"}, "kind"),
        ({"page": "0"}, "page"),
        ({"per_page": "7"}, "per_page"),
    ],
)
def test_bad_filters_answer_400_with_the_field(
    client: Client, offer: dict[str, Any], params: dict[str, str], field: str
) -> None:
    response = get(client, "/courses", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "De filters zijn niet geldig."  # Dutch unless asked otherwise
    assert field in body["errors"]


def test_pagination(client: Client, offer: dict[str, Any]) -> None:
    for n in range(10):
        make_course(slug=f"workshop-{n:02d}")
    first = get(client, "/courses", per_page="10").json()
    assert (first["total"], first["page"], first["num_pages"]) == (13, 1, 2)
    assert len(first["items"]) == 10
    second = get(client, "/courses", per_page="10", page="2").json()
    assert len(second["items"]) == 3
    assert {i["slug"] for i in first["items"]}.isdisjoint({i["slug"] for i in second["items"]})


def test_a_course_lists_its_public_editions_with_places_and_prices(
    client: Client, offer: dict[str, Any]
) -> None:
    make_edition(course=offer["ballet"], state=EditionState.CANCELLED)
    Edition.objects.filter(pk=offer["ballet_edition"].pk).update(places_taken=3)
    response = get(client, "/courses/ballet-kinderen", lang="en")
    assert response.status_code == 200
    course = response.json()
    assert course["title_text"] == "Ballet for children"
    assert course["life_stages"] == ["child"]
    assert course["url"].endswith("/en/learn/courses/ballet-kinderen/")
    assert [d["code"] for d in course["disciplines"]] == ["dance"]
    [edition] = course["editions"]
    assert edition["places_left"] == 9
    assert edition["participants_needed"] == 2
    assert edition["price"] == "120.00"
    assert edition["tariffs"][0]["is_default"] is True


def test_drafts_answer_404(client: Client, offer: dict[str, Any]) -> None:
    assert get(client, "/courses/geheim").status_code == 404
    assert get(client, f"/editions/{offer['draft_edition'].pk}").status_code == 404
    assert get(client, "/courses/no-such-course").status_code == 404


def test_an_edition_with_its_sessions(client: Client, offer: dict[str, Any]) -> None:
    teacher = make_user(display_name="Mieke Smeets", email="mieke@example.org")
    edition = make_edition(
        course=offer["seniors"],
        teacher=teacher,
        starts_on=date(2027, 1, 5),
        ends_on=date(2027, 1, 26),
        weekday=1,
        start_time=time(10, 0),
        end_time=time(12, 0),
    )
    sessions_generate(edition=edition)
    response = get(client, f"/editions/{edition.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["course"]["slug"] == "schilderen-65"
    assert body["teacher"] == "Mieke Smeets"
    assert "mieke@example.org" not in response.content.decode()
    assert [s["starts_at"] for s in body["sessions"]] == [
        "2027-01-05T09:00:00Z",
        "2027-01-12T09:00:00Z",
        "2027-01-19T09:00:00Z",
        "2027-01-26T09:00:00Z",
    ]
    assert body["places_left"] == 10
    assert body["participants_needed"] == 3


def test_a_cancelled_edition_answers_404(client: Client, offer: dict[str, Any]) -> None:
    edition = make_edition(course=offer["ballet"], state=EditionState.CANCELLED)
    assert get(client, f"/editions/{edition.pk}").status_code == 404


def test_the_api_is_read_only(client: Client, offer: dict[str, Any]) -> None:
    response = client.post("/api/learning/courses", {}, content_type="application/json")
    assert response.status_code == 405


def test_a_prerequisite_not_published_is_named_neither_in_the_api_nor_in_json_ld() -> None:
    from reisgezel.learning.jsonld import course_jsonld

    draft = make_course(
        slug="geheim-concept", title={"nl": "Geheim concept"}, state=CourseState.DRAFT
    )
    basis = make_course(slug="basis", title={"nl": "Basiscursus"})
    course = make_course(slug="vervolg")
    course.prerequisites.add(draft, basis)
    body = Client().get("/api/learning/courses/vervolg").json()
    assert body["prerequisites"] == ["basis"]
    data = course_jsonld(course)
    assert data["coursePrerequisites"] == ["Basiscursus"]
