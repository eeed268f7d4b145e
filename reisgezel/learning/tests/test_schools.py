"""School programmes: free slots, booking with the CJP budget, one class per slot, the
confirmation e-mail, cancellation, and the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone

from reisgezel.accounts.models import User
from reisgezel.learning.models import (
    BookingState,
    Course,
    CourseKind,
    CourseState,
    ProgrammeSlot,
    School,
    SchoolBooking,
    SchoolBudget,
)
from reisgezel.learning.services.schools import (
    free_slots,
    school_booking_cancel,
    school_booking_create,
    school_year_for,
)
from reisgezel.learning.services.tariffs import school_year_label
from tests.factories import make_place, make_user
from tests.learning_factories import make_course, make_room, slot_admin_form

pytestmark = pytest.mark.django_db


def make_programme(**overrides: Any) -> Course:
    values: dict[str, Any] = {
        "kind": CourseKind.SCHOOL_PROGRAMME,
        "title": {"nl": "Fossielen zoeken in de klas", "en": "Finding fossils in class"},
        "age_min": 6,
        "age_max": 12,
        "grade_min": 3,
        "grade_max": 6,
    }
    values.update(overrides)
    return make_course(**values)


def make_slot(
    course: Course, *, days: int = 20, price: str = "120.00", **overrides: Any
) -> ProgrammeSlot:
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    values: dict[str, Any] = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=1, minutes=30),
        "place": make_place(),
        "max_pupils": 30,
        "price": Decimal(price),
    }
    values.update(overrides)
    return ProgrammeSlot.objects.create(course=course, **values)


def make_school(
    *, teacher: User | None = None, budget: str | None = "500.00", year: str | None = None
) -> School:
    school = School.objects.create(
        name="Basisschool De Geusselt",
        brin=f"{School.objects.count() + 10:02d}AB",
        email="info@geusselt.example",
    )
    if teacher is not None:
        school.contacts.add(teacher)
    if budget is not None:
        SchoolBudget.objects.create(
            school=school,
            school_year=year or school_year_label(timezone.localdate() + timedelta(days=20)),
            amount=Decimal(budget),
        )
    return school


@pytest.fixture
def teacher() -> User:
    return make_user(email="juf@geusselt.example", preferred_language="en")


def book(teacher: User, slot: ProgrammeSlot, school: School, **overrides: Any) -> SchoolBooking:
    values: dict[str, Any] = {"class_name": "Groep 5B", "grade": 5, "pupils": 26}
    values.update(overrides)
    return school_booking_create(actor=teacher, slot=slot, school=school, **values)


def budget_of(school: School) -> SchoolBudget:
    return SchoolBudget.objects.get(school=school)


def test_free_slots_leave_out_booked_past_and_unpublished_ones(teacher: User) -> None:
    programme = make_programme()
    free = make_slot(programme, days=10)
    booked = make_slot(programme, days=11)
    make_slot(programme, days=-1)
    make_slot(make_programme(state=CourseState.DRAFT), days=10)
    book(teacher, booked, make_school(teacher=teacher))
    assert list(free_slots()) == [free]


def test_a_teacher_books_and_the_cjp_budget_pays(
    teacher: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    school = make_school(teacher=teacher, budget="500.00")
    slot = make_slot(make_programme())
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(teacher, slot, school)
    assert booking.state == BookingState.CONFIRMED
    assert booking.price == Decimal("120.00") and booking.cjp_amount == Decimal("120.00")
    assert budget_of(school).spent == Decimal("120.00")
    assert booking.contact_email == school.email
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [school.email]
    assert "Booking confirmed: Finding fossils in class" in message.subject
    assert "Groep 5B" in message.body and "€ 120.00" in message.body


def test_the_budget_pays_only_what_is_left(teacher: User) -> None:
    school = make_school(teacher=teacher, budget="150.00")
    programme = make_programme()
    first = book(teacher, make_slot(programme, days=10), school)
    second = book(teacher, make_slot(programme, days=12), school, class_name="Groep 6")
    third = book(teacher, make_slot(programme, days=14), school, class_name="Groep 4", grade=4)
    assert (first.cjp_amount, second.cjp_amount, third.cjp_amount) == (
        Decimal("120.00"),
        Decimal("30.00"),
        Decimal("0.00"),
    )
    assert budget_of(school).spent == budget_of(school).amount


def test_the_budget_of_the_slots_school_year_is_used(teacher: User) -> None:
    slot = make_slot(make_programme())
    other_year = school_year_label(timezone.localdate() - timedelta(days=400))
    school = make_school(teacher=teacher, year=other_year)
    assert school_year_for(slot) != other_year
    booking = book(teacher, slot, school)
    assert booking.cjp_amount == Decimal("0.00")
    assert budget_of(school).spent == Decimal("0.00")


def test_school_years_run_from_august_to_july() -> None:
    assert school_year_label(datetime(2026, 7, 31).date()) == "2025-2026"
    assert school_year_label(datetime(2026, 8, 1).date()) == "2026-2027"


def test_without_cjp_the_school_pays_it_all(teacher: User) -> None:
    school = make_school(teacher=teacher)
    booking = book(teacher, make_slot(make_programme()), school, use_cjp=False)
    assert booking.cjp_amount == Decimal("0.00")
    assert budget_of(school).spent == Decimal("0.00")


def test_a_slot_is_booked_once_and_the_second_gets_a_clear_message(teacher: User) -> None:
    school = make_school(teacher=teacher)
    slot = make_slot(make_programme())
    book(teacher, slot, school)
    other_teacher = make_user()
    other_school = make_school(teacher=other_teacher)
    with pytest.raises(ValidationError) as error:
        book(other_teacher, slot, other_school)
    assert "Another class has just booked this date" in str(error.value.message_dict["slot"])
    # The budget spent for the refused booking was rolled back with it.
    assert budget_of(other_school).spent == Decimal("0.00")


def test_the_database_guards_one_class_per_slot_and_the_budget(teacher: User) -> None:
    school = make_school(teacher=teacher, budget="100.00")
    slot = make_slot(make_programme())
    booking = book(teacher, slot, school)
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolBooking.objects.create(
            slot=slot,
            school=school,
            class_name="x",
            grade=5,
            pupils=3,
            contact_email="a@b.example",
            price=Decimal("1.00"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolBudget.objects.filter(pk=budget_of(school).pk).update(spent=F("amount") + 1)
    assert booking.cjp_amount == Decimal("100.00")


def test_only_the_schools_teachers_book_for_it(teacher: User) -> None:
    school = make_school(teacher=teacher)
    with pytest.raises(PermissionDenied):
        book(make_user(), make_slot(make_programme()), school)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"grade": 8}, "grade", "for grades 3 to 6"),
        ({"grade": 2}, "grade", "for grades 3 to 6"),
        ({"pupils": 31}, "pupils", "At most 30 pupils"),
        ({"pupils": 0}, "pupils", "at least one pupil"),
        ({"class_name": "  "}, "class_name", "name of the class"),
        ({"class_name": "x" * 41}, "class_name", "at most 40 characters"),
        ({"contact_email": "not an address"}, "contact_email", "valid e-mail address"),
    ],
)
def test_bad_input_gets_a_clear_message(
    teacher: User, overrides: dict[str, Any], field: str, message: str
) -> None:
    school = make_school(teacher=teacher)
    with pytest.raises(ValidationError) as error:
        book(teacher, make_slot(make_programme()), school, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert not SchoolBooking.objects.exists()


def test_a_class_fits_the_room_its_slot_uses(teacher: User) -> None:
    """A slot in a room for 16 takes at most 16 pupils, whatever its own maximum says (the
    room may have been made smaller after the slot was added); in the classroom it is
    the slot's maximum that counts."""
    school = make_school(teacher=teacher)
    room = make_room(capacity=16)
    slot = make_slot(make_programme(), place=room.place, room=room, max_pupils=30)
    with pytest.raises(ValidationError) as error:
        book(teacher, slot, school, pupils=20)
    assert error.value.message_dict["pupils"] == [
        "At most 16 pupils can take part in this programme."
    ]
    assert book(teacher, slot, school, pupils=16).pupils == 16
    in_class = make_slot(make_programme(), in_school=True, room=room, max_pupils=30)
    assert book(teacher, in_class, school, pupils=20).pupils == 20


def test_the_admin_refuses_a_slot_larger_than_its_room() -> None:
    from datetime import time

    from reisgezel.agenda.calendar import city_timezone

    room = make_room(capacity=16)
    day = timezone.localdate() + timedelta(days=30)
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    form = slot_admin_form(course_id=make_programme().pk, room=room, day=day)
    refused = staff.post("/en/admin/learning/programmeslot/add/", form)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["max_pupils"] == [
        f"{room} holds at most 16 people, so the group cannot be larger."
    ]
    assert not ProgrammeSlot.objects.exists()
    assert (
        staff.post("/en/admin/learning/programmeslot/add/", form | {"max_pupils": 16}).status_code
        == 302
    )
    slot = ProgrammeSlot.objects.get()
    assert slot.starts_at == datetime.combine(day, time(10), tzinfo=city_timezone())


def test_a_past_slot_or_a_draft_programme_cannot_be_booked(teacher: User) -> None:
    school = make_school(teacher=teacher)
    with pytest.raises(ValidationError) as past:
        book(teacher, make_slot(make_programme(), days=-2), school)
    assert "passed" in str(past.value.message_dict["slot"])
    with pytest.raises(ValidationError) as draft:
        book(teacher, make_slot(make_programme(state=CourseState.DRAFT)), school)
    assert "cannot be booked" in str(draft.value.message_dict["slot"])
    regular = make_course()  # a year course is not a school programme
    with pytest.raises(ValidationError):
        book(teacher, make_slot(regular), school)


def test_cancelling_frees_the_slot_and_returns_the_cjp_amount(teacher: User) -> None:
    school = make_school(teacher=teacher, budget="500.00")
    slot = make_slot(make_programme())
    booking = book(teacher, slot, school)
    school_booking_cancel(actor=teacher, booking=booking)
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert budget_of(school).spent == Decimal("0.00")
    assert slot in free_slots()
    with pytest.raises(ValidationError) as twice:
        school_booking_cancel(actor=teacher, booking=booking)
    assert "already cancelled" in " ".join(twice.value.messages)
    assert budget_of(school).spent == Decimal("0.00")
    # The slot can be booked again.
    assert book(teacher, slot, school).cjp_amount == Decimal("120.00")


def test_cancelling_after_the_start_or_by_a_stranger_is_refused(teacher: User) -> None:
    school = make_school(teacher=teacher)
    booking = book(teacher, make_slot(make_programme()), school)
    with pytest.raises(PermissionDenied):
        school_booking_cancel(actor=make_user(), booking=booking)
    later = booking.slot.starts_at + timedelta(minutes=1)
    with pytest.raises(ValidationError):
        school_booking_cancel(actor=teacher, booking=booking, now=later)


# The pages.


def test_the_programme_list_shows_free_dates(teacher: User) -> None:
    programme = make_programme()
    make_slot(programme)
    make_school(teacher=teacher)
    client = Client()
    anonymous = client.get("/en/learn/schools/")
    assert anonymous.status_code == 200
    assert "Finding fossils in class" in anonymous.content.decode()
    assert "Book this date" not in anonymous.content.decode()
    client.force_login(teacher)
    assert "Book this date" in client.get("/en/learn/schools/").content.decode()
    assert client.get("/nl/learn/schools/").status_code == 200


def test_the_booking_page_is_for_school_contacts(teacher: User) -> None:
    programme = make_programme()
    make_slot(programme)
    url = f"/en/learn/schools/{programme.slug}/book/"
    client = Client()
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    stranger = client.get(url)
    assert stranger.status_code == 403
    assert "Only teachers whom a school has registered" in stranger.content.decode()
    assert client.get("/en/learn/schools/no-such-programme/book/").status_code == 404


def test_booking_through_the_form(teacher: User) -> None:
    programme = make_programme()
    slot = make_slot(programme)
    school = make_school(teacher=teacher)
    url = f"/en/learn/schools/{programme.slug}/book/"
    client = Client()
    client.force_login(teacher)
    page = client.get(url, {"slot": slot.pk})
    assert page.status_code == 200
    assert "€ 500.00 left" in page.content.decode()
    form = {
        "slot": slot.pk,
        "school": school.pk,
        "class_name": "Groep 5B",
        "grade": 5,
        "pupils": 25,
        "use_cjp": "on",
    }
    bad = client.post(url, {**form, "grade": 9})
    assert bad.status_code == 400
    assert "This programme is for grades 3 to 6." in bad.content.decode()
    assert 'href="#id_grade"' in bad.content.decode()
    done = client.post(url, form)
    assert done.status_code == 302 and done["Location"].endswith("/learn/schools/bookings/")
    booking = SchoolBooking.objects.get()
    assert booking.cjp_amount == Decimal("120.00")
    bookings_page = client.get("/en/learn/schools/bookings/")
    assert "Groep 5B" in bookings_page.content.decode()
    again = client.post(url, form)
    assert again.status_code == 400
    assert "no longer free" in again.content.decode()
    cancel = client.post(f"/en/learn/schools/bookings/{booking.pk}/cancel/")
    assert cancel.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED


@pytest.mark.parametrize(
    "changes",
    [
        {"pupils": "many"},
        {"slot": "abc"},
        {"school": "999999"},
        {"grade": ""},
        {"contact_email": "not-an-address"},
    ],
)
def test_garbage_in_the_form_gets_messages_not_errors(
    teacher: User, changes: dict[str, str]
) -> None:
    programme = make_programme()
    slot = make_slot(programme)
    school = make_school(teacher=teacher)
    client = Client()
    client.force_login(teacher)
    form = {
        "slot": slot.pk,
        "school": school.pk,
        "class_name": "Groep 5B",
        "grade": 5,
        "pupils": 25,
    }
    response = client.post(f"/en/learn/schools/{programme.slug}/book/", {**form, **changes})
    assert response.status_code == 400
    assert "Please correct the following" in response.content.decode()
    assert not SchoolBooking.objects.exists()


def test_someone_elses_booking_cannot_be_cancelled_through_the_page(teacher: User) -> None:
    school = make_school(teacher=teacher)
    booking = book(teacher, make_slot(make_programme()), school)
    client = Client()
    client.force_login(make_user())
    assert client.post(f"/en/learn/schools/bookings/{booking.pk}/cancel/").status_code == 403
    assert client.get(f"/en/learn/schools/bookings/{booking.pk}/cancel/").status_code == 405
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED


# Concurrency (PostgreSQL: real row locks and parallel transactions).


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection as main_connection

    barrier = Barrier(count)

    def run(index: int) -> Any:
        from django.db import connection
        from django.utils import translation

        translation.activate("en")  # per thread: messages in English as in the main thread
        try:
            barrier.wait()
            try:
                return work(index)
            except ValidationError as error:
                return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(run, range(count)))
    main_connection.close()
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_never_overspend_and_book_a_slot_once() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL")
    teacher = make_user()
    school = make_school(teacher=teacher, budget="300.00")
    programme = make_programme()
    slots = [make_slot(programme, days=10 + index) for index in range(8)]
    # Eight classes at once on eight slots: the budget (300) pays 120 + 120 + 60.
    results = _in_threads(
        8,
        lambda index: book(teacher, slots[index], school, class_name=f"Groep {index}"),
    )
    assert all(isinstance(result, SchoolBooking) for result in results)
    budget = budget_of(school)
    assert budget.spent == Decimal("300.00")
    assert sum(b.cjp_amount for b in SchoolBooking.objects.all()) == Decimal("300.00")

    # Eight classes at once on one slot: exactly one booking, seven clear messages.
    contested = make_slot(programme, days=30)
    others = []
    for _ in range(8):
        other = make_user()
        others.append((other, make_school(teacher=other, budget="200.00")))
    results = _in_threads(8, lambda index: book(others[index][0], contested, others[index][1]))
    assert sum(isinstance(result, SchoolBooking) for result in results) == 1
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 7
    assert all("Another class has just booked" in " ".join(r.messages) for r in refused)
    assert sum(budget_of(school).spent for _, school in others) == Decimal("120.00")


def test_the_admin_refuses_a_slot_whose_room_is_in_another_place() -> None:
    from tests.factories import make_place

    room = make_room(capacity=40)
    elsewhere = make_place(name="Kumulus", slug="kumulus-elders")
    day = timezone.localdate() + timedelta(days=30)
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    form = slot_admin_form(course_id=make_programme().pk, room=room, day=day)
    refused = staff.post("/en/admin/learning/programmeslot/add/", form | {"place": elsewhere.pk})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["room"] == [
        f"{room.name} is in {room.place}: choose that place or another room."
    ]
    assert not ProgrammeSlot.objects.exists()
