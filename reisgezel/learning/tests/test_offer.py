"""Course and edition services: validation, permissions, audit, sessions follow."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reisgezel.accounts.models import Organisation, User
from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import Course, CourseState, Edition, EditionState
from reisgezel.learning.services.offer import (
    CourseInput,
    EditionInput,
    TariffInput,
    course_archive,
    course_create,
    course_publish,
    course_unpublish,
    course_update,
    edition_create,
    edition_open,
    edition_start,
    edition_update,
)
from tests.factories import make_organisation, make_place, make_user, member_of
from tests.learning_factories import make_course, make_edition, make_room

pytestmark = pytest.mark.django_db


def course_input(**overrides: Any) -> CourseInput:
    values: dict[str, Any] = {
        "title": {"nl": "Djembé voor kinderen", "en": "Djembe for children"},
        "kind": "short_course",
        "disciplines": ["music"],
        "age_min": 8,
        "age_max": 12,
        "level": "beginner",
    }
    values.update(overrides)
    return CourseInput(**values)


def edition_input(**overrides: Any) -> EditionInput:
    values: dict[str, Any] = {
        "code": "najaar-2026",
        "starts_on": date(2027, 1, 11),
        "ends_on": date(2027, 3, 29),
        "weekday": 2,
        "start_time": time(16, 0),
        "end_time": time(17, 0),
        "min_participants": 4,
        "max_participants": 12,
        "tariffs": [
            TariffInput(
                code="standard", label={"nl": "Standaard"}, amount=Decimal("95.00"), is_default=True
            ),
            TariffInput(code="sibling", label={"nl": "Broer of zus"}, amount=Decimal("80.00")),
        ],
    }
    values.update(overrides)
    if "place_id" not in values:
        values["place_id"] = make_place().pk
    return EditionInput(**values)


@pytest.fixture
def provider() -> Organisation:
    return make_organisation(name="Kumulus", slug="kumulus")


@pytest.fixture
def member(provider: Organisation) -> User:
    return member_of(provider)


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Courses ----------------------------------------------------------------------------
def test_a_member_creates_a_draft_course_with_a_slug_from_the_dutch_title(
    provider: Organisation, member: User
) -> None:
    course = course_create(actor=member, provider=provider, data=course_input())
    assert course.state == CourseState.DRAFT
    assert course.slug == "djembe-voor-kinderen"
    assert list(course.disciplines.values_list("code", flat=True)) == ["music"]
    assert AuditEntry.objects.filter(action="learning.course.create", target_id=str(course.pk))


def test_a_non_member_cannot_create_courses_for_a_provider(provider: Organisation) -> None:
    with pytest.raises(PermissionDenied):
        course_create(actor=member_of(make_organisation()), provider=provider, data=course_input())


def test_staff_create_courses_for_any_provider(provider: Organisation) -> None:
    course = course_create(actor=make_user(is_staff=True), provider=provider, data=course_input())
    assert course.provider == provider


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": {"en": "Only English"}}, "title"),
        ({"disciplines": []}, "disciplines"),
        ({"disciplines": ["juggling"]}, "disciplines"),
        ({"age_min": 12, "age_max": 8}, "age_max"),
        ({"age_max": 130}, "age_min"),
        ({"kind": "lecture"}, "kind"),
        ({"level": "expert"}, "level"),
        ({"grade_min": 6, "grade_max": 3}, "grade_max"),
        # Beyond the database's small integers (or negative): a message, not a server error.
        ({"grade_min": 0}, "grade_min"),
        ({"grade_max": 40000}, "grade_max"),
        ({"language": "Dutch"}, "language"),
        ({"prerequisites": ["no-such-course"]}, "prerequisites"),
    ],
)
def test_bad_course_input_names_the_field(
    provider: Organisation, member: User, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        course_create(actor=member, provider=provider, data=course_input(**overrides))
    assert field in errors_of(excinfo)
    assert not Course.objects.exists()


def test_two_courses_cannot_share_a_web_address(provider: Organisation, member: User) -> None:
    course_create(actor=member, provider=provider, data=course_input())
    with pytest.raises(ValidationError) as excinfo:
        course_create(actor=member, provider=provider, data=course_input())
    assert "slug" in errors_of(excinfo)


def test_providers_change_only_their_own_courses(provider: Organisation, member: User) -> None:
    course = course_create(actor=member, provider=provider, data=course_input())
    updated = course_update(
        actor=member, course=course, data=course_input(slug=course.slug, age_max=14)
    )
    assert updated.age_max == 14
    other = make_course(provider=make_organisation())
    with pytest.raises(PermissionDenied):
        course_update(actor=member, course=other, data=course_input(slug=other.slug))


def test_a_course_is_not_its_own_prerequisite(provider: Organisation, member: User) -> None:
    course = course_create(actor=member, provider=provider, data=course_input())
    with pytest.raises(ValidationError) as excinfo:
        course_update(
            actor=member,
            course=course,
            data=course_input(slug=course.slug, prerequisites=[course.slug]),
        )
    assert "prerequisites" in errors_of(excinfo)


def test_publish_unpublish_and_archive_are_audited(provider: Organisation, member: User) -> None:
    course = course_create(actor=member, provider=provider, data=course_input())
    course = course_publish(actor=member, course=course)
    assert course.state == CourseState.PUBLISHED
    course = course_unpublish(actor=member, course=course)
    assert course.state == CourseState.DRAFT
    course = course_archive(actor=member, course=course)
    assert course.state == CourseState.ARCHIVED
    actions = list(
        AuditEntry.objects.filter(target_id=str(course.pk), action__startswith="learning.course.")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert [a for a, _ in actions] == [
        "learning.course.create",
        "learning.course.publish",
        "learning.course.unpublish",
        "learning.course.archive",
    ]
    assert {actor for _, actor in actions} == {member.pk}


def test_publishing_twice_records_one_entry(provider: Organisation, member: User) -> None:
    course = make_course(provider=provider, state=CourseState.DRAFT)
    course_publish(actor=member, course=course)
    course_publish(actor=member, course=course)
    assert AuditEntry.objects.filter(action="learning.course.publish").count() == 1


def test_another_provider_cannot_publish(provider: Organisation) -> None:
    course = make_course(provider=provider, state=CourseState.DRAFT)
    with pytest.raises(PermissionDenied):
        course_publish(actor=member_of(make_organisation()), course=course)
    course.refresh_from_db()
    assert course.state == CourseState.DRAFT


# --- Editions ---------------------------------------------------------------------------
def test_an_edition_is_planned_with_its_tariffs_and_generated_sessions(
    provider: Organisation, member: User
) -> None:
    course = make_course(provider=provider)
    edition = edition_create(actor=member, course=course, data=edition_input())
    assert edition.state == EditionState.PLANNED
    assert edition.tariffs.get(is_default=True).amount == Decimal("95.00")
    assert edition.tariffs.count() == 2
    # Wednesdays from 13 January to 24 March 2027: 11 (no holidays entered here).
    assert edition.sessions.count() == 11
    assert AuditEntry.objects.filter(action="learning.edition.create", target_id=str(edition.pk))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": date(2027, 1, 1)}, "ends_on"),
        ({"start_time": None}, "weekday"),
        ({"weekday": 9}, "weekday"),
        ({"end_time": time(15, 0)}, "end_time"),
        ({"min_participants": 20}, "min_participants"),
        ({"max_participants": 0}, "max_participants"),
        ({"max_participants": 40000}, "max_participants"),
        ({"reduced_places_max": 40000}, "reduced_places_max"),
        ({"waiting_offer_hours": 0}, "waiting_offer_hours"),
        ({"waiting_offer_hours": 721}, "waiting_offer_hours"),
        ({"ends_on": date(9999, 12, 31)}, "ends_on"),  # session dates would overflow
        ({"code": "Not A Slug"}, "code"),
        ({"place_id": 999999}, "place_id"),
        ({"teacher_id": 999999}, "teacher_id"),
        ({"tariffs": []}, "tariffs"),
        (
            {
                "tariffs": [
                    TariffInput(code="a", label={"nl": "A"}, amount=Decimal(1), is_default=True),
                    TariffInput(code="b", label={"nl": "B"}, amount=Decimal(2), is_default=True),
                ]
            },
            "tariffs",
        ),
        (
            {
                "tariffs": [
                    TariffInput(code="a", label={"nl": "A"}, amount=Decimal(-1), is_default=True)
                ]
            },
            "tariffs",
        ),
        (
            {
                "tariffs": [
                    TariffInput(
                        code="a", label={"nl": "A"}, amount=Decimal(1), is_default=True, age_max=999
                    )
                ]
            },
            "tariffs",
        ),
    ],
)
def test_bad_edition_input_names_the_field(
    provider: Organisation, member: User, overrides: dict[str, Any], field: str
) -> None:
    course = make_course(provider=provider)
    with pytest.raises(ValidationError) as excinfo:
        edition_create(actor=member, course=course, data=edition_input(**overrides))
    assert field in errors_of(excinfo)
    assert not Edition.objects.exists()


def test_the_room_must_belong_to_the_editions_place(provider: Organisation, member: User) -> None:
    course = make_course(provider=provider)
    room_elsewhere = make_room()
    with pytest.raises(ValidationError) as excinfo:
        edition_create(
            actor=member,
            course=course,
            data=edition_input(place_id=make_place().pk, room_id=room_elsewhere.pk),
        )
    assert "room_id" in errors_of(excinfo)


def test_edition_codes_are_unique_per_course(provider: Organisation, member: User) -> None:
    course = make_course(provider=provider)
    edition_create(actor=member, course=course, data=edition_input())
    with pytest.raises(ValidationError) as excinfo:
        edition_create(actor=member, course=course, data=edition_input())
    assert "code" in errors_of(excinfo)


def test_another_provider_cannot_add_or_change_editions(provider: Organisation) -> None:
    outsider = member_of(make_organisation())
    course = make_course(provider=provider)
    with pytest.raises(PermissionDenied):
        edition_create(actor=outsider, course=course, data=edition_input())
    edition = make_edition(course=course)
    with pytest.raises(PermissionDenied):
        edition_update(actor=outsider, edition=edition, data=edition_input())


def test_the_maximum_cannot_drop_below_the_places_taken(
    provider: Organisation, member: User
) -> None:
    edition = make_edition(course=make_course(provider=provider))
    Edition.objects.filter(pk=edition.pk).update(places_taken=8)
    with pytest.raises(ValidationError) as excinfo:
        edition_update(
            actor=member,
            edition=edition,
            data=edition_input(code=edition.code, max_participants=6, min_participants=2),
        )
    assert "max_participants" in errors_of(excinfo)


def test_updating_tariffs_swaps_the_default_and_keeps_codes(
    provider: Organisation, member: User
) -> None:
    edition = edition_create(
        actor=member, course=make_course(provider=provider), data=edition_input()
    )
    kept = edition.tariffs.get(code="sibling")
    edition_update(
        actor=member,
        edition=edition,
        data=edition_input(
            code=edition.code,
            place_id=edition.place_id,
            tariffs=[
                TariffInput(
                    code="sibling",
                    label={"nl": "Broer of zus"},
                    amount=Decimal("70"),
                    is_default=True,
                ),
            ],
        ),
    )
    tariffs = list(edition.tariffs.all())
    assert [(t.pk, t.amount, t.is_default) for t in tariffs] == [(kept.pk, Decimal("70"), True)]


def test_changing_the_pattern_regenerates_the_sessions(
    provider: Organisation, member: User
) -> None:
    edition = edition_create(
        actor=member, course=make_course(provider=provider), data=edition_input()
    )
    edition_update(
        actor=member,
        edition=edition,
        data=edition_input(code=edition.code, place_id=edition.place_id, weekday=4),
    )
    weekdays = {s.starts_at.astimezone().isoweekday() for s in edition.sessions.all()}
    assert weekdays == {5}  # Fridays


def test_a_cancelled_edition_can_no_longer_be_changed(provider: Organisation, member: User) -> None:
    edition = make_edition(course=make_course(provider=provider), state=EditionState.CANCELLED)
    with pytest.raises(ValidationError):
        edition_update(actor=member, edition=edition, data=edition_input(code=edition.code))


def test_opening_needs_a_published_course_a_price_and_sessions(
    provider: Organisation, member: User
) -> None:
    course = make_course(provider=provider, state=CourseState.DRAFT)
    edition = edition_create(
        actor=member,
        course=course,
        data=edition_input(weekday=None, start_time=None, end_time=None),
    )
    with pytest.raises(ValidationError) as excinfo:
        edition_open(actor=member, edition=edition)
    assert set(errors_of(excinfo)) == {"state", "sessions"}
    course_publish(actor=member, course=course)
    edition_update(
        actor=member,
        edition=edition,
        data=edition_input(code=edition.code, place_id=edition.place_id),
    )
    opened = edition_open(actor=member, edition=edition)
    assert opened.state == EditionState.OPEN
    assert AuditEntry.objects.filter(action="learning.edition.open", target_id=str(edition.pk))
    with pytest.raises(ValidationError):
        edition_open(actor=member, edition=edition)  # already open
    assert edition_start(actor=member, edition=edition).state == EditionState.RUNNING


def test_an_archived_course_gets_no_new_edition(provider: Organisation, member: User) -> None:
    from reisgezel.learning.models import CourseState, Edition

    course = make_course(provider=provider, state=CourseState.ARCHIVED)
    with pytest.raises(ValidationError, match="archived"):
        edition_create(actor=member, course=course, data=edition_input())
    assert not Edition.objects.filter(course=course).exists()


def test_the_group_must_fit_the_room_when_either_is_chosen(
    provider: Organisation, member: User
) -> None:
    course = make_course(provider=provider)
    place = make_place()
    studio = make_room(place=place, capacity=12)
    with pytest.raises(ValidationError) as excinfo:
        edition_create(
            actor=member,
            course=course,
            data=edition_input(place_id=place.pk, room_id=studio.pk, max_participants=14),
        )
    assert errors_of(excinfo)["max_participants"] == [
        f"{studio} holds at most 12 people, so the group cannot be larger."
    ]
    edition = edition_create(
        actor=member,
        course=course,
        data=edition_input(place_id=place.pk, room_id=studio.pk, max_participants=12),
    )
    # The room is made smaller afterwards: the edition keeps its group (it is flagged,
    # tests/test_room_capacity.py), and other changes still save ...
    studio.capacity = 8
    studio.save()
    same_group = edition_input(
        code="voorjaar", place_id=place.pk, room_id=studio.pk, max_participants=12
    )
    assert edition_update(actor=member, edition=edition, data=same_group).code == "voorjaar"
    # ... but a new group size must fit.
    with pytest.raises(ValidationError) as excinfo:
        edition_update(
            actor=member,
            edition=edition,
            data=edition_input(place_id=place.pk, room_id=studio.pk, max_participants=10),
        )
    assert "max_participants" in errors_of(excinfo)
    assert Edition.objects.get(pk=edition.pk).max_participants == 12


def test_the_admin_form_holds_an_edition_to_its_room() -> None:
    place = make_place()
    studio = make_room(place=place, capacity=12)
    edition = make_edition(place=place, room=studio, max_participants=12)
    edition.full_clean()  # as stored: fits
    studio.capacity = 8
    studio.save()
    edition.refresh_from_db()
    edition.full_clean()  # unchanged since the room shrank: allowed
    edition.max_participants = 10
    with pytest.raises(ValidationError) as excinfo:
        edition.full_clean()
    assert "max_participants" in excinfo.value.message_dict
    edition.max_participants = 8
    edition.room = make_room(slug="elsewhere", capacity=30)  # a room of another place
    with pytest.raises(ValidationError) as excinfo:
        edition.full_clean()
    assert list(excinfo.value.message_dict) == ["room"]
