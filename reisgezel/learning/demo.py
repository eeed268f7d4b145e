"""Demo data of the talent developer (manage.py load_learning_demo; docs/learning.md).

A school year of Kumulus-like offer in Maastricht, made through the services as
providers make it: the three houses and three freelance teachers as providers, 17
courses across every kind and life stage (music, dance, theatre, visual arts, writing,
heritage; toddlers to seniors), editions with weekly sessions around the school
holidays of region Zuid, tariffs, the five discount schemes, a few schools with a CJP
Cultuurkaart budget and programme slots, and families with children who enrolled.

Safe to run again: everything is found by its natural key (a slug, a code, a name)
first and only created when missing. Runs against the real clock: editions that ended
are completed, editions under way are running, later ones are open for enrolment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reisgezel.accounts.models import MemberRole, Membership, Organisation, User
from reisgezel.accounts.services import membership_add, organisation_create
from reisgezel.agenda.calendar import city_timezone
from reisgezel.agenda.demo.organisations import ORGANISATIONS
from reisgezel.agenda.demo.venues import VENUES
from reisgezel.core.models import Term
from reisgezel.learning.models import (
    Course,
    CourseKind,
    CourseState,
    DiscountScheme,
    Edition,
    EditionState,
    Guardian,
    HolidayPeriod,
    Household,
    Participant,
    ProgrammeSlot,
    School,
    SchoolBudget,
)
from reisgezel.learning.services.offer import (
    CourseInput,
    EditionInput,
    TariffInput,
    course_create,
    course_publish,
    edition_create,
    edition_open,
    edition_start,
)
from reisgezel.learning.services.sessions import session_add
from reisgezel.places.models import Place, Room
from reisgezel.places.services import place_create

DEMO_PASSWORD = "leren-in-maastricht"  # noqa: S105 (demo logins, printed by the command)
SCHOOL_YEAR = "2026-2027"

# School holidays of region Zuid (Maastricht), school year 2026-2027, as recommended by
# the Rijksoverheid (Saturday to Sunday). Check them against rijksoverheid.nl before a
# real season: schools may add days of their own.
HOLIDAYS_ZUID_2026_2027: list[tuple[str, str, date, date]] = [
    ("Herfstvakantie", "Autumn holiday", date(2026, 10, 17), date(2026, 10, 25)),
    ("Kerstvakantie", "Christmas holiday", date(2026, 12, 19), date(2027, 1, 3)),
    (
        "Voorjaarsvakantie (carnaval)",
        "Spring holiday (carnival)",
        date(2027, 2, 6),
        date(2027, 2, 14),
    ),
    ("Meivakantie", "May holiday", date(2027, 4, 24), date(2027, 5, 2)),
    ("Zomervakantie", "Summer holiday", date(2027, 7, 17), date(2027, 8, 29)),
]

AUTUMN = ({"nl": "Najaar 2026", "en": "Autumn 2026"}, date(2026, 9, 7), date(2027, 1, 31))
SPRING = ({"nl": "Voorjaar 2027", "en": "Spring 2027"}, date(2027, 2, 1), date(2027, 6, 27))
YEAR = (
    {"nl": "Schooljaar 2026-2027", "en": "School year 2026-2027"},
    date(2026, 9, 7),
    date(2027, 6, 27),
)


@dataclass(frozen=True)
class Freelancer:
    key: str
    name: str
    teacher: str  # the teacher's display name; they are the organisation's member
    disciplines: tuple[str, ...]


FREELANCERS = [
    Freelancer("atelier-smeets", "Atelier Mieke Smeets", "Mieke Smeets", ("visual-arts",)),
    Freelancer("danscollectief-jeker", "Danscollectief De Jeker", "Yasmina El Idrissi", ("dance",)),
    Freelancer(
        "schrijfwerkplaats-sjeng", "Schrijfwerkplaats Sjeng", "Sjeng Hermans", ("literature",)
    ),
]
HOUSE_TEACHERS = {
    "kumulus": ["Annelies Vroemen", "Pieter Janssen", "Lotte Coenen"],
    "ceramique": ["Hanna Wouters"],
    "nhmm": ["Bram Lemmens"],
}
ROOMS = {
    "kumulus": ["Muzieklokaal 1", "Danszaal", "Atelier 2", "Theaterzaal"],
    "ceramique": ["Leeszaal", "Werkplaats"],
    "nhmm": ["Educatieruimte"],
}
ROOM_CAPACITY = {"Theaterzaal": 120}  # the others hold 20


@dataclass(frozen=True)
class EditionSpec:
    code: str
    term: tuple[dict[str, str], date, date]
    weekday: int | None
    start: str
    end: str
    price: str
    max_participants: int = 12
    min_participants: int = 4
    room: int = 0
    dates: tuple[date, ...] = ()  # for editions without a weekly pattern
    skip_holidays: bool = True


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    provider: str  # a house key or a freelancer key
    kind: str
    title: tuple[str, str]
    summary: tuple[str, str]
    disciplines: tuple[str, ...]
    ages: tuple[int, int]
    level: str
    editions: tuple[EditionSpec, ...]
    teacher: int = 0
    language: str = "nl"
    reduced: str | None = None  # a second tariff (e.g. under 18)


COURSES: list[CourseSpec] = [
    CourseSpec(
        "muziek-op-schoot",
        "kumulus",
        CourseKind.SHORT_COURSE,
        ("Muziek op schoot", "Music on your lap"),
        ("Zingen, klappen en bewegen met je peuter.", "Sing, clap and move with your toddler."),
        ("music",),
        (1, 3),
        "all",
        (EditionSpec("voorjaar-2027", SPRING, 5, "10:00", "10:45", "65.00", 8, 3),),
    ),
    CourseSpec(
        "kleuterdans",
        "danscollectief-jeker",
        CourseKind.YEAR_COURSE,
        ("Kleuterdans", "Dance for young children"),
        ("Dansen op muziek, met verhalen en spelletjes.", "Dancing to music, with stories."),
        ("dance",),
        (4, 6),
        "beginner",
        (EditionSpec("2026-2027", YEAR, 2, "14:00", "14:45", "195.00", 14, 6),),
    ),
    CourseSpec(
        "gitaar-voor-kinderen",
        "kumulus",
        CourseKind.YEAR_COURSE,
        ("Gitaar voor kinderen", "Guitar for children"),
        ("In een klein groepje leer je je eerste akkoorden.", "Learn your first chords."),
        ("music",),
        (8, 12),
        "beginner",
        (EditionSpec("2026-2027", YEAR, 1, "16:00", "17:00", "345.00", 6, 3),),
        teacher=1,
    ),
    CourseSpec(
        "jeugdtheater",
        "kumulus",
        CourseKind.YEAR_COURSE,
        ("Jeugdtheater", "Youth theatre"),
        ("Spelen, improviseren en een voorstelling maken.", "Act, improvise, make a show."),
        ("theatre",),
        (10, 14),
        "all",
        (EditionSpec("2026-2027", YEAR, 3, "16:30", "18:00", "285.00", 16, 8, room=3),),
        teacher=2,
    ),
    CourseSpec(
        "tekenen-en-schilderen-kids",
        "atelier-smeets",
        CourseKind.SHORT_COURSE,
        ("Tekenen en schilderen", "Drawing and painting"),
        ("Met potlood, krijt en verf: elke week iets nieuws.", "Pencil, chalk and paint."),
        ("visual-arts",),
        (7, 11),
        "beginner",
        (
            EditionSpec("najaar-2026", AUTUMN, 2, "15:00", "16:30", "120.00", 10, 4),
            EditionSpec("voorjaar-2027", SPRING, 2, "15:00", "16:30", "120.00", 10, 4),
        ),
    ),
    CourseSpec(
        "streetdance",
        "danscollectief-jeker",
        CourseKind.SHORT_COURSE,
        ("Streetdance", "Street dance"),
        ("Hiphop, popping en je eigen battle.", "Hip hop, popping and your own battle."),
        ("dance",),
        (12, 17),
        "intermediate",
        (EditionSpec("voorjaar-2027", SPRING, 4, "18:00", "19:15", "140.00", 16, 6),),
        reduced="99.00",
    ),
    CourseSpec(
        "songwriting",
        "kumulus",
        CourseKind.SHORT_COURSE,
        ("Songwriting", "Songwriting"),
        ("Schrijf en neem je eigen nummer op.", "Write and record your own song."),
        ("music", "literature"),
        (14, 21),
        "intermediate",
        (EditionSpec("voorjaar-2027", SPRING, 0, "19:00", "21:00", "160.00", 8, 4),),
        language="en",
    ),
    CourseSpec(
        "proefles-piano",
        "kumulus",
        CourseKind.TRIAL_LESSON,
        ("Proefles piano", "Piano trial lesson"),
        ("Kennismaken met de piano, voor jong en oud.", "Meet the piano, young or old."),
        ("music",),
        (6, 99),
        "beginner",
        (
            EditionSpec(
                "januari-2027",
                SPRING,
                None,
                "",
                "",
                "0.00",
                4,
                1,
                dates=(date(2027, 1, 16), date(2027, 1, 23)),
            ),
        ),
    ),
    CourseSpec(
        "zangles-lesbrief",
        "kumulus",
        CourseKind.LESSON_CARD,
        ("Zangles (lessenkaart)", "Singing lessons (lesson card)"),
        (
            "Tien individuele lessen van 30 minuten, in overleg gepland.",
            "Ten individual 30-minute lessons, planned together.",
        ),
        ("music",),
        (12, 120),
        "all",
        (
            EditionSpec(
                "2027",
                SPRING,
                None,
                "",
                "",
                "295.00",
                1,
                1,
                dates=(date(2027, 2, 15), date(2027, 3, 1), date(2027, 3, 15)),
            ),
        ),
    ),
    CourseSpec(
        "keramiek-draaien",
        "ceramique",
        CourseKind.YEAR_COURSE,
        ("Keramiek: draaien op de schijf", "Ceramics: throwing on the wheel"),
        (
            "In de werkplaats van het Céramique, naar Maastrichts aardewerk.",
            "In the Céramique workshop, after Maastricht earthenware.",
        ),
        ("visual-arts", "ceramics"),
        (18, 120),
        "elementary",
        (EditionSpec("2026-2027", YEAR, 3, "19:30", "22:00", "425.00", 10, 5, room=1),),
        reduced="375.00",
    ),
    CourseSpec(
        "verhalen-schrijven",
        "schrijfwerkplaats-sjeng",
        CourseKind.SHORT_COURSE,
        ("Verhalen schrijven", "Writing stories"),
        ("Van idee tot kort verhaal, met feedback in de groep.", "From idea to short story."),
        ("literature",),
        (18, 120),
        "all",
        (EditionSpec("voorjaar-2027", SPRING, 1, "19:30", "21:30", "150.00", 12, 5),),
    ),
    CourseSpec(
        "mestreechs-schrijven",
        "schrijfwerkplaats-sjeng",
        CourseKind.WORKSHOP,
        ("Sjrieve in 't Mestreechs", "Writing in Maastricht dialect"),
        ("Eén middag schrijven in de taal van de stad.", "An afternoon writing in dialect."),
        ("literature", "dialect"),
        (16, 120),
        "all",
        (
            EditionSpec(
                "maart-2027", SPRING, None, "", "", "25.00", 20, 6, dates=(date(2027, 3, 20),)
            ),
        ),
        language="li",
    ),
    CourseSpec(
        "modeltekenen-65",
        "atelier-smeets",
        CourseKind.YEAR_COURSE,
        ("Modeltekenen 65+", "Life drawing 65+"),
        ("Overdag tekenen naar model, in een rustig tempo.", "Daytime life drawing."),
        ("visual-arts",),
        (65, 120),
        "intermediate",
        (EditionSpec("2026-2027", YEAR, 3, "10:00", "12:00", "310.00", 12, 6),),
    ),
    CourseSpec(
        "koor-zilver",
        "kumulus",
        CourseKind.YEAR_COURSE,
        ("Zilverkoor", "Silver choir"),
        ("Zingen in een koor voor 60-plussers; geen ervaring nodig.", "A choir for over-60s."),
        ("music",),
        (60, 120),
        "all",
        (EditionSpec("2026-2027", YEAR, 4, "10:30", "12:00", "180.00", 40, 12, room=3),),
        teacher=1,
    ),
    CourseSpec(
        "fossielen-zomerkamp",
        "nhmm",
        CourseKind.HOLIDAY_CAMP,
        ("Zomerkamp fossielenjagers", "Fossil hunters' summer camp"),
        ("Vijf ochtenden zoeken, tekenen en tentoonstellen.", "Five mornings of fossil finds."),
        ("science", "visual-arts"),
        (8, 12),
        "all",
        (
            EditionSpec(
                "zomer-2027",
                ({"nl": "Zomer 2027", "en": "Summer 2027"}, date(2027, 7, 19), date(2027, 7, 23)),
                None,
                "09:30",
                "12:30",
                "95.00",
                20,
                8,
                dates=tuple(date(2027, 7, 19) + timedelta(days=d) for d in range(5)),
            ),
        ),
    ),
    CourseSpec(
        "klei-in-de-klas",
        "ceramique",
        CourseKind.SCHOOL_PROGRAMME,
        ("Klei in de klas", "Clay in the classroom"),
        (
            "Een les over Maastrichts aardewerk, met zelf boetseren.",
            "A lesson on Maastricht earthenware, with modelling.",
        ),
        ("visual-arts", "heritage"),
        (6, 12),
        "all",
        (),
    ),
    CourseSpec(
        "theater-op-school",
        "kumulus",
        CourseKind.SCHOOL_PROGRAMME,
        ("Theater op school", "Theatre at school"),
        ("Een dramales in de klas, voor groep 5 tot 8.", "A drama lesson for grades 5 to 8."),
        ("theatre",),
        (8, 12),
        "all",
        (),
        teacher=2,
    ),
]
SCHOOL_GRADES = {"klei-in-de-klas": (3, 8), "theater-op-school": (5, 8)}

SCHOOLS = [
    ("Basisschool Het Kompas", "12AB", "kompas@example.org", Decimal("1350.00")),
    ("Sint-Oda Basisschool", "23CD", "sintoda@example.org", Decimal("980.00")),
    ("Montessorischool Wyck", "34EF", "wyck@example.org", Decimal("1120.00")),
]

# (household, guardian display name, [(given name, family name, birth date, course slug)])
FAMILIES: list[tuple[str, str, list[tuple[str, str, date, str]]]] = [
    (
        "Gezin Smeets",
        "Marleen Smeets",
        [
            ("Lotte", "Smeets", date(2018, 3, 14), "tekenen-en-schilderen-kids"),
            ("Daan", "Smeets", date(2012, 9, 2), "streetdance"),
        ],
    ),
    (
        "Gezin Bouhali",
        "Karim Bouhali",
        [
            ("Noor", "Bouhali", date(2016, 6, 21), "tekenen-en-schilderen-kids"),
            ("Sami", "Bouhali", date(2024, 1, 9), "muziek-op-schoot"),
        ],
    ),
    (
        "Gezin Vossen",
        "Ingrid Vossen",
        [
            ("Fleur", "Vossen", date(2011, 11, 30), "songwriting"),
        ],
    ),
]
# Adults who enrol themselves: (display name, birth date, course slug)
ADULTS = [
    ("Jan Hermans", date(1952, 4, 3), "verhalen-schrijven"),
    ("Maria Lenssen", date(1988, 8, 17), "verhalen-schrijven"),
]


@dataclass
class LearningDemoReport:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.existing))
        out = [f"{n}: {self.created[n]} created, {self.existing[n]} already there" for n in names]
        out += [f"skipped: {reason}" for reason in self.skipped]
        out += [f"login {u} / {p} ({what})" for u, p, what in self.logins]
        return out


class _Loader:
    def __init__(self, today: date) -> None:
        self.today = today
        self.report = LearningDemoReport()
        self.password = make_password(DEMO_PASSWORD)
        self.providers: dict[str, Organisation] = {}
        self.coordinators: dict[str, User] = {}
        self.teachers: dict[str, list[User]] = {}
        self.places: dict[str, Place] = {}

    # --- People and providers -----------------------------------------------------------
    def user(self, username: str, display_name: str, **fields: Any) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username, password=self.password, display_name=display_name, **fields
            )
            self.report.created["users"] += 1
        else:
            self.report.existing["users"] += 1
        return user

    def member(self, organisation: Organisation, user: User, role: str) -> None:
        if not Membership.objects.filter(organisation=organisation, user=user).exists():
            membership_add(organisation=organisation, user=user, role=role)

    def house(self, key: str) -> None:
        venue = next(v for v in VENUES if v.key == key)
        spec = next(o for o in ORGANISATIONS if o.key == key)
        place = Place.objects.filter(name=venue.name).first()
        if place is None:
            place = place_create(
                name=venue.name,
                street=venue.street,
                postcode=venue.postcode,
                latitude=venue.latitude,
                longitude=venue.longitude,
                website=venue.website,
                description={"nl": venue.description_nl, "en": venue.description_en},
            )
            self.report.created["places"] += 1
        organisation = Organisation.objects.filter(name=spec.name).first()
        if organisation is None:
            organisation = organisation_create(
                name=spec.name,
                kind=spec.kind,
                is_trusted=True,
                website=spec.website,
                home_place_id=place.pk,
                description={"nl": spec.description_nl, "en": spec.description_en},
            )
            self.report.created["providers"] += 1
        else:
            self.report.existing["providers"] += 1
        self.providers[key], self.places[key] = organisation, place
        self.teachers[key] = [
            self.user(f"docent-{name.split()[0].lower()}", name) for name in HOUSE_TEACHERS[key]
        ]
        for teacher in self.teachers[key]:
            self.member(organisation, teacher, MemberRole.EDITOR)

    def freelancer(self, spec: Freelancer) -> None:
        organisation = Organisation.objects.filter(name=spec.name).first()
        if organisation is None:
            organisation = organisation_create(
                name=spec.name,
                kind="company",
                description={"nl": f"Zelfstandig docent: {spec.teacher}."},
                disciplines=list(Term.objects.filter(kind="discipline", code__in=spec.disciplines)),
            )
            self.report.created["providers"] += 1
        else:
            self.report.existing["providers"] += 1
        teacher = self.user(f"docent-{spec.key}", spec.teacher)
        self.member(organisation, teacher, MemberRole.ADMIN)
        self.providers[spec.key], self.teachers[spec.key] = organisation, [teacher]
        # Freelancers teach in the houses' buildings (Kumulus rents them rooms).
        self.places[spec.key] = self.places["kumulus"]
        self.report.logins.append((teacher.username, DEMO_PASSWORD, f"teacher, {spec.name}"))

    def coordinator(self, key: str) -> User:
        if key not in self.coordinators:
            organisation = self.providers[key]
            user = self.user(f"cursusbureau-{key}", f"Cursusbureau {organisation.name}")
            self.member(organisation, user, MemberRole.ADMIN)
            self.coordinators[key] = user
            self.report.logins.append((user.username, DEMO_PASSWORD, f"provider, {organisation}"))
        return self.coordinators[key]

    def rooms(self) -> dict[str, list[Room]]:
        rooms: dict[str, list[Room]] = {}
        for key, names in ROOMS.items():
            place = self.places[key]
            rooms[key] = []
            for name in names:
                room, created = Room.objects.get_or_create(
                    place=place,
                    name=name,
                    defaults={
                        "slug": name.lower().replace(" ", "-"),
                        "capacity": ROOM_CAPACITY.get(name, 20),
                    },
                )
                self.report.created["rooms"] += int(created)
                self.report.existing["rooms"] += int(not created)
                rooms[key].append(room)
        return rooms

    # --- Reference data -----------------------------------------------------------------
    def schemes(self) -> None:
        from reisgezel.learning.services.schemes import default_schemes

        for values in default_schemes():
            values = dict(values)
            _scheme, created = DiscountScheme.objects.update_or_create(
                code=values.pop("code"), defaults=values
            )
            self.report.created["schemes"] += int(created)
            self.report.existing["schemes"] += int(not created)

    def holidays(self) -> None:
        for nl, en, first, last in HOLIDAYS_ZUID_2026_2027:
            _period, created = HolidayPeriod.objects.get_or_create(
                starts_on=first, ends_on=last, defaults={"name": {"nl": nl, "en": en}}
            )
            self.report.created["holiday periods"] += int(created)
            self.report.existing["holiday periods"] += int(not created)

    # --- The offer ----------------------------------------------------------------------
    def course(self, spec: CourseSpec, rooms: dict[str, list[Room]]) -> Course:
        actor = self.coordinator(spec.provider)
        course = Course.objects.filter(slug=spec.slug).first()
        if course is None:
            grades = SCHOOL_GRADES.get(spec.slug, (None, None))
            course = course_create(
                actor=actor,
                provider=self.providers[spec.provider],
                data=CourseInput(
                    slug=spec.slug,
                    title={"nl": spec.title[0], "en": spec.title[1]},
                    summary={"nl": spec.summary[0], "en": spec.summary[1]},
                    kind=spec.kind,
                    disciplines=[c for c in spec.disciplines if self._known(c)],
                    age_min=spec.ages[0],
                    age_max=spec.ages[1],
                    level=spec.level,
                    language=spec.language,
                    accessibility={
                        "nl": "Het gebouw is rolstoeltoegankelijk; vraag gerust naar wat je "
                        "nodig hebt.",
                        "en": "The building is wheelchair accessible; ask for what you need.",
                    },
                    grade_min=grades[0],
                    grade_max=grades[1],
                ),
            )
            course_publish(actor=actor, course=course)
            self.report.created["courses"] += 1
        else:
            self.report.existing["courses"] += 1
        for edition_spec in spec.editions:
            self.edition(course, spec, edition_spec, rooms, actor)
        return course

    @staticmethod
    def _known(code: str) -> bool:
        return Term.objects.filter(kind="discipline", code=code).exists()

    def edition(
        self,
        course: Course,
        spec: CourseSpec,
        es: EditionSpec,
        rooms: dict[str, list[Room]],
        actor: User,
    ) -> None:
        if course.editions.filter(code=es.code).exists():
            self.report.existing["editions"] += 1
            return
        term, first, last = es.term
        if es.dates:
            first, last = min(es.dates), max(es.dates)
        house = spec.provider if spec.provider in rooms else "kumulus"
        house_rooms = rooms[house]
        tariffs = [
            TariffInput(
                code="standard",
                label={"nl": "Standaard", "en": "Standard"},
                amount=Decimal(es.price),
                is_default=True,
            )
        ]
        if spec.reduced:
            tariffs.append(
                TariffInput(
                    code="reduced",
                    label={"nl": "Tot 18 jaar / studenten", "en": "Under 18 / students"},
                    amount=Decimal(spec.reduced),
                    age_max=17 if spec.ages[0] < 18 else None,
                )
            )
        weekly = es.weekday is not None
        tz = city_timezone()
        edition = edition_create(
            actor=actor,
            course=course,
            data=EditionInput(
                code=es.code,
                term=term,
                starts_on=first,
                ends_on=last,
                place_id=self.places[house].pk,
                room_id=house_rooms[min(es.room, len(house_rooms) - 1)].pk,
                teacher_id=self.teachers[spec.provider][
                    spec.teacher % len(self.teachers[spec.provider])
                ].pk,
                weekday=es.weekday,
                start_time=time.fromisoformat(es.start) if weekly else None,
                end_time=time.fromisoformat(es.end) if weekly else None,
                skip_school_holidays=es.skip_holidays,
                min_participants=es.min_participants,
                max_participants=es.max_participants,
                reduced_places_max=4 if spec.reduced else None,
                enrol_closes_at=datetime.combine(first, time(12, 0), tzinfo=tz),
                cancel_until=datetime.combine(first - timedelta(days=7), time(23, 59), tzinfo=tz),
                tariffs=tariffs,
            ),
        )
        start, end = (
            time.fromisoformat(es.start or "14:00"),
            time.fromisoformat(es.end or "16:00"),
        )
        for day in es.dates:
            session_add(
                actor=actor,
                edition=edition,
                starts_at=datetime.combine(day, start, tzinfo=tz),
                ends_at=datetime.combine(day, end, tzinfo=tz),
            )
        self.report.created["editions"] += 1
        if last < self.today:
            Edition.objects.filter(pk=edition.pk).update(state=EditionState.COMPLETED)
            return
        edition_open(actor=actor, edition=edition)
        if first <= self.today:
            edition_start(actor=actor, edition=edition)

    # --- Schools ------------------------------------------------------------------------
    def schools(self, programmes: list[Course]) -> None:
        tz = city_timezone()
        for name, brin, email, budget in SCHOOLS:
            school, created = School.objects.get_or_create(
                brin=brin, defaults={"name": name, "email": email}
            )
            self.report.created["schools"] += int(created)
            self.report.existing["schools"] += int(not created)
            teacher = self.user(f"leerkracht-{brin.lower()}", f"Leerkracht {name}", email=email)
            school.contacts.add(teacher)
            SchoolBudget.objects.get_or_create(
                school=school, school_year=SCHOOL_YEAR, defaults={"amount": budget}
            )
            self.report.logins.append((teacher.username, DEMO_PASSWORD, f"teacher at {name}"))
        for course in programmes:
            place = course.provider.home_place
            for week in range(6):
                day = date(2027, 3, 1) + timedelta(weeks=week)
                for hour, in_school in ((9, True), (13, False)):
                    starts_at = datetime.combine(day, time(hour, 0), tzinfo=tz)
                    _slot, created = ProgrammeSlot.objects.get_or_create(
                        course=course,
                        starts_at=starts_at,
                        defaults={
                            "ends_at": starts_at + timedelta(hours=1, minutes=30),
                            "in_school": in_school,
                            "place": None if in_school else place,
                            "max_pupils": 30,
                            "price": Decimal("175.00"),
                        },
                    )
                    self.report.created["programme slots"] += int(created)

    # --- Families -----------------------------------------------------------------------
    def families(self) -> None:
        from reisgezel.learning.services.enrolment import enrol

        for household_name, guardian_name, children in FAMILIES:
            guardian = self.user(
                f"ouder-{household_name.split()[-1].lower()}",
                guardian_name,
                email=f"{household_name.split()[-1].lower()}@example.org",
            )
            self.report.logins.append((guardian.username, DEMO_PASSWORD, "parent"))
            household = Household.objects.filter(name=household_name).first()
            if household is None:
                household = Household.objects.create(name=household_name)
                Guardian.objects.create(household=household, user=guardian)
                self.report.created["households"] += 1
            for given, family, born, slug in children:
                child, created = Participant.objects.get_or_create(
                    household=household,
                    given_name=given,
                    family_name=family,
                    defaults={
                        "birth_date": born,
                        "consent_by": guardian,
                        "consent_at": timezone.now(),
                    },
                )
                self.report.created["participants"] += int(created)
                self._enrol(enrol, guardian, child, slug)
        for name, born, slug in ADULTS:
            user = self.user(f"cursist-{name.split()[0].lower()}", name)
            participant = Participant.objects.filter(user=user).first()
            if participant is None:
                household = Household.objects.create(name=name)
                Guardian.objects.create(household=household, user=user)
                participant = Participant.objects.create(
                    household=household,
                    user=user,
                    given_name=name.split()[0],
                    family_name=name.split()[-1],
                    birth_date=born,
                )
                self.report.created["participants"] += 1
            self._enrol(enrol, user, participant, slug)

    def _enrol(self, enrol: Any, actor: User, participant: Participant, slug: str) -> None:
        edition = (
            Edition.objects.filter(course__slug=slug, state=EditionState.OPEN)
            .order_by("starts_on")
            .first()
        )
        if edition is None or edition.enrolments.filter(participant=participant).exists():
            return
        try:
            enrol(actor=actor, edition=edition, participant=participant)
            self.report.created["enrolments"] += 1
        except ValidationError as exc:
            self.report.skipped.append(f"{participant} in {slug}: {' '.join(exc.messages)}")


def load_learning_demo(*, today: date | None = None) -> LearningDemoReport:
    """Load (or complete) the learning demo; see the module docstring."""
    loader = _Loader(today or timezone.localdate())
    with transaction.atomic():
        loader.schemes()
        loader.holidays()
        for key in ("kumulus", "ceramique", "nhmm"):
            loader.house(key)
        for spec in FREELANCERS:
            loader.freelancer(spec)
        rooms = loader.rooms()
    programmes = []
    for course_spec in COURSES:
        course = loader.course(course_spec, rooms)
        if course_spec.kind == CourseKind.SCHOOL_PROGRAMME:
            programmes.append(course)
    loader.schools(programmes)
    loader.families()
    published = Course.objects.filter(state=CourseState.PUBLISHED).count()
    loader.report.existing["published courses in total"] = published
    return loader.report
