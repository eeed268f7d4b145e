"""The teacher's pages and the attendance service: a teacher sees only their own groups
and participants; the provider's members and staff see them too; nobody else does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from reisgezel.accounts.models import Organisation, User
from reisgezel.core.models import AuditEntry
from reisgezel.learning.models import (
    Attendance,
    Edition,
    Enrolment,
    EnrolmentKind,
    EnrolmentState,
    Participant,
    Presence,
    Session,
)
from reisgezel.learning.services.attendance import record_attendance
from tests.factories import make_organisation, make_user, member_of
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
)

pytestmark = pytest.mark.django_db


def _enrol(edition: Edition, participant: Participant, **extra: object) -> Enrolment:
    enrolment = Enrolment.objects.create(edition=edition, participant=participant, **extra)
    Edition.objects.filter(pk=edition.pk).update(places_taken=edition.enrolments.count())
    return enrolment


def _session(edition: Edition, days: int = 1, **extra: object) -> Session:
    start = datetime(2030, 1, 1, 18, 0, tzinfo=UTC) + timedelta(days=days)
    return Session.objects.create(
        edition=edition, starts_at=start, ends_at=start + timedelta(hours=2), **extra
    )


@dataclass
class Group:
    provider: Organisation
    teacher: User
    edition: Edition
    child: Enrolment
    adult: Enrolment
    cancelled: Enrolment
    adult_user: User
    session: Session


@pytest.fixture
def group() -> Group:
    """An edition with its teacher, an adult and a child (with a guardian), a session."""
    provider = make_organisation()
    teacher = make_user(first_name="Maria", last_name="Janssen")
    edition = make_edition(course=make_course(provider=provider, age_min=6), teacher=teacher)
    guardian = make_user(first_name="Ellen", last_name="Smeets", email="ellen@example.org")
    household = make_household(guardian=guardian)
    child = make_child(household=household, given_name="Lotte", notes_for_teacher="Nut allergy")
    adult = make_adult(user=make_user(first_name="Jan", last_name="Peters"))
    child_enrolment = _enrol(edition, child)
    adult_enrolment = _enrol(edition, adult, kind=EnrolmentKind.TRIAL)
    gone = _enrol(
        edition,
        make_child(household=household, given_name="Bram"),
        state=EnrolmentState.CANCELLED,
        cancelled_at=timezone.now(),
    )
    assert adult.user is not None
    return Group(
        provider=provider,
        teacher=teacher,
        edition=edition,
        child=child_enrolment,
        adult=adult_enrolment,
        cancelled=gone,
        adult_user=adult.user,
        session=_session(edition),
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- My groups --------------------------------------------------------------------------


def test_the_teacher_pages_need_a_login() -> None:
    response = Client().get("/nl/learn/teach/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_groups_lists_what_i_teach_this_year_and_later(group: Group) -> None:
    teacher = group.teacher
    today = timezone.localdate()
    last_year = make_edition(
        teacher=teacher,
        course=make_course(title={"nl": "Vorig jaar"}),
        starts_on=today.replace(year=today.year - 1, month=1, day=10),
        ends_on=today.replace(year=today.year - 1, month=3, day=10),
    )
    someone_elses = make_edition(
        teacher=make_user(), course=make_course(title={"nl": "Van een ander"})
    )

    html = _client(teacher).get("/nl/learn/teach/").content.decode()

    assert f"/nl/learn/teach/{group.edition.pk}/" in html
    assert f"/nl/learn/teach/{last_year.pk}/" not in html
    assert f"/nl/learn/teach/{someone_elses.pk}/" not in html
    assert "2 / 10" in html  # the two active enrolments, not the cancelled one


# --- Participants -----------------------------------------------------------------------


def test_the_teacher_sees_participants_notes_and_the_guardians_contact(
    group: Group,
) -> None:
    edition = group.edition

    response = _client(group.teacher).get(f"/en/learn/teach/{edition.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Lotte Smeets" in html and "Jan Peters" in html
    assert "Bram" not in html  # cancelled
    assert "Nut allergy" in html
    assert "ellen@example.org" in html
    assert "Trial lesson" in html
    assert response["Cache-Control"] == "private, no-store"
    assert f"/en/learn/teach/{edition.pk}/sessions/{group.session.pk}/" in html


def test_provider_members_and_staff_see_the_participants(group: Group) -> None:
    edition = group.edition
    for user in (member_of(group.provider), make_user(is_staff=True)):
        response = _client(user).get(f"/en/learn/teach/{edition.pk}/")
        assert response.status_code == 200
        assert "Lotte Smeets" in response.content.decode()


def test_another_teacher_and_a_participant_cannot_see_the_participants(
    group: Group,
) -> None:
    edition, session = group.edition, group.session
    other_teacher = make_user()
    make_edition(teacher=other_teacher)
    participant = group.adult_user
    for user in (other_teacher, participant, member_of(make_organisation())):
        client = _client(user)
        page = client.get(f"/en/learn/teach/{edition.pk}/")
        attendance = client.get(f"/en/learn/teach/{edition.pk}/sessions/{session.pk}/")
        post = client.post(
            f"/en/learn/teach/{edition.pk}/sessions/{session.pk}/",
            {f"presence_{group.child.pk}": "present"},
        )
        assert page.status_code == 403
        assert attendance.status_code == 403
        assert post.status_code == 403
        assert "Lotte" not in page.content.decode()
    assert not Attendance.objects.exists()


def test_an_unknown_group_or_session_is_a_404(group: Group) -> None:
    client = _client(group.teacher)
    edition = group.edition
    foreign_session = _session(make_edition())

    assert client.get("/en/learn/teach/999999/").status_code == 404
    assert (
        client.get(f"/en/learn/teach/{edition.pk}/sessions/{foreign_session.pk}/").status_code
        == 404
    )


# --- Attendance -------------------------------------------------------------------------


def test_the_teacher_records_attendance_for_a_session(group: Group) -> None:
    edition, session = group.edition, group.session
    child, adult = group.child, group.adult
    client = _client(group.teacher)
    url = f"/en/learn/teach/{edition.pk}/sessions/{session.pk}/"

    form = client.get(url)
    assert form.status_code == 200
    assert f'name="presence_{child.pk}"' in form.content.decode()
    assert f'name="presence_{group.cancelled.pk}"' not in form.content.decode()

    response = client.post(
        url, {f"presence_{child.pk}": "present", f"presence_{adult.pk}": "excused"}
    )

    assert response.status_code == 302
    assert dict(
        Attendance.objects.filter(session=session).values_list("enrolment_id", "presence")
    ) == {child.pk: "present", adult.pk: "excused"}
    again = client.get(url).content.decode()
    assert 'value="excused" id=' in again and "checked" in again
    # The edition page now counts them.
    assert "1 of 2 present" in client.get(f"/en/learn/teach/{edition.pk}/").content.decode()


def test_a_bad_answer_is_a_400_with_a_message(group: Group) -> None:
    edition, session, child = group.edition, group.session, group.child
    client = _client(group.teacher)

    response = client.post(
        f"/en/learn/teach/{edition.pk}/sessions/{session.pk}/",
        {f"presence_{child.pk}": "asleep"},
    )

    assert response.status_code == 400
    assert "The attendance was not saved" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_cancelled_session_takes_no_attendance(group: Group) -> None:
    edition = group.edition
    cancelled = _session(edition, days=8, is_cancelled=True)
    client = _client(group.teacher)

    response = client.post(
        f"/en/learn/teach/{edition.pk}/sessions/{cancelled.pk}/",
        {f"presence_{group.child.pk}": "present"},
    )

    assert response.status_code == 400
    assert "cancelled" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_service_overwrites_an_earlier_answer_and_audits(group: Group) -> None:
    session, child, teacher = group.session, group.child, group.teacher

    record_attendance(actor=teacher, session=session, presence={child.pk: Presence.ABSENT})
    record_attendance(actor=teacher, session=session, presence={child.pk: Presence.PRESENT})

    record = Attendance.objects.get(session=session, enrolment=child)
    assert record.presence == Presence.PRESENT
    assert record.recorded_by == teacher
    assert AuditEntry.objects.filter(action="learning.attendance_record").count() == 2


def test_the_service_refuses_strangers_and_other_groups(group: Group) -> None:
    session, child, cancelled = group.session, group.child, group.cancelled
    teacher = group.teacher
    outsider = _enrol(make_edition(), make_adult())

    with pytest.raises(PermissionDenied):
        record_attendance(actor=make_user(), session=session, presence={child.pk: "present"})
    with pytest.raises(PermissionDenied):
        record_attendance(actor=group.adult_user, session=session, presence={child.pk: "present"})
    with pytest.raises(ValidationError):
        record_attendance(actor=teacher, session=session, presence={outsider.pk: "present"})
    with pytest.raises(ValidationError):
        record_attendance(actor=teacher, session=session, presence={cancelled.pk: "present"})
    with pytest.raises(ValidationError):
        record_attendance(actor=teacher, session=session, presence={child.pk: "late"})
    assert not Attendance.objects.exists()
    # The provider and staff may record for the teacher.
    for user in (member_of(group.provider), make_user(is_staff=True)):
        record_attendance(actor=user, session=session, presence={child.pk: "present"})
    assert Attendance.objects.count() == 1
