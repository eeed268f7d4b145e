"""The provider pages: an organisation's members manage its courses, editions and
sessions through the offer services; refusals show on the form (400, never 500); members
of another organisation get 403/404 on every URL and anonymous users go to the login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reisgezel.accounts.models import Organisation, User
from reisgezel.learning.models import (
    Attendance,
    Course,
    CourseState,
    Edition,
    EditionState,
    Enrolment,
    EnrolmentState,
    Presence,
    Session,
    WaitingListEntry,
)
from tests.factories import make_organisation, make_place, make_user, member_of
from tests.learning_factories import (
    make_adult,
    make_course,
    make_edition,
    make_room,
)

pytestmark = pytest.mark.django_db

LANGS = ["nl", "en", "de", "fr"]


def translated(name: str, **texts: str) -> dict[str, str]:
    """POST data of a TranslatedFormField: one input per content language."""
    return {f"{name}_{lang}": texts.get(lang, "") for lang in LANGS}


@dataclass
class Provider:
    org: Organisation
    member: User
    outsider: User
    course: Course
    edition: Edition
    session: Session


@pytest.fixture
def provider() -> Provider:
    org = make_organisation(name="Kumulus", slug="kumulus")
    member = member_of(org, username="kumulus-editor")
    other = make_organisation(name="Toneelacademie", slug="toneelacademie")
    outsider = member_of(other, username="outsider")
    course = make_course(provider=org, slug="boetseren", title={"nl": "Boetseren"})
    edition = make_edition(
        course=course, code="najaar", state=EditionState.PLANNED, min_participants=3
    )
    start = datetime(2030, 3, 5, 18, 30, tzinfo=UTC)
    session = Session.objects.create(
        edition=edition, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    return Provider(org, member, outsider, course, edition, session)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"learning:{name}", kwargs=kwargs)


def all_urls(p: Provider) -> list[tuple[str, str]]:
    """(method, url) of every provider page for p's organisation."""
    c, e, s = p.course.pk, p.edition.pk, p.session.pk
    return [
        ("get", url("provider_course_create", org_slug=p.org.slug)),
        ("post", url("provider_course_create", org_slug=p.org.slug)),
        ("get", url("provider_course_edit", course_id=c)),
        ("post", url("provider_course_edit", course_id=c)),
        *[
            (m, url("provider_course_state", course_id=c, action=a))
            for a in ("publish", "unpublish", "archive")
            for m in ("get", "post")
        ],
        ("get", url("provider_edition_create", course_id=c)),
        ("post", url("provider_edition_create", course_id=c)),
        ("get", url("provider_edition_edit", edition_id=e)),
        ("post", url("provider_edition_edit", edition_id=e)),
        *[
            (m, url("provider_edition_state", edition_id=e, action=a))
            for a in ("open", "start")
            for m in ("get", "post")
        ],
        ("get", url("provider_edition_cancel", edition_id=e)),
        ("post", url("provider_edition_cancel", edition_id=e)),
        ("get", url("provider_sessions", edition_id=e)),
        ("post", url("provider_sessions_regenerate", edition_id=e)),
        ("post", url("provider_session_add", edition_id=e)),
        ("get", url("provider_session_move", session_id=s)),
        ("post", url("provider_session_move", session_id=s)),
        ("get", url("provider_session_cancel", session_id=s)),
        ("post", url("provider_session_cancel", session_id=s)),
        ("post", url("provider_session_restore", session_id=s)),
    ]


# --- Access -----------------------------------------------------------------------------
def test_anonymous_users_go_to_the_login_on_every_url(provider: Provider) -> None:
    client = Client()
    for method, path in [("get", url("provider_home")), *all_urls(provider)]:
        response = getattr(client, method)(path)
        assert response.status_code == 302, (method, path)
        assert "/accounts/login/" in response["Location"], (method, path)


def test_a_member_of_another_organisation_is_refused_on_every_url(provider: Provider) -> None:
    client = client_for(provider.outsider)
    for method, path in all_urls(provider):
        response = getattr(client, method)(path, {"reason_0": "Weg", "note_0": "Weg"})
        assert response.status_code in (403, 404), (method, path, response.status_code)
    response = client.get(url("provider_home") + "?org=kumulus")
    assert response.status_code == 404
    # Nothing changed.
    provider.edition.refresh_from_db()
    provider.session.refresh_from_db()
    assert provider.edition.state == EditionState.PLANNED
    assert not provider.session.is_cancelled
    assert Course.objects.get(pk=provider.course.pk).state == CourseState.PUBLISHED


def test_a_teacher_who_is_not_a_member_cannot_manage_the_edition(provider: Provider) -> None:
    teacher = make_user()
    Edition.objects.filter(pk=provider.edition.pk).update(teacher=teacher)
    client = client_for(teacher)
    assert (
        client.get(url("provider_edition_edit", edition_id=provider.edition.pk)).status_code == 403
    )
    assert client.get(url("provider_sessions", edition_id=provider.edition.pk)).status_code == 403


# --- The list ---------------------------------------------------------------------------
def test_the_list_shows_courses_editions_places_and_how_many_more_are_needed(
    provider: Provider,
) -> None:
    Edition.objects.filter(pk=provider.edition.pk).update(places_taken=1)
    response = client_for(provider.member).get(url("provider_home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Boetseren" in body and "najaar" in body
    assert "1 of 10" in body  # places taken of max
    assert "needs 2 more" in body


def test_the_list_shows_money_to_return_after_a_cancellation(provider: Provider) -> None:
    from decimal import Decimal

    from reisgezel.learning.models import Enrolment, EnrolmentState
    from reisgezel.learning.services.payments import payment_record
    from tests.learning_factories import make_adult

    body = client_for(provider.member).get(url("provider_home")).content.decode()
    assert "Money to return" not in body
    ans = make_adult()
    enrolment = Enrolment.objects.create(
        edition=provider.edition,
        participant=ans,
        price_full=Decimal("80.00"),
        price_due=Decimal("80.00"),
    )
    payment_record(
        actor=make_user(is_staff=True), enrolment=enrolment, amount=Decimal("80"), method="cash"
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        state=EnrolmentState.CANCELLED, cancelled_at=timezone.now()
    )
    body = client_for(provider.member).get(url("provider_home")).content.decode()
    assert "Money to return" in body and "€ 80.00" in body and str(ans) in body
    other = client_for(provider.outsider).get(url("provider_home")).content.decode()
    assert "Money to return" not in other


def test_a_member_of_several_organisations_picks_one(provider: Provider) -> None:
    second = make_organisation(name="Theater aan het Vrijthof", slug="tavv")
    from reisgezel.accounts.services import membership_add

    membership_add(organisation=second, user=provider.member, role="editor")
    make_course(provider=second, slug="toneel", title={"nl": "Toneelles"})
    client = client_for(provider.member)
    body = client.get(url("provider_home")).content.decode()
    assert "?org=kumulus" in body and "?org=tavv" in body
    assert "Boetseren" not in body  # nothing chosen yet
    body = client.get(url("provider_home") + "?org=tavv").content.decode()
    assert "Toneelles" in body and "Boetseren" not in body


def test_someone_without_an_organisation_is_told_how_to_get_one() -> None:
    response = client_for(make_user()).get(url("provider_home"))
    assert response.status_code == 200
    assert response.context["org"] is None


# --- Courses ----------------------------------------------------------------------------
def course_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **translated("title", nl="Schilderen met olieverf", en="Oil painting"),
        **translated("summary", nl="Kleuren mengen."),
        **translated("description", nl="Tien avonden schilderen."),
        **translated("accessibility", nl="Er is een lift."),
        "kind": "short_course",
        "disciplines": ["visual-arts"],
        "facilities": ["hearing-loop"],
        "level": "beginner",
        "age_min": "16",
        "age_max": "99",
        "language": "nl",
        "grade_min": "",
        "grade_max": "",
        "slug": "",
    }
    data.update(overrides)
    return data


def test_a_member_creates_a_course_as_a_draft(provider: Provider) -> None:
    response = client_for(provider.member).post(
        url("provider_course_create", org_slug="kumulus"),
        course_data(prerequisites=["boetseren"]),
    )
    assert response.status_code == 302
    course = Course.objects.get(slug="schilderen-met-olieverf")
    assert course.provider == provider.org
    assert course.state == CourseState.DRAFT
    assert course.title == {"nl": "Schilderen met olieverf", "en": "Oil painting"}
    assert list(course.disciplines.values_list("code", flat=True)) == ["visual-arts"]
    assert list(course.facilities.values_list("code", flat=True)) == ["hearing-loop"]
    assert list(course.prerequisites.all()) == [provider.course]


def test_a_refusal_of_the_course_service_shows_on_the_form(provider: Provider) -> None:
    client = client_for(provider.member)
    response = client.post(
        url("provider_course_create", org_slug="kumulus"), course_data(slug="boetseren")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "Another course already has this web address."
    ]
    body = response.content.decode()
    assert 'href="#id_slug"' in body  # the error summary links to the field
    # Missing Dutch title and an inverted age range: form-level and service-level errors.
    response = client.post(
        url("provider_course_create", org_slug="kumulus"),
        course_data(**translated("title", en="Only English"), age_min="50", age_max="20"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors
    assert 'href="#id_title_nl"' in response.content.decode()
    # The service's rule on ages also shows, once the title is given.
    response = client.post(
        url("provider_course_create", org_slug="kumulus"),
        course_data(age_min="50", age_max="20"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["age_max"] == [
        "The maximum age must not be below the minimum age."
    ]
    assert Course.objects.filter(provider=provider.org).count() == 1


def test_a_member_edits_a_course(provider: Provider) -> None:
    client = client_for(provider.member)
    assert client.get(url("provider_course_edit", course_id=provider.course.pk)).status_code == 200
    response = client.post(
        url("provider_course_edit", course_id=provider.course.pk),
        course_data(slug="boetseren", **translated("title", nl="Boetseren en draaien")),
    )
    assert response.status_code == 302
    provider.course.refresh_from_db()
    assert provider.course.title["nl"] == "Boetseren en draaien"


def test_publish_unpublish_and_archive_ask_first_then_change_the_state(provider: Provider) -> None:
    client = client_for(provider.member)
    course = provider.course
    page = client.get(url("provider_course_state", course_id=course.pk, action="unpublish"))
    assert page.status_code == 200 and b'method="post"' in page.content
    course.refresh_from_db()
    assert course.state == CourseState.PUBLISHED  # a GET changes nothing
    for action, state in [
        ("unpublish", CourseState.DRAFT),
        ("publish", CourseState.PUBLISHED),
        ("archive", CourseState.ARCHIVED),
    ]:
        response = client.post(url("provider_course_state", course_id=course.pk, action=action))
        assert response.status_code == 302, action
        course.refresh_from_db()
        assert course.state == state
    assert (
        client.get(url("provider_course_state", course_id=course.pk, action="x")).status_code == 404
    )


def test_publishing_without_a_discipline_is_refused_on_the_page(provider: Provider) -> None:
    course = make_course(provider=provider.org, slug="leeg", disciplines=[], state="draft")
    response = client_for(provider.member).post(
        url("provider_course_state", course_id=course.pk, action="publish")
    )
    assert response.status_code == 400
    assert response.context["errors"] == ["Choose at least one discipline first."]
    course.refresh_from_db()
    assert course.state == CourseState.DRAFT


# --- Editions ---------------------------------------------------------------------------
def edition_data(place_id: int, **overrides: Any) -> dict[str, Any]:
    start = timezone.localdate() + timedelta(days=30)
    data: dict[str, Any] = {
        "code": "voorjaar",
        **translated("term", nl="Voorjaar", en="Spring"),
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(weeks=5)).isoformat(),
        "place": str(place_id),
        "room": "",
        "teacher": "",
        "weekday": "2",
        "start_time": "19:00",
        "end_time": "21:00",
        "skip_school_holidays": "on",
        "min_participants": "4",
        "max_participants": "12",
        "reduced_places_max": "2",
        "enrol_opens_at": "",
        "enrol_closes_at": (start - timedelta(days=1)).isoformat() + "T12:00",
        "cancel_until": "",
        "waiting_offer_hours": "48",
        "tariffs-TOTAL_FORMS": "2",
        "tariffs-INITIAL_FORMS": "0",
        "tariffs-MIN_NUM_FORMS": "0",
        "tariffs-MAX_NUM_FORMS": "1000",
        "tariffs-0-code": "standard",
        **{
            k.replace("label", "tariffs-0-label"): v
            for k, v in translated("label", nl="Standaard").items()
        },
        "tariffs-0-amount": "95.00",
        "tariffs-0-is_default": "on",
        "tariffs-1-code": "jeugd",
        **{
            k.replace("label", "tariffs-1-label"): v
            for k, v in translated("label", nl="Jeugd").items()
        },
        "tariffs-1-amount": "60.00",
        "tariffs-1-age_max": "17",
    }
    data.update(overrides)
    return data


def test_a_member_creates_an_edition_with_prices_and_a_teacher_of_the_organisation(
    provider: Provider,
) -> None:
    place = make_place()
    room = make_room(place=place)
    teacher = member_of(provider.org, first_name="Maria", last_name="Janssen")
    client = client_for(provider.member)
    page = client.get(url("provider_edition_create", course_id=provider.course.pk))
    assert page.status_code == 200
    teachers = list(page.context["form"].fields["teacher"].queryset)
    assert teacher in teachers and provider.outsider not in teachers
    response = client.post(
        url("provider_edition_create", course_id=provider.course.pk),
        edition_data(place.pk, room=str(room.pk), teacher=str(teacher.pk)),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    edition = Edition.objects.get(course=provider.course, code="voorjaar")
    assert edition.teacher == teacher and edition.room == room
    assert edition.state == EditionState.PLANNED
    assert edition.enrol_closes_at is not None and edition.enrol_closes_at.tzinfo is not None
    assert {t.code: (t.amount, t.is_default) for t in edition.tariffs.all()} == {
        "standard": (95, True),
        "jeugd": (60, False),
    }
    assert edition.sessions.count() >= 4  # the weekly pattern made the sessions


def test_a_teacher_from_outside_the_organisation_cannot_be_chosen(provider: Provider) -> None:
    response = client_for(provider.member).post(
        url("provider_edition_create", course_id=provider.course.pk),
        edition_data(make_place().pk, teacher=str(provider.outsider.pk)),
    )
    assert response.status_code == 400
    assert "teacher" in response.context["form"].errors


def test_refusals_of_the_edition_service_show_on_the_form(provider: Provider) -> None:
    client = client_for(provider.member)
    place = make_place()
    # Two default prices and an incomplete weekly pattern.
    response = client.post(
        url("provider_edition_create", course_id=provider.course.pk),
        edition_data(place.pk, end_time="", **{"tariffs-1-is_default": "on"}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert response.context["form"].errors["weekday"]
    assert response.context["tariffs"].non_form_errors()
    assert 'href="#tariffs"' in body and 'href="#id_weekday"' in body
    # A maximum below the places already taken.
    Edition.objects.filter(pk=provider.edition.pk).update(places_taken=5)
    response = client.post(
        url("provider_edition_edit", edition_id=provider.edition.pk),
        edition_data(place.pk, code="najaar", max_participants="4", min_participants="1"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["max_participants"]


def test_editing_an_edition_keeps_its_prices_and_moves_the_sessions(provider: Provider) -> None:
    client = client_for(provider.member)
    page = client.get(url("provider_edition_edit", edition_id=provider.edition.pk))
    assert page.status_code == 200
    assert page.context["tariffs"].initial[0]["code"] == "standard"
    assert page.context["form"].initial["trial_lessons"] is True
    response = client.post(
        url("provider_edition_edit", edition_id=provider.edition.pk),
        edition_data(provider.edition.place_id, code="najaar", max_participants="8"),
    )
    assert response.status_code == 302
    provider.edition.refresh_from_db()
    assert provider.edition.max_participants == 8
    assert provider.edition.weekday == 2
    assert provider.edition.trial_lessons is False  # the box was left unticked
    response = client.post(
        url("provider_edition_edit", edition_id=provider.edition.pk),
        edition_data(
            provider.edition.place_id,
            code="najaar",
            trial_lessons="on",
            **{"tariffs-INITIAL_FORMS": "2"},  # as the page renders it now: two prices
        ),
    )
    assert response.status_code == 302
    provider.edition.refresh_from_db()
    assert provider.edition.trial_lessons is True


def test_opening_for_enrolment_refused_then_allowed(provider: Provider) -> None:
    client = client_for(provider.member)
    Course.objects.filter(pk=provider.course.pk).update(state=CourseState.DRAFT)
    path = url("provider_edition_state", edition_id=provider.edition.pk, action="open")
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 400
    assert response.context["errors"] == ["Publish the course first."]
    Course.objects.filter(pk=provider.course.pk).update(state=CourseState.PUBLISHED)
    assert client.post(path).status_code == 302
    provider.edition.refresh_from_db()
    assert provider.edition.state == EditionState.OPEN
    start = url("provider_edition_state", edition_id=provider.edition.pk, action="start")
    assert client.post(start).status_code == 302
    provider.edition.refresh_from_db()
    assert provider.edition.state == EditionState.RUNNING


def test_cancelling_an_edition_needs_a_dutch_reason_and_says_who_gets_an_email(
    provider: Provider,
) -> None:
    edition = provider.edition
    Enrolment.objects.create(edition=edition, participant=make_adult())
    Enrolment.objects.create(edition=edition, participant=make_adult())
    Edition.objects.filter(pk=edition.pk).update(places_taken=2)
    WaitingListEntry.objects.create(edition=edition, participant=make_adult())
    client = client_for(provider.member)
    path = url("provider_edition_cancel", edition_id=edition.pk)
    page = client.get(path)
    assert page.status_code == 200
    assert page.context["enrolled"] == 2 and page.context["waiting"] == 1
    response = client.post(path, translated("reason", en="Teacher is ill"))
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert 'href="#id_reason_nl"' in response.content.decode()
    edition.refresh_from_db()
    assert edition.state == EditionState.PLANNED
    response = client.post(path, translated("reason", nl="De docent is ziek."))
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.state == EditionState.CANCELLED
    assert edition.cancel_reason == {"nl": "De docent is ziek."}
    assert not edition.enrolments.filter(state=EnrolmentState.ACTIVE).exists()
    # A cancelled edition cannot be cancelled again: the message, not a 500.
    response = client.post(path, translated("reason", nl="Nog eens."))
    assert response.status_code == 400


# --- Sessions ---------------------------------------------------------------------------
def test_regenerating_reports_added_removed_and_kept_sessions(provider: Provider) -> None:
    edition = provider.edition
    client = client_for(provider.member)
    # provider.session is generated (not edited) and outside the pattern; give it
    # attendance so that it is kept.
    enrolment = Enrolment.objects.create(edition=edition, participant=make_adult())
    Attendance.objects.create(
        session=provider.session, enrolment=enrolment, presence=Presence.PRESENT
    )
    start = datetime(2030, 3, 12, 18, 30, tzinfo=UTC)
    Session.objects.create(edition=edition, starts_at=start, ends_at=start + timedelta(hours=1))
    moved = Session.objects.create(
        edition=edition,
        starts_at=start + timedelta(days=2),
        ends_at=start + timedelta(days=2, hours=1),
        edited=True,
    )
    response = client.post(url("provider_sessions_regenerate", edition_id=edition.pk))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.removed == 1
    assert report.kept_with_attendance == [provider.session]
    assert moved in report.kept_edited
    assert len(report.added) == edition.sessions.count() - 2
    assert "1 session kept because attendance was recorded" in response.content.decode()


def test_move_cancel_restore_and_add_sessions(provider: Provider) -> None:
    client = client_for(provider.member)
    session = provider.session
    page = client.get(url("provider_session_move", session_id=session.pk))
    assert page.status_code == 200
    assert page.context["form"].initial["start_time"].hour == 19  # 18:30 UTC in Maastricht
    response = client.post(
        url("provider_session_move", session_id=session.pk),
        {
            "day": "2030-03-06",
            "start_time": "10:00",
            "end_time": "12:00",
            "room": "",
            **translated("note", nl="Verplaatst naar de ochtend."),
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.edited
    assert session.starts_at == datetime(2030, 3, 6, 9, 0, tzinfo=UTC)
    # Cancelling needs a note in Dutch.
    path = url("provider_session_cancel", session_id=session.pk)
    response = client.post(path, translated("note", en="Ill"))
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    response = client.post(path, translated("note", nl="De docent is ziek."))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled and session.note["nl"] == "De docent is ziek."
    response = client.post(url("provider_session_restore", session_id=session.pk))
    assert response.status_code == 302
    session.refresh_from_db()
    assert not session.is_cancelled
    # A one-off session, then a second one at the same time is refused on the form.
    add = url("provider_session_add", edition_id=provider.edition.pk)
    data = {
        "day": "2030-04-01",
        "start_time": "14:00",
        "end_time": "16:00",
        "room": "",
        **translated("note", nl="Extra repetitie."),
    }
    assert client.post(add, data).status_code == 302
    response = client.post(add, data)
    assert response.status_code == 400
    assert response.context["add_form"].errors["start_time"]
    assert 'href="#id_start_time"' in response.content.decode()
    # An end before the start: the service's message.
    response = client.post(add, {**data, "day": "2030-04-02", "end_time": "13:00"})
    assert response.status_code == 400
    assert response.context["add_form"].errors["end_time"]


def test_the_sessions_page_lists_the_sessions(provider: Provider) -> None:
    response = client_for(provider.member).get(
        url("provider_sessions", edition_id=provider.edition.pk)
    )
    assert response.status_code == 200
    assert list(response.context["sessions"]) == [provider.session]
    assert url("provider_session_move", session_id=provider.session.pk) in response.content.decode()


def test_staff_manage_any_organisation(provider: Provider) -> None:
    staff = make_user(is_staff=True)
    client = client_for(staff)
    assert client.get(url("provider_home") + "?org=kumulus").status_code == 200
    assert (
        client.get(url("provider_edition_edit", edition_id=provider.edition.pk)).status_code == 200
    )


def test_the_sessions_of_a_cancelled_edition_are_not_regenerated(provider: Provider) -> None:
    Edition.objects.filter(pk=provider.edition.pk).update(state=EditionState.CANCELLED)
    client = client_for(provider.member)
    response = client.post(url("provider_sessions_regenerate", edition_id=provider.edition.pk))
    assert response.status_code == 400
    assert list(provider.edition.sessions.all()) == [provider.session]
    page = client.get(url("provider_sessions", edition_id=provider.edition.pk))
    assert url("provider_session_add", edition_id=provider.edition.pk) not in page.content.decode()


def test_a_price_can_be_removed_and_the_default_moved(provider: Provider) -> None:
    from decimal import Decimal

    from reisgezel.learning.models import Tariff

    Tariff.objects.create(
        edition=provider.edition, code="jeugd", label={"nl": "Jeugd"}, amount=Decimal("50")
    )
    client = client_for(provider.member)
    page = client.get(url("provider_edition_edit", edition_id=provider.edition.pk))
    rows = page.context["tariffs"].initial
    assert [r["code"] for r in rows] == ["standard", "jeugd"]
    data = edition_data(provider.edition.place_id, code="najaar")
    data.update(
        {
            "tariffs-TOTAL_FORMS": "2",
            "tariffs-INITIAL_FORMS": "2",
            "tariffs-0-code": "standard",
            "tariffs-0-amount": "120.00",
            "tariffs-0-DELETE": "on",
            "tariffs-1-code": "jeugd",
            "tariffs-1-amount": "55.00",
            "tariffs-1-is_default": "on",
        }
    )
    data.pop("tariffs-0-is_default")
    response = client.post(url("provider_edition_edit", edition_id=provider.edition.pk), data)
    assert response.status_code == 302
    assert [(t.code, t.amount, t.is_default) for t in provider.edition.tariffs.all()] == [
        ("jeugd", Decimal("55.00"), True)
    ]


def test_a_price_without_a_dutch_name_is_refused_above_the_prices(provider: Provider) -> None:
    data = edition_data(make_place().pk)
    data.update(translated("tariffs-1-label", en="Youth"))
    response = client_for(provider.member).post(
        url("provider_edition_create", course_id=provider.course.pk), data
    )
    assert response.status_code == 400
    assert "Every price needs a Dutch name." in response.context["tariffs"].non_form_errors()
    assert not Edition.objects.filter(code="voorjaar").exists()
