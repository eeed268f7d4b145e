"""The booking pages: who sees what, the request flow (one date and weekly), the desk."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from reisgezel.accounts.models import User
from reisgezel.spaces.models import (
    BookableRoom,
    Booking,
    BookingGroup,
    BookingStatus,
    GroupStatus,
)
from reisgezel.spaces.photos import cleaned_photo
from reisgezel.spaces.services import booking_request
from reisgezel.spaces.tests.conftest import at
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _next_tuesday(weeks: int = 2) -> date:
    day = timezone.localdate() + timedelta(days=7 * weeks)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_public_pages_show_rooms_rates_and_the_week(
    client: Client, studio: BookableRoom, lang: str
) -> None:
    listing = client.get(f"/{lang}/spaces/")
    assert listing.status_code == 200 and "Atelier 1" in listing.text
    detail = client.get(f"/{lang}/spaces/rooms/kumulus-atelier-1/?week=2027-03-03")
    assert detail.status_code == 200
    assert ("45,00" if lang == "nl" else "45.00") in detail.text  # the commercial rate
    assert "calendar.ics" in detail.text
    assert client.get(f"/{lang}/spaces/rooms/nope/").status_code == 404


def test_the_week_shows_what_holds_the_room(
    client: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    tuesday = _next_tuesday()
    booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Privé",
        starts_at=at(tuesday, 19, 30),
        ends_at=at(tuesday, 21, 30),
    )
    page = client.get(f"/en/spaces/rooms/kumulus-atelier-1/?week={tuesday.isoformat()}")
    assert "19:30\N{EN DASH}21:30 (Booked)" in page.text
    assert "Privé" not in page.text


def test_booking_needs_login_and_a_group(client: Client, studio: BookableRoom) -> None:
    url = "/en/spaces/rooms/kumulus-atelier-1/book/"
    assert client.get(url).status_code == 302
    _login(client, make_user(username="lonely"))
    response = client.get(url)
    assert response.status_code == 302 and "/spaces/groups/new/" in response["Location"]


def test_a_single_request_through_the_form(
    client: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User
) -> None:
    tuesday = _next_tuesday()
    _login(client, choir_member)
    form = {
        "group": choir.pk,
        "title": "Repetitie",
        "attendees": 10,
        "day": tuesday.isoformat(),
        "start_time": "19:30",
        "end_time": "21:30",
    }
    response = client.post("/en/spaces/rooms/kumulus-atelier-1/book/", form)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    again = client.post("/en/spaces/rooms/kumulus-atelier-1/book/", form)
    assert again.status_code == 422
    assert "is already taken on" in again.text
    late = client.post(
        "/en/spaces/rooms/kumulus-atelier-1/book/",
        form | {"start_time": "22:00", "end_time": "23:30"},
    )
    assert "Outside opening hours" in late.text


def test_a_weekly_request_shows_the_conflicts_then_books_the_free_dates(
    client: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User, resident: User
) -> None:
    first = _next_tuesday()
    booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Concert",
        starts_at=at(first + timedelta(days=7), 20),
        ends_at=at(first + timedelta(days=7), 22),
    )
    band = BookingGroup.objects.create(
        name="Band", kind="resident", contact=resident, status=GroupStatus.APPROVED
    )
    _login(client, resident)
    form = {
        "group": band.pk,
        "title": "Band",
        "attendees": 4,
        "day": first.isoformat(),
        "start_time": "19:30",
        "end_time": "21:30",
        "repeat_until": (first + timedelta(days=21)).isoformat(),
    }
    preview = client.post("/en/spaces/rooms/kumulus-atelier-1/book/", form)
    assert preview.status_code == 200
    assert "Already booked (20:00-22:00)." in preview.text
    assert "Book the 3 free dates" in preview.text
    assert not Booking.objects.filter(group=band).exists()
    done = client.post("/en/spaces/rooms/kumulus-atelier-1/book/", form | {"confirm": "1"})
    assert done.status_code == 302
    assert Booking.objects.filter(group=band).count() == 3


def test_a_group_sees_and_cancels_only_its_own_bookings(
    client: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User, resident: User
) -> None:
    tuesday = _next_tuesday(weeks=3)
    theirs = booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Koorrepetitie",
        starts_at=at(tuesday, 19, 30),
        ends_at=at(tuesday, 21, 30),
    )
    _login(client, resident)
    page = client.get("/en/spaces/my/")
    assert "Koorrepetitie" not in page.text
    assert client.post(f"/en/spaces/bookings/{theirs.pk}/cancel/").status_code == 403
    _login(client, choir_member)
    assert "Koorrepetitie" in client.get("/en/spaces/my/").text
    client.post(f"/en/spaces/bookings/{theirs.pk}/cancel/")
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CANCELLED


def test_registering_a_group_and_the_staff_desk(
    client: Client, studio: BookableRoom, staff: User
) -> None:
    newcomer = make_user(username="newcomer")
    _login(client, newcomer)
    assert client.get("/en/spaces/staff/").status_code == 403
    client.post("/en/spaces/groups/new/", {"kind": "resident", "name": "Buurtkoor Wyck"})
    group = BookingGroup.objects.get(name="Buurtkoor Wyck")
    assert group.status == GroupStatus.PENDING
    _login(client, staff)
    desk = client.get("/en/spaces/staff/")
    assert "Buurtkoor Wyck" in desk.text
    client.post(f"/en/spaces/staff/groups/{group.pk}/", {"approve": "1"})
    group.refresh_from_db()
    assert group.status == GroupStatus.APPROVED


def test_invoice_exports_for_staff_only(
    client: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User, staff: User
) -> None:
    tuesday = _next_tuesday()
    booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title="Repetitie",
        starts_at=at(tuesday, 19),
        ends_at=at(tuesday, 21),
    )
    period = f"first_day={tuesday.replace(day=1)}&last_day={tuesday + timedelta(days=1)}"
    query = f"?group={choir.pk}&{period}"
    _login(client, choir_member)
    assert client.get("/en/spaces/staff/invoices/" + query).status_code == 403
    _login(client, staff)
    page = client.get("/en/spaces/staff/invoices/" + query)
    assert "25.00" in page.text
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/en/spaces/staff/invoices/" + query + "&export=csv").content.decode()
            )
        )
    )
    assert rows[1][4] == "Repetitie" and rows[-1][-1] == "25.00"
    xlsx = client.get("/en/spaces/staff/invoices/" + query + "&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    amounts = [row[5] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert amounts[-1] == 25.0


def test_room_photos_lose_their_gps_metadata() -> None:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 51.0, 0.0)}  # GPSInfo
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    assert b"Exif" in raw.getvalue()
    stored = cleaned_photo(raw.getvalue())
    assert b"Exif" not in stored.read()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        cleaned_photo(b"not an image")


def test_the_demo_command_is_idempotent() -> None:
    from django.core.management import call_command

    from reisgezel.spaces.models import BookableRoom as B

    call_command("load_spaces_demo")
    counts = (B.objects.count(), BookingGroup.objects.count(), Booking.objects.count())
    assert counts[0] == 7 and counts[1] == 4 and counts[2] > 20
    assert Booking.objects.filter(status=BookingStatus.PENDING).exists()
    partner_room = B.objects.get(managed_by__name="Landbouwbelang")
    assert partner_room.bookings.filter(status=BookingStatus.PENDING).count() >= 10
    call_command("load_spaces_demo")
    assert (B.objects.count(), BookingGroup.objects.count(), Booking.objects.count()) == counts


def test_invoice_exports_make_formulas_inert(
    client: Client, studio: BookableRoom, choir: BookingGroup, choir_member: User, staff: User
) -> None:
    tuesday = _next_tuesday()
    booking_request(
        actor=choir_member,
        bookable=studio,
        group=choir,
        title='=HYPERLINK("http://evil")',
        starts_at=at(tuesday, 19),
        ends_at=at(tuesday, 21),
    )
    _login(client, staff)
    query = f"?group={choir.pk}&first_day={tuesday}&last_day={tuesday}&export=csv"
    rows = list(csv.reader(io.StringIO(client.get("/en/spaces/staff/invoices/" + query).text)))
    assert rows[1][4] == '\'=HYPERLINK("http://evil")'
