"""Family accounts: a user's own household, child profiles, and a participant's export.

Rules (issue 4, DESIGN.md §5):
- A resident with a login is an adult participant in a household of their own, created
  the first time they set up their family account (`household_create_for`).
- A child under CHILD_AGE_LIMIT has no login: a guardian of the household adds the
  profile and gives consent (who and when is stored). From that age on a person needs
  an account of their own, so a guardian cannot add them as a child profile.
- Only a guardian of the household (or the participant themself) sees and exports a
  participant's data; everyone else is told "not found" by the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reisgezel.core.audit import audit_record
from reisgezel.learning.models import (
    CHILD_AGE_LIMIT,
    Enrolment,
    EnrolmentState,
    Entitlement,
    Guardian,
    Household,
    Participant,
    Presence,
    WaitingListEntry,
    WaitingState,
)
from reisgezel.learning.selectors import households_of, journey_of, may_act_for

LANGUAGES = ("nl", "en", "de", "fr")


def household_for(user: Any) -> Household | None:
    """The user's own household: the one they take part in, else the first they guard."""
    if not getattr(user, "is_authenticated", False):
        return None
    own = Participant.objects.filter(user=user).select_related("household").first()
    if own is not None:
        return own.household
    return households_of(user).order_by("id").first()


# --- Writes ---------------------------------------------------------------------------
def _check_birth_date(birth_date: date, *, today: date) -> None:
    if birth_date > today:
        raise ValidationError({"birth_date": _("A date of birth cannot be in the future.")})
    if today.year - birth_date.year > 120:
        raise ValidationError({"birth_date": _("Please check the date of birth.")})


def household_create_for(
    *,
    actor: Any,
    given_name: str,
    family_name: str,
    birth_date: date,
    language: str = "nl",
    billing_email: str = "",
    today: date | None = None,
) -> Participant:
    """Set up the user's family account: a household with the user as its guardian and
    as an adult participant. Idempotent: a user who already takes part gets their
    existing participant back."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))
    existing = Participant.objects.filter(user=actor).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    _check_birth_date(birth_date, today=today)
    age = _age_on(birth_date, today)
    if age < CHILD_AGE_LIMIT:
        raise ValidationError(
            {
                "birth_date": _(
                    "Under %(limit)s you cannot have an account of your own. Ask a parent or "
                    "guardian to add you to their family account."
                )
                % {"limit": CHILD_AGE_LIMIT}
            }
        )
    if language not in LANGUAGES:
        language = "nl"
    with transaction.atomic():
        household = Household.objects.create(
            name=_("Family %(name)s") % {"name": family_name.strip()},
            billing_email=billing_email or getattr(actor, "email", ""),
        )
        Guardian.objects.create(household=household, user=actor)
        participant = Participant.objects.create(
            household=household,
            user=actor,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            birth_date=birth_date,
            language=language,
        )
        audit_record(actor=actor, action="learning.household_create", target=household)
    return participant


def _check_guardian(actor: Any, household: Household) -> None:
    if (
        not getattr(actor, "is_authenticated", False)
        or not Guardian.objects.filter(household=household, user=actor).exists()
    ):
        raise PermissionDenied(_("Only a guardian of this family can do that."))


def _check_child_age(birth_date: date, *, today: date) -> None:
    _check_birth_date(birth_date, today=today)
    if _age_on(birth_date, today) >= CHILD_AGE_LIMIT:
        raise ValidationError(
            {
                "birth_date": _(
                    "From %(limit)s years on a person needs an account of their own: ask them "
                    "to sign up themselves."
                )
                % {"limit": CHILD_AGE_LIMIT}
            }
        )


def child_add(
    *,
    actor: Any,
    household: Household,
    given_name: str,
    family_name: str,
    birth_date: date,
    consent: bool,
    notes_for_teacher: str = "",
    language: str = "nl",
    now: Any = None,
) -> Participant:
    """Add a child profile (no login) to the household; the guardian consents."""
    _check_guardian(actor, household)
    now = now or timezone.now()
    today = timezone.localdate(now)
    _check_child_age(birth_date, today=today)
    if not consent:
        raise ValidationError(
            {"consent": _("Please give your consent as the child's parent or guardian.")}
        )
    if not given_name.strip() or not family_name.strip():
        raise ValidationError({"given_name": _("Please fill in the child's name.")})
    with transaction.atomic():
        child = Participant.objects.create(
            household=household,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            birth_date=birth_date,
            language=language if language in LANGUAGES else "nl",
            consent_by=actor,
            consent_at=now,
            notes_for_teacher=notes_for_teacher.strip(),
        )
        audit_record(actor=actor, action="learning.child_add", target=child)
    return child


def child_update(
    *,
    actor: Any,
    participant: Participant,
    given_name: str,
    family_name: str,
    birth_date: date,
    notes_for_teacher: str = "",
    language: str | None = None,
    today: date | None = None,
) -> Participant:
    """Change a child profile. Adults with a login keep their own details.

    The age limit applies to a new date of birth only: a child who has turned
    CHILD_AGE_LIMIT keeps their profile (and its enrolments) until they have an account
    of their own, and the guardian can still correct their name or notes."""
    _check_guardian(actor, participant.household)
    if participant.user_id is not None:
        raise PermissionDenied(_("This person manages their own details."))
    if birth_date != participant.birth_date:
        _check_child_age(birth_date, today=today or timezone.localdate())
    participant.given_name = given_name.strip()
    participant.family_name = family_name.strip()
    participant.birth_date = birth_date
    participant.notes_for_teacher = notes_for_teacher.strip()
    if language in LANGUAGES:
        participant.language = language
    with transaction.atomic():
        participant.save()
        audit_record(actor=actor, action="learning.child_update", target=participant)
    return participant


def child_erase(*, actor: Any, participant: Participant) -> bool:
    """Erase a child profile at the guardian's request (AVG/GDPR art. 17).

    Refused while the child is enrolled or waiting (cancel those first). A profile
    without any history is deleted (its entitlements with it); one with past
    enrolments is anonymised instead, because the enrolments and payments stay in the
    providers' and funds' books: the name, the note for the teacher and the day and
    month of birth go, the year stays for the age statistics. Returns True when the
    profile was deleted, False when it was anonymised."""
    _check_guardian(actor, participant.household)
    if participant.user_id is not None:
        raise PermissionDenied(_("This person manages their own details."))
    if participant.enrolments.filter(state=EnrolmentState.ACTIVE).exists() or (
        participant.waiting_entries.filter(
            state__in=[WaitingState.WAITING, WaitingState.OFFERED]
        ).exists()
    ):
        raise ValidationError(
            _("Cancel the enrolments and waiting-list places of %(name)s first.")
            % {"name": participant.given_name}
        )
    with transaction.atomic():
        audit_record(actor=actor, action="learning.child_erase", target=participant)
        if not participant.enrolments.exists() and not participant.waiting_entries.exists():
            participant.delete()
            return True
        participant.given_name = _("Removed")
        participant.family_name = "-"
        participant.notes_for_teacher = ""
        participant.birth_date = date(participant.birth_date.year, 1, 1)
        participant.save(
            update_fields=["given_name", "family_name", "notes_for_teacher", "birth_date"]
        )
        participant.entitlements.all().delete()
    return False


# --- The learning journey and its export ----------------------------------------------
@dataclass(frozen=True)
class AttendanceSummary:
    recorded: int
    present: int
    absent: int
    excused: int

    @property
    def rate(self) -> int | None:
        """Percentage present of the sessions recorded (None when nothing was recorded)."""
        return round(100 * self.present / self.recorded) if self.recorded else None


def attendance_summary(enrolment: Enrolment) -> AttendanceSummary:
    """Counts over the enrolment's attendance (prefetched by `journey_of`)."""
    presences = [a.presence for a in enrolment.attendance.all()]
    return AttendanceSummary(
        recorded=len(presences),
        present=presences.count(Presence.PRESENT),
        absent=presences.count(Presence.ABSENT),
        excused=presences.count(Presence.EXCUSED),
    )


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def participant_export(*, actor: Any, participant: Participant) -> dict[str, Any]:
    """Everything the platform keeps about a participant's learning, for them or their
    guardian (AVG/GDPR right of access and portability). Plain JSON-ready values."""
    if not may_act_for(actor, participant):
        raise PermissionDenied(_("You cannot see this person's data."))
    enrolments = [e for year in journey_of(participant) for e in year.enrolments]
    waiting = WaitingListEntry.objects.filter(participant=participant).select_related(
        "edition__course"
    )
    entitlements = Entitlement.objects.filter(participant=participant).select_related("scheme")
    audit_record(actor=actor, action="learning.participant_export", target=participant)
    return {
        "participant": {
            "given_name": participant.given_name,
            "family_name": participant.family_name,
            "birth_date": participant.birth_date.isoformat(),
            "language": participant.language,
            "household": participant.household.name,
            "has_login": participant.user_id is not None,
            "consent_at": participant.consent_at.isoformat() if participant.consent_at else None,
            "notes_for_teacher": participant.notes_for_teacher,
        },
        "enrolments": [_enrolment_row(e) for e in enrolments],
        "waiting_list": [
            {
                "course": w.edition.course.title.get_for(),
                "edition": w.edition.code,
                "state": w.state,
                "since": w.created_at.isoformat(),
            }
            for w in waiting
        ],
        "entitlements": [
            {
                "scheme": e.scheme.code,
                "valid_from": e.valid_from.isoformat(),
                "valid_until": e.valid_until.isoformat(),
                "revoked": e.revoked_at is not None,
            }
            for e in entitlements
        ],
        # No certificates are issued yet (issue 4 does not ask for them).
        "certificates": [],
    }


def _enrolment_row(enrolment: Enrolment) -> dict[str, Any]:
    edition = enrolment.edition
    summary = attendance_summary(enrolment)
    return {
        "course": edition.course.title.get_for(),
        "course_slug": edition.course.slug,
        "edition": edition.code,
        "term": edition.term.get_for(),
        "starts_on": edition.starts_on.isoformat(),
        "ends_on": edition.ends_on.isoformat(),
        "place": edition.place.name,
        "kind": enrolment.kind,
        "state": enrolment.state,
        "enrolled_at": enrolment.created_at.isoformat(),
        "price_full": _money(enrolment.price_full),
        "price_due": _money(enrolment.price_due),
        "fund_amount": _money(enrolment.fund_amount),
        "scheme": enrolment.scheme.code if enrolment.scheme else None,
        "sessions_recorded": summary.recorded,
        "present": summary.present,
        "absent": summary.absent,
        "excused": summary.excused,
        "attendance": [
            {"session": a.session.starts_at.isoformat(), "presence": a.presence}
            for a in sorted(enrolment.attendance.all(), key=lambda a: a.session.starts_at)
        ],
    }


# The CSV export: one row per enrolment (the tabular part of participant_export).
CSV_COLUMNS = (
    "course",
    "edition",
    "term",
    "starts_on",
    "ends_on",
    "place",
    "kind",
    "state",
    "price_due",
    "fund_amount",
    "scheme",
    "sessions_recorded",
    "present",
    "absent",
    "excused",
)


def _age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
