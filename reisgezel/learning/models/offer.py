"""The offer: a course (what stays), its editions (a term, a place, a teacher) and their
sessions (the dates, generated from a weekly pattern with holiday exceptions).

Many providers: a course belongs to an organisation (a house, an association, a
freelance teacher's own organisation), whose members manage it, as in the agenda.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reisgezel.accounts.models import Organisation
from reisgezel.core.date_range import validate_in_range
from reisgezel.core.fields import TranslatedField, dutch_text_present
from reisgezel.core.models import Term, TimeStampedModel
from reisgezel.places.models import Place, Room, Weekday


class CourseKind(models.TextChoices):
    YEAR_COURSE = "year_course", _("Year course")
    SHORT_COURSE = "short_course", _("Short course")
    WORKSHOP = "workshop", _("One-off workshop")
    TRIAL_LESSON = "trial_lesson", _("Trial lesson")
    LESSON_CARD = "lesson_card", _("Individual lessons (lesson card)")
    HOLIDAY_CAMP = "holiday_camp", _("Holiday camp")
    SCHOOL_PROGRAMME = "school_programme", _("School programme")


class Level(models.TextChoices):
    ALL = "all", _("All levels")
    BEGINNER = "beginner", _("Beginner")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class LifeStage(models.TextChoices):
    """Age bands (inclusive) the catalogue filters on; a course's stages follow from its
    age range, so they are never stored twice."""

    TODDLER = "toddler", _("Toddlers (0-3)")
    CHILD = "child", _("Children (4-11)")
    YOUTH = "youth", _("Young people (12-17)")
    ADULT = "adult", _("Adults (18-64)")
    SENIOR = "senior", _("Seniors (65+)")


LIFE_STAGE_AGES: dict[str, tuple[int, int]] = {
    LifeStage.TODDLER: (0, 3),
    LifeStage.CHILD: (4, 11),
    LifeStage.YOUTH: (12, 17),
    LifeStage.ADULT: (18, 64),
    LifeStage.SENIOR: (65, 120),
}


class CourseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Course(TimeStampedModel):
    """What a provider offers, described once; it runs as one or more editions."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="courses")
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    title = TranslatedField(_("title"), max_length=200)
    summary = TranslatedField(_("short description"), blank=True, max_length=400)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    disciplines = models.ManyToManyField(
        Term, related_name="courses", limit_choices_to={"kind": "discipline"}
    )
    facilities = models.ManyToManyField(
        Term,
        blank=True,
        related_name="courses_by_facility",
        limit_choices_to={"kind": "facility"},
        verbose_name=_("accessibility facilities"),
    )
    accessibility = TranslatedField(_("accessibility information"), blank=True, multiline=True)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices, default=Level.ALL)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), default=0)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), default=120)
    language = models.CharField(
        _("language"),
        max_length=3,
        default="nl",
        help_text=_("ISO 639-1; 'li' for Maastrichtiens."),
    )
    prerequisites = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="leads_to",
        verbose_name=_("prerequisite courses"),
        help_text=_("A participant must have completed one of these first."),
    )
    grade_min = models.PositiveSmallIntegerField(
        _("lowest school grade"),
        null=True,
        blank=True,
        help_text=_("School programmes: primary groep 1-8, then secondary years as 9-14."),
    )
    grade_max = models.PositiveSmallIntegerField(_("highest school grade"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CourseState.choices, default=CourseState.DRAFT
    )

    class Meta:
        ordering = ["slug"]
        constraints = [
            dutch_text_present("title"),
            models.CheckConstraint(
                condition=Q(age_min__lte=F("age_max")) & Q(age_max__lte=120),
                name="learning_course_age_range",
            ),
            models.CheckConstraint(
                condition=Q(grade_min__isnull=True)
                | Q(grade_max__isnull=True)
                | Q(grade_min__lte=F("grade_max")),
                name="learning_course_grade_range",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "kind"]),
            models.Index(fields=["provider", "state"]),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def life_stages(self) -> list[str]:
        return [
            stage
            for stage, (low, high) in LIFE_STAGE_AGES.items()
            if low <= self.age_max and self.age_min <= high
        ]


class EditionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for enrolment")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Edition(TimeStampedModel):
    """A course in a term or date range, at a place, with a teacher.

    `places_taken` counts active enrolments. It is raised only by a conditional UPDATE
    (`places_taken < max_participants`) and the check constraint below makes the
    database refuse any write that would exceed the maximum: capacity is never exceeded,
    however many requests arrive at once.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="editions")
    code = models.SlugField(_("code"), max_length=60)
    term = TranslatedField(_("term"), blank=True, max_length=120)
    starts_on = models.DateField(_("first day"), validators=[validate_in_range])
    ends_on = models.DateField(_("last day"), validators=[validate_in_range])
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="course_editions")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="course_editions"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teaching",
        verbose_name=_("teacher"),
    )
    # The weekly pattern sessions are generated from (none for a one-off workshop,
    # whose sessions are entered one by one).
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    skip_school_holidays = models.BooleanField(_("no sessions in school holidays"), default=True)

    min_participants = models.PositiveSmallIntegerField(_("minimum group size"), default=1)
    max_participants = models.PositiveSmallIntegerField(_("maximum group size"))
    places_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    reduced_places_max = models.PositiveSmallIntegerField(
        _("maximum reduced-price places"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit on places at a reduced price through a discount scheme."),
    )
    reduced_places_taken = models.PositiveSmallIntegerField(default=0, editable=False)

    enrol_opens_at = models.DateTimeField(
        _("enrolment opens"), null=True, blank=True, validators=[validate_in_range]
    )
    enrol_closes_at = models.DateTimeField(
        _("enrolment deadline"), null=True, blank=True, validators=[validate_in_range]
    )
    cancel_until = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_("Participants may cancel free of charge until then."),
        validators=[validate_in_range],
    )
    waiting_offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a waiting-list offer"), default=48
    )
    trial_lessons = models.BooleanField(
        _("trial lessons"),
        default=True,
        help_text=_("Newcomers may try one lesson before they enrol (courses and lesson cards)."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=EditionState.choices, default=EditionState.PLANNED
    )
    cancel_reason = TranslatedField(_("reason for cancellation"), blank=True, max_length=400)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="learning_edition_unique_code"),
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="learning_edition_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(min_participants__lte=F("max_participants"))
                & Q(max_participants__gte=1),
                name="learning_edition_group_size",
            ),
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("max_participants")),
                name="learning_edition_capacity_never_exceeded",
            ),
            models.CheckConstraint(
                condition=Q(reduced_places_max__isnull=True)
                | Q(reduced_places_taken__lte=F("reduced_places_max")),
                name="learning_edition_reduced_places_cap",
            ),
            models.CheckConstraint(
                condition=(
                    Q(weekday__isnull=True) & Q(start_time__isnull=True) & Q(end_time__isnull=True)
                )
                | (
                    Q(weekday__gte=0)
                    & Q(weekday__lte=6)
                    & Q(start_time__isnull=False)
                    & Q(end_time__gt=F("start_time"))
                ),
                name="learning_edition_weekly_pattern_complete",
            ),
            models.CheckConstraint(
                condition=Q(enrol_opens_at__isnull=True)
                | Q(enrol_closes_at__isnull=True)
                | Q(enrol_opens_at__lt=F("enrol_closes_at")),
                name="learning_edition_enrolment_window_ordered",
            ),
        ]
        indexes = [models.Index(fields=["state", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.course} ({self.code})"

    def clean(self) -> None:
        super().clean()
        problems: dict[str, str] = {}
        if self.room is not None and self.room.place_id != self.place_id:
            problems["room"] = gettext("Choose a room of the edition's place.")
        stored = (
            Edition.objects.filter(pk=self.pk).values_list("room_id", "max_participants").first()
            if self.pk
            else None
        )
        if stored != (self.room_id, self.max_participants) and (
            problem := group_exceeds_room(self.room, self.max_participants)
        ):
            problems["max_participants"] = problem
        if problems:
            raise ValidationError({field: [message] for field, message in problems.items()})

    @property
    def places_left(self) -> int:
        return max(self.max_participants - self.places_taken, 0)

    @property
    def participants_needed(self) -> int:
        """How many more sign-ups before the edition can start (0 when it can)."""
        return max(self.min_participants - self.places_taken, 0)


def group_exceeds_room(room: Room | None, group: int | None) -> str | None:
    """Why a group of `group` people cannot be planned in `room`, or None when it can (no
    room, or no capacity entered: no limit). Checked when a room or a group size is
    chosen (edition and session services, the admin); a room made smaller afterwards
    is allowed and flagged instead (`places.room_capacity`)."""
    if room is None or room.capacity is None or group is None or group <= room.capacity:
        return None
    return gettext("%(room)s holds at most %(capacity)d people, so the group cannot be larger.") % {
        "room": room,
        "capacity": room.capacity,
    }


class Tariff(models.Model):
    """A named price of an edition ("standard", "under 18", "member of the choir").

    The tariff service picks the lowest tariff a participant qualifies for, then applies
    discount schemes; see learning/services/tariffs.py.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="tariffs")
    code = models.SlugField(max_length=40)
    label = TranslatedField(_("name"), max_length=120)
    amount = models.DecimalField(_("price (EUR)"), max_digits=7, decimal_places=2)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    is_default = models.BooleanField(_("default tariff"), default=False)

    class Meta:
        ordering = ["edition", "amount"]
        constraints = [
            dutch_text_present("label"),
            models.UniqueConstraint(fields=["edition", "code"], name="learning_tariff_unique_code"),
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(is_default=True),
                name="learning_tariff_one_default",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="learning_tariff_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: € {self.amount}"


class Session(models.Model):
    """One meeting of an edition. Generated from the weekly pattern, then editable."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("start"), validators=[validate_in_range])
    ends_at = models.DateTimeField(_("end"), validators=[validate_in_range])
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="course_sessions"
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    note = TranslatedField(_("note"), blank=True, max_length=400)
    edited = models.BooleanField(
        default=False, help_text=_("Changed by hand: regenerating the pattern keeps it.")
    )
    # An extra session (session_add): it replaces no weekly slot, so regenerating the
    # pattern still makes that week's regular session.
    extra = models.BooleanField(default=False, editable=False)
    # Where the weekly pattern had a moved session (set when it is first moved): that week
    # gets no new regular session when the pattern is regenerated.
    pattern_starts_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="learning_session_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["edition", "starts_at"], name="learning_session_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition}: {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        """A room chosen for the session (the admin's inline; the services check the
        same with `session_room_problem`) suits its edition. Its present room, made
        smaller since, is flagged, not refused (`places.room_capacity`)."""
        super().clean()
        if self.room is None or self.edition_id is None:
            return
        stored = Session.objects.filter(pk=self.pk).values_list("room_id", flat=True).first()
        if self.pk and stored == self.room_id:
            return
        if problem := session_room_problem(self.edition, self.room):
            raise ValidationError({"room": [problem]})


def session_room_problem(edition: Edition, room: Room) -> str | None:
    """Why `room` cannot take a session of `edition` (None when it can): it must be in
    the edition's place and hold the edition's group."""
    if room.place_id != edition.place_id:
        return gettext("Choose a room of the edition's place.")
    return group_exceeds_room(room, edition.max_participants)


class HolidayPeriod(models.Model):
    """A school holiday (region Zuid for Maastricht): no weekly sessions on these days."""

    name = TranslatedField(_("name"), max_length=120)
    starts_on = models.DateField(_("first day"), validators=[validate_in_range])
    ends_on = models.DateField(_("last day"), validators=[validate_in_range])

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            dutch_text_present("name"),
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="learning_holiday_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on} - {self.ends_on})"

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
