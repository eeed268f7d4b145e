"""Demo data of room booking: rooms in the three houses with equipment and rates, a few
groups (approved and new), single and weekly bookings. Idempotent: run it again and
nothing is duplicated (bookings are made once per group)."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from reisgezel.accounts.models import Membership, Organisation, OrganisationKind, User
from reisgezel.places.models import Place, Room
from reisgezel.spaces import rules
from reisgezel.spaces.models import (
    BookableRoom,
    BookingGroup,
    Closure,
    Equipment,
    GroupKind,
    GroupStatus,
    RoomRate,
)
from reisgezel.spaces.services import booking_request, series_request

EQUIPMENT = {
    "piano": {"nl": "Piano", "en": "Piano", "de": "Klavier", "fr": "Piano"},
    "mirror-wall": {
        "nl": "Spiegelwand",
        "en": "Mirror wall",
        "de": "Spiegelwand",
        "fr": "Mur de miroirs",
    },
    "dance-floor": {
        "nl": "Dansvloer",
        "en": "Dance floor",
        "de": "Tanzboden",
        "fr": "Plancher de danse",
    },
    "kiln": {"nl": "Keramiekoven", "en": "Kiln", "de": "Brennofen", "fr": "Four à céramique"},
    "stage-lights": {
        "nl": "Podiumlicht",
        "en": "Stage lights",
        "de": "Bühnenlicht",
        "fr": "Éclairage de scène",
    },
    "projector": {"nl": "Beamer", "en": "Projector", "de": "Beamer", "fr": "Projecteur"},
    "sound-system": {
        "nl": "Geluidsinstallatie",
        "en": "Sound system",
        "de": "Tonanlage",
        "fr": "Sonorisation",
    },
}
PLACES = {
    "kumulus": ("Kumulus", "Herbenusstraat 89", "6211 RB"),
    "ceramique": ("Centre Céramique", "Avenue Céramique 50", "6221 KV"),
    "nhmm": ("Natuurhistorisch Museum Maastricht", "De Bosquetplein 7", "6211 KJ"),
    "landbouwbelang": ("Landbouwbelang", "Biesenwal 3", "6211 AD"),
}
# A partner's own room: its members answer the requests (BookableRoom.managed_by).
PARTNER_ROOMS = {"landbouwbelang-oefenruimte": "Landbouwbelang"}
# place slug, room name, room slug, capacity, equipment, step-free,
# rates per hour (association, resident, commercial)
ROOMS = [
    (
        "kumulus",
        "Dansstudio",
        "dansstudio",
        25,
        ["mirror-wall", "dance-floor", "sound-system"],
        True,
        ("12.50", "15.00", "45.00"),
    ),
    (
        "kumulus",
        "Muziekstudio",
        "muziekstudio",
        12,
        ["piano", "sound-system"],
        True,
        ("10.00", "12.50", "40.00"),
    ),
    (
        "kumulus",
        "Keramiekatelier",
        "keramiekatelier",
        10,
        ["kiln"],
        False,
        ("15.00", "17.50", "50.00"),
    ),
    (
        "ceramique",
        "Auditorium",
        "auditorium",
        120,
        ["stage-lights", "projector", "sound-system", "piano"],
        True,
        ("35.00", "40.00", "120.00"),
    ),
    ("ceramique", "Leeszaal", "leeszaal", 30, ["projector"], True, ("8.00", "10.00", "30.00")),
    (
        "nhmm",
        "Educatielokaal",
        "educatielokaal",
        24,
        ["projector"],
        True,
        ("10.00", "12.50", "35.00"),
    ),
    (
        "landbouwbelang",
        "Oefenruimte",
        "oefenruimte",
        15,
        ["sound-system", "stage-lights"],
        False,
        ("6.00", "8.00", "25.00"),
    ),
]
KUMULUS_HOURS = [(day, time(9), time(23)) for day in range(6)]


class Command(BaseCommand):
    help = "Load demo rooms, groups and bookings for room booking (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            equipment = {
                code: Equipment.objects.update_or_create(code=code, defaults={"name": name})[0]
                for code, name in EQUIPMENT.items()
            }
            rooms = [self._room(spec, equipment) for spec in ROOMS]
            groups = self._groups()
        self._bookings(rooms, groups)
        self.stdout.write(self.style.SUCCESS(f"{len(rooms)} rooms, {len(groups)} groups"))

    def _place(self, slug: str) -> Place:
        name, street, postcode = PLACES[slug]
        place = Place.objects.filter(slug=slug).first() or Place.objects.filter(name=name).first()
        if place is None:
            place = Place.objects.create(slug=slug, name=name, street=street, postcode=postcode)
        if slug == "kumulus" and not place.opening_hours.exists():
            for weekday, opens, closes in KUMULUS_HOURS:
                place.opening_hours.create(weekday=weekday, opens=opens, closes=closes)
        return place

    def _room(self, spec: tuple, equipment: dict[str, Equipment]) -> BookableRoom:
        place_slug, name, slug, capacity, kit, step_free, rates = spec
        place = self._place(place_slug)
        room = (
            Room.objects.filter(place=place, slug=slug).first()
            or Room.objects.filter(place=place, name=name).first()
            or Room.objects.create(place=place, name=name, slug=slug, capacity=capacity)
        )
        bookable, _created = BookableRoom.objects.get_or_create(
            room=room, defaults={"slug": f"{place_slug}-{slug}", "step_free": step_free}
        )
        bookable.equipment.set([equipment[code] for code in kit])
        if partner := PARTNER_ROOMS.get(bookable.slug):
            bookable.managed_by = Organisation.objects.filter(
                name=partner
            ).first() or Organisation.objects.create(
                name=partner, slug=slugify(partner), kind=OrganisationKind.ASSOCIATION
            )
            bookable.save(update_fields=["managed_by", "updated_at"])
        for kind, rate in zip(GroupKind.values, rates, strict=True):
            RoomRate.objects.update_or_create(
                bookable=bookable, group_kind=kind, defaults={"hourly_rate": Decimal(rate)}
            )
        if place_slug == "kumulus" and not Closure.objects.filter(place=place).exists():
            christmas = timezone.localdate().replace(month=12, day=24)
            Closure.objects.create(
                place=place,
                starts_on=christmas,
                ends_on=christmas + timedelta(days=8),
                reason={"nl": "Kerstvakantie", "en": "Christmas holidays"},
            )
        return bookable

    def _user(self, username: str) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _groups(self) -> list[BookingGroup]:
        groups = []
        for name, slug, status in [
            ("Dansgroep Jekerdal", "dansgroep-jekerdal", GroupStatus.APPROVED),
            ("Mannenkoor Wyck", "mannenkoor-wyck", GroupStatus.APPROVED),
            ("Pottenbakkers Heugem", "pottenbakkers-heugem", GroupStatus.PENDING),
        ]:
            organisation, _created = Organisation.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": OrganisationKind.ASSOCIATION}
            )
            contact = self._user(f"{slug}-contact")
            Membership.objects.get_or_create(user=contact, organisation=organisation)
            group, _created = BookingGroup.objects.get_or_create(
                organisation=organisation,
                defaults={
                    "name": name,
                    "kind": GroupKind.ASSOCIATION,
                    "contact": contact,
                    "status": status,
                },
            )
            groups.append(group)
        resident = self._user("bewoner-anna")
        group, _created = BookingGroup.objects.get_or_create(
            contact=resident,
            kind=GroupKind.RESIDENT,
            defaults={"name": "Schilderclub Anna", "status": GroupStatus.PENDING},
        )
        groups.append(group)
        return groups

    def _bookings(self, rooms: list[BookableRoom], groups: list[BookingGroup]) -> None:
        dance, choir, potters, painters = groups
        today = timezone.localdate()
        plan = [
            (dance, rooms[0], 1, time(19, 30), time(21, 30), "Wekelijkse repetitie"),
            (choir, rooms[1], 3, time(20), time(22), "Koorrepetitie"),
            (potters, rooms[2], 2, time(14), time(17), "Draaien en glazuren"),
            # Waits on the partner's desk (log in as editor-landbouwbelang).
            (choir, rooms[6], 5, time(14), time(16), "Koorweekend: extra repetitie"),
        ]
        for group, bookable, weekday, start, end, title in plan:
            if group.bookings.filter(bookable=bookable).exists():
                continue
            try:
                series_request(
                    actor=group.contact,
                    bookable=bookable,
                    group=group,
                    title=title,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                    first_date=today + timedelta(days=1),
                    last_date=today + timedelta(days=90),
                    attendees=min(10, bookable.room.capacity or 10),
                )
            except ValidationError as exc:
                self.stderr.write(f"{group}: {' '.join(exc.messages)}")
        if not painters.bookings.exists():
            day = today + timedelta(days=12)
            try:
                booking_request(
                    actor=painters.contact,
                    bookable=rooms[4],
                    group=painters,
                    title="Open schilderavond",
                    attendees=8,
                    starts_at=rules.local_datetime(day, time(19)),
                    ends_at=rules.local_datetime(day, time(21)),
                )
            except ValidationError as exc:
                self.stderr.write(f"{painters}: {' '.join(exc.messages)}")
