"""Rules a review found broken: a fund's yearly cap counts what the fund paid, a running
edition still takes late enrolments and trial lessons, and a trial lesson is not a
completed course."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reisgezel.learning.models import (
    DiscountScheme,
    Edition,
    EditionState,
    Enrolment,
    EnrolmentKind,
    Participant,
    VerificationMethod,
)
from reisgezel.learning.services.enrolment import enrol, priority_of
from reisgezel.learning.services.schemes import entitlement_grant, schemes_ensure
from reisgezel.learning.services.tariffs import quote
from tests.factories import make_user
from tests.learning_factories import (
    make_adult,
    make_child,
    make_course,
    make_edition,
    make_household,
    slot_admin_form,
)

pytestmark = pytest.mark.django_db


def _grant(participant: Participant, code: str) -> None:
    today = timezone.localdate()
    entitlement_grant(
        actor=make_user(is_staff=True),
        participant=participant,
        scheme=DiscountScheme.objects.get(code=code),
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=365),
        verified_how=VerificationMethod.values[0],
    )


def test_the_jeugdfonds_cap_counts_what_the_fund_paid_not_the_family_discount() -> None:
    schemes_ensure()
    guardian = make_user()
    household = make_household(guardian=guardian)
    sibling = make_child(household=household, age=10, given_name="Sanne")
    child = make_child(household=household, age=9)
    _grant(child, "jeugdfonds")
    course = make_course(age_min=4, age_max=17)
    start = date(timezone.localdate().year + 1, 9, 8)

    def edition(price: str, day: int = 0) -> Edition:
        first = start + timedelta(days=day)
        return make_edition(
            course=course, price=price, starts_on=first, ends_on=start + timedelta(weeks=4)
        )

    enrol(actor=guardian, edition=edition("100.00"), participant=sibling)  # family discount
    first = enrol(actor=guardian, edition=edition("250.00"), participant=child)
    assert isinstance(first, Enrolment)
    assert first.fund_amount == Decimal("225.00")  # 250 less the 10 % family discount
    second = quote(edition=edition("250.00", day=1), participant=child)
    # The fund paid 225 of its 450 this year: the 225 still left cover the next one.
    assert second.price_due == Decimal("0.00"), second.explanation


def test_a_running_edition_takes_late_enrolments_and_trial_lessons() -> None:
    adult = make_adult()
    running = make_edition(state=EditionState.RUNNING)
    trial = enrol(actor=adult.user, edition=running, participant=adult, trial=True)
    assert isinstance(trial, Enrolment) and trial.kind == EnrolmentKind.TRIAL
    other = make_adult()
    assert isinstance(enrol(actor=other.user, edition=running, participant=other), Enrolment)
    ended = make_edition(state=EditionState.COMPLETED)
    with pytest.raises(ValidationError):
        enrol(actor=other.user, edition=ended, participant=other)


def test_a_trial_lesson_is_not_a_completed_course() -> None:
    adult = make_adult()
    basics = make_course(slug="basics")
    today = timezone.localdate()
    old = make_edition(
        course=basics, starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=20)
    )
    enrol(actor=adult.user, edition=old, participant=adult, trial=True)
    Edition.objects.filter(pk=old.pk).update(
        starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=10)
    )
    advanced = make_course(slug="advanced")
    advanced.prerequisites.add(basics)
    with pytest.raises(ValidationError):
        enrol(actor=adult.user, edition=make_edition(course=advanced), participant=adult)
    priority, _reason = priority_of(make_edition(course=basics), adult, now=timezone.now())
    assert priority != 0  # not a returning pupil either


def test_the_api_and_structured_data_never_show_a_teachers_login_name() -> None:
    from django.test import Client

    from reisgezel.learning.jsonld import course_jsonld

    teacher = make_user(username="jdoe-login-42", first_name="", last_name="")
    teacher.display_name = ""
    teacher.save()
    edition = make_edition(teacher=teacher)
    assert Client().get(f"/api/learning/editions/{edition.pk}").json()["teacher"] is None
    data = course_jsonld(edition.course, editions=[edition])
    assert "jdoe-login-42" not in str(data)


def test_a_guardian_who_left_the_household_no_longer_gets_the_childs_mail() -> None:
    from reisgezel.learning.emails import recipient_of
    from reisgezel.learning.services.family import child_add, household_create_for
    from reisgezel.learning.services.invitations import (
        guardian_accept,
        guardian_invite,
        guardian_leave,
    )

    first = make_user(email="a@example.org")
    second = make_user(email="b@example.org")
    me = household_create_for(
        actor=first, given_name="Anna", family_name="Smeets", birth_date=date(1985, 1, 1)
    )
    invitation = guardian_invite(actor=first, household=me.household, email="b@example.org")
    guardian_accept(actor=second, token=invitation.token)
    child = child_add(
        actor=second,
        household=me.household,
        given_name="Tim",
        family_name="Smeets",
        birth_date=date(2018, 3, 3),
        consent=True,
    )
    guardian_leave(actor=second, household=me.household)
    child.refresh_from_db()
    recipient = recipient_of(child)
    assert recipient is not None and recipient.email == "a@example.org"


def test_an_offer_cannot_be_accepted_once_the_edition_is_over() -> None:
    from reisgezel.learning.models import EditionState, WaitingListEntry, WaitingState
    from reisgezel.learning.services.enrolment import cancel_enrolment
    from reisgezel.learning.services.waiting import accept_offer

    edition = make_edition(max_participants=1, min_participants=1)
    holder, waiting = make_adult(), make_adult()
    place = enrol(actor=holder.user, edition=edition, participant=holder)
    entry = enrol(actor=waiting.user, edition=edition, participant=waiting)
    assert isinstance(place, Enrolment) and isinstance(entry, WaitingListEntry)
    cancel_enrolment(actor=holder.user, enrolment=place, reason="verhuisd")
    entry.refresh_from_db()
    assert entry.state == WaitingState.OFFERED
    Edition.objects.filter(pk=edition.pk).update(state=EditionState.COMPLETED)
    with pytest.raises(ValidationError):
        accept_offer(actor=waiting.user, entry=entry)


def test_the_admin_does_not_set_an_editions_state_by_hand() -> None:
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = make_user(is_staff=True, is_superuser=True)
    edition = make_edition()
    form = site._registry[Edition].get_form(request, edition)
    assert "state" not in form.base_fields and "cancel_reason" not in form.base_fields


def test_a_trial_lesson_once_per_course_and_trials_make_no_group() -> None:
    from reisgezel.learning.services.editions import cancel_undersubscribed
    from reisgezel.learning.services.enrolment import cancel_enrolment

    adult = make_adult()
    course = make_course()
    first, second = make_edition(course=course), make_edition(course=course)
    trial = enrol(actor=adult.user, edition=first, participant=adult, trial=True)
    assert isinstance(trial, Enrolment)
    cancel_enrolment(actor=adult.user, enrolment=trial, reason="toch niet")
    for edition in (first, second):
        with pytest.raises(ValidationError) as refused:
            enrol(actor=adult.user, edition=edition, participant=adult, trial=True)
        assert "trial" in refused.value.message_dict
    assert isinstance(enrol(actor=adult.user, edition=second, participant=adult), Enrolment)

    today = timezone.localdate()
    small = make_edition(min_participants=2, max_participants=4, starts_on=today + timedelta(3))
    for person in (make_adult(), make_adult()):
        enrol(actor=person.user, edition=small, participant=person, trial=True)
    assert small in cancel_undersubscribed(today=today)  # two trials are no group of two


def test_a_teacher_is_one_of_the_providers_members_and_reduced_places_are_not_undercut() -> None:
    from reisgezel.learning.services.offer import EditionInput, TariffInput, edition_update

    edition = make_edition(reduced_places_max=3)
    provider_staff = make_user(is_staff=True)
    outsider = make_user()

    def change(**values: object) -> EditionInput:
        base: dict[str, object] = {
            "code": edition.code,
            "starts_on": edition.starts_on,
            "ends_on": edition.ends_on,
            "place_id": edition.place_id,
            "max_participants": edition.max_participants,
            "tariffs": [
                TariffInput(
                    code="standard",
                    label={"nl": "Standaard"},
                    amount=Decimal("120.00"),
                    is_default=True,
                )
            ],
            "weekday": edition.weekday,
            "start_time": edition.start_time,
            "end_time": edition.end_time,
            "min_participants": edition.min_participants,
            "reduced_places_max": edition.reduced_places_max,
            "teacher_id": edition.teacher_id,
        }
        return EditionInput(**(base | values))  # type: ignore[arg-type]

    with pytest.raises(ValidationError) as refused:
        edition_update(actor=provider_staff, edition=edition, data=change(teacher_id=outsider.pk))
    assert "teacher_id" in refused.value.message_dict
    Edition.objects.filter(pk=edition.pk).update(reduced_places_taken=2)
    edition.refresh_from_db()
    with pytest.raises(ValidationError) as undercut:
        edition_update(actor=provider_staff, edition=edition, data=change(reduced_places_max=1))
    assert list(undercut.value.message_dict) == ["reduced_places_max"]


def test_the_account_that_consented_for_a_child_is_not_deleted_from_under_it() -> None:
    from django.db.models import ProtectedError

    guardian = make_user()
    make_child(household=make_household(guardian=guardian))
    with pytest.raises(ProtectedError):
        guardian.delete()


def test_an_extra_session_keeps_its_weeks_regular_lesson_when_the_pattern_changes() -> None:
    from datetime import datetime, time

    from reisgezel.agenda.calendar import city_timezone
    from reisgezel.learning.services.sessions import session_add, sessions_generate

    staff = make_user(is_staff=True)
    edition = make_edition(state=EditionState.OPEN)
    sessions_generate(edition=edition)
    regular = list(edition.sessions.order_by("starts_at"))
    city = city_timezone()
    saturday = (regular[2].starts_at.astimezone(city) + timedelta(days=4)).date()
    session_add(
        actor=staff,
        edition=edition,
        starts_at=datetime.combine(saturday, time(10), tzinfo=city),
        ends_at=datetime.combine(saturday, time(12), tzinfo=city),
    )
    Edition.objects.filter(pk=edition.pk).update(start_time=time(19, 0))
    edition.refresh_from_db()
    sessions_generate(edition=edition)
    assert edition.sessions.filter(edited=False).count() == len(regular)
    assert edition.sessions.filter(extra=True).count() == 1


def test_a_programme_slot_in_one_of_our_rooms_holds_it() -> None:
    from datetime import datetime, time

    from django.test import Client

    from reisgezel.agenda.calendar import city_timezone
    from reisgezel.learning.models import ProgrammeSlot
    from reisgezel.places.models import Room, RoomClaim
    from reisgezel.places.services_rooms import room_claim
    from tests.factories import make_place

    room = Room.objects.create(place=make_place(), name="Atelier 2", slug="atelier-2")
    course = make_course()
    day = timezone.localdate() + timedelta(days=30)
    city = city_timezone()
    starts, ends = (datetime.combine(day, time(h), tzinfo=city) for h in (10, 12))
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    form = slot_admin_form(course_id=course.pk, room=room, day=day)
    added = staff.post("/en/admin/learning/programmeslot/add/", form)
    assert added.status_code == 302
    slot = ProgrammeSlot.objects.get()
    assert RoomClaim.objects.filter(holder_type="learning.slot", holder_id=slot.pk).exists()
    # The room is the slot's now: a second slot (or a booking) at that time is refused.
    again = staff.post("/en/admin/learning/programmeslot/add/", form)
    assert again.status_code == 200 and again.context["adminform"].form.errors["room"]
    with pytest.raises(ValidationError):
        room_claim(room=room, starts_at=starts, ends_at=ends, holder_type="x", holder_id=1)
    # Saving it again keeps its own claim; deleting it gives the room back.
    assert (
        staff.post(f"/en/admin/learning/programmeslot/{slot.pk}/change/", form).status_code == 302
    )
    staff.post(f"/en/admin/learning/programmeslot/{slot.pk}/delete/", {"post": "yes"})
    assert not RoomClaim.objects.filter(holder_type="learning.slot").exists()


# --- A second review: school budgets, moved sessions, the admin, report files --------------
def test_a_cancelled_booking_returns_its_cjp_money_to_the_year_that_paid_it() -> None:
    from django.db.models import F

    from reisgezel.learning.models import ProgrammeSlot, SchoolBooking, SchoolBudget
    from reisgezel.learning.services.schools import school_booking_cancel, school_booking_create
    from reisgezel.learning.tests.test_schools import make_programme, make_school, make_slot

    teacher = make_user()
    school = make_school(teacher=teacher, budget="500.00")
    slot = make_slot(make_programme(), days=20)
    booking = school_booking_create(
        actor=teacher, slot=slot, school=school, class_name="5B", grade=5, pupils=20
    )
    budget = SchoolBudget.objects.get(school=school)
    assert budget.spent == Decimal("120.00") and booking.budget_year == budget.school_year
    # Staff move the slot into the next school year, then the teacher cancels.
    ProgrammeSlot.objects.filter(pk=slot.pk).update(
        starts_at=F("starts_at") + timedelta(days=366), ends_at=F("ends_at") + timedelta(days=366)
    )
    booking = SchoolBooking.objects.select_related("slot", "school").get(pk=booking.pk)
    school_booking_cancel(actor=teacher, booking=booking)
    assert SchoolBudget.objects.get(pk=budget.pk).spent == Decimal("0.00")


def test_a_session_moved_to_another_week_does_not_come_back_when_regenerated() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reisgezel.learning.services.sessions import session_move, sessions_generate
    from tests.factories import make_organisation, member_of
    from tests.learning_factories import make_course

    city = ZoneInfo("Europe/Amsterdam")
    provider = make_organisation()
    edition = make_edition(
        course=make_course(provider=provider),
        starts_on=date(2026, 10, 6),
        ends_on=date(2026, 12, 15),
        weekday=1,
    )
    sessions_generate(edition=edition)
    before = edition.sessions.count()
    postponed = edition.sessions.get(starts_at=datetime(2026, 11, 3, 19, 30, tzinfo=city))
    session_move(
        actor=member_of(provider),
        session=postponed,
        starts_at=datetime(2026, 11, 13, 19, 30, tzinfo=city),
        ends_at=datetime(2026, 11, 13, 21, 30, tzinfo=city),
    )
    assert sessions_generate(edition=edition).added == []
    assert edition.sessions.count() == before
    assert not edition.sessions.filter(starts_at=datetime(2026, 11, 3, 19, 30, tzinfo=city))


def test_lowering_a_budget_below_what_was_spent_is_refused_in_the_admin() -> None:
    from django.test import Client

    from reisgezel.learning.models import SchoolBudget
    from reisgezel.learning.services.schools import school_booking_create
    from reisgezel.learning.tests.test_schools import make_programme, make_school, make_slot

    teacher = make_user()
    school = make_school(teacher=teacher, budget="500.00")
    school_booking_create(
        actor=teacher,
        slot=make_slot(make_programme()),
        school=school,
        class_name="5B",
        grade=5,
        pupils=20,
    )
    budget = SchoolBudget.objects.get(school=school)
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    form = {
        "name": school.name,
        "brin": school.brin,
        "email": school.email,
        "place": "",
        "budgets-TOTAL_FORMS": "1",
        "budgets-INITIAL_FORMS": "1",
        "budgets-MIN_NUM_FORMS": "0",
        "budgets-MAX_NUM_FORMS": "1000",
        "budgets-0-id": str(budget.pk),
        "budgets-0-school": str(school.pk),
        "budgets-0-school_year": budget.school_year,
        "budgets-0-amount": "50.00",
    }
    response = client.post(f"/en/admin/learning/school/{school.pk}/change/", form)
    assert response.status_code == 200
    assert "has been spent from this budget" in response.content.decode()
    assert SchoolBudget.objects.get(pk=budget.pk).amount == Decimal("500.00")


def test_the_fund_report_files_keep_a_formula_in_the_fund_name_inert() -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from reisgezel.learning.models import DiscountScheme
    from reisgezel.learning.services.reports import fund_report, fund_report_csv, fund_report_xlsx

    schemes_ensure()
    fund = DiscountScheme.objects.get(code="jeugdfonds")
    fund.name = {"nl": '=HYPERLINK("http://evil.example","Jeugdfonds")'}
    fund.save()
    report = fund_report(
        actor=make_user(is_staff=True),
        scheme=DiscountScheme.objects.get(pk=fund.pk),
        date_from=date(2026, 1, 1),
        date_to=date(2026, 12, 31),
    )
    first_cell = next(csv.reader(io.StringIO(fund_report_csv(report))))[0]
    assert not first_cell.startswith("=")
    sheet = load_workbook(io.BytesIO(fund_report_xlsx(report))).active
    assert sheet is not None and not str(sheet["A1"].value).startswith("=")


def test_a_person_is_never_refunded_what_the_school_paid() -> None:
    from reisgezel.learning.models import Enrolment, PayerKind, PaymentMethod
    from reisgezel.learning.services.payments import payment_record, refund_record
    from tests.factories import member_of
    from tests.learning_factories import make_adult

    edition = make_edition()
    enrolment = Enrolment.objects.create(
        edition=edition,
        participant=make_adult(),
        price_full=Decimal("120.00"),
        price_due=Decimal("120.00"),
    )
    desk = member_of(edition.course.provider)
    payment_record(
        actor=desk,
        enrolment=enrolment,
        amount=Decimal("100.00"),
        method=PaymentMethod.BANK_TRANSFER,
        payer_kind=PayerKind.SCHOOL,
    )
    payment_record(
        actor=desk,
        enrolment=enrolment,
        amount=Decimal("20.00"),
        method=PaymentMethod.CASH,
        payer_kind=PayerKind.PERSON,
    )
    with pytest.raises(ValidationError):
        refund_record(
            actor=desk,
            enrolment=enrolment,
            amount=Decimal("50.00"),
            method=PaymentMethod.CASH,
            payer_kind=PayerKind.PERSON,
        )
    refund_record(
        actor=desk,
        enrolment=enrolment,
        amount=Decimal("20.00"),
        method=PaymentMethod.CASH,
        payer_kind=PayerKind.PERSON,
    )
    refund_record(
        actor=desk,
        enrolment=enrolment,
        amount=Decimal("100.00"),
        method=PaymentMethod.BANK_TRANSFER,
        payer_kind=PayerKind.SCHOOL,
    )
