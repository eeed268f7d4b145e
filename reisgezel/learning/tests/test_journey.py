"""The learning journey across years, and its export as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from reisgezel.learning.models import (
    Attendance,
    Edition,
    Enrolment,
    EnrolmentState,
    Participant,
    Presence,
    Session,
)
from reisgezel.learning.services.family import participant_export
from tests.factories import make_user
from tests.learning_factories import make_adult, make_child, make_course, make_edition

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def past_edition(title: str, year: int) -> Edition:
    course = make_course(title={"nl": title, "en": title}, age_min=4, age_max=120)
    return make_edition(
        course=course,
        starts_on=date(year, 9, 1),
        ends_on=date(year, 12, 15),
        state="completed",
    )


def with_attendance(enrolment: Enrolment, presences: list[str]) -> None:
    for week, presence in enumerate(presences):
        start = datetime(enrolment.edition.starts_on.year, 9, 2 + 7 * week, 19, tzinfo=AMS)
        session = Session.objects.create(
            edition=enrolment.edition, starts_at=start, ends_at=start + timedelta(hours=2)
        )
        Attendance.objects.create(session=session, enrolment=enrolment, presence=presence)


@pytest.fixture
def child_with_history() -> Participant:
    adult = make_adult()
    child = make_child(household=adult.household, given_name="Lotte", age=10)
    piano = Enrolment.objects.create(
        edition=past_edition("Piano voor kinderen", 2024),
        participant=child,
        state=EnrolmentState.COMPLETED,
        price_full=200,
        price_due=0,
        fund_amount=200,
    )
    with_attendance(piano, [Presence.PRESENT, Presence.PRESENT, Presence.ABSENT, Presence.EXCUSED])
    Enrolment.objects.create(
        edition=past_edition("Kinderdans", 2025), participant=child, state=EnrolmentState.COMPLETED
    )
    return child


def test_the_guardian_sees_the_journey_by_year_with_attendance(
    child_with_history: Participant,
) -> None:
    guardian = child_with_history.household.guardians.get().user
    url = reverse("learning:journey", kwargs={"participant_id": child_with_history.pk})
    html = logged_in(guardian).get(url.replace("/nl/", "/en/")).content.decode()
    assert html.index("2025") < html.index("2024")  # newest first
    assert "Piano voor kinderen" in html and "Kinderdans" in html
    assert "2 of 4 lessons (50%)" in html
    assert "1 absence with notice" in html
    assert "not recorded yet" in html


def test_an_adult_sees_their_own_journey() -> None:
    adult = make_adult()
    url = reverse("learning:journey", kwargs={"participant_id": adult.pk})
    response = logged_in(adult.user).get(url)
    assert response.status_code == 200


def test_json_export_holds_the_whole_history(child_with_history: Participant) -> None:
    guardian = child_with_history.household.guardians.get().user
    url = reverse("learning:journey_export", kwargs={"participant_id": child_with_history.pk})
    response = logged_in(guardian).get(url, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["participant"]["given_name"] == "Lotte"
    assert data["participant"]["has_login"] is False
    courses = [row["course"] for row in data["enrolments"]]
    assert courses == ["Kinderdans", "Piano voor kinderen"]
    piano = data["enrolments"][1]
    assert (piano["present"], piano["absent"], piano["excused"]) == (2, 1, 1)
    assert piano["fund_amount"] == "200.00"
    assert [a["presence"] for a in piano["attendance"]] == [
        "present",
        "present",
        "absent",
        "excused",
    ]
    assert data["certificates"] == []


def test_csv_export_has_one_row_per_enrolment(child_with_history: Participant) -> None:
    guardian = child_with_history.household.guardians.get().user
    url = reverse("learning:journey_export", kwargs={"participant_id": child_with_history.pk})
    response = logged_in(guardian).get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["course"] for r in rows] == ["Kinderdans", "Piano voor kinderen"]
    assert rows[1]["present"] == "2"
    assert rows[1]["sessions_recorded"] == "4"


def test_csv_export_never_hands_a_spreadsheet_a_formula(
    child_with_history: Participant,
) -> None:
    from reisgezel.learning.models import Course

    dance = next(c for c in Course.objects.all() if str(c.title) == "Kinderdans")
    dance.title = {"nl": '=HYPERLINK("http://example.org","Kinderdans")'}
    dance.save(update_fields=["title"])
    guardian = child_with_history.household.guardians.get().user
    url = reverse("learning:journey_export", kwargs={"participant_id": child_with_history.pk})
    rows = list(
        csv.DictReader(
            io.StringIO(logged_in(guardian).get(url, {"format": "csv"}).content.decode())
        )
    )
    assert [r["course"][:11] for r in rows if "HYPERLINK" in r["course"]] == ["'=HYPERLINK"]


def test_an_unknown_export_format_is_refused(child_with_history: Participant) -> None:
    guardian = child_with_history.household.guardians.get().user
    url = reverse("learning:journey_export", kwargs={"participant_id": child_with_history.pk})
    assert logged_in(guardian).get(url, {"format": "xml"}).status_code == 400


def test_another_household_gets_404_on_the_journey(child_with_history: Participant) -> None:
    stranger = logged_in(make_adult().user)
    for name in ("learning:journey", "learning:journey_export"):
        url = reverse(name, kwargs={"participant_id": child_with_history.pk})
        assert stranger.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        participant_export(actor=make_user(), participant=child_with_history)


def test_the_journey_needs_a_login(child_with_history: Participant) -> None:
    url = reverse("learning:journey", kwargs={"participant_id": child_with_history.pk})
    assert Client().get(url).status_code == 302
